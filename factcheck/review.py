"""Verdicts on claims: append-only, hash-chained review events.

Statuses: ``unverified`` (the default), ``verified``, ``disputed``, ``false``, ``misleading``
and ``unproven``. ``disputed``, ``false`` and ``misleading`` need a note saying why.

Staleness (``is_stale``) is decided here too: a verdict is stale once the claim no longer
reads as it did when reviewed. ``factcheck.lineage`` applies it when claims are recomputed.

Every mark is a new ``reviews`` row recording the status, the note, the evidence URLs, the
reviewer, the time, the version whose wording was reviewed, and that wording and its values
as they read then. Rows are never updated or deleted.

The chain: each review carries ``prev_hash``, the ``hash`` of the review before it (64 zeros
for the first), and its own ``hash``, the SHA-256 of ``prev_hash`` and a canonical JSON of
its fields. ``prev_hash`` is unique, so two writers can never both extend the same link: on
PostgreSQL a transaction-scoped advisory lock serialises them (and on SQLite the write lock
taken at BEGIN does), so both are recorded, one after the other. ``audit`` recomputes the
chain and names the first row that does not match.

What a review saw. A removal makes a verdict stale only when the reviewer had not seen it:
when every version that lacks the claim came in after the review. So each review records
``seen_version_id``, the latest version of the claim's article, in timeline order, among
those stored when the review was recorded. Timeline order is a property of each version
alone (``factcheck.timeline``), so every version placed after that one came in after the
review and every version stored before it is placed at or before it: the review saw a
version lacking the claim exactly when ``seen_version_id`` is one of them
(``factcheck.lineage``). Neither of the obvious measures says this. ``versions.ingested_at``
is the time the ingest run started, so a review written while a long run is in progress
looks older than versions it never saw, and clients' clocks differ. The largest version id
is no better on PostgreSQL: a sequence hands out ids as inserts start, not as they commit,
so a version whose id is smaller than one the review saw may still commit after it.

That needs the review and the ingests of its article to be serialised, so that the claim
row and the versions ``mark`` reads agree, and an ingest that recomputes the claim reads the
review if it did not see the ingest's versions. SQLite's write lock, taken at BEGIN by both,
does this. On PostgreSQL ``mark`` first locks the claim's article row FOR UPDATE. Storing a
version or a claim checks its foreign key to that row with FOR KEY SHARE, held until the
storing transaction ends, and the two conflict: the review waits for every transaction that
has stored a version of the article, and one that stores a version later waits, at its
foreign-key check, for the review to commit, and reads the article's reviews only after
that. A version whose row was written but whose check was still waiting when the review
took the lock is invisible to the review, and its ingest reads the review once the check
gets through, as if it had started later. The article is locked before the chain, so a
review waiting for an ingest does not hold up reviews of other articles. Left to the
database: a transaction that marks claims of several articles (``import claimreview``) can
deadlock with an ingest storing versions of two of them; PostgreSQL then aborts one of the
two, which leaves nothing half-written and can be run again. This relies on READ COMMITTED,
PostgreSQL's default, which factcheck does not change: each statement after the lock sees
what committed while the review waited.

The hash covers ``seen_version_id`` when it is set, since it decides staleness. Reviews
recorded before schema 0004 have none and were hashed without it, so their hashes still
hold, and a value written into one later breaks it, as does clearing the value of a newer
review.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError, NotFoundError, UsageError
from factcheck.identity import check_page_url
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.timeline import Placed

STATUSES = ("unverified", "verified", "disputed", "false", "misleading", "unproven")
NOTE_REQUIRED = frozenset({"disputed", "false", "misleading"})
GENESIS_HASH = "0" * 64
# Any constant shared by every factcheck process; it names the review chain's lock.
_CHAIN_LOCK_KEY = 0x66616374


@dataclass(frozen=True)
class ReviewView:
    id: int
    claim_id: int
    status: str
    note: str
    sources: list[str]
    reviewer: str
    at: datetime
    version: int | None
    wording: str
    stale: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "claim": self.claim_id,
            "status": self.status,
            "note": self.note,
            "sources": self.sources,
            "reviewer": self.reviewer,
            "at": format_utc(self.at),
            "version": self.version,
            "wording": self.wording,
            "stale": self.stale,
        }


@dataclass(frozen=True)
class AuditResult:
    reviews: int
    # The id of the first review that does not fit the chain, if any.
    broken_at: int | None
    reason: str
    # The hash of the newest review (GENESIS_HASH for none; None when the chain is broken
    # before it): recorded elsewhere, it lets a later ``audit --head`` notice reviews removed
    # from the end of the chain, which leave the rest of it intact.
    head: str | None = GENESIS_HASH
    # The first claim whose status is not what its latest review says, if any.
    claim: int | None = None

    @property
    def ok(self) -> bool:
        return not self.reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reviews": self.reviews,
            "broken_at": self.broken_at,
            "claim": self.claim,
            "head": self.head,
            "reason": self.reason,
        }


def is_stale(review: Any | None, text: str, removed: bool, came_back: bool) -> bool:
    """A verdict is stale when the claim no longer reads as it did when it was reviewed:
    other wording, gone from the latest version since the review (``removed``), or back
    after a gap. A claim whose latest mark is ``unverified`` has no verdict to go stale.

    Values are not compared: they are read from the wording, so the same wording with other
    values means the extractor changed, not the article, and a verdict on that sentence
    still stands. A changed figure always comes with changed wording."""
    if review is None or review.status == "unverified":
        return False
    return removed or came_back or review.wording != text


def latest_reviews(session: Session, claim_ids: Sequence[int]) -> dict[int, Any]:
    """The newest review of each claim that has one."""
    from sqlalchemy import func, select

    from factcheck.store.models import reviews_table

    table = reviews_table
    newest = (
        select(func.max(table.c.id))
        .where(table.c.claim_id.in_(claim_ids))
        .group_by(table.c.claim_id)
        .scalar_subquery()
    )
    rows = session.execute(select(table).where(table.c.id.in_(newest)))
    return {row.claim_id: row for row in rows}


def without_wording(values: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored values without their literal text ("more than 80%"), which is wording, not
    value: what listings and ``--json`` show."""
    return [{k: v for k, v in value.items() if k != "text"} for value in values]


def check_status(status: str) -> str:
    wanted = status.strip().lower()
    if wanted not in STATUSES:
        raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    return wanted


def check_sources(sources: Sequence[str]) -> list[str]:
    """Evidence must be absolute http(s) URLs, so that others can follow it."""
    checked = []
    for source in sources:
        try:
            url = check_page_url(source)
        except ValueError:
            url = ""
        if not url or " " in url:
            raise UsageError(f"source {source!r} is not an http(s) URL")
        checked.append(url)
    return checked


def default_reviewer() -> str:
    """``FACTCHECK_REVIEWER``, else the operating-system user."""
    configured = os.environ.get("FACTCHECK_REVIEWER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def review_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """The chain hash of one review: its predecessor's hash and its own canonical fields."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def chained_fields(row: Any) -> dict[str, Any]:
    """The fields a review's hash covers, from a stored row or the values about to be one."""
    fields = {
        "claim_id": row.claim_id,
        "status": row.status,
        "note": row.note,
        "sources": list(row.sources),
        "reviewer": row.reviewer,
        "created_at": row.created_at.isoformat(),
        "version_id": row.version_id,
        "wording": row.wording,
        "values": list(row.values),
    }
    # Absent rather than null when unset: reviews from before schema 0004 were hashed
    # without the key, and must still verify.
    if row.seen_version_id is not None:
        fields["seen_version_id"] = row.seen_version_id
    return fields


@dataclass(frozen=True)
class _NewReview:
    claim_id: int
    status: str
    note: str
    sources: list[str]
    reviewer: str
    created_at: datetime
    version_id: int | None
    wording: str
    values: list[dict[str, Any]]
    seen_version_id: int


def _lock_chain(session: Session) -> None:
    from factcheck.store.db import serialise

    serialise(session, _CHAIN_LOCK_KEY)


def _lock_article_of(session: Session, claim_id: int) -> None:
    """On PostgreSQL, wait for the transactions storing versions of the claim's article and
    hold off new ones until this one ends (see "What a review saw" above)."""
    from sqlalchemy import select

    from factcheck.store.models import articles_table, claims_table

    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(articles_table.c.id)
            .join(claims_table, claims_table.c.article_id == articles_table.c.id)
            .where(claims_table.c.id == claim_id)
            .with_for_update(of=articles_table)
        )


def mark(
    session: Session,
    claim_id: int,
    status: str,
    *,
    note: str,
    sources: Sequence[str],
    reviewer: str | None,
    version: str | None,
    now: datetime,
) -> ReviewView:
    """Record a verdict on the claim's wording in ``version`` (default: its latest)."""
    from sqlalchemy import insert, select, update

    from factcheck.articles import load_timeline_rows
    from factcheck.store.models import MAX_ID, claims_table, reviews_table
    from factcheck.timeline import build_timeline

    status = check_status(status)
    note = note.strip()
    if status in NOTE_REQUIRED and not note:
        raise UsageError(f"a {status!r} verdict needs a note saying why (--note)")
    checked_sources = check_sources(sources)
    claims, reviews = claims_table, reviews_table
    if not 0 < claim_id <= MAX_ID:
        raise NotFoundError(f"no claim {claim_id}")
    _lock_article_of(session, claim_id)
    claim = session.execute(select(claims).where(claims.c.id == claim_id)).first()
    if claim is None:
        raise NotFoundError(f"no claim {claim_id}")
    placed = build_timeline(load_timeline_rows(session, [claim.article_id])[claim.article_id])
    occurrence = _reviewed_occurrence(session, claim, version, placed)
    _lock_chain(session)
    last = session.execute(select(reviews.c.hash).order_by(reviews.c.id.desc()).limit(1)).scalar()
    prev_hash = last or GENESIS_HASH
    new = _NewReview(
        claim_id=claim_id,
        status=status,
        note=note,
        sources=checked_sources,
        reviewer=(reviewer or "").strip() or default_reviewer(),
        created_at=now,
        version_id=occurrence.version_id if occurrence else None,
        wording=occurrence.text if occurrence else claim.text,
        values=list(occurrence.values) if occurrence else list(claim.values),
        seen_version_id=placed[-1].version.id,
    )
    digest = review_hash(prev_hash, chained_fields(new))
    review_id = session.execute(
        insert(reviews)
        .values(**chained_fields(new) | {"created_at": now}, prev_hash=prev_hash, hash=digest)
        .returning(reviews.c.id)
    ).scalar_one()
    # The verdict is on the claim as it stands now: a removal already shown to the reviewer
    # does not make it stale (a later one will, see ``factcheck.lineage``).
    stale = is_stale(new, claim.text, False, False)
    session.execute(
        update(claims).where(claims.c.id == claim_id).values(status=status, needs_review=stale)
    )
    return ReviewView(
        id=review_id,
        claim_id=claim_id,
        status=status,
        note=note,
        sources=checked_sources,
        reviewer=new.reviewer,
        at=now,
        version=next((p.number for p in placed if p.version.id == new.version_id), None),
        wording=new.wording,
        stale=stale,
    )


def _reviewed_occurrence(
    session: Session, claim: Any, version: str | None, placed: list[Placed[Any]]
) -> Any | None:
    """The occurrence whose wording is reviewed: the one in ``version`` of the article's
    timeline ``placed``, else the claim's latest."""
    from sqlalchemy import select

    from factcheck.store.models import articles_table, occurrences_table
    from factcheck.timeline import select_version

    occurrences = occurrences_table
    rows = {
        row.version_id: row
        for row in session.execute(select(occurrences).where(occurrences.c.claim_id == claim.id))
    }
    if version is None:
        return rows.get(claim.last_version_id) or next(iter(rows.values()), None)
    key = session.execute(
        select(articles_table.c.key).where(articles_table.c.id == claim.article_id)
    ).scalar_one()
    chosen = select_version(placed, version, article=key)
    if chosen.version.id not in rows:
        raise FactcheckError(
            f"claim {claim.id} does not appear in version {chosen.number} of {key}"
        )
    return rows[chosen.version.id]


def audit(session: Session, expected_head: str | None = None) -> AuditResult:
    """Recompute the whole chain in id order and stop at the first review that does not
    fit; then check that each claim's status is the one its latest review gave it, and that
    its row agrees with its latest occurrence and review (``_first_contradiction``).

    ``expected_head`` is a hash (or a prefix of at least 8 hex digits) that an earlier
    audit printed as the head: the chain must still hold it. A chain cut short at its end
    is otherwise intact, so only a head kept elsewhere can reveal it."""
    from sqlalchemy import select

    from factcheck.store.models import claims_table, reviews_table

    if expected_head is not None:
        expected_head = expected_head.strip().lower()
        if len(expected_head) < 8 or any(c not in "0123456789abcdef" for c in expected_head):
            raise UsageError(f"bad --head {expected_head!r}: give 8 or more hex digits")
    table = reviews_table
    expected_prev = GENESIS_HASH
    count = 0
    # The empty chain's head is the genesis hash, held by every chain.
    head_found = expected_head is None or GENESIS_HASH.startswith(expected_head)
    latest_status: dict[int, str] = {}
    latest_wording: dict[int, str] = {}
    for row in session.execute(select(table).order_by(table.c.id)):
        count += 1
        if row.prev_hash != expected_prev:
            return AuditResult(
                count,
                row.id,
                f"review {row.id} does not follow the review before it "
                "(a row was removed or reordered)",
                None,
            )
        if review_hash(row.prev_hash, chained_fields(row)) != row.hash:
            return AuditResult(
                count,
                row.id,
                f"review {row.id} was changed after it was recorded (its hash does not match)",
                None,
            )
        expected_prev = row.hash
        head_found = head_found or row.hash.startswith(expected_head)
        latest_status[row.claim_id] = row.status
        latest_wording[row.claim_id] = row.wording
    if not head_found:
        return AuditResult(
            count,
            None,
            f"the chain no longer holds the head {expected_head}: reviews were removed from "
            "its end, or this is another database",
            expected_prev,
        )
    mismatch = _first_status_mismatch(session, claims_table, latest_status)
    if mismatch is not None:
        claim_id, status = mismatch
        said = latest_status.get(claim_id, "unverified")
        reason = (
            f"claim {claim_id} has reviews but is gone from the claims table"
            if status is None
            else f"claim {claim_id} is marked {status}, but its latest review says {said}"
        )
        return AuditResult(count, None, reason, expected_prev, claim_id)
    contradiction = _first_contradiction(session, latest_status, latest_wording)
    if contradiction is not None:
        claim_id, reason = contradiction
        return AuditResult(count, None, reason, expected_prev, claim_id)
    return AuditResult(count, None, "", expected_prev)


def _first_contradiction(
    session: Session, latest_status: dict[int, str], latest_wording: dict[int, str]
) -> tuple[int, str] | None:
    """The first claim, by id, whose row says what its occurrences and reviews do not: a
    wording or values other than its latest occurrence's, or a verdict given on other
    wording that is not flagged for review. These columns are what listings and the review
    queue show, and only a hand edit makes them disagree."""
    from sqlalchemy import Text, cast, select

    from factcheck.store.models import claims_table, occurrences_table

    claims, occurrences = claims_table, occurrences_table
    rows = session.execute(
        select(
            claims.c.id,
            claims.c.text,
            cast(claims.c["values"], Text),
            claims.c.needs_review,
            occurrences.c.text,
            cast(occurrences.c["values"], Text),
        )
        .join(
            occurrences,
            (occurrences.c.claim_id == claims.c.id)
            & (occurrences.c.version_id == claims.c.last_version_id),
        )
        .order_by(claims.c.id)
    )
    for claim_id, text, values, needs_review, occurrence_text, occurrence_values in rows:
        if text != occurrence_text:
            return claim_id, (
                f"claim {claim_id} reads otherwise than its latest occurrence "
                "(the claims table was edited)"
            )
        # The two JSON texts come from one encoder, so a difference in the text alone is
        # rare; decoding settles it.
        if values != occurrence_values and json.loads(values) != json.loads(occurrence_values):
            return claim_id, (
                f"claim {claim_id}'s values are not those of its latest occurrence "
                "(the claims table was edited)"
            )
        wording = latest_wording.get(claim_id)
        verdict = latest_status.get(claim_id, "unverified") != "unverified"
        if verdict and wording != text and not needs_review:
            return claim_id, (
                f"claim {claim_id}'s verdict was given on other wording, but the claim is not "
                "flagged for review (the claims table was edited)"
            )
    return None


def _first_status_mismatch(
    session: Session, claims: Any, latest_status: dict[int, str]
) -> tuple[int, str | None] | None:
    """The first claim, by id, whose stored status differs from its latest review's
    (``unverified`` without one), with that stored status: None for a reviewed claim that
    is gone."""
    from sqlalchemy import select

    # Only claims marked other than unverified are read: every other claim reads
    # unverified, so it is wrong exactly when its latest review says otherwise.
    marked: dict[int, str] = dict(
        session.execute(
            select(claims.c.id, claims.c.status).where(claims.c.status != "unverified")
        ).all()
    )
    wrong = [
        claim_id
        for claim_id, status in marked.items()
        if latest_status.get(claim_id, "unverified") != status
    ]
    wrong += [
        claim_id
        for claim_id, status in latest_status.items()
        if status != "unverified" and claim_id not in marked
    ]
    if not wrong:
        return None
    first = min(wrong)
    if first in marked:
        return first, marked[first]
    exists = session.execute(select(claims.c.id).where(claims.c.id == first)).scalar()
    return first, "unverified" if exists is not None else None
