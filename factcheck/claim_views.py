"""Read and add claims: listings, one claim's lineage, manual claims and the review queue.

Version numbers shown here are positions in the article's timeline, computed when read
(``factcheck.timeline``), like everywhere else. A claim's lineage names the versions that
lack it as runs (``find_absences``), so "missing from versions 3 to 5" and "missing from
version 3" read differently, and a removed claim says from which version on it is gone.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any, NamedTuple

from factcheck.articles import version_numbers
from factcheck.collector import collector_paused
from factcheck.errors import FactcheckError, NotFoundError
from factcheck.review import (
    ReviewView,
    check_status,
    is_stale,
    latest_reviews,
    without_wording,
)
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


VALUE_CHANGES = ("value_changed", "quantity_added", "quantity_removed")


class ClaimSummary(NamedTuple):
    """One claim as listings show it. A named tuple: a listing builds thousands, and a
    frozen dataclass took several times longer to build."""

    id: int
    article: str
    kind: str
    text: str
    values: list[dict[str, Any]]
    source: str
    status: str
    needs_review: bool
    removed: bool
    reappeared: bool
    first_version: int | None
    last_version: int | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "kind": self.kind,
            "text": self.text,
            "values": self.values,
            "source": self.source,
            "status": self.status,
            "needs_review": self.needs_review,
            "removed": self.removed,
            "reappeared": self.reappeared,
            "first_version": self.first_version,
            "last_version": self.last_version,
        }

    @property
    def flags(self) -> list[str]:
        named = (
            ("needs-review", self.needs_review),
            ("removed", self.removed),
            ("reappeared", self.reappeared),
        )
        return [name for name, on in named if on]


@dataclass(frozen=True)
class OccurrenceView:
    version: int
    updated_at: datetime
    text: str
    values: list[dict[str, Any]]
    change: str
    value_changes: list[list[str]]
    # [old, new] when the source or speaker changed, whatever ``change`` says; None when
    # it did not, or when the row predates schema 0005.
    source_change: list[str] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "updated_at": format_utc(self.updated_at),
            "text": self.text,
            "values": self.values,
            "change": self.change,
            "value_changes": self.value_changes,
            "source_change": self.source_change,
        }


@dataclass(frozen=True)
class Absence:
    """A run of consecutive versions, ``from_version`` to ``to_version`` inclusive, that
    lack a claim which appeared earlier."""

    from_version: int
    to_version: int

    def as_dict(self) -> dict[str, Any]:
        return {"from_version": self.from_version, "to_version": self.to_version}

    def wording(self, *, removal: bool, dash: str = "-") -> str:
        """The run in words, for the terminal and the report alike: "absent from versions
        3-5", or for the run a removal ends on "absent from version 5 to the latest (9)"."""
        first, last = self.from_version, self.to_version
        if removal:
            if first == last:
                return f"absent from the latest version ({last})"
            return f"absent from version {first} to the latest ({last})"
        if first == last:
            return f"absent from version {first}"
        return f"absent from versions {first}{dash}{last}"


def find_absences(present: Sequence[int], latest: int, *, removed: bool) -> list[Absence]:
    """The runs of versions lacking a claim, in version order.

    ``present`` holds the numbers of the versions the claim occurs in, ascending. Each gap
    between two of them is a run; a removed claim adds one from the version after its last
    occurrence to ``latest`` (from version 1 when no occurrence is left). Versions before
    the first occurrence are not absences: the claim did not exist yet.
    """
    runs = [
        Absence(before + 1, after - 1) for before, after in pairwise(present) if after - before > 1
    ]
    # The final run follows the ``removed`` flag, not the version count: a manual claim
    # forced in without a span occurs only in the version it was added to and is tracked
    # nowhere else, so it is not missing from the versions after it.
    if removed:
        start = present[-1] + 1 if present else 1
        if start <= latest:
            runs.append(Absence(start, latest))
    return runs


@dataclass(frozen=True)
class ClaimDetail:
    claim: ClaimSummary
    occurrences: list[OccurrenceView]
    reviews: list[ReviewView]
    absences: list[Absence]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.claim.as_dict(),
            "occurrences": [o.as_dict() for o in self.occurrences],
            "absences": [a.as_dict() for a in self.absences],
            "reviews": [r.as_dict() for r in self.reviews],
        }

    def is_removal(self, absence: Absence) -> bool:
        """Whether ``absence`` is the run a removed claim ends on (``find_absences`` puts it
        last), rather than a gap the claim came back from."""
        return self.claim.removed and bool(self.absences) and absence is self.absences[-1]


@dataclass(frozen=True)
class QueueItem:
    claim: ClaimSummary
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**self.claim.as_dict(), "reasons": self.reasons}


def _summaries(session: Session, rows: Sequence[Any]) -> list[ClaimSummary]:
    """Summaries of rows selected by ``_claims_query``.

    The rows are unpacked by position: reading a dozen attributes of each SQLAlchemy row by
    name took a third of a 10,000-claim listing."""
    numbers = version_numbers(session, list({row[12] for row in rows}))
    decoded: dict[str, list[dict[str, Any]]] = {}
    return [
        # Positional, in ClaimSummary's field order: keywords take twice as long per row.
        ClaimSummary(
            claim_id,
            key,
            kind,
            text,
            _shown_values(values, decoded),
            source,
            status,
            needs_review,
            removed,
            reappeared,
            numbers.get(first_version_id),
            numbers.get(last_version_id),
        )
        for (
            claim_id,
            key,
            kind,
            text,
            source,
            values,
            status,
            needs_review,
            removed,
            reappeared,
            first_version_id,
            last_version_id,
            _article_id,
        ) in rows
    ]


def _shown_values(text: str, decoded: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A claim's values as listings show them (without the literal wording), from their
    JSON text. Each distinct text is decoded and stripped once per listing, since many
    claims share theirs (every attribution and quote has ``[]``); each claim still gets its
    own list of its own dicts, so changing one claim's values never changes another's."""
    values = decoded.get(text)
    if values is None:
        values = decoded[text] = without_wording(json.loads(text))
    return [dict(item) for item in values]


def _claims_query(*conditions: Any) -> Any:
    """The claims matching ``conditions``: the columns ``_summaries`` reads, in its order,
    then the article id; all can be read by name as well. ``values`` is read as JSON text,
    decoded by ``_shown_values``."""
    from sqlalchemy import Text, cast, select

    from factcheck.store.models import articles_table, claims_table

    claims, articles = claims_table, articles_table
    return (
        select(
            claims.c.id,
            articles.c.key,
            claims.c.kind,
            claims.c.text,
            claims.c.source,
            cast(claims.c["values"], Text).label("values"),
            claims.c.status,
            claims.c.needs_review,
            claims.c.removed,
            claims.c.reappeared,
            claims.c.first_version_id,
            claims.c.last_version_id,
            claims.c.article_id,
        )
        .join(articles, articles.c.id == claims.c.article_id)
        .where(*conditions)
    )


# Listings build a row and a summary per claim, all kept until they are rendered.
@collector_paused()
def list_claims(
    session: Session,
    article: str | None = None,
    *,
    status: str | None = None,
    needs_review: bool = False,
    include_removed: bool = False,
) -> list[ClaimSummary]:
    """Claims of an article's latest version, or of every article; filters combine."""
    from factcheck.articles import article_id
    from factcheck.store.models import claims_table

    claims = claims_table
    conditions = []
    if article is not None:
        conditions.append(claims.c.article_id == article_id(session, article))
    if status is not None:
        conditions.append(claims.c.status == check_status(status))
    if needs_review:
        conditions.append(claims.c.needs_review.is_(True))
    if not include_removed and not needs_review:
        conditions.append(claims.c.removed.is_(False))
    query = _claims_query(*conditions).order_by(claims.c.id)
    return _summaries(session, session.execute(query).all())


def _claim_row(session: Session, claim_id: int) -> Any:
    from factcheck.store.models import MAX_ID, claims_table

    row = (
        session.execute(_claims_query(claims_table.c.id == claim_id)).first()
        if 0 < claim_id <= MAX_ID
        else None
    )
    if row is None:
        raise NotFoundError(f"no claim {claim_id} (see `factcheck claims`)")
    return row


def claim_detail(session: Session, claim_id: int) -> ClaimDetail:
    """One claim: its wording in each version, value changes, the versions that lack it,
    and its review history."""
    from sqlalchemy import select

    from factcheck.store.models import occurrences_table, reviews_table, versions_table

    row = _claim_row(session, claim_id)
    (summary,) = _summaries(session, [row])
    numbers = version_numbers(session, [row.article_id])
    occurrences_t, versions_t, reviews_t = (
        occurrences_table,
        versions_table,
        reviews_table,
    )
    occurrences = sorted(
        (
            OccurrenceView(
                version=numbers[o.version_id],
                updated_at=o.updated_at,
                text=o.text,
                values=without_wording(o.values),
                change=o.change,
                value_changes=o.value_changes,
                source_change=o.source_change,
            )
            for o in session.execute(
                select(occurrences_t, versions_t.c.updated_at)
                .join(versions_t, versions_t.c.id == occurrences_t.c.version_id)
                .where(occurrences_t.c.claim_id == claim_id)
            )
        ),
        key=lambda o: o.version,
    )
    reviews = [
        ReviewView(
            id=r.id,
            claim_id=claim_id,
            status=r.status,
            note=r.note,
            sources=list(r.sources),
            reviewer=r.reviewer,
            at=r.created_at,
            version=numbers.get(r.version_id),
            wording=r.wording,
            # The latest verdict is stale exactly when the claim needs review (worked out
            # when the claim was last recomputed or marked). An earlier one, superseded, is
            # judged by ``is_stale`` on the claim as it stands, any removal included.
            stale=row.needs_review
            if latest
            else is_stale(r, row.text, row.removed, row.reappeared),
        )
        for latest, r in _with_last_flag(
            session.execute(
                select(reviews_t).where(reviews_t.c.claim_id == claim_id).order_by(reviews_t.c.id)
            ).all()
        )
    ]
    absences = find_absences(
        [o.version for o in occurrences], max(numbers.values()), removed=row.removed
    )
    return ClaimDetail(summary, occurrences, reviews, absences)


def _with_last_flag(rows: Sequence[Any]) -> list[tuple[bool, Any]]:
    return [(index == len(rows) - 1, row) for index, row in enumerate(rows)]


def add_claim(
    session: Session, key: str, text: str, *, version: str, force: bool, now: datetime
) -> tuple[ClaimSummary, bool]:
    """Track a piece of text the extractor missed; returns the claim and whether it is new.

    The text must occur in the chosen version; ``force`` saves it anyway, with no span.
    Text that is exactly an already-tracked sentence returns that claim instead.
    """
    from sqlalchemy import insert, select

    from factcheck.articles import article_id, timeline

    # The lineage module brings the extractor, whose patterns take ~20 ms to compile:
    # imported here, listings do not pay for it.
    from factcheck.lineage import document_of, find_phrase, refresh_claims
    from factcheck.store.models import claims_table, occurrences_table, versions_table
    from factcheck.timeline import select_version

    wanted = text.strip()
    if not wanted:
        raise FactcheckError("the claim text is empty")
    found_id = article_id(session, key)
    placed = select_version(timeline(session, key), version, article=key)
    versions_t, claims_t, occurrences_t = (
        versions_table,
        claims_table,
        occurrences_table,
    )
    row = session.execute(select(versions_t).where(versions_t.c.id == placed.version.id)).one()
    start = find_phrase(document_of(row.title, row.standfirst, row.body), wanted)
    if start < 0 and not force:
        raise FactcheckError(
            f"that text is not in version {placed.number} of {key}; "
            "check the wording, or use --force to save it as a manual claim with no span"
        )
    if start >= 0:
        same_span = (occurrences_t.c.start == start) & (occurrences_t.c.end == start + len(wanted))
    else:
        # A forced claim has no span: the same words forced again are the same claim.
        same_span = occurrences_t.c.start.is_(None) & (occurrences_t.c.text == wanted)
    existing = session.execute(
        select(occurrences_t.c.claim_id).where(
            occurrences_t.c.version_id == placed.version.id, same_span
        )
    ).scalar()
    if existing is not None:
        return _summaries(session, [_claim_row(session, existing)])[0], False
    claim_id = session.execute(
        insert(claims_t)
        .values(
            article_id=found_id,
            kind="manual",
            text=wanted,
            source="",
            values=[],
            status="unverified",
            needs_review=False,
            removed=False,
            reappeared=False,
            manual=True,
            first_version_id=placed.version.id,
            last_version_id=placed.version.id,
            created_at=now,
        )
        .returning(claims_t.c.id)
    ).scalar_one()
    # The occurrence ties the new id to its span, so the recomputed lineage keeps this id.
    session.execute(
        insert(occurrences_t).values(
            claim_id=claim_id,
            version_id=placed.version.id,
            text=wanted,
            start=start if start >= 0 else None,
            end=start + len(wanted) if start >= 0 else None,
            values=[],
            change="new",
            value_changes=[],
        )
    )
    if start >= 0:
        refresh_claims(session, found_id, key, set(), now)
    return _summaries(session, [_claim_row(session, claim_id)])[0], True


def _source_pair(change: str, source_change: Any, value_changes: Any) -> tuple[str, str] | None:
    """The (old, new) sources of an occurrence whose source changed, else None. Rows written
    before schema 0005 have no ``source_change``; their ``source_changed`` label kept the pair
    in ``value_changes``."""
    if source_change is not None:
        return source_change[0], source_change[1]
    if change == "source_changed" and value_changes:
        return value_changes[0][0], value_changes[0][1]
    return None


def _changes_since_verdicts(session: Session, rows: Sequence[Any]) -> dict[int, tuple[bool, bool]]:
    """For claims whose verdict is stale: whether their values, and whether their source,
    changed since the wording that was reviewed (not only in the latest version: a later
    edit elsewhere in the sentence must not hide a figure changed before it). Both compare
    the two ends, so 80% -> 85% -> 80%, or a source changed and changed back, is no change."""
    from sqlalchemy import select

    from factcheck.store.models import occurrences_table

    if not rows:
        return {}
    occurrences = occurrences_table
    ids = [row.id for row in rows]
    reviewed = {
        claim_id: review.version_id for claim_id, review in latest_reviews(session, ids).items()
    }
    numbers = version_numbers(session, list({row.article_id for row in rows}))
    lineages: dict[int, list[Any]] = {}
    for occurrence in session.execute(
        select(
            occurrences.c.claim_id,
            occurrences.c.version_id,
            occurrences.c["values"],
            occurrences.c.change,
            occurrences.c.value_changes,
            occurrences.c.source_change,
        ).where(occurrences.c.claim_id.in_(ids))
    ):
        lineages.setdefault(occurrence.claim_id, []).append(occurrence)
    changed = {}
    for claim_id, found in lineages.items():
        found.sort(key=lambda o: numbers[o.version_id])
        seen = numbers.get(reviewed.get(claim_id, -1), 0)
        before = [o for o in found if numbers[o.version_id] <= seen]
        after = found[len(before) :]
        values_changed = bool(before) and without_wording(before[-1].values) != without_wording(
            found[-1].values
        )
        changed[claim_id] = (values_changed, _source_moved(after))
    return changed


def _source_moved(occurrences: Sequence[Any]) -> bool:
    """Whether the source at the end of ``occurrences`` names someone other than the one
    before their first change of source."""
    found = (_source_pair(o.change, o.source_change, o.value_changes) for o in occurrences)
    pairs = [pair for pair in found if pair is not None]
    if not pairs:
        return False
    # Imported only here: the tracker brings the extractor's patterns (~20 ms to compile).
    from factcheck.claims.track import other_source

    return other_source(pairs[0][0], pairs[-1][1])


@collector_paused()
def review_queue(session: Session) -> list[QueueItem]:
    """What needs a human, most urgent first: stale verdicts, changed values or sources,
    reappeared claims, then claims nobody has reviewed yet."""
    from sqlalchemy import or_, select

    from factcheck.store.models import claims_table, occurrences_table

    claims, occurrences = claims_table, occurrences_table
    wanted = or_(
        claims.c.needs_review.is_(True),
        claims.c.reappeared.is_(True),
        (claims.c.status == "unverified") & claims.c.removed.is_(False),
    )
    rows = session.execute(_claims_query(wanted).order_by(claims.c.id)).all()
    changed = _changes_since_verdicts(session, [row for row in rows if row.needs_review])
    # Without a standing verdict: what changed in the latest version the claim appears in.
    found = session.execute(
        select(
            occurrences.c.claim_id,
            occurrences.c.change,
            occurrences.c.value_changes,
            occurrences.c.source_change,
        )
        .join(
            claims,
            (claims.c.id == occurrences.c.claim_id)
            & (claims.c.last_version_id == occurrences.c.version_id),
        )
        .where(
            occurrences.c.claim_id.in_([row.id for row in rows if not row.needs_review]),
            or_(
                occurrences.c.change.in_((*VALUE_CHANGES, "source_changed")),
                occurrences.c.source_change.is_not(None),
            ),
        )
    ).all()
    for claim_id, change, value_changes, source_change in found:
        pair = _source_pair(change, source_change, value_changes)
        changed[claim_id] = (change in VALUE_CHANGES, pair is not None)
    items = []
    for summary in _summaries(session, rows):
        reasons = []
        if summary.needs_review:
            reasons.append("stale verdict")
        values_changed, source_changed = changed.get(summary.id, (False, False))
        if values_changed:
            reasons.append("value changed")
        if source_changed:
            reasons.append("source changed")
        if summary.reappeared:
            reasons.append("reappeared")
        # No verdict stands: never reviewed, or a verdict withdrawn by marking it
        # unverified again. Every claim the query picked has at least one reason.
        if summary.status == "unverified" and not summary.removed:
            reasons.append("unreviewed")
        items.append(QueueItem(summary, reasons))
    urgency = {
        "stale verdict": 0,
        "value changed": 1,
        "source changed": 1,
        "reappeared": 2,
        "unreviewed": 3,
    }
    return sorted(items, key=lambda item: (min(urgency[r] for r in item.reasons), item.claim.id))
