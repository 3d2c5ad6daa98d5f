"""Claims tracked through ingest: lineage by timeline, stable ids, stale verdicts."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from factcheck.claim_views import add_claim, claim_detail, list_claims, review_queue
from factcheck.errors import FactcheckError
from factcheck.ingest import IngestOptions, IngestReport, expand_inputs, ingest
from factcheck.lineage import ClaimBatch, document_of, find_phrase, refresh_claims
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import (
    articles_table,
    claims_table,
    occurrences_table,
    reviews_table,
    versions_table,
)
from tests.conftest import SAMPLES, review_claim, write_versions

NOW = datetime(2026, 1, 1, tzinfo=UTC)
MARROWBY = expand_inputs([str(SAMPLES / "marrowby-floods")])
PELL = expand_inputs([str(SAMPLES / "pell-river-chlorine-leak")])


def run_ingest(db: str, files: list[str], now: datetime = NOW) -> IngestReport:
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        report = ingest(session, files, IngestOptions(now=now))
    engine.dispose()
    return report


def lineage_shape(db: str) -> set[frozenset[tuple[str, str, str]]]:
    """Each claim as the set of (version hash, sentence, change) it occurs as: no ids."""
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                occurrences_table.c.claim_id,
                versions_table.c.content_hash,
                occurrences_table.c.text,
                occurrences_table.c.change,
            ).join(versions_table, versions_table.c.id == occurrences_table.c.version_id)
        )
        claims: dict[int, set[tuple[str, str, str]]] = {}
        for row in rows:
            claims.setdefault(row.claim_id, set()).add((row.content_hash, row.text, row.change))
    engine.dispose()
    return {frozenset(occurrences) for occurrences in claims.values()}


def ids_by_sentence(db: str) -> dict[tuple[str, str], int]:
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        rows = session.execute(
            select(
                occurrences_table.c.claim_id,
                versions_table.c.content_hash,
                occurrences_table.c.text,
            ).join(versions_table, versions_table.c.id == occurrences_table.c.version_id)
        )
        found = {(row.content_hash, row.text): row.claim_id for row in rows}
    engine.dispose()
    return found


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(MARROWBY + PELL), st.integers(1, 4))
def test_out_of_order_ingest_leaves_the_same_lineage(order: list[str], batches: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        in_order, shuffled = f"{folder}/a.db", f"{folder}/b.db"
        run_ingest(in_order, MARROWBY + PELL)
        size = -(-len(order) // batches)
        for start in range(0, len(order), size):
            run_ingest(shuffled, order[start : start + size])
        assert lineage_shape(shuffled) == lineage_shape(in_order)


def test_claim_ids_never_change_once_shown(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    run_ingest(db, [MARROWBY[1]])  # version 2 first
    shown = ids_by_sentence(db)
    run_ingest(db, [MARROWBY[0]])  # version 1 arrives late and slots in before it
    run_ingest(db, MARROWBY[2:])
    after = ids_by_sentence(db)
    assert all(after[key] == claim_id for key, claim_id in shown.items())


def test_occurrence_text_is_the_version_text_at_its_span(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    run_ingest(db, expand_inputs([str(SAMPLES)]))
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        documents = {
            row.id: document_of(row.title, row.standfirst, row.body)
            for row in session.execute(select(versions_table))
        }
        occurrences = list(session.execute(select(occurrences_table)))
    engine.dispose()
    assert occurrences
    for occurrence in occurrences:
        document = documents[occurrence.version_id]
        assert document[occurrence.start : occurrence.end] == occurrence.text


def test_ingest_tracks_from_what_it_parsed_as_a_refresh_from_the_database_would(
    tmp_path: Path,
) -> None:
    """Ingest hands refresh_claims the timeline and texts it holds; recomputing each article
    from the stored versions alone must then find nothing to change."""
    db = str(tmp_path / "a.db")
    run_ingest(db, expand_inputs([str(SAMPLES)]))

    def snapshot() -> tuple[list[Row[Any]], list[Row[Any]]]:
        with session_scope(engine) as session:
            claims = list(session.execute(select(claims_table).order_by(claims_table.c.id)))
            columns = [c for c in occurrences_table.c if c.name != "id"]
            occurrences = sorted(session.execute(select(*columns)), key=repr)
        return claims, occurrences

    engine = open_database(db, create=False)
    before = snapshot()
    with session_scope(engine, writes=True) as session:
        articles = session.execute(select(articles_table.c.id, articles_table.c.key)).all()
        events = [
            event
            for article in articles
            for event in refresh_claims(session, article.id, article.key, set(), NOW).events
        ]
    after = snapshot()
    engine.dispose()
    assert len(articles) >= 3 and before[0] and before[1]
    assert events == []
    assert after == before


def _stored_claims(db: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every claim and occurrence row, ids included, in id order."""
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        claims = [
            tuple(row) for row in session.execute(select(claims_table).order_by(claims_table.c.id))
        ]
        occurrences = [
            tuple(row)[1:]  # without its own id, which follows the order rows were written in
            for row in session.execute(
                select(occurrences_table).order_by(
                    occurrences_table.c.claim_id, occurrences_table.c.version_id
                )
            )
        ]
    engine.dispose()
    return claims, occurrences


def test_an_ingest_writes_all_its_claims_in_two_inserts(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One bulk insert for the new claims and one for the occurrences, however many
    articles: not two round trips per article."""
    from factcheck.store.db import BulkInsert

    plain: list[str] = []
    numbered: list[str] = []
    execute, execute_numbered = BulkInsert.execute, BulkInsert.execute_numbered

    def counted(self: BulkInsert, session: Session, rows: list[tuple[object, ...]]) -> None:
        plain.append(self.table.name)
        execute(self, session, rows)

    def counted_numbered(
        self: BulkInsert, session: Session, rows: list[tuple[object, ...]]
    ) -> list[int]:
        numbered.append(self.table.name)
        return execute_numbered(self, session, rows)

    monkeypatch.setattr(BulkInsert, "execute", counted)
    monkeypatch.setattr(BulkInsert, "execute_numbered", counted_numbered)
    run_ingest(db, expand_inputs([str(SAMPLES)]))
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        articles = len(session.execute(select(articles_table.c.id)).all())
    engine.dispose()
    assert articles >= 3
    assert numbered.count("claims") == 1
    assert plain.count("claim_occurrences") == 1


def test_claims_written_part_way_through_a_run_are_those_written_at_its_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that writes its pending claims after every article (a low row limit) stores
    exactly what a run that writes them all at the end stores, ids included."""
    files = expand_inputs([str(SAMPLES)])
    at_end, part_way = str(tmp_path / "at-end.db"), str(tmp_path / "part-way.db")
    run_ingest(at_end, files)
    monkeypatch.setattr(ClaimBatch, "MAX_PENDING_ROWS", 1)
    run_ingest(part_way, files)
    expected = _stored_claims(at_end)
    assert expected[0] and expected[1]
    assert _stored_claims(part_way) == expected


def _review_the_80_percent_claim(db: str, *marks: tuple[str, str]) -> int:
    """Ingest the first Marrowby version, mark its "80%" claim with each (status, note) in
    turn, and return the claim's id."""
    run_ingest(db, MARROWBY[:1])
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (percent,) = [c for c in list_claims(session) if "80%" in c.text]
        for status, note in marks:
            review_claim(session, percent.id, status, NOW, note=note)
    engine.dispose()
    return percent.id


def test_a_verdict_goes_stale_when_the_wording_changes(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    percent_id = _review_the_80_percent_claim(db, ("verified", ""))
    run_ingest(db, MARROWBY[1:2])  # 80% becomes 85%
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        detail = claim_detail(session, percent_id)
        assert detail.claim.needs_review
        assert detail.claim.status == "verified"  # the verdict stays visible...
        assert detail.reviews[-1].stale  # ...marked stale
        assert "80%" in detail.reviews[-1].wording
        assert [o.change for o in detail.occurrences] == ["new", "value_changed"]
        assert detail.occurrences[1].value_changes == [["More than 80%", "More than 85%"]]
        assert [c.id for c in list_claims(session, needs_review=True)] == [percent_id]
        review_claim(session, percent_id, "verified", NOW)
        assert not claim_detail(session, percent_id).claim.needs_review
    engine.dispose()


def test_a_claim_marked_unverified_again_has_no_verdict_to_go_stale(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    percent_id = _review_the_80_percent_claim(
        db, ("verified", ""), ("unverified", "verdict withdrawn")
    )
    report = run_ingest(db, MARROWBY[1:2])  # 80% becomes 85%
    assert [e.event for e in report.claims.events if e.claim_id == percent_id] == ["changed"]
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        detail = claim_detail(session, percent_id)
        assert not detail.claim.needs_review
        assert detail.claim.status == "unverified"
        assert not detail.reviews[-1].stale
    engine.dispose()


def test_a_late_version_reports_only_what_it_changed(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    first = run_ingest(db, MARROWBY[1:2])
    known = {e.claim_id for e in first.claims.events if e.event == "new"}
    late = run_ingest(db, MARROWBY[:1])  # version 1 arrives after version 2
    events = late.claims.events
    # Claims already shown are not new: the late version only moved their start earlier.
    assert not [e for e in events if e.event == "new" and e.claim_id in known]
    # Version 2 is now compared with version 1, so its changes are news.
    changed = {e.detail for e in events if e.event == "changed"}
    assert "More than 80% -> More than 85%" in changed
    # What version 1 had and version 2 dropped is new, and removed.
    headline = [e for e in events if "Flash floods kill 12" in e.text]
    assert {e.event for e in headline} == {"new", "removed"}
    (outcome,) = late.outcomes
    assert outcome.claims == events  # the late file brought every event


def test_a_late_version_that_still_has_a_claim_does_not_report_its_removal_again(
    tmp_path: Path,
) -> None:
    kept = "The council said 40 staff would inspect the deck."
    dropped = "Repairs will cost 12 million pounds, engineers said."
    only_late = "About 300 drivers signed a petition, organisers said."
    first, late, last = write_versions(
        tmp_path / "v", f"{kept}\n\n{dropped}", f"{kept}\n\n{dropped}\n\n{only_late}", kept
    )
    db = str(tmp_path / "a.db")
    before = run_ingest(db, [first, last])
    assert [e.text for e in before.claims.events if e.event == "removed"] == [dropped]
    events = run_ingest(db, [late]).claims.events
    # The late version only moves the start of a removal already reported; a claim that
    # only it has is new, and gone from the next version.
    assert sorted((e.event, e.text) for e in events) == [("new", only_late), ("removed", only_late)]


def test_a_late_version_that_also_lacks_a_claim_does_not_report_its_removal_again(
    tmp_path: Path,
) -> None:
    kept = "The council said 40 staff would inspect the deck."
    dropped = "Repairs will cost 12 million pounds, engineers said."
    first, late, last = write_versions(tmp_path / "v", f"{kept}\n\n{dropped}", kept, kept)
    db = str(tmp_path / "a.db")
    before = run_ingest(db, [first, last])
    assert [e.text for e in before.claims.events if e.event == "removed"] == [dropped]
    # The removal now starts at the late version, but it was reported already.
    assert not run_ingest(db, [late]).claims.events


def test_a_claim_that_comes_back_says_how_it_changed_while_away(tmp_path: Path) -> None:
    steady = "The council said 40 staff would inspect the deck."
    returning = [
        ("Repairs will cost 12 million pounds, engineers said.", "", ""),
        (
            "Repairs would cost 12 million pounds, the engineers said.",
            "Repairs are expected to cost 12 million pounds, the engineers said.",
            "reworded",
        ),
        (
            "About 300 drivers signed a petition, organisers said.",
            "About 450 drivers signed a petition, organisers said.",
            "About 300 drivers -> About 450 drivers",
        ),
    ]
    for index, (gone, back, how) in enumerate(returning):
        files = write_versions(
            tmp_path / f"v{index}", f"{steady}\n\n{gone}", steady, f"{steady}\n\n{back or gone}"
        )
        events = run_ingest(str(tmp_path / f"{index}.db"), files).claims.events
        (came_back,) = [e for e in events if e.event == "reappeared"]
        assert (came_back.text, came_back.detail) == (back or gone, how)


def _verify_the_only_claim(db: str, file: str) -> int:
    """Ingest ``file``, whose one claim is then verified; its id."""
    run_ingest(db, [file])
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (claim,) = list_claims(session)
        review_claim(session, claim.id, "verified", NOW)
    engine.dispose()
    return claim.id


def test_a_figure_and_its_source_changed_in_one_edit_are_both_kept(tmp_path: Path) -> None:
    before = "At least 40 people were killed, according to the United Nations."
    after = "At least 52 people were killed, according to army officials."
    unrelated = "The council said 40 staff would inspect the deck."
    files = write_versions(tmp_path / "v", before, after, f"{after}\n\n{unrelated}")
    db = str(tmp_path / "a.db")
    claim_id = _verify_the_only_claim(db, files[0])
    (changed,) = [e for e in run_ingest(db, files[1:2]).claims.events if e.event == "changed"]
    assert changed.detail == (
        "At least 40 people -> At least 52 people; source: the United Nations -> army officials"
    )
    run_ingest(db, files[2:])  # an unrelated version after the edit
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        occurrence = claim_detail(session, claim_id).occurrences[1]
        assert occurrence.change == "value_changed"
        assert occurrence.source_change == ["the United Nations", "army officials"]
        assert occurrence.as_dict()["source_change"] == ["the United Nations", "army officials"]
        # Against the wording reviewed, not the previous version, which is the same.
        (item,) = [item for item in review_queue(session) if item.claim.id == claim_id]
        assert item.reasons == ["stale verdict", "value changed", "source changed"]
    engine.dispose()


def test_a_source_changed_and_changed_back_since_the_verdict_is_no_reason(tmp_path: Path) -> None:
    first = "At least 40 people were killed, according to the United Nations."
    other = "At least 40 people were killed, according to army officials."
    back = "At least 40 people died, according to the United Nations."
    files = write_versions(tmp_path / "v", first, other, back)
    db = str(tmp_path / "a.db")
    _verify_the_only_claim(db, files[0])
    reasons = []
    for file in files[1:]:
        run_ingest(db, [file])
        engine = open_database(db, create=False)
        with session_scope(engine) as session:
            (item,) = review_queue(session)
            reasons.append(item.reasons)
        engine.dispose()
    assert reasons == [["stale verdict", "source changed"], ["stale verdict"]]


def test_each_event_goes_to_the_file_that_brought_it(tmp_path: Path) -> None:
    report = run_ingest(str(tmp_path / "a.db"), MARROWBY[:3])
    by_file = {Path(o.file).name: [(e.event, e.detail) for e in o.claims] for o in report.outcomes}
    assert ("changed", "More than 80% -> More than 85%") in by_file["02_toll-rises.txt"]
    assert ("changed", "More than 80% -> More than 85%") not in by_file["03_toll-18.txt"]
    assert ("changed", "14 temporary shelters -> 19 temporary shelters") in by_file[
        "03_toll-18.txt"
    ]
    assert sum(map(len, by_file.values())) == len(report.claims.events)


def test_a_removed_then_reappearing_claim_is_flagged(tmp_path: Path) -> None:
    folder = tmp_path / "files"
    folder.mkdir()
    head = (
        "Article: budget\n\nCouncil budget\n\nStandfirst.\n25 May, 2025\nLast Update\n"
        "25 May, 2025 {time} PM\n\n"
    )
    with_claim = "The council will spend 4.5 million euros on roads, the mayor said."
    other = "Work starts in June."
    texts = [f"{with_claim}\n\n{other}", other, f"{other}\n\n{with_claim}"]
    for index, (time, text) in enumerate(zip(["14:00", "15:00", "16:00"], texts, strict=True)):
        (folder / f"{index}.txt").write_text(head.format(time=time) + text + "\n", "utf-8")
    db = str(tmp_path / "a.db")
    run_ingest(db, sorted(str(p) for p in folder.iterdir())[:2])
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        (gone,) = [c for c in list_claims(session, include_removed=True) if "4.5" in c.text]
        assert gone.removed
    run_ingest(db, [str(folder / "2.txt")])
    with session_scope(engine) as session:
        detail = claim_detail(session, gone.id)
    engine.dispose()
    assert detail.claim.reappeared and not detail.claim.removed
    assert [o.change for o in detail.occurrences] == ["new", "reappeared"]


BUDGET_CLAIM = "The council will spend 4.5 million euros on roads, the mayor said."


def test_a_removal_stales_a_verdict_given_before_it_not_after(tmp_path: Path) -> None:
    other = "Work starts in June."
    first, second = write_versions(tmp_path / "f", f"{BUDGET_CLAIM}\n\n{other}", other)
    db = str(tmp_path / "a.db")
    run_ingest(db, [first], now=NOW)
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (claim,) = [c for c in list_claims(session) if "4.5" in c.text]
        review_claim(session, claim.id, "verified", NOW + timedelta(hours=1))
    report = run_ingest(db, [second], now=NOW + timedelta(hours=2))  # removes it after
    assert {e.event for e in report.claims.events if e.claim_id == claim.id} == {
        "removed",
        "stale",
    }
    with session_scope(engine, writes=True) as session:
        assert claim_detail(session, claim.id).claim.needs_review
        # A verdict given now, on the claim as removed, is not stale, and stays so.
        review_claim(session, claim.id, "false", NOW + timedelta(hours=3), note="never true")
        assert not claim_detail(session, claim.id).claim.needs_review
    refresh_claims_of(engine, "budget", now=NOW + timedelta(hours=4))
    with session_scope(engine) as session:
        detail = claim_detail(session, claim.id)
        assert not detail.claim.needs_review and not detail.reviews[-1].stale
    engine.dispose()


def test_a_late_version_does_not_stale_a_verdict_on_a_claim_already_gone(
    tmp_path: Path,
) -> None:
    other = "Work starts in June."
    first, middle, last = write_versions(tmp_path / "f", f"{BUDGET_CLAIM}\n\n{other}", other, other)
    db = str(tmp_path / "a.db")
    run_ingest(db, [first, last], now=NOW)  # the claim is gone from the latest version
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (claim,) = [c for c in list_claims(session, include_removed=True) if "4.5" in c.text]
        review_claim(session, claim.id, "false", NOW + timedelta(hours=1), note="never true")
    # The version in between arrives later and also lacks the claim: the removal now starts
    # there, but the reviewer had seen the claim gone all the same.
    report = run_ingest(db, [middle], now=NOW + timedelta(hours=2))
    assert not [e for e in report.claims.events if e.event == "stale"]
    with session_scope(engine) as session:
        assert not claim_detail(session, claim.id).claim.needs_review
    engine.dispose()


def test_a_late_version_keeps_the_verdict_with_its_sentence(tmp_path: Path) -> None:
    # The sentence drifts: 1 and 2 are alike, 2 and 3 are alike, 1 and 3 are not. With
    # 1 and 3 stored they are two claims; version 2 arriving late joins them.
    drift = [
        "Council staff said 3,000 cyclists ride along the canal path every morning, mostly "
        "students from the new campus.",
        "Council staff said 3,000 cyclists ride along the canal path each weekday, mostly "
        "workers going to the brewery site.",
        "Traffic engineers count 3,000 cyclists using the towpath each weekday, mostly workers "
        "going to the brewery site.",
    ]
    # Another claim first, so that the drifting sentence's two stored claims are not the
    # only ones: the tie between them used to go to the smaller id, the unreviewed one.
    steady = "The council will spend 4.5 million euros on roads, the mayor said."
    one, two, three = write_versions(tmp_path / "f", *(f"{steady}\n\n{text}" for text in drift))
    db = str(tmp_path / "a.db")
    run_ingest(db, [one, three])
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (live,) = [c for c in list_claims(session) if c.text == drift[2]]
        review_claim(session, live.id, "verified", NOW)
    run_ingest(db, [two])
    with session_scope(engine) as session:
        detail = claim_detail(session, live.id)
    engine.dispose()
    assert detail.claim.status == "verified" and not detail.claim.removed
    assert [o.text for o in detail.occurrences] == drift  # the whole lineage, under its id


def refresh_claims_of(engine: Any, key: str, now: datetime) -> None:
    """Recompute an article's claims from the database alone, as a later ingest would."""
    with session_scope(engine, writes=True) as session:
        article_id = session.execute(
            select(articles_table.c.id).where(articles_table.c.key == key)
        ).scalar_one()
        refresh_claims(session, article_id, key, set(), now)


def test_a_manual_claim_is_tracked_across_versions(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    run_ingest(db, MARROWBY)
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        detail = claim_detail(session, list_claims(session)[0].id)
        phrase = "flash floods"
        assert phrase in detail.claim.text
        claim, created = add_claim(
            session, "marrowby-floods-2025", phrase, version="1", force=False, now=NOW
        )
        assert created and claim.kind == "manual"
        again, created_again = add_claim(
            session, "marrowby-floods-2025", phrase, version="1", force=False, now=NOW
        )
        assert again.id == claim.id and not created_again
        assert len(claim_detail(session, claim.id).occurrences) == 4
    engine.dispose()


def test_words_added_by_hand_never_take_the_lineage_of_their_sentence(tmp_path: Path) -> None:
    # The hand-added words lie inside an extracted sentence that goes, comes back, goes
    # again and returns edited: the edit continues the sentence and its verdict, and the
    # manual claim stays on its own words.
    sentence = "Two lanes will stay shut until the end of June."
    edited = "Two lanes will stay shut until the end of July."
    other = "The council said 40 staff would inspect the deck."
    files = write_versions(
        tmp_path / "v",
        f"{sentence}\n\n{other}",
        other,
        f"{sentence}\n\n{other}",
        other,
        f"{edited}\n\n{other}",
    )
    db = str(tmp_path / "a.db")
    run_ingest(db, files[:1])
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        verdict_on = next(c.id for c in list_claims(session) if c.text == sentence)
        review_claim(session, verdict_on, "false", NOW, note="closed in May")
        manual, created = add_claim(
            session, "budget", sentence.rstrip("."), version="1", force=False, now=NOW
        )
        assert created and manual.kind == "manual"
    engine.dispose()
    run_ingest(db, files[1:])
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        reviewed = claim_detail(session, verdict_on)
        assert [(o.version, o.text) for o in reviewed.occurrences] == [
            (1, sentence),
            (3, sentence),
            (5, edited),
        ]
        assert reviewed.claim.needs_review
        hand = claim_detail(session, manual.id)
        assert [(o.version, o.text) for o in hand.occurrences] == [
            (1, sentence.rstrip(".")),
            (3, sentence.rstrip(".")),
        ]
        assert hand.claim.kind == "manual" and hand.claim.removed
    engine.dispose()


def test_claim_text_must_be_whole_words_unless_forced_and_then_has_no_span(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "a.db")
    run_ingest(db, MARROWBY[:1])
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        # "lash flood" is inside "flash floods": found as a substring, but not as words.
        with pytest.raises(FactcheckError, match="not in version 1"):
            add_claim(
                session, "marrowby-floods-2025", "lash flood", version="1", force=False, now=NOW
            )
        forced, created = add_claim(
            session, "marrowby-floods-2025", "lash flood", version="1", force=True, now=NOW
        )
        assert created
        again, created_again = add_claim(
            session, "marrowby-floods-2025", "lash flood", version="1", force=True, now=NOW
        )
        assert (again.id, created_again) == (forced.id, False)  # forced twice: one claim
        spans = session.execute(
            select(occurrences_table.c.start, occurrences_table.c.end).where(
                occurrences_table.c.claim_id == forced.id
            )
        ).all()
        assert [tuple(span) for span in spans] == [(None, None)]
    engine.dispose()


@given(
    st.text("ab 1,.", max_size=12),
    st.text("ab1", min_size=1, max_size=4),
    st.text("ab 1,.", max_size=12),
)
def test_find_phrase_finds_whole_words_only(before: str, phrase: str, after: str) -> None:
    document = f"{before} {phrase}. {after}"
    start = find_phrase(document, phrase)
    assert 0 <= start <= len(before) + 1  # the planted copy is whole words, so one is found
    end = start + len(phrase)
    assert document[start:end] == phrase
    assert start == 0 or not document[start - 1].isalnum()
    assert end == len(document) or not document[end].isalnum()
    assert find_phrase(f"x{phrase}x", phrase) == -1


def _review_budget_claim(db: str, status: str, reviewed_at: datetime) -> tuple[Any, int]:
    """Review the budget claim, dated ``reviewed_at``: the engine, and the claim's id."""
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (claim,) = [c for c in list_claims(session, include_removed=True) if "4.5" in c.text]
        review_claim(session, claim.id, status, reviewed_at, note="checked")
    return engine, claim.id


def _needs_review(engine: Any, claim_id: int) -> bool:
    with session_scope(engine) as session:
        return claim_detail(session, claim_id).claim.needs_review


def test_a_removal_stored_after_a_review_stales_it_though_its_run_started_before(
    db: str, tmp_path: Path
) -> None:
    """A version's ingest time is when its run started: a review recorded while a long run
    was in progress is later by the clock than the removal it never saw."""
    other = "Work starts in June."
    first, second = write_versions(tmp_path / "f", f"{BUDGET_CLAIM}\n\n{other}", other)
    run_ingest(db, [first], now=NOW)
    engine, claim_id = _review_budget_claim(db, "verified", NOW + timedelta(hours=3))
    report = run_ingest(db, [second], now=NOW + timedelta(hours=2))
    assert {e.event for e in report.claims.events if e.claim_id == claim_id} == {
        "removed",
        "stale",
    }
    assert _needs_review(engine, claim_id)
    engine.dispose()


def test_a_removal_a_review_saw_never_stales_it_though_the_clock_puts_the_review_first(
    db: str, tmp_path: Path
) -> None:
    """A reviewer's clock behind the ingest's, or a ClaimReview imported with its date of
    publication: the review is dated before the version that removed the claim, but the
    version was stored when it was recorded, and the reviewer judged the claim gone."""
    other = "Work starts in June."
    first, second, third = write_versions(
        tmp_path / "f", f"{BUDGET_CLAIM}\n\n{other}", other, f"{other} Roads come first."
    )
    run_ingest(db, [first], now=NOW)
    run_ingest(db, [second], now=NOW + timedelta(hours=2))  # the removal
    engine, claim_id = _review_budget_claim(db, "false", NOW + timedelta(hours=1))
    assert not _needs_review(engine, claim_id)
    refresh_claims_of(engine, "budget", now=NOW + timedelta(hours=4))
    assert not _needs_review(engine, claim_id)
    # A later version that lacks the claim as well shows nothing the reviewer had not seen.
    report = run_ingest(db, [third], now=NOW + timedelta(hours=5))
    assert not [e for e in report.claims.events if e.event == "stale"]
    assert not _needs_review(engine, claim_id)
    engine.dispose()


@pytest.mark.parametrize(
    ("removal_ingested", "stale"),
    [
        (timedelta(hours=2), True),
        # The clock is all such a review has: a run that started before it counts as seen.
        (timedelta(minutes=30), False),
    ],
)
def test_a_review_from_before_schema_0004_is_judged_by_the_clock(
    db: str, tmp_path: Path, removal_ingested: timedelta, stale: bool
) -> None:
    other = "Work starts in June."
    first, second = write_versions(tmp_path / "f", f"{BUDGET_CLAIM}\n\n{other}", other)
    run_ingest(db, [first], now=NOW)
    engine, claim_id = _review_budget_claim(db, "verified", NOW + timedelta(hours=1))
    with session_scope(engine, writes=True) as session:
        session.execute(update(reviews_table).values(seen_version_id=None))
    report = run_ingest(db, [second], now=NOW + removal_ingested)
    events = {e.event for e in report.claims.events if e.claim_id == claim_id}
    assert events == ({"removed", "stale"} if stale else {"removed"})
    assert _needs_review(engine, claim_id) is stale
    engine.dispose()


def test_a_new_source_for_the_same_figure_is_reported_and_queued(tmp_path: Path) -> None:
    un = "More than 80% of the district is off limits, according to the UN."
    officials = "More than 80% of the district is off limits, according to army officials."
    first, second = write_versions(tmp_path / "f", un, officials)
    db = str(tmp_path / "a.db")
    run_ingest(db, [first], now=NOW)
    report = run_ingest(db, [second], now=NOW)
    [event] = report.claims.events
    assert (event.event, event.detail) == ("changed", "source: the UN -> army officials")
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        detail = claim_detail(session, event.claim_id)
        queue = {item.claim.id: item.reasons for item in review_queue(session)}
    engine.dispose()
    assert [(o.change, o.value_changes) for o in detail.occurrences] == [
        ("new", []),
        ("source_changed", [["the UN", "army officials"]]),
    ]
    assert queue[event.claim_id] == ["source changed", "unreviewed"]


def test_a_verdict_follows_its_sentence_when_the_extractor_cuts_it_differently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An older extractor cut the quotation after its first sentence; the current one reads
    # the whole quotation with its speaker. Stored spans no longer match exactly.
    import factcheck.lineage as lineage_module
    from factcheck.claims.extract import ExtractedClaim, extract_claims

    quote = '"We will not accept this. The truce must hold for 60 days," the minister said.'
    first, second = write_versions(tmp_path / "f", quote, f"{quote}\n\nWork starts in June.")
    db = str(tmp_path / "a.db")

    def older_extractor(document: str) -> list[ExtractedClaim]:
        cut = document.index("this.") + len("this.")
        return [
            claim._replace(text=document[claim.start : cut], end=cut)
            if claim.start < cut < claim.end
            else claim
            for claim in extract_claims(document)
        ]

    monkeypatch.setattr(lineage_module, "extract_claims", older_extractor)
    run_ingest(db, [first], now=NOW)
    engine = open_database(db, create=False)
    with session_scope(engine, writes=True) as session:
        (claim,) = [c for c in list_claims(session) if c.text.startswith('"We will')]
        review_claim(session, claim.id, "verified", NOW)
    engine.dispose()
    monkeypatch.undo()
    report = run_ingest(db, [second], now=NOW + timedelta(hours=1))
    assert [e.event for e in report.claims.events if e.claim_id == claim.id] == ["stale"]
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        claims = list_claims(session, include_removed=True)
        detail = claim_detail(session, claim.id)
    engine.dispose()
    assert [c.id for c in claims if c.text.startswith('"We will')] == [claim.id]
    assert detail.claim.text == quote and not detail.claim.removed
    assert [o.version for o in detail.occurrences] == [1, 2]
    # The verdict was on fewer words than the claim now holds: stale, and it says so.
    assert (
        detail.claim.needs_review
        and detail.reviews[-1].wording == quote[: quote.index("this.") + 5]
    )
