"""Keep an article's claims in step with its timeline.

``refresh_claims`` recomputes the claims of an article from scratch, in timeline order:
extract the claims of every version (``factcheck.claims.extract``), link them across versions
(``factcheck.claims.track.build_lineages``), then map the recomputed lineages onto the stored
claim ids (``assign_ids``) so that an id, once shown, keeps meaning the same claim. Because
the result depends only on the timeline, a version that arrives out of order leaves the same
lineage as one that arrived in order.

``ClaimBatch`` does the same for many articles (an ingest run's), writing their new claims
and occurrence rows in a few statements instead of two per article.

Occurrence rows are a derived index of the versions and are rewritten for the article on
each refresh; claim rows are updated in place and never deleted (a claim that loses all its
occurrences stays, marked removed). Reviews are never touched here; only the ``needs_review``
flag, which compares the latest review's wording and values with the claim as it reads in
the latest version, is recomputed.

A manual claim (``claim add``) is a piece of text the extractor did not pick. It occurs in
every version whose document contains its exact words, and only there: it is not matched by
similarity, because its words usually lie inside an extracted sentence, which would match it
as well as its own next wording does and could be handed its lineage (and its verdict).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from factcheck.article import PARAGRAPH_SEPARATOR, ParsedArticle
from factcheck.claims.extract import ExtractedClaim, Quantity, extract_claims
from factcheck.claims.track import (
    Change,
    IdAssignment,
    Lineage,
    Occurrence,
    SpanKey,
    assign_ids,
    build_lineages,
    classify_change,
    keep_ids_by_span,
    lineage_keys,
)
from factcheck.review import is_stale, latest_reviews
from factcheck.timeline import build_timeline

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.store.db import BulkInsert

OccurrenceKey = SpanKey  # (version id, start, end): stable across re-ordering


@dataclass(frozen=True)
class ClaimEvent:
    """Something a fact-checker should hear about after an ingest."""

    claim_id: int
    article: str
    event: str  # "new", "changed", "removed", "reappeared" or "stale"
    text: str
    detail: str = ""
    # The new version that brought the event; None for a stale verdict or a claim left
    # without a lineage, which are about the article as it now reads.
    version_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim_id,
            "event": self.event,
            "text": self.text,
            "detail": self.detail,
        }


@dataclass
class ClaimReport:
    events: list[ClaimEvent] = field(default_factory=list)

    def count(self, event: str) -> int:
        """How many claims had the event: a claim changed in two new versions counts once,
        as it takes one line of the report."""
        return count_claims(self.events, event)


def count_claims(events: Sequence[ClaimEvent], event: str) -> int:
    return len({item.claim_id for item in events if item.event == event})


@dataclass(frozen=True)
class _VersionText:
    id: int
    document: str


@dataclass(frozen=True)
class KnownTimeline:
    """What a caller already holds of an article, so ``refresh_claims`` need not read it
    again: the ids of its versions in timeline order, the documents of some of them (by
    version id), and whether the article is new to the database, with no claims yet."""

    version_ids: Sequence[int]
    documents: Mapping[int, str]
    new_article: bool = False


def quantity_from_dict(values: dict[str, Any]) -> Quantity:
    return Quantity(
        value=values["value"],
        unit=str(values.get("unit", "")),
        qualifier=str(values.get("qualifier", "")),
        upper=values.get("upper"),
        text=str(values.get("text", "")),
    )


def values_as_dicts(values: Sequence[Quantity]) -> list[dict[str, object]]:
    """Stored values: the normalised fields plus the literal text, for "80% -> 85%"."""
    return [{**quantity.as_dict(), "text": quantity.text} for quantity in values]


def document_of(title: str, standfirst: str, body: str) -> str:
    return ParsedArticle(
        title=title, standfirst=standfirst, body=tuple(body.split(PARAGRAPH_SEPARATOR))
    ).document


def find_phrase(document: str, phrase: str) -> int:
    """Where ``phrase`` first occurs in ``document`` as whole words, or -1: a match may not
    begin or end inside a word, so "x" is not found in "next" nor "80" in "1980"."""
    start = document.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        glued_before = start > 0 and document[start - 1].isalnum() and phrase[0].isalnum()
        glued_after = end < len(document) and document[end].isalnum() and phrase[-1].isalnum()
        if not glued_before and not glued_after:
            return start
        start = document.find(phrase, start + 1)
    return -1


def _manual_claims(document: str, manual: Sequence[Any]) -> list[tuple[int, ExtractedClaim]]:
    """The manual claims found in ``document``, each with its index in ``manual``."""
    found = []
    for index, claim in enumerate(manual):
        start = find_phrase(document, claim.text)
        if start >= 0:
            paragraph = document.count(PARAGRAPH_SEPARATOR, 0, start)
            found.append(
                (
                    index,
                    ExtractedClaim(
                        kind="manual",
                        text=claim.text,
                        start=start,
                        end=start + len(claim.text),
                        paragraph=paragraph,
                        values=tuple(quantity_from_dict(v) for v in claim.values),
                        source=claim.source,
                    ),
                )
            )
    return found


def _load_versions(
    session: Session, article_id: int, known: KnownTimeline | None
) -> list[_VersionText]:
    """The article's versions in timeline order, with their documents; only the documents
    ``known`` lacks are read."""
    from sqlalchemy import select

    from factcheck.store.models import versions_table

    table = versions_table
    if known is not None:
        documents = dict(known.documents)
        if any(version_id not in documents for version_id in known.version_ids):
            rows = session.execute(
                select(table.c.id, table.c.title, table.c.standfirst, table.c.body).where(
                    table.c.article_id == article_id
                )
            ).all()
            for row in rows:
                documents.setdefault(row.id, document_of(row.title, row.standfirst, row.body))
        return [_VersionText(version_id, documents[version_id]) for version_id in known.version_ids]
    timed = session.execute(
        select(
            table.c.id,
            table.c.updated_at,
            table.c.captured_at,
            table.c.published_at,
            table.c.content_hash,
            table.c.title,
            table.c.standfirst,
            table.c.body,
        ).where(table.c.article_id == article_id)
    ).all()
    ordered = [placed.version for placed in build_timeline(timed)]
    return [
        _VersionText(row.id, document_of(row.title, row.standfirst, row.body)) for row in ordered
    ]


def _position(versions: Sequence[_VersionText], version_id: int | None) -> int:
    for index, version in enumerate(versions):
        if version.id == version_id:
            return index
    return -1


def _stale_detail(review: Any, text: str, removed: bool, came_back: bool = False) -> str:
    if removed:
        return f"{review.status} verdict: claim removed from the latest version"
    if came_back and review.wording == text:
        return f"{review.status} verdict: the claim was removed and came back since"
    return f"{review.status} verdict was on: {review.wording}"


_EVENTS = {
    "new": "new",
    "reworded": "changed",
    "source_changed": "changed",
    "value_changed": "changed",
    "quantity_added": "changed",
    "quantity_removed": "changed",
    "reappeared": "reappeared",
}


def _timeline_lineages(
    versions: Sequence[_VersionText], manual: Sequence[Any]
) -> tuple[list[list[ExtractedClaim]], list[Lineage]]:
    """Every version's claims, in document order, and their lineages (see the module
    docstring for how manual claims are followed)."""
    extracted = [extract_claims(version.document) for version in versions]
    lineages = build_lineages(extracted)
    if not manual:
        return extracted, lineages
    timeline: list[list[ExtractedClaim]] = []
    # Per version: where each extracted claim, and each manual claim found, lands in the
    # merged list.
    extracted_at: list[list[int]] = []
    manual_at: list[dict[int, int]] = []
    for version, claims in zip(versions, extracted, strict=True):
        spans = {(claim.start, claim.end) for claim in claims}
        # Words the extractor picked as a whole sentence are that sentence's claim already.
        found = [
            (index, claim)
            for index, claim in _manual_claims(version.document, manual)
            if (claim.start, claim.end) not in spans
        ]
        tagged = sorted(
            [
                *((claim, ("extracted", k)) for k, claim in enumerate(claims)),
                *((claim, ("manual", index)) for index, claim in found),
            ],
            key=lambda item: (item[0].start, item[0].end),
        )
        timeline.append([claim for claim, _ in tagged])
        places = {tag: position for position, (_, tag) in enumerate(tagged)}
        extracted_at.append([places["extracted", k] for k in range(len(claims))])
        manual_at.append({index: places["manual", index] for index, _ in found})
    merged = [
        Lineage(
            tuple(o._replace(claim=extracted_at[o.version][o.claim]) for o in lineage.occurrences),
            lineage.removed_from,
        )
        for lineage in lineages
    ]
    for index in range(len(manual)):
        occurrences: list[Occurrence] = []
        for v, found_at in enumerate(manual_at):
            if index in found_at:
                if not occurrences:
                    change: Change = "new"
                elif occurrences[-1].version == v - 1:
                    change = "same"
                else:
                    change = "reappeared"
                occurrences.append(Occurrence(v, found_at[index], change))
        if occurrences:
            last = occurrences[-1].version
            removed_from = last + 1 if last + 1 < len(versions) else None
            merged.append(Lineage(tuple(occurrences), removed_from))
    merged.sort(key=lambda lineage: (lineage.occurrences[0].version, lineage.occurrences[0].claim))
    return timeline, merged


def _ingested_at(session: Session, article_id: int) -> dict[int, datetime]:
    """When the ingest run that stored each version of the article started, by version id:
    what a review from before schema 0004, which did not record what it saw, is judged by."""
    from sqlalchemy import select

    from factcheck.store.models import versions_table

    table = versions_table
    rows = session.execute(
        select(table.c.id, table.c.ingested_at).where(table.c.article_id == article_id)
    )
    return {row.id: row.ingested_at for row in rows}


def _stored_keys(
    session: Session, claim_ids: Sequence[int]
) -> tuple[dict[int, set[OccurrenceKey]], set[int]]:
    """Each stored claim's occurrence keys, and the claims with a span-less occurrence
    (manual claims whose text is in no version), which take no part in re-linking."""
    from sqlalchemy import select

    from factcheck.store.models import occurrences_table

    table = occurrences_table
    keys: dict[int, set[OccurrenceKey]] = {claim_id: set() for claim_id in claim_ids}
    spanless: set[int] = set()
    rows = session.execute(
        select(table.c.claim_id, table.c.version_id, table.c.start, table.c.end).where(
            table.c.claim_id.in_(claim_ids)
        )
    ).all()
    for row in rows:
        if row.start is None:
            spanless.add(row.claim_id)
        else:
            keys[row.claim_id].add((row.version_id, row.start, row.end))
    for claim_id in spanless:
        keys.pop(claim_id)
    return keys, spanless


def refresh_claims(
    session: Session,
    article_id: int,
    article_key: str,
    new_version_ids: set[int],
    now: datetime,
    known: KnownTimeline | None = None,
) -> ClaimReport:
    """Recompute the article's claims; report what the versions in ``new_version_ids`` did.

    ``known`` spares reading what the caller holds already (an ingest run has just ordered
    the timeline and parsed its new versions)."""
    batch = ClaimBatch(session, now)
    batch.add(article_id, article_key, new_version_ids, known)
    return batch.finish()[article_id]


@dataclass
class _Refreshed:
    """One article's recomputed claims, waiting for the ids of its new claims."""

    article_key: str
    new_version_ids: set[int]
    versions: list[_VersionText]
    timeline: list[list[ExtractedClaim]]
    lineages: list[Lineage]
    fields: list[dict[str, Any]]
    claim_ids: list[int | None]  # None for a lineage that needs a fresh claim
    stale: list[ClaimEvent | None]  # the stale-verdict event of each lineage, if any
    orphan_events: list[ClaimEvent]  # stored claims no lineage kept: removed, maybe stale


class ClaimBatch:
    """``refresh_claims`` for many articles, with the new claims and occurrence rows of all
    of them written in a few statements.

    An ingest run refreshes every article it touched. One insert per article for new
    claims and another for occurrences meant two round trips per article (a thousand
    articles, two thousand statements; on a networked PostgreSQL each costs a round trip).
    ``add`` recomputes an article and applies its updates and deletions at once (each
    article's reads concern only its own rows, so later articles are unaffected);
    inserts wait until ``finish``, or until enough occurrence rows are pending to bound the
    memory held. Each article's events follow its lineages in order, a stale verdict
    before the lineage's other events.
    """

    # Pending occurrence rows past which ``add`` writes what it holds.
    MAX_PENDING_ROWS = 50_000

    def __init__(self, session: Session, now: datetime) -> None:
        self.session = session
        self.now = now
        self._pending: list[tuple[int, _Refreshed]] = []
        self._pending_rows = 0
        self._reports: dict[int, ClaimReport] = {}

    def add(
        self,
        article_id: int,
        article_key: str,
        new_version_ids: set[int],
        known: KnownTimeline | None = None,
    ) -> None:
        """Recompute one article's claims (see ``refresh_claims``)."""
        refreshed = self._recompute(article_id, article_key, new_version_ids, known)
        self._pending.append((article_id, refreshed))
        self._pending_rows += sum(len(lineage.occurrences) for lineage in refreshed.lineages)
        if self._pending_rows >= self.MAX_PENDING_ROWS:
            self._write_pending()

    def finish(self) -> dict[int, ClaimReport]:
        """Write what is pending; the report of every article added, by article id."""
        self._write_pending()
        return self._reports

    def _recompute(
        self,
        article_id: int,
        article_key: str,
        new_version_ids: set[int],
        known: KnownTimeline | None,
    ) -> _Refreshed:
        from sqlalchemy import bindparam, delete, select, update

        from factcheck.store.models import claims_table, occurrences_table

        session = self.session
        claims_t, occurrences_t = claims_table, occurrences_table
        versions = _load_versions(session, article_id, known)
        stored = (
            {}
            if known is not None and known.new_article
            else {
                row.id: row
                for row in session.execute(
                    select(claims_t).where(claims_t.c.article_id == article_id)
                ).all()
            }
        )
        timeline, lineages = _timeline_lineages(
            versions, [row for row in stored.values() if row.manual]
        )
        # An article without stored claims (every article of a first bulk ingest) has no
        # occurrences or reviews either: its refresh skips the queries for them, and every
        # lineage gets a fresh id.
        if stored:
            keys = [
                [(version.id, claim.start, claim.end) for claim in claims]
                for version, claims in zip(versions, timeline, strict=True)
            ]
            previous, spanless = _stored_keys(session, list(stored))
            reviews = latest_reviews(session, list(stored))
            standing = {claim_id for claim_id, r in reviews.items() if r.status != "unverified"}
            # Only reviews from before schema 0004 are judged by the clock.
            clock_judged = any(r.seen_version_id is None for r in reviews.values())
            ingested = _ingested_at(session, article_id) if clock_judged else {}
            keyed = lineage_keys(lineages, keys)
            assignment = keep_ids_by_span(
                assign_ids(keyed, previous, standing), keyed, previous, standing
            )
        else:
            spanless, reviews, ingested = set(), {}, {}
            assignment = IdAssignment(ids=(None,) * len(lineages), unassigned=())

        fields = [_claim_fields(lineage, timeline, versions) for lineage in lineages]
        stale: list[ClaimEvent | None] = [None] * len(lineages)
        changed_rows: list[dict[str, Any]] = []
        for index, (lineage, kept_id, row) in enumerate(
            zip(lineages, assignment.ids, fields, strict=True)
        ):
            if kept_id is None:
                continue
            review = reviews.get(kept_id)
            reviewed_at = _position(versions, review.version_id) if review else -1
            came_back = any(
                o.change == "reappeared" and o.version > reviewed_at for o in lineage.occurrences
            )
            # A removal stales a verdict only when the claim was still in the latest version
            # when the verdict was given: when every version that lacks it came in after the
            # verdict. A reviewer may well judge a claim already gone, and a version that
            # arrives late and lacks it does not change what the reviewer saw. The versions
            # that came in after a review are those placed after the latest one it saw
            # (``factcheck.review``); a review from before schema 0004 did not record that
            # one, and the clock decides for it.
            removed_since = (
                review is not None
                and lineage.removed_from is not None
                and (
                    _position(versions, review.seen_version_id) < lineage.removed_from
                    if review.seen_version_id is not None
                    else min(ingested[v.id] for v in versions[lineage.removed_from :])
                    > review.created_at
                )
            )
            row["needs_review"] = is_stale(review, row["text"], removed_since, came_back)
            before = stored[kept_id]
            if any(getattr(before, name) != value for name, value in row.items()):
                changed_rows.append({"id": kept_id, **row})
            if row["needs_review"] and not before.needs_review:
                detail = _stale_detail(review, row["text"], row["removed"], came_back)
                stale[index] = ClaimEvent(kept_id, article_key, "stale", row["text"], detail)
        orphan_events: list[ClaimEvent] = []
        for orphan in assignment.unassigned:
            # A stored claim no lineage kept: its sentences now belong to another claim, or
            # to none. It stays, removed; a verdict on it is stale, and both are reported.
            before = stored[orphan]
            if before.removed and not before.reappeared:
                continue
            orphan_row: dict[str, Any] = {"id": orphan, "removed": True, "reappeared": False}
            review = reviews.get(orphan)
            if review is not None and review.status != "unverified":
                orphan_row["needs_review"] = True
                if not before.needs_review:
                    detail = _stale_detail(review, before.text, removed=True)
                    orphan_events.append(
                        ClaimEvent(orphan, article_key, "stale", before.text, detail)
                    )
            orphan_events.append(ClaimEvent(orphan, article_key, "removed", before.text))
            changed_rows.append(orphan_row)
        for group in _same_columns(changed_rows):
            # Bound names differ from column names, which SQLAlchemy reserves for SET.
            columns: dict[str, Any] = {
                name: bindparam(f"new_{name}") for name in group[0] if name != "id"
            }
            session.execute(
                update(claims_t).where(claims_t.c.id == bindparam("new_id")).values(columns),
                [{f"new_{name}": value for name, value in row.items()} for row in group],
            )
        relinked = [claim_id for claim_id in stored if claim_id not in spanless]
        if relinked:
            # The rewritten occurrences are inserted later, by ``_write_pending``.
            session.execute(delete(occurrences_t).where(occurrences_t.c.claim_id.in_(relinked)))
        return _Refreshed(
            article_key,
            new_version_ids,
            versions,
            timeline,
            lineages,
            fields,
            list(assignment.ids),
            stale,
            orphan_events,
        )

    def _write_pending(self) -> None:
        """Insert the new claims of every pending article, then all their occurrences."""
        pending, self._pending, self._pending_rows = self._pending, [], 0
        # One encoder for the claims and their occurrences: a new claim's values are those
        # of its latest occurrence, encoded once for both.
        encoded = _EncodedValues()
        fresh_rows = [
            {
                **refreshed.fields[index],
                "values": encoded.values(_latest_claim(lineage, refreshed.timeline).values),
                "article_id": article_id,
                "status": "unverified",
                "needs_review": False,
                "manual": False,
                "created_at": self.now,
            }
            for article_id, refreshed in pending
            for index, (lineage, claim_id) in enumerate(
                zip(refreshed.lineages, refreshed.claim_ids, strict=True)
            )
            if claim_id is None
        ]
        created = iter(_insert_claims(self.session, fresh_rows))
        occurrence_rows: list[tuple[Any, ...]] = []
        for article_id, refreshed in pending:
            report = self._reports[article_id] = ClaimReport()
            timeline, versions = refreshed.timeline, refreshed.versions
            compared = _compared_positions(versions, refreshed.new_version_ids)
            report.events.extend(refreshed.orphan_events)
            for lineage, kept_id, stale in zip(
                refreshed.lineages, refreshed.claim_ids, refreshed.stale, strict=True
            ):
                claim_id = next(created) if kept_id is None else kept_id
                if stale is not None:
                    report.events.append(stale)
                report.events.extend(
                    _occurrence_events(
                        lineage,
                        timeline,
                        versions,
                        claim_id,
                        refreshed.article_key,
                        compared,
                        refreshed.new_version_ids,
                        fresh=kept_id is None,
                    )
                )
                occurrence_rows.extend(
                    _occurrence_rows(lineage, timeline, versions, claim_id, encoded)
                )
        _bulk_inserts()[1].execute(self.session, occurrence_rows)


def _insert_claims(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert new claim rows, whose ``values`` are JSON text already; return their ids, in
    the order of the rows."""
    ordered = [tuple(row[name] for name in _CLAIM_COLUMNS) for row in rows]
    return _bulk_inserts()[0].execute_numbered(session, ordered)


_CLAIM_COLUMNS = (
    "article_id",
    "kind",
    "text",
    "source",
    "values",
    "status",
    "needs_review",
    "removed",
    "reappeared",
    "manual",
    "first_version_id",
    "last_version_id",
    "created_at",
)
_OCCURRENCE_COLUMNS = (
    "claim_id",
    "version_id",
    "text",
    "start",
    "end",
    "values",
    "change",
    "value_changes",
    "source_change",
)


@cache
def _bulk_inserts() -> tuple[BulkInsert, BulkInsert]:
    """The inserts of new claims and of occurrence rows, built on first use so that
    importing this module does not load the table models."""
    from factcheck.store.db import BulkInsert
    from factcheck.store.models import claims_table, occurrences_table

    return (
        BulkInsert(claims_table, _CLAIM_COLUMNS),
        BulkInsert(occurrences_table, _OCCURRENCE_COLUMNS),
    )


def _same_columns(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by their key sets, so each group is one executemany."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _latest_claim(lineage: Lineage, timeline: Sequence[Sequence[ExtractedClaim]]) -> ExtractedClaim:
    last = lineage.occurrences[-1]
    return timeline[last.version][last.claim]


def _claim_fields(
    lineage: Lineage,
    timeline: Sequence[Sequence[ExtractedClaim]],
    versions: Sequence[_VersionText],
) -> dict[str, Any]:
    """A claim row's derived columns: how the claim reads in its latest occurrence."""
    last = lineage.occurrences[-1]
    claim = _latest_claim(lineage, timeline)
    removed = lineage.removed_from is not None
    return {
        "kind": claim.kind,
        "text": claim.text,
        "source": claim.source,
        "values": values_as_dicts(claim.values),
        "removed": removed,
        "reappeared": not removed and any(o.change == "reappeared" for o in lineage.occurrences),
        "first_version_id": versions[lineage.occurrences[0].version].id,
        "last_version_id": versions[last.version].id,
    }


class _EncodedValues:
    """The JSON text of occurrence values, each distinct value encoded once per refresh.

    An article's occurrence rows repeat a few values many times over (a claim keeps its
    figures across most versions), and building and encoding them row by row took about a
    third of the time spent writing the rows. Claim values are looked up by the identity of
    their tuple, not by equality: ``1`` and ``1.0`` are equal but encode differently, and
    the extraction caches hand the same tuple to every version that repeats a sentence. The
    pending timelines hold every tuple while the encoder lives, so no id is reused while it
    is a key.
    """

    def __init__(self) -> None:
        self._values: dict[int, str] = {}
        self._changes: dict[tuple[tuple[str, str], ...], str] = {}

    def values(self, values: tuple[Quantity, ...]) -> str:
        text = self._values.get(id(values))
        if text is None:
            text = self._values[id(values)] = json.dumps(values_as_dicts(values))
        return text

    def changes(self, pairs: tuple[tuple[str, str], ...]) -> str:
        text = self._changes.get(pairs)
        if text is None:
            text = self._changes[pairs] = json.dumps([list(pair) for pair in pairs])
        return text


def _occurrence_rows(
    lineage: Lineage,
    timeline: Sequence[Sequence[ExtractedClaim]],
    versions: Sequence[_VersionText],
    claim_id: int,
    encoded: _EncodedValues,
) -> list[tuple[Any, ...]]:
    """The lineage's occurrence rows, in the order of ``_OCCURRENCE_COLUMNS``."""
    rows = []
    for occurrence in lineage.occurrences:
        found = timeline[occurrence.version][occurrence.claim]
        rows.append(
            (
                claim_id,
                versions[occurrence.version].id,
                found.text,
                found.start,
                found.end,
                encoded.values(found.values),
                occurrence.change,
                encoded.changes(occurrence.value_changes),
                None if occurrence.source_change is None else json.dumps(occurrence.source_change),
            )
        )
    return rows


def _compared_positions(
    versions: Sequence[_VersionText], new_version_ids: set[int]
) -> dict[int, int]:
    """The timeline positions whose occurrences a run reports, each with the id of the new
    version that brought its events: each new version, and the version after it, whose
    changes are now measured against the new one (a version that arrived late sits between
    two that were there before)."""
    positions: dict[int, int] = {}
    for position, version in enumerate(versions):
        if version.id in new_version_ids:
            positions[position] = version.id
            positions.setdefault(position + 1, version.id)
    return positions


def _change_detail(
    change: str, pairs: Sequence[tuple[str, str]], sources: tuple[str, str] | None
) -> str:
    """How an ingest line words a change: the value pairs, then "source: ..." when the
    source changed too, else the label; nothing for a sentence that came back word for
    word."""
    if change == "same":
        return ""
    if change == "source_changed":
        pairs = ()
    parts = [", ".join(f"{old or '-'} -> {new or '-'}" for old, new in pairs)] if pairs else []
    if sources is not None:
        parts.append(f"source: {sources[0]} -> {sources[1]}")
    return "; ".join(parts) or change


def _removal_known(
    present: AbstractSet[int],
    position: int,
    versions: Sequence[_VersionText],
    new_version_ids: AbstractSet[int],
) -> bool:
    """Whether the claim's absence from the version at ``position`` continues a removal
    that was already reported before this run: among the versions stored before it, the
    claim was in the last one before ``position`` and missing from the first one at or
    after it. A late version, with the claim or without it, then only moves the start of
    that removal; the removal is news when the claim is new, or when no earlier version
    lacked it."""
    before = position - 1
    while before >= 0 and versions[before].id in new_version_ids:
        before -= 1
    if before < 0 or before not in present:
        return False
    after = position
    while after < len(versions) and versions[after].id in new_version_ids:
        after += 1
    return after < len(versions) and after not in present


def _occurrence_events(
    lineage: Lineage,
    timeline: Sequence[Sequence[ExtractedClaim]],
    versions: Sequence[_VersionText],
    claim_id: int,
    article_key: str,
    compared: Mapping[int, int],
    new_version_ids: AbstractSet[int],
    *,
    fresh: bool,
) -> list[ClaimEvent]:
    """The lineage's events at the ``compared`` positions (``_compared_positions``). Only a
    claim with a fresh id is new: one that kept its id was known, and a version that came
    in late has only moved its first occurrence earlier. Likewise a removal is reported
    only when it is news (``_removal_known``)."""
    present = {occurrence.version for occurrence in lineage.occurrences}

    def removal_news(position: int) -> bool:
        return not _removal_known(present, position, versions, new_version_ids)

    events = []
    previous: Occurrence | None = None
    for occurrence in lineage.occurrences:
        before_gap = None if previous is None else timeline[previous.version][previous.claim]
        if occurrence.change == "reappeared" and previous is not None:
            # The claim was gone from the version after ``previous`` until now: that gap's
            # start is a removal, reported when a new version brought it.
            gone = compared.get(previous.version + 1)
            if gone is not None and removal_news(previous.version + 1):
                text = timeline[previous.version][previous.claim].text
                events.append(ClaimEvent(claim_id, article_key, "removed", text, "", gone))
        previous = occurrence
        event = _EVENTS.get(occurrence.change)
        brought_by = compared.get(occurrence.version)
        if event is None or brought_by is None or (event == "new" and not fresh):
            continue
        found = timeline[occurrence.version][occurrence.claim]
        if occurrence.change == "reappeared" and before_gap is not None:
            # How it came back, against its wording before the gap: the occurrence's label
            # only says that it came back.
            detail = _change_detail(*classify_change(before_gap, found))
        else:
            detail = _change_detail(
                occurrence.change, occurrence.value_changes, occurrence.source_change
            )
        events.append(ClaimEvent(claim_id, article_key, event, found.text, detail, brought_by))
    removed_from = lineage.removed_from
    if removed_from is not None and removed_from in compared and removal_news(removed_from):
        text = _latest_claim(lineage, timeline).text
        events.append(
            ClaimEvent(claim_id, article_key, "removed", text, "", compared[removed_from])
        )
    return events
