"""Review events: validation, the hash chain, tampering, and concurrent reviewers."""

from __future__ import annotations

import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from factcheck.articles import timeline
from factcheck.claim_views import list_claims
from factcheck.errors import FactcheckError, NotFoundError, UsageError
from factcheck.ingest import IngestOptions, IngestReport, expand_inputs, ingest
from factcheck.lineage import refresh_claims
from factcheck.review import (
    GENESIS_HASH,
    STATUSES,
    AuditResult,
    audit,
    default_reviewer,
    mark,
)
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import claims_table, reviews_table, versions_table
from tests.conftest import SAMPLES, review_claim

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

NOW = datetime(2026, 1, 1, tzinfo=UTC)
FILES = expand_inputs([str(SAMPLES / "marrowby-floods")])


def prepared(db: str) -> list[int]:
    """A database holding the Marrowby story; returns its claim ids."""
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, FILES, IngestOptions(now=NOW))
        ids = [claim.id for claim in list_claims(session)]
    engine.dispose()
    return ids


def do_mark(db: str, claim_id: int, status: str, **options: object) -> object:
    engine = open_database(db, create=False)
    try:
        with session_scope(engine, writes=True) as session:
            arguments: dict[str, object] = {
                "note": "",
                "sources": [],
                "reviewer": "r",
                "version": None,
                "now": NOW,
            }
            arguments.update(options)
            return mark(session, claim_id, status, **arguments)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def run_audit(db: str, head: str | None = None) -> AuditResult:
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        result = audit(session, head)
    engine.dispose()
    return result


@pytest.fixture
def claim_db(tmp_path: Path) -> tuple[str, list[int]]:
    db = str(tmp_path / "r.db")
    return db, prepared(db)


def test_bad_marks_are_refused_and_write_nothing(claim_db: tuple[str, list[int]]) -> None:
    db, ids = claim_db
    with pytest.raises(UsageError, match="unknown status"):
        do_mark(db, ids[0], "true-ish")
    with pytest.raises(UsageError, match="not an http"):
        do_mark(db, ids[0], "verified", sources=["file:///etc/passwd"])
    with pytest.raises(UsageError, match="not an http"):
        do_mark(db, ids[0], "verified", sources=["see the map"])
    for malformed in ("https://[::1/", "https://a.org:99999/", "https://:80/x"):
        with pytest.raises(UsageError, match="not an http"):
            do_mark(db, ids[0], "verified", sources=[malformed])
    for status in ("false", "misleading", "disputed"):
        with pytest.raises(UsageError, match="needs a note"):
            do_mark(db, ids[0], status, note="  ")
    with pytest.raises(NotFoundError, match="no claim 999999"):
        do_mark(db, 999_999, "verified")
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(reviews_table)) == 0
    engine.dispose()


def test_a_mark_records_who_when_which_wording_and_evidence(
    claim_db: tuple[str, list[int]],
) -> None:
    db, _ = claim_db
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        (toll,) = [c for c in list_claims(session) if c.text.startswith("At least 18 people")]
    engine.dispose()
    review = do_mark(
        db,
        toll.id,
        "MISLEADING",
        note="Map shows 70%",
        sources=["https://example.org/map"],
        reviewer="A. Reviewer",
        version="2",
    )
    assert "At least 15 people" in review.wording  # type: ignore[attr-defined]
    assert review.as_dict() | {"at": None} == {  # type: ignore[attr-defined]
        "id": 1,
        "claim": toll.id,
        "status": "misleading",
        "note": "Map shows 70%",
        "sources": ["https://example.org/map"],
        "reviewer": "A. Reviewer",
        "at": None,
        "version": 2,
        "wording": review.wording,  # type: ignore[attr-defined]
        "stale": True,  # version 2 said 15 dead; the latest version says 18
    }


def test_marking_on_a_version_without_the_claim_is_refused(
    claim_db: tuple[str, list[int]],
) -> None:
    db, _ = claim_db
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        late = [c for c in list_claims(session) if c.first_version and c.first_version > 1]
    engine.dispose()
    assert late
    with pytest.raises(FactcheckError, match="does not appear in version 1"):
        do_mark(db, late[0].id, "verified", version="1")


def test_reviewer_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_REVIEWER", "Desk Editor")
    assert default_reviewer() == "Desk Editor"
    monkeypatch.delenv("FACTCHECK_REVIEWER")
    monkeypatch.setenv("LOGNAME", "os-user")  # getpass.getuser reads LOGNAME first
    assert default_reviewer() == "os-user"
    monkeypatch.setenv("FACTCHECK_REVIEWER", "   ")  # blank is unset
    assert default_reviewer() == "os-user"


marks = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.sampled_from(STATUSES),
        st.text(min_size=1, max_size=30).filter(str.strip),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks, st.data())
def test_the_chain_verifies_after_any_marks_and_fails_after_any_tampering(
    sequence: list[tuple[int, str, str]], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = f"{folder}/r.db"
        ids = prepared(db)
        for step, (claim, status, note) in enumerate(sequence):
            do_mark(db, ids[claim], status, note=note, now=NOW + timedelta(minutes=step))
        result = run_audit(db)
        assert result.ok and result.reviews == len(sequence)

        victim = data.draw(st.integers(1, len(sequence)), label="tampered review")
        column = data.draw(st.sampled_from(["status", "note", "reviewer", "wording"]))
        engine = open_database(db, create=False)
        with session_scope(engine, writes=True) as session:
            session.execute(
                update(reviews_table)
                .where(reviews_table.c.id == victim)
                .values({column: text(f"{column} || 'x'")})
            )
        engine.dispose()
        broken = run_audit(db)
        assert not broken.ok
        assert broken.broken_at == victim


@pytest.mark.parametrize(
    ("column", "value", "said"),
    [
        ("needs_review", False, "not flagged for review"),
        ("text", "At least 2 people have died.", "reads otherwise than its latest occurrence"),
        ("values", [{"value": 2, "unit": "people"}], "values are not those of its latest"),
    ],
)
def test_audit_catches_a_hand_edit_of_what_reviewers_are_shown(
    claim_db: tuple[str, list[int]], column: str, value: object, said: str
) -> None:
    db, _ = claim_db
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        died = next(c.id for c in list_claims(session) if "people have died" in c.text)
    engine.dispose()
    # A verdict on the first version's wording, which the article has since changed.
    do_mark(db, died, "verified", version="1")
    assert run_audit(db).ok
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        session.execute(
            update(claims_table).where(claims_table.c.id == died).values({column: value})
        )
    engine.dispose()
    result = run_audit(db)
    assert not result.ok and result.broken_at is None
    assert result.claim == died and said in result.reason


def test_a_deleted_review_breaks_the_chain_at_the_next_one(
    claim_db: tuple[str, list[int]],
) -> None:
    db, ids = claim_db
    for step in range(3):
        do_mark(db, ids[step], "verified", now=NOW + timedelta(minutes=step))
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        session.execute(reviews_table.delete().where(reviews_table.c.id == 2))
    engine.dispose()
    result = run_audit(db)
    assert result.broken_at == 3
    assert result.head is None  # no head can be vouched for past a broken link
    assert "does not follow" in result.reason


def test_reviews_cut_from_the_end_are_caught_by_a_recorded_head(
    claim_db: tuple[str, list[int]],
) -> None:
    db, ids = claim_db
    empty = run_audit(db).head
    assert empty == GENESIS_HASH
    for step in range(3):
        do_mark(db, ids[step], "unproven", now=NOW + timedelta(minutes=step))
    assert run_audit(db, empty[:8]).ok  # the empty chain's head is held by every chain
    recorded = run_audit(db).head
    assert recorded is not None
    do_mark(db, ids[0], "verified", now=NOW + timedelta(minutes=5))
    assert run_audit(db, recorded[:10]).ok  # later reviews extend the chain past the head
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        # The last two reviews go, and the claims they marked are set back to match.
        session.execute(reviews_table.delete().where(reviews_table.c.id >= 3))
        session.execute(
            update(claims_table).where(claims_table.c.id == ids[0]).values(status="unproven")
        )
        session.execute(
            update(claims_table).where(claims_table.c.id == ids[2]).values(status="unverified")
        )
    engine.dispose()
    assert run_audit(db).ok  # the rest of the chain is intact and the statuses agree
    cut = run_audit(db, recorded)
    assert not cut.ok and cut.broken_at is None
    assert "no longer holds the head" in cut.reason


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ("verified", "claim {id} is marked verified, but its latest review says false"),
        ("unverified", "claim {id} is marked unverified, but its latest review says false"),
    ],
)
def test_a_claim_status_edited_by_hand_is_caught(
    claim_db: tuple[str, list[int]], status: str, reason: str
) -> None:
    db, ids = claim_db
    do_mark(db, ids[1], "false", note="the figure is wrong")
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        session.execute(
            update(claims_table).where(claims_table.c.id == ids[1]).values(status=status)
        )
    engine.dispose()
    result = run_audit(db)
    assert not result.ok
    assert (result.claim, result.reason) == (ids[1], reason.format(id=ids[1]))


def test_an_unreviewed_claim_marked_by_hand_is_caught(claim_db: tuple[str, list[int]]) -> None:
    db, ids = claim_db
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        session.execute(
            update(claims_table).where(claims_table.c.id == ids[2]).values(status="verified")
        )
    engine.dispose()
    result = run_audit(db)
    assert (result.ok, result.claim) == (False, ids[2])
    assert "its latest review says unverified" in result.reason


def _concurrent_reviewer(db: str, claim_id: int, who: str, rounds: int, barrier: object) -> None:
    engine = open_database(db, create=False)
    barrier.wait()  # type: ignore[attr-defined]
    for step in range(rounds):
        with session_scope(engine, writes=True) as session:
            mark(
                session,
                claim_id,
                "verified" if step % 2 else "unproven",
                note=f"{who} round {step}",
                sources=[],
                reviewer=who,
                version=None,
                now=datetime.now(UTC),
            )
    engine.dispose()


@pytest.mark.postgres
def test_concurrent_reviewers_on_postgresql_are_all_recorded_in_one_chain(pg_url: str) -> None:
    ids = prepared(pg_url)
    workers, rounds = 4, 5
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(workers)
    processes = [
        context.Process(
            target=_concurrent_reviewer, args=(pg_url, ids[n % 2], f"reviewer-{n}", rounds, barrier)
        )
        for n in range(workers)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(120)
        assert process.exitcode == 0
    result = run_audit(pg_url)
    assert result.ok and result.reviews == workers * rounds
    engine = open_database(pg_url, create=False)
    with session_scope(engine) as session:
        links = list(session.execute(select(reviews_table.c.prev_hash, reviews_table.c.hash)))
    engine.dispose()
    assert sum(prev == GENESIS_HASH for prev, _ in links) == 1
    assert len({prev for prev, _ in links}) == len(links)  # no link was extended twice


def test_a_mark_records_the_latest_version_of_the_timeline_it_could_see(tmp_path: Path) -> None:
    """The latest by Last Update, not the latest stored: read newest first, the versions'
    ids run against the timeline."""
    db = str(tmp_path / "r.db")
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        for name in reversed(FILES):
            ingest(session, [name], IngestOptions(now=NOW))
        claim = list_claims(session)[0]
        latest = timeline(session, "marrowby-floods-2025")[-1].version.id
        largest = session.scalar(select(func.max(versions_table.c.id)))
    engine.dispose()
    do_mark(db, claim.id, "verified")
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        seen = session.scalar(select(reviews_table.c.seen_version_id))
    engine.dispose()
    assert seen == latest
    assert largest is not None and seen < largest


@pytest.mark.parametrize("tampered_to", ["another version", "nothing"])
def test_the_version_a_review_saw_is_covered_by_the_chain(
    claim_db: tuple[str, list[int]], tampered_to: str
) -> None:
    db, ids = claim_db
    for step in range(2):
        do_mark(db, ids[step], "verified", now=NOW + timedelta(minutes=step))
    assert run_audit(db).ok
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        seen = session.scalar(
            select(reviews_table.c.seen_version_id).where(reviews_table.c.id == 1)
        )
        assert seen is not None
        # A review that saw an earlier version would call the removals after it unseen.
        earlier = None if tampered_to == "nothing" else seen - 1
        session.execute(
            update(reviews_table).where(reviews_table.c.id == 1).values(seen_version_id=earlier)
        )
    engine.dispose()
    result = run_audit(db)
    assert (result.ok, result.broken_at) == (False, 1)
    assert "changed after it was recorded" in result.reason


class _Background(threading.Thread):
    """Work run in a thread, so the test can watch it wait for a lock; its result or error
    is kept for the test to check."""

    def __init__(self, work: Callable[[], object]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.result: object = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as error:
            self.error = error


def _blocked_statement(url: str) -> str:
    """The statement another connection to the database waits in for a lock, once one
    does."""
    from sqlalchemy import create_engine

    engine = create_engine(url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                waiting = connection.execute(
                    text(
                        "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
                        "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                    )
                ).scalar()
            if waiting is not None:
                return str(waiting)
            time.sleep(0.05)
        raise AssertionError("no connection waited for a lock")
    finally:
        engine.dispose()


def _headline_after_first_version(url: str) -> tuple[Engine, int, int]:
    """A PostgreSQL database holding version 1 of the Marrowby story: its engine, the
    article's id, and the id of its headline claim, which version 2 removes."""
    engine = open_database(url, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, FILES[:1], IngestOptions(now=NOW))
        (headline,) = [c for c in list_claims(session) if c.text.startswith("Flash floods kill")]
        article = session.scalar(select(claims_table.c.article_id))
    assert article is not None
    return engine, article, headline.id


@pytest.mark.postgres
def test_a_review_waits_for_an_ingest_storing_a_version_of_its_article(pg_url: str) -> None:
    """It then reads the claim and the versions as the ingest left them: it saw the claim
    removed, so its verdict is not stale, and recomputing the claim agrees."""
    engine, article, headline = _headline_after_first_version(pg_url)
    ingesting = Session(engine)  # version 2 stored, not committed
    report = ingest(ingesting, FILES[1:2], IngestOptions(now=NOW))
    assert "removed" in {e.event for e in report.claims.events if e.claim_id == headline}
    reviewer = _Background(
        lambda: do_mark(pg_url, headline, "false", note="not 12", now=NOW + timedelta(hours=1))
    )
    reviewer.start()
    try:
        assert "FOR UPDATE OF articles" in _blocked_statement(pg_url)
    finally:
        ingesting.commit()
        ingesting.close()
    reviewer.join(60)
    assert reviewer.error is None
    assert not reviewer.result.stale  # type: ignore[attr-defined]
    with session_scope(engine, writes=True) as session:
        seen = session.scalar(select(reviews_table.c.seen_version_id))
        assert seen == timeline(session, "marrowby-floods-2025")[-1].version.id
        events = refresh_claims(session, article, "marrowby-floods-2025", set(), NOW).events
        assert events == []
        needs_review = session.scalar(
            select(claims_table.c.needs_review).where(claims_table.c.id == headline)
        )
    engine.dispose()
    assert needs_review is False


@pytest.mark.postgres
def test_an_ingest_waits_for_a_review_of_its_article_and_then_judges_it(pg_url: str) -> None:
    """The ingest's run started before the review was recorded, but its removal was stored
    after it: the verdict is stale, and the ingest, having waited, says so."""
    engine, _, headline = _headline_after_first_version(pg_url)
    reviewing = Session(engine)
    review = review_claim(reviewing, headline, "verified", NOW + timedelta(hours=1))
    assert not review.stale

    def ingest_version_2() -> IngestReport:
        with session_scope(engine, writes=True) as session:
            return ingest(session, FILES[1:2], IngestOptions(now=NOW))

    ingester = _Background(ingest_version_2)
    ingester.start()
    try:
        assert _blocked_statement(pg_url).startswith("INSERT INTO versions")
    finally:
        reviewing.commit()
        reviewing.close()
    ingester.join(60)
    assert ingester.error is None
    events = ingester.result.claims.events  # type: ignore[attr-defined]
    assert {e.event for e in events if e.claim_id == headline} == {"removed", "stale"}
    with session_scope(engine) as session:
        needs_review = session.scalar(
            select(claims_table.c.needs_review).where(claims_table.c.id == headline)
        )
    engine.dispose()
    assert needs_review is True
