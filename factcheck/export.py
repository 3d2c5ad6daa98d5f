"""Exports and imports: claims as CSV or JSON, verdicts as ClaimReview JSON-LD and back.

Services: each function takes an open session and returns plain values or text; the CLI
writes them out. The markup itself is built and read by ``factcheck.claimreview`` (pure).

CSV and JSON (``export_rows``)
------------------------------
One row per claim, removed claims included, in claim id order, with the columns of
``COLUMNS`` (documented in docs/export.md). CSV is UTF-8 with a byte-order mark and CRLF
line ends, so spreadsheets detect the encoding; any cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows
it as text instead of running it as a formula (CSV injection).

ClaimReview export (``export_claimreviews``)
--------------------------------------------
One ClaimReview per claim for its latest verdict, on the wording and in the version that
verdict was given on. Claims whose status is ``unverified`` (never reviewed, or last marked
unverified) are left out unless ``include_unverified``.

ClaimReview import (``import_claimreviews``)
--------------------------------------------
Each ClaimReview found in the document is matched to tracked claims by its
``claimReviewed`` text: equal after ``normalise_claim_text``, against each claim's current
text and every wording it had in any version. When the review names where the claim
appeared and that URL is one of our articles' URLs, matches in that article win. Then:

- a match with a rating we understand becomes a review event on each matched claim, through
  ``factcheck.review.mark`` (so it joins the hash chain): the status from the rating, the
  time from ``datePublished``, the reviewer is the publishing organisation, the note is
  ``reviewBody``, the sources are the ``citation`` URLs, the version is the one whose
  wording matched (the one whose Last Update equals the appearance's date when several do,
  else the newest). Like any mark it becomes the claim's current status. Matched reviews
  of one file are recorded oldest first;
- a match whose rating cannot be understood, or no match at all, is kept as published in
  ``external_reviews``;
- an "Unverified" rating with no date on a matched claim is no verdict, and is skipped.

Importing the same review again changes nothing: a claim that already has a review with
the same status, note and time (to the second; or the same reviewer, for an undated one) is
left alone, and an external review equal in text, URL, date, author and rating is not
stored twice.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from factcheck.claimreview import (
    MAX_DEPTH,
    Appearance,
    Organisation,
    ReadReview,
    ReviewedClaim,
    build_claimreview,
    claimreview_document,
    find_claimreviews,
    iso_seconds,
    normalise_claim_text,
    read_claimreview,
)
from factcheck.claims.values import describe_value
from factcheck.errors import InputError, UsageError
from factcheck.review import NOTE_REQUIRED, check_sources, latest_reviews
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

COLUMNS = (
    "id",
    "article",
    "first_version",
    "last_version",
    "text",
    "kind",
    "claimant",
    "values",
    "status",
    "needs_review",
    "removed",
    "last_reviewer",
    "note",
    "sources",
    "first_seen",
    "last_reviewed",
    "reviewed_wording",
    "reappeared",
)
CSV_BOM = "\ufeff"
# A spreadsheet reads a cell starting with one of these as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# --- CSV and JSON ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportRow:
    id: int
    article: str
    first_version: int | None
    last_version: int | None
    text: str
    kind: str
    claimant: str
    values: list[dict[str, Any]]
    status: str
    needs_review: bool
    removed: bool
    last_reviewer: str
    note: str
    sources: list[str]
    first_seen: datetime | None
    last_reviewed: datetime | None
    # The wording the last verdict was given on: next to a current text that differs, it
    # shows what the verdict is about.
    reviewed_wording: str
    reappeared: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article": self.article,
            "first_version": self.first_version,
            "last_version": self.last_version,
            "text": self.text,
            "kind": self.kind,
            "claimant": self.claimant,
            "values": self.values,
            "status": self.status,
            "needs_review": self.needs_review,
            "removed": self.removed,
            "last_reviewer": self.last_reviewer,
            "note": self.note,
            "sources": self.sources,
            "first_seen": _time(self.first_seen),
            "last_reviewed": _time(self.last_reviewed),
            "reviewed_wording": self.reviewed_wording,
            "reappeared": self.reappeared,
        }

    def csv_cells(self) -> list[str]:
        row = self.as_dict()
        row["values"] = "; ".join(describe_value(v) for v in self.values)
        row["sources"] = " ".join(self.sources)
        for flag in ("needs_review", "removed", "reappeared"):
            row[flag] = "true" if row[flag] else "false"
        return [csv_safe("" if row[name] is None else str(row[name])) for name in COLUMNS]


def _time(moment: datetime | None) -> str | None:
    """To the second, like every other time the exports write."""
    return None if moment is None else format_utc(moment.replace(microsecond=0))


def csv_safe(cell: str) -> str:
    """The cell as text a spreadsheet will not evaluate."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def export_rows(
    session: Session, article: str | None = None, *, status: str | None = None
) -> list[ExportRow]:
    """Every claim (of one article, or all), removed ones included, with its last verdict."""
    from sqlalchemy import select

    from factcheck.claim_views import list_claims
    from factcheck.store.models import claims_table, versions_table

    claims = list_claims(session, article, status=status, include_removed=True)
    ids = [claim.id for claim in claims]
    reviews = latest_reviews(session, ids) if ids else {}
    first_seen: dict[int, datetime] = {}
    if ids:
        query = (
            select(claims_table.c.id, versions_table.c.updated_at)
            .join(versions_table, versions_table.c.id == claims_table.c.first_version_id)
            .where(claims_table.c.id.in_(ids))
        )
        first_seen = {row.id: row.updated_at for row in session.execute(query)}
    rows = []
    for claim in claims:
        review = reviews.get(claim.id)
        rows.append(
            ExportRow(
                id=claim.id,
                article=claim.article,
                first_version=claim.first_version,
                last_version=claim.last_version,
                text=claim.text,
                kind=claim.kind,
                claimant=claim.source,
                values=claim.values,
                status=claim.status,
                needs_review=claim.needs_review,
                removed=claim.removed,
                last_reviewer=review.reviewer if review else "",
                note=review.note if review else "",
                sources=list(review.sources) if review else [],
                first_seen=first_seen.get(claim.id),
                last_reviewed=review.created_at if review else None,
                reviewed_wording=review.wording if review else "",
                reappeared=claim.reappeared,
            )
        )
    return rows


def rows_csv(rows: Sequence[ExportRow]) -> str:
    """The rows as CSV text, starting with a byte-order mark and a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.csv_cells())
    return CSV_BOM + buffer.getvalue()


# --- ClaimReview export ----------------------------------------------------------------------


def check_organisation(name: str | None, url: str | None) -> Organisation:
    """The signing organisation: a name is required, a URL must be absolute http(s)."""
    name = (name or "").strip()
    if not name:
        raise UsageError(
            "name the fact-checking organisation that signs the reviews: "
            "--org NAME (or FACTCHECK_ORG)"
        )
    url = (url or "").strip() or None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.netloc or " " in url:
            raise UsageError(f"--org-url {url!r} is not an http(s) URL")
    return Organisation(name, url)


def export_claimreviews(
    session: Session,
    org: Organisation,
    article: str | None = None,
    *,
    include_unverified: bool = False,
) -> dict[str, Any]:
    """The JSON-LD document: one ClaimReview per claim with a verdict (see the module doc)."""
    from sqlalchemy import select

    from factcheck.articles import article_id
    from factcheck.store.models import articles_table, claims_table, versions_table

    claims, articles, versions = claims_table, articles_table, versions_table
    query = select(claims, articles.c.url.label("article_url")).join(
        articles, articles.c.id == claims.c.article_id
    )
    if article is not None:
        query = query.where(claims.c.article_id == article_id(session, article))
    rows = list(session.execute(query.order_by(claims.c.id)))
    reviews = latest_reviews(session, [row.id for row in rows]) if rows else {}
    chosen = []
    for row in rows:
        review = reviews.get(row.id)
        status = review.status if review is not None else "unverified"
        if status == "unverified" and not include_unverified:
            continue
        chosen.append((row, review, status))
    wanted = {
        version_id
        for row, review, _ in chosen
        for version_id in (
            review.version_id if review is not None else None,
            row.last_version_id,
            row.first_version_id,
        )
        if version_id is not None
    }
    placed = (
        {
            v.id: v
            for v in session.execute(
                select(
                    versions.c.id, versions.c.title, versions.c.updated_at, versions.c.published_at
                ).where(versions.c.id.in_(wanted))
            )
        }
        if wanted
        else {}
    )

    def appearance(url: str | None, version_id: int | None) -> Appearance:
        version = placed.get(version_id) if version_id is not None else None
        if version is None:
            return Appearance(url)
        return Appearance(url, version.title, version.published_at, version.updated_at)

    documents = []
    for row, review, status in chosen:
        seen_in = (review.version_id if review is not None else None) or row.last_version_id
        documents.append(
            build_claimreview(
                ReviewedClaim(
                    claim_id=row.id,
                    wording=review.wording if review is not None else row.text,
                    status=status,
                    claimant=_claimant(row.text, row.source, review),
                    appearance=appearance(row.article_url, seen_in),
                    first_appearance=appearance(row.article_url, row.first_version_id),
                    reviewed_at=review.created_at if review is not None else None,
                    note=review.note if review is not None else "",
                    sources=list(review.sources) if review is not None else [],
                ),
                org,
            )
        )
    return claimreview_document(documents)


def _claimant(text: str, source: str, review: Any | None) -> str:
    """Who made the claim as it was reviewed. The claim's source is that of its current
    wording; a verdict on earlier wording (a stale one) names that wording's own speaker,
    read from it again, so that "according to the UN", verified, is never published as said
    by whoever the article quotes now."""
    if review is None or review.wording == text:
        return source
    from factcheck.claims.extract import extract_claims

    claims = extract_claims(review.wording)
    return claims[0].source if len(claims) == 1 else ""


def claimreview_json(document: dict[str, Any]) -> str:
    """The document as JSON-LD text that is safe inside ``<script type="application/ld+json">``,
    where it is meant to go: article text or a note holding ``</script>`` would end the block
    there, and ``<!--`` would change how the page is parsed. ``<\\/`` and ``\\u003c!--`` read
    back as the same strings in JSON."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.replace("</", "<\\/").replace("<!--", "\\u003c!--") + "\n"


# --- ClaimReview import ----------------------------------------------------------------------

_LD_JSON = re.compile(
    r"<script[^>]*type\s*=\s*[\"']?application/ld\+json[\"']?[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class ImportOutcome:
    """What became of one ClaimReview of the document (``index`` counts from 1)."""

    index: int
    claim_reviewed: str
    outcome: str  # "reviewed", "duplicate", "external", "external-duplicate" or "skipped"
    status: str | None
    claims: list[int] = field(default_factory=list)
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "claim_reviewed": self.claim_reviewed,
            "outcome": self.outcome,
            "status": self.status,
            "claims": self.claims,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ImportReport:
    outcomes: list[ImportOutcome]

    def count(self, outcome: str) -> int:
        return sum(item.outcome == outcome for item in self.outcomes)


def read_document(text: str, name: str) -> Any:
    """Parse a JSON (or JSON-LD) file; an HTML page gives the list of its ld+json blocks."""
    stripped = text.lstrip("\ufeff \t\r\n")
    try:
        if stripped.startswith("<"):
            blocks = []
            for block in _LD_JSON.findall(stripped):
                try:
                    blocks.append(json.loads(block))
                except ValueError:
                    continue
            document: Any = blocks
        else:
            document = json.loads(stripped)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{name}: not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: nested more than Python can read") from None
    _check_document(document, name)
    return document


def _check_document(document: Any, name: str) -> None:
    """Refuse what the readers and the databases cannot take: nesting deeper than
    ``claimreview.MAX_DEPTH``, a lone surrogate (``\\ud800`` decodes to no character, and cannot be
    stored as UTF-8) or a NUL character (PostgreSQL's text cannot hold one)."""
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"{name}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            pending.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise InputError(f"{name}: a text holds a NUL character")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise InputError(
                    f"{name}: a text holds a lone surrogate "
                    f"(U+{ord(value[error.start]):04X}), which is no character"
                ) from None


@dataclass
class _Candidate:
    claim_id: int
    article_id: int
    # (version id, Last Update, content hash) of each version holding a matching wording.
    versions: list[tuple[int, datetime, str]] = field(default_factory=list)


class _ClaimIndex:
    """Tracked claims by normalised wording, with the versions each wording appeared in."""

    def __init__(self, session: Session) -> None:
        from sqlalchemy import select

        from factcheck.identity import canonical_url
        from factcheck.store.models import (
            articles_table,
            claims_table,
            occurrences_table,
            versions_table,
        )

        self.by_text: dict[str, dict[int, _Candidate]] = {}
        self.article_urls = {
            row.id: canonical_url(row.url)
            for row in session.execute(select(articles_table.c.id, articles_table.c.url))
            if row.url
        }
        article_of: dict[int, int] = {}
        for row in session.execute(
            select(claims_table.c.id, claims_table.c.article_id, claims_table.c.text)
        ):
            article_of[row.id] = row.article_id
            self._entry(normalise_claim_text(row.text), row.id, row.article_id)
        occurrences, versions = occurrences_table, versions_table
        for seen in session.execute(
            select(
                occurrences.c.claim_id,
                occurrences.c.text,
                versions.c.id,
                versions.c.updated_at,
                versions.c.content_hash,
            ).join(versions, versions.c.id == occurrences.c.version_id)
        ):
            entry = self._entry(
                normalise_claim_text(seen.text), seen.claim_id, article_of[seen.claim_id]
            )
            entry.versions.append((seen.id, seen.updated_at, seen.content_hash))

    def _entry(self, key: str, claim_id: int, article_id: int) -> _Candidate:
        found = self.by_text.setdefault(key, {})
        if claim_id not in found:
            found[claim_id] = _Candidate(claim_id, article_id)
        return found[claim_id]

    def match(self, review: ReadReview) -> list[_Candidate]:
        from factcheck.identity import canonical_url

        candidates = list(
            self.by_text.get(normalise_claim_text(review.claim_reviewed), {}).values()
        )
        named = {canonical_url(url) for url in review.appearance_urls if "://" in url}
        in_named = [c for c in candidates if self.article_urls.get(c.article_id) in named]
        return sorted(in_named or candidates, key=lambda c: c.claim_id)


def _valid_sources(urls: Sequence[str]) -> list[str]:
    valid = []
    for url in urls:
        try:
            valid += check_sources([url])
        except UsageError:
            continue
    return list(dict.fromkeys(valid))


def _reviewer(review: ReadReview) -> str:
    if review.author:
        return review.author
    host = urlsplit(review.url).netloc if "://" in review.url else ""
    return host or "unknown"


def _version_for(candidate: _Candidate, review: ReadReview) -> str | None:
    """The content hash of the version the review is taken to be about."""
    if not candidate.versions:
        return None
    times = {iso_seconds(moment) for moment in review.appearance_times}
    dated = [v for v in candidate.versions if iso_seconds(v[1]) in times]
    return max(dated or candidate.versions, key=lambda v: (v[1], v[0]))[2]


def _already_reviewed(
    session: Session,
    claim_id: int,
    status: str,
    note: str,
    reviewer: str,
    at: datetime | None,
) -> bool:
    from sqlalchemy import select

    from factcheck.store.models import reviews_table

    table = reviews_table
    for row in session.execute(
        select(table.c.created_at, table.c.reviewer).where(
            table.c.claim_id == claim_id, table.c.status == status, table.c.note == note
        )
    ):
        if at is None and row.reviewer == reviewer:
            return True
        if at is not None and iso_seconds(row.created_at) == iso_seconds(at):
            return True
    return False


class _ExternalReviews:
    """Stores the reviews that match no claim, once each. The keys of those already stored
    are read in one query: one lookup per review scanned the table each time, which made a
    large import quadratic. The import holds the bulk-write lock, so no other process adds
    any meanwhile."""

    def __init__(self, session: Session) -> None:
        from sqlalchemy import select

        from factcheck.store.models import external_reviews_table

        self.session = session
        self.table = external_reviews_table
        self._select = select(*(self.table.c[n] for n in _EXTERNAL_KEY))
        # Read when the first unmatched review comes: an import whose reviews all match
        # claims never needs it.
        self._stored: set[tuple[Any, ...]] | None = None

    def keep(self, review: ReadReview, now: datetime) -> bool:
        """Store an unmatched review; False when an identical one is already stored."""
        from sqlalchemy import insert

        values = {
            "claim_reviewed": review.claim_reviewed,
            "rating": review.rating_label,
            "author": review.author,
            "url": review.url,
            "date_published": review.date_published,
        }
        key = tuple(values[name] for name in _EXTERNAL_KEY)
        if self._stored is None:
            self._stored = {tuple(row) for row in self.session.execute(self._select)}
        if key in self._stored:
            return False
        self._stored.add(key)
        self.session.execute(
            insert(self.table).values(
                **values,
                rating_value=review.rating_value,
                best_rating=review.best_rating,
                worst_rating=review.worst_rating,
                appearance_url=review.appearance_urls[0] if review.appearance_urls else "",
                raw=review.raw,
                imported_at=now,
            )
        )
        return True


# What makes two external reviews the same one.
_EXTERNAL_KEY = ("claim_reviewed", "rating", "author", "url", "date_published")


def _date_problem(review: ReadReview, now: datetime) -> str:
    """Why a review's ``datePublished`` cannot be used, or ``""``. The date orders verdicts
    (the latest one stands), so one that cannot be read, or that lies years ahead, would let
    a single record outrank every review to come."""
    from factcheck.parse.dates import implausible

    if not review.date_published:
        return ""
    if review.published_at is None:
        return f"datePublished {review.date_published!r} cannot be read as an ISO 8601 time"
    why = implausible(review.published_at, now)
    return f"datePublished {review.date_published!r} is {why}" if why else ""


def import_claimreviews(session: Session, document: Any, *, now: datetime) -> ImportReport:
    """Attach each ClaimReview of the document to matching claims, or keep it apart."""
    from factcheck.review import mark
    from factcheck.store.db import BULK_WRITE_LOCK, serialise

    found = find_claimreviews(document)
    if not found:
        raise InputError("no ClaimReview objects found (looked in lists, @graph and records)")
    # Two imports of one file at once would each find its reviews new (see ``serialise``).
    serialise(session, BULK_WRITE_LOCK)
    index = _ClaimIndex(session)
    external = _ExternalReviews(session)
    outcomes: dict[int, ImportOutcome] = {}
    matched: list[tuple[int, ReadReview, list[_Candidate]]] = []
    for number, node in enumerate(found, start=1):
        review = read_claimreview(node)
        text = review.claim_reviewed
        if not text:
            outcomes[number] = ImportOutcome(number, "", "skipped", None, [], "no claimReviewed")
            continue
        problem = _date_problem(review, now)
        if problem:
            outcomes[number] = ImportOutcome(number, text, "skipped", None, [], problem)
            continue
        candidates = index.match(review)
        if candidates and review.status is None:
            kept = external.keep(review, now)
            reason = f"rating not understood: {review.rating_label or review.rating_value!r}"
            outcome = "external" if kept else "external-duplicate"
            outcomes[number] = ImportOutcome(number, text, outcome, None, [], reason)
        elif candidates:
            matched.append((number, review, candidates))
        else:
            kept = external.keep(review, now)
            outcome = "external" if kept else "external-duplicate"
            reason = "no tracked claim has this text"
            outcomes[number] = ImportOutcome(number, text, outcome, review.status, [], reason)

    # Oldest first, so the newest imported verdict ends up as the claim's status.
    matched.sort(key=lambda item: (item[1].published_at or now, item[0]))
    for number, review, candidates in matched:
        status = review.status or "unverified"
        text = review.claim_reviewed
        ids = [c.claim_id for c in candidates]
        if status == "unverified" and review.published_at is None:
            reason = "an undated Unverified rating is no verdict"
            outcomes[number] = ImportOutcome(number, text, "skipped", status, ids, reason)
            continue
        at = review.published_at.replace(microsecond=0) if review.published_at else None
        reviewer = _reviewer(review)
        note = review.note
        if not note and status in NOTE_REQUIRED:
            note = f"Imported ClaimReview by {reviewer}, rated {review.rating_label or status!r}"
            note += f": {review.url}" if review.url else ""
        recorded = []
        for candidate in candidates:
            if _already_reviewed(session, candidate.claim_id, status, note, reviewer, at):
                continue
            mark(
                session,
                candidate.claim_id,
                status,
                note=note,
                sources=_valid_sources(review.citations),
                reviewer=reviewer,
                version=_version_for(candidate, review),
                now=at or now,
            )
            recorded.append(candidate.claim_id)
        outcome = "reviewed" if recorded else "duplicate"
        outcomes[number] = ImportOutcome(number, text, outcome, status, recorded or ids)
    return ImportReport([outcomes[number] for number in sorted(outcomes)])


__all__ = [
    "COLUMNS",
    "CSV_BOM",
    "FORMULA_STARTS",
    "ExportRow",
    "ImportOutcome",
    "ImportReport",
    "check_organisation",
    "claimreview_json",
    "csv_safe",
    "export_claimreviews",
    "export_rows",
    "import_claimreviews",
    "read_document",
    "rows_csv",
]
