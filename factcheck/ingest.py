"""Ingest: turn input files into stored versions, one run at a time.

A run has two phases:
1. *Prepare* (pure, per file): read the bytes, decode, parse, check the timestamps. A file
   that fails here is reported and skipped; it never reaches the database.
2. *Store* (one transaction for the whole run): decide each file's article, skip content
   already stored, and write the new versions in batches.

Because every check that can reject a file happens before anything is written, each file
is all-or-nothing without a savepoint per file, and the run commits once: bulk ingest runs
at batch speed and an interrupted run leaves the database as it was.

Article identity, first rule that applies wins:
``--article KEY``, the file's ``Article:`` header, its ``URL:`` header (canonicalised), an
existing article whose latest body is the same story (``factcheck.identity``), and else a
new article keyed by the slug of the title.

Web pages. An input whose bytes start like HTML (``factcheck.parse.html.looks_like_html``,
whatever its file name) is read as a saved page; an ``http(s)://`` input is fetched
(``factcheck.fetch``) in a phase of its own, before the run's transaction begins, so the
network never holds the database's write lock. A page keeps its raw HTML (zlib) in the
version, its Last Update's origin in ``updated_source``, and, for a URL, its fetch state in
``watched_pages`` (``factcheck.pages``); a 304 answer is reported as a duplicate of the
version the page showed last time.
"""

from __future__ import annotations

import os
import stat
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from factcheck.article import PARAGRAPH_SEPARATOR, ParsedArticle, content_hash
from factcheck.articles import load_timeline_rows
from factcheck.collector import collector_paused
from factcheck.errors import FactcheckError, InputError, NoLastUpdate, UsageError
from factcheck.fetch import is_url
from factcheck.identity import (
    StoryIndex,
    canonical_url,
    check_article_key,
    slugify,
    unique_key,
)
from factcheck.lineage import ClaimBatch, ClaimEvent, ClaimReport, KnownTimeline
from factcheck.parse.dates import check_plausible, implausible, parse_local, parse_timestamp
from factcheck.parse.html import looks_like_html
from factcheck.parse.text import decode_bytes, parse_article
from factcheck.timeline import build_timeline, flag_names

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.fetch import Fetcher, FetchOptions
    from factcheck.pages import PageFetch
    from factcheck.parse.html import PageTime

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
INPUT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm"}
_INSERT_BATCH = 1000
_VERSION_COLUMNS = (
    "article_id",
    "title",
    "standfirst",
    "read_time",
    "published_raw",
    "published_at",
    "updated_raw",
    "updated_at",
    "updated_source",
    "caption",
    "credit",
    "body",
    "content_hash",
    "captured_at",
    "source",
    "ingested_at",
    "raw_html",
)


@dataclass(frozen=True)
class IngestOptions:
    now: datetime
    article_key: str | None = None
    default_tz: str = "UTC"
    updated_at: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    track_claims: bool = True
    # How URLs are fetched; None: the defaults, with ``max_bytes`` as the page size limit.
    fetch: FetchOptions | None = None


@dataclass
class FileOutcome:
    """What happened to one input; the ``--json`` output of ``ingest`` is a list of these."""

    file: str
    status: str  # "new", "duplicate" or "error"
    article: str | None = None
    number: int | None = None
    reason: str = ""
    rule: str = ""
    title: str = ""
    content_hash: str = ""
    stealth_edit: bool = False
    backdated: bool = False
    version_id: int | None = None
    claims: list[ClaimEvent] = field(default_factory=list)
    # Where the Last Update came from: "text", "option", or for a page e.g. "jsonld:dateModified".
    updated_source: str = ""
    updated_at: datetime | None = None

    @property
    def flags(self) -> list[str]:
        return flag_names(self.stealth_edit, self.backdated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "article": self.article,
            "status": self.status,
            "number": self.number,
            "reason": self.reason,
            "rule": self.rule,
            "title": self.title,
            "content_hash": self.content_hash,
            "stealth_edit": self.stealth_edit,
            "backdated": self.backdated,
            "claims": [event.as_dict() for event in self.claims],
            "updated_source": self.updated_source,
        }


@dataclass
class Prepared:
    """A file that parsed cleanly, waiting to be stored."""

    outcome: FileOutcome
    article: ParsedArticle
    captured_at: datetime | None
    updated_source: str
    raw_html: bytes | None = None  # zlib-compressed page, for versions read from HTML
    page: PageFetch | None = None  # the fetch that brought it, for a URL


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    claims: ClaimReport = field(default_factory=ClaimReport)

    @property
    def failed(self) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes if outcome.status == "error"]


def expand_inputs(paths: Sequence[str]) -> list[str]:
    """Files as given, directories walked recursively (sorted), ``-`` for stdin.

    A directory contributes its text files (``.txt``, ``.text``, ``.md`` other than README)
    and saved pages (``.html``, ``.htm``), and skips hidden entries; a symbolic link with
    such a name that leads nowhere is kept too, so that reading it reports it as broken. A
    path given by name is always read, whatever its suffix; a URL is kept as it is.
    Missing paths are kept so that they are reported as errors in order, and so is a
    directory with no such file in it: reading it reports that it holds none.
    """
    expanded: list[str] = []
    for raw in paths:
        path = Path(raw)
        if raw != "-" and path.is_dir():
            found = [
                str(child)
                for child in sorted(path.rglob("*"))
                if child.suffix.lower() in INPUT_SUFFIXES
                and child.name.lower() != "readme.md"
                and not any(part.startswith(".") for part in child.relative_to(path).parts)
                and (child.is_file() or _leads_nowhere(child))
            ]
            expanded.extend(found or [raw])
        else:
            expanded.append(raw)
    return expanded


def _leads_nowhere(path: Path) -> bool:
    # A link to a missing target, or one of a loop of links: is_file() is False for both.
    return path.is_symlink() and not path.exists()


def _read_streams(names: list[str], max_bytes: int) -> dict[str, bytes | FactcheckError]:
    """Standard input and named pipes, read before the run touches the database: a pipe
    may wait for its writer as long as it likes, and the write lock must not wait with it.
    Each holds its bytes or the error reading it gave."""
    streams: dict[str, bytes | FactcheckError] = {}
    for name in names:
        if name in streams or is_url(name) or not (name == "-" or _is_pipe(name)):
            continue
        try:
            streams[name] = read_input(name, max_bytes)
        except FactcheckError as error:
            streams[name] = error
    return streams


def _is_pipe(name: str) -> bool:
    # A name with an article file's suffix is taken for a file without a look: a folder of
    # ten thousand would otherwise cost ten thousand stat calls. Pipes are named by the
    # shell (``<(curl ...)`` is /dev/fd/63) or by hand, rarely with such a suffix.
    if os.path.splitext(name)[1].lower() in INPUT_SUFFIXES:
        return False
    try:
        return stat.S_ISFIFO(os.stat(name).st_mode)
    except OSError:
        return False


def read_input(name: str, max_bytes: int) -> bytes:
    if name == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
    else:
        try:
            # One unbuffered open, fstat and read: a third of the time of Path.stat() then
            # Path.read_bytes(), which adds up over a folder of thousands of versions.
            with open(name, "rb", buffering=0) as file:
                size = os.fstat(file.fileno()).st_size
                if size > max_bytes:
                    raise InputError(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
                data = file.read(size + 1)
                if len(data) > size:  # it grew since the fstat, or is a pipe or device
                    while len(data) <= max_bytes and (
                        chunk := file.read(max_bytes + 1 - len(data))
                    ):
                        data += chunk
        except FileNotFoundError:
            raise InputError(_why_missing(name)) from None
        except IsADirectoryError:
            suffixes = ", ".join(sorted(INPUT_SUFFIXES))
            raise InputError(f"a folder with no article files in it ({suffixes})") from None
        except PermissionError:
            raise InputError("permission denied") from None
        except OSError as error:
            raise InputError(error.strerror or str(error)) from None
    if len(data) > max_bytes:
        raise InputError(f"input too large (over the limit of {max_bytes:,} bytes)")
    return data


def _why_missing(name: str) -> str:
    try:
        target = os.readlink(name)
    except OSError:  # not a symbolic link, or gone since the open
        return "no such file"
    return f"broken symbolic link (to {shown_name(target)!r}, which does not exist)"


def prepare(
    name: str,
    data: bytes,
    options: IngestOptions,
    *,
    fallback: PageTime | None = None,
) -> Prepared:
    """Decode, parse and check one input. Raises ``InputError`` with the reason.

    Bytes that start like HTML are read as a web page; ``fallback`` is then the time to use
    when the page names none (a saved file's modification time)."""
    if looks_like_html(data):
        return prepare_page(name, data, options, fallback=fallback or _file_time(name))

    _refuse_other_formats(data)  # ``prepare_page`` checks pages, fetched ones too
    text = decode_bytes(data)
    source = "text"
    try:
        article = parse_article(text, default_tz=options.default_tz)
    except NoLastUpdate:
        if options.updated_at is None:
            raise
        # Only a file without a Last Update of its own takes the option's.
        article = parse_article(
            text, default_tz=options.default_tz, updated_override=options.updated_at
        )
        source = "option"
    article = _check_times(article, options.now)
    captured_raw = article.headers.get("captured", "")
    captured_at = None
    if captured_raw:
        try:
            captured_at = parse_timestamp(captured_raw, options.default_tz)
        except InputError as error:
            raise InputError(f"Captured header: {error}") from None
        check_plausible(captured_at, options.now)
    outcome = FileOutcome(
        file=shown_name(name), status="new", title=article.title, content_hash=content_hash(article)
    )
    outcome.updated_source = source
    outcome.updated_at = article.updated_at
    return Prepared(outcome, article, captured_at, source)


# The first bytes of files that are neither text nor HTML, though some have no NUL byte to
# give them away early (a PDF can be all ASCII) and would be read as an article titled
# "%PDF-1.4", or fail later for a reason that sends the user the wrong way.
_OTHER_FORMATS = (
    (b"%PDF-", "a PDF"),
    (b"GIF8", "a GIF image"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word or EPUB file)"),
    (b"\x1f\x8b", "gzip data"),
)


def _refuse_other_formats(data: bytes) -> None:
    for signature, kind in _OTHER_FORMATS:
        if data.startswith(signature):
            raise InputError(f"not a text or HTML file: it is {kind}")


def prepare_page(
    name: str,
    data: bytes,
    options: IngestOptions,
    *,
    fallback: PageTime | None = None,
    url: str | None = None,
    charset: str | None = None,
) -> Prepared:
    """Parse and check one HTML page (``factcheck.parse.html``). ``url`` is where it was
    fetched from, ``charset`` what the server declared."""
    from factcheck.parse.html import decode_html, parse_html

    _refuse_other_formats(data)
    page = parse_html(
        decode_html(data, charset),
        url=url,
        fallback=fallback,
        default_tz=options.default_tz,
        updated_override=options.updated_at,
        now=options.now,
    )
    article = page.article
    # parse_html takes only a plausible published time, so the page's hash stays its own.
    assert article.updated_at is not None
    check_plausible(article.updated_at, options.now)
    outcome = FileOutcome(
        file=shown_name(name),
        status="new",
        title=article.title,
        content_hash=page.content_hash,
        updated_source=page.updated_source,
        updated_at=article.updated_at,
    )
    captured_at = fallback.at if fallback is not None else None
    return Prepared(outcome, article, captured_at, page.updated_source, zlib.compress(data))


def _check_times(article: ParsedArticle, now: datetime) -> ParsedArticle:
    """Refuse an implausible Last Update; leave an implausible published time unknown.

    The published date is secondary, as when it cannot be read (``factcheck.parse.text``): an
    archive piece "Published: 12 March 1987" and updated today is still a version to keep, and
    its Last Update alone places it. ``published_raw`` keeps the line as written."""
    assert article.updated_at is not None
    check_plausible(article.updated_at, now)
    if article.published_at is not None and implausible(article.published_at, now):
        return replace(article, published_at=None)
    return article


def _file_time(name: str) -> PageTime | None:
    """A saved page's fallback time: the file's modification time (stdin: the run's time);
    None when the modification time is no date at all (tmpfs keeps one beyond year 9999)."""
    from factcheck.parse.html import PageTime
    from factcheck.timestamps import format_utc

    source = "file"
    try:
        moment = datetime.fromtimestamp(Path(name).stat().st_mtime, UTC)
    except OSError:
        moment, source = datetime.now(UTC), "ingest"
    except (OverflowError, ValueError):
        return None
    moment = moment.replace(microsecond=0)
    return PageTime(moment, format_utc(moment), source)


def _prepare_fetched(page: PageFetch, options: IngestOptions) -> Prepared | None:
    """A fetched page, ready to store; None for a 304 (the page shows what it showed)."""
    from factcheck.parse.html import PageTime
    from factcheck.timestamps import format_utc

    if page.error is not None:
        raise page.error
    fetched = page.fetched
    assert fetched is not None
    if fetched.not_modified:
        if page.state is None or page.state.content_hash is None:
            raise InputError("HTTP 304 Not Modified for a page never stored")
        return None
    fetched_at = fetched.fetched_at.replace(microsecond=0)
    fallback = PageTime(fetched_at, format_utc(fetched_at), "fetch")
    prepared = prepare_page(
        page.url,
        fetched.body,
        options,
        fallback=fallback,
        url=fetched.final_url,
        charset=fetched.charset,
    )
    prepared.captured_at = fetched.fetched_at
    prepared.page = page
    return prepared


def _key_from_url(url: str) -> str:
    """The slug of the URL's last path segment, when it reads like a story name."""
    from urllib.parse import urlsplit

    segments = [part for part in urlsplit(url).path.split("/") if part]
    slug = slugify(segments[-1].rsplit(".", 1)[0]) if segments else ""
    return slug if sum(char.isalpha() for char in slug) >= 3 else ""


class _Timed(NamedTuple):
    """What ``build_timeline`` needs of a version this run inserted."""

    id: int
    updated_at: datetime
    captured_at: datetime | None
    published_at: datetime | None
    content_hash: str


class _Store:
    """The database side of one run: caches keep lookups to one query per article."""

    def __init__(self, session: Session, options: IngestOptions) -> None:
        from sqlalchemy import bindparam, insert, select

        from factcheck.store.db import BulkInsert
        from factcheck.store.models import articles_table, versions_table

        self.session = session
        self.options = options
        articles, versions = articles_table, versions_table
        # Statements built once: SQLAlchemy then reuses their compiled form for every file.
        self.insert_article = insert(articles).returning(articles.c.id)
        self.insert_versions = BulkInsert(versions, _VERSION_COLUMNS)
        self.select_hashes = select(versions.c.content_hash).where(
            versions.c.article_id == bindparam("article_id")
        )
        # The article directory is small next to the versions, so one query loads it all, the
        # first time an identity must be decided: a watch check answered 304 never needs it.
        self._ids_by_key: dict[str, int] = {}
        self._ids_by_url: dict[str, int] = {}
        self._keys_by_id: dict[int, str] = {}
        self._directory_loaded = False
        self.select_directory = select(articles.c.id, articles.c.key, articles.c.url)
        self.select_key = select(articles.c.key).where(articles.c.id == bindparam("article_id"))
        self.hashes: dict[int, set[str]] = {}
        self.latest: dict[int, datetime] = {}
        self.stories: StoryIndex | None = None
        self.pending: list[tuple[Any, ...]] = []
        self.pending_of: list[tuple[int, Prepared]] = []  # the article and file of each row
        self.touched: dict[int, list[FileOutcome]] = {}
        # The articles this run created: they have no claims yet, and no versions but its own.
        self.created: set[int] = set()
        # The ids of the versions this run inserted (``BulkInsert.execute_numbered``), by
        # article, with what ordering a timeline needs.
        self.numbered: dict[int, list[_Timed]] = {}
        # For claim tracking: each new version's parsed text (by article and content hash)
        # and, once numbered, each touched article's timeline.
        self.parsed: dict[int, dict[str, ParsedArticle]] = {}
        self.timelines: dict[int, list[int]] = {}
        self.pages: dict[str, tuple[PageFetch, FileOutcome]] = {}

    # -- identity ---------------------------------------------------------------------

    def _directory(self) -> None:
        if not self._directory_loaded:
            self._directory_loaded = True
            for row in self.session.execute(self.select_directory).all():
                self._ids_by_key[row.key] = row.id
                self._keys_by_id[row.id] = row.key
                if row.url:
                    self._ids_by_url.setdefault(row.url, row.id)

    @property
    def ids_by_key(self) -> dict[str, int]:
        self._directory()
        return self._ids_by_key

    @property
    def ids_by_url(self) -> dict[str, int]:
        self._directory()
        return self._ids_by_url

    @property
    def keys_by_id(self) -> dict[int, str]:
        self._directory()
        return self._keys_by_id

    def _key_of(self, article_id: int) -> str | None:
        """One article's key, without loading the whole directory."""
        if not self._directory_loaded and article_id not in self._keys_by_id:
            key = self.session.execute(self.select_key, {"article_id": article_id}).scalar()
            if key is not None:
                self._keys_by_id[article_id] = key
                self._ids_by_key[key] = article_id
        return self._keys_by_id.get(article_id)

    def _create_article(self, key: str, article: ParsedArticle, url: str | None) -> int:
        """A new article under ``key``, or ``key-2``... when another story holds ``key``."""
        return self._insert_article(unique_key(key, self.ids_by_key), article, url)

    def _insert_article(self, key: str, article: ParsedArticle, url: str | None) -> int:
        values = {"key": key, "url": url, "outlet": article.outlet or None}
        article_id: int = self.session.execute(
            self.insert_article, {**values, "created_at": self.options.now}
        ).scalar_one()
        self.ids_by_key[key] = article_id
        self.keys_by_id[article_id] = key
        if url:
            self.ids_by_url.setdefault(url, article_id)
        self.hashes[article_id] = set()
        self.created.add(article_id)
        return article_id

    def _story_index(self) -> StoryIndex:
        if self.stories is None:
            from sqlalchemy import func, select

            from factcheck.store.models import versions_table

            self.flush()  # the bodies read below must include this run's earlier files
            table = versions_table
            newest = (
                select(table.c.article_id, func.max(table.c.updated_at).label("updated_at"))
                .group_by(table.c.article_id)
                .subquery()
            )
            rows = self.session.execute(
                select(table.c.article_id, table.c.updated_at, table.c.body).join(
                    newest,
                    (newest.c.article_id == table.c.article_id)
                    & (newest.c.updated_at == table.c.updated_at),
                )
            )
            self.stories = StoryIndex()
            for row in rows:
                self.stories.add(row.article_id, row.body)
                self.latest[row.article_id] = row.updated_at
        return self.stories

    def resolve(self, prepared: Prepared) -> tuple[int, str]:
        """The article id for this version and the rule that decided it."""
        article = prepared.article
        url = canonical_url(article.url) if article.url else None
        if self.options.article_key:
            return self._by_key(self.options.article_key, article, url), "--article"
        if article.article_key:
            return self._by_key(article.article_key.strip(), article, url), "Article header"
        if url:
            if url in self.ids_by_url:
                return self.ids_by_url[url], "URL header"
            key = _key_from_url(url) or slugify(article.title) or "article"
            return self._create_article(key, article, url), "URL header (new article)"
        body = PARAGRAPH_SEPARATOR.join(article.body)
        match = self._story_index().best_match(body)
        if match is not None:
            article_id, score = match
            key = self.keys_by_id[article_id]
            return article_id, f"same story as {key} (similarity {score:.2f})"
        key = slugify(article.title) or f"article-{prepared.outcome.content_hash[:8]}"
        return self._create_article(key, article, None), "new article from title"

    def _by_key(self, key: str, article: ParsedArticle, url: str | None) -> int:
        if key in self.ids_by_key:
            return self.ids_by_key[key]
        return self._insert_article(key, article, url)

    # -- versions ---------------------------------------------------------------------

    def _known_hashes(self, article_id: int) -> set[str]:
        if article_id not in self.hashes:
            found = self.session.scalars(self.select_hashes, {"article_id": article_id})
            self.hashes[article_id] = set(found)
        return self.hashes[article_id]

    def add(self, prepared: Prepared) -> None:
        article_id, rule = self.resolve(prepared)
        outcome = prepared.outcome
        outcome.article = self.keys_by_id[article_id]
        outcome.rule = rule
        known = self._known_hashes(article_id)
        if outcome.content_hash in known:
            outcome.status = "duplicate"
            outcome.reason = "same content is already stored"
        else:
            known.add(outcome.content_hash)
            if self.options.track_claims:
                self.parsed.setdefault(article_id, {})[outcome.content_hash] = prepared.article
            self.pending.append(self._row(article_id, prepared))
            self.pending_of.append((article_id, prepared))
            if len(self.pending) >= _INSERT_BATCH:
                self.flush()
            self._remember_latest(article_id, prepared)
        self.touched.setdefault(article_id, []).append(outcome)

    def not_modified(self, page: PageFetch) -> FileOutcome:
        """A 304: the page still shows the version it showed at the last check."""
        state = page.state
        assert state is not None and state.content_hash is not None
        article_id = state.article_id or 0
        key = self._key_of(article_id)
        if key is None or state.content_hash not in self._known_hashes(article_id):
            raise InputError("HTTP 304 Not Modified, but the version it refers to is not stored")
        outcome = FileOutcome(
            file=page.url,
            status="duplicate",
            article=key,
            reason="not modified (HTTP 304)",
            rule="watched URL",
            content_hash=state.content_hash,
        )
        self.touched.setdefault(article_id, []).append(outcome)
        return outcome

    def remember_page(self, page: PageFetch, outcome: FileOutcome) -> None:
        if page.key:  # an invalid URL has none, and no row to update
            self.pages.setdefault(page.key, (page, outcome))

    def record_pages(self) -> None:
        """Update each fetched URL's row in ``watched_pages`` (``factcheck.pages``)."""
        from factcheck.pages import record_check

        for page, outcome in self.pages.values():
            if outcome.status == "error":
                record_check(self.session, page, self.options.now, error=outcome.reason)
            else:
                assert outcome.article is not None
                record_check(
                    self.session,
                    page,
                    self.options.now,
                    article_id=self._ids_by_key[outcome.article],
                    content_hash=outcome.content_hash,
                )

    def known_timeline(self, article_id: int) -> KnownTimeline:
        """What the run holds of the article, once numbered, for ``ClaimBatch.add``."""
        parsed = self.parsed.get(article_id, {})
        documents = {
            outcome.version_id: parsed[outcome.content_hash].document
            for outcome in self.touched[article_id]
            if outcome.status == "new" and outcome.version_id is not None
        }
        return KnownTimeline(
            self.timelines[article_id], documents, new_article=article_id in self.created
        )

    def _remember_latest(self, article_id: int, prepared: Prepared) -> None:
        if self.stories is None:
            return
        updated_at = prepared.article.updated_at
        assert updated_at is not None
        latest = self.latest.get(article_id)
        if latest is None or updated_at >= latest:
            self.latest[article_id] = updated_at
            self.stories.add(article_id, PARAGRAPH_SEPARATOR.join(prepared.article.body))

    def _row(self, article_id: int, prepared: Prepared) -> tuple[Any, ...]:
        """The version's row for ``insert_versions``, in the order of ``_VERSION_COLUMNS``."""
        article = prepared.article
        return (
            article_id,
            article.title,
            article.standfirst,
            article.read_time,
            article.published_raw,
            article.published_at,
            article.updated_raw,
            article.updated_at,
            prepared.updated_source,
            article.caption,
            article.credit,
            PARAGRAPH_SEPARATOR.join(article.body),
            prepared.outcome.content_hash,
            prepared.captured_at,
            prepared.outcome.file,
            self.options.now,
            prepared.raw_html,
        )

    def flush(self) -> None:
        ids = self.insert_versions.execute_numbered(self.session, self.pending)
        for version_id, (article_id, prepared) in zip(ids, self.pending_of, strict=True):
            article = prepared.article
            assert article.updated_at is not None
            timed = _Timed(
                version_id,
                article.updated_at,
                prepared.captured_at,
                article.published_at,
                prepared.outcome.content_hash,
            )
            self.numbered.setdefault(article_id, []).append(timed)
        self.pending = []
        self.pending_of = []

    def number_versions(self) -> dict[int, set[int]]:
        """Give each outcome its version's place in the timeline as it stands after the run;
        return the ids of the versions this run added, by article."""
        # An article this run created has only the versions it just inserted, whose ids are
        # known: only the other articles' timelines are read back.
        known: dict[int, Sequence[Any]] = {
            article_id: self.numbered[article_id]
            for article_id in self.touched
            if article_id in self.created
        }
        unknown = [article_id for article_id in self.touched if article_id not in known]
        rows_by_article: dict[int, Sequence[Any]] = {
            **load_timeline_rows(self.session, unknown),
            **known,
        }
        added: dict[int, set[int]] = {}
        for article_id, outcomes in self.touched.items():
            timeline = build_timeline(rows_by_article[article_id])
            self.timelines[article_id] = [placed.version.id for placed in timeline]
            placed_by_hash = {placed.version.content_hash: placed for placed in timeline}
            for outcome in outcomes:
                placed = placed_by_hash[outcome.content_hash]
                outcome.number = placed.number
                outcome.stealth_edit = placed.stealth_edit
                outcome.backdated = placed.backdated
                outcome.version_id = placed.version.id
                if outcome.status == "new":
                    added.setdefault(article_id, set()).add(placed.version.id)
        return added


def shown_name(name: str) -> str:
    """A file name as text that can be printed and stored: bytes of a name that are not
    UTF-8 (which Python holds as lone surrogates) are written as ``\\xff`` escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def check_options(options: IngestOptions) -> IngestOptions:
    """The options, checked (``UsageError``) and with the article key stripped. A caller
    may check them before it creates a database, so a typo creates nothing."""
    _check_timezone(options.default_tz)
    if options.updated_at is not None:
        # Checked once, up front: it is used only by files without a Last Update, and a
        # typo would otherwise pass unseen whenever every file has one.
        try:
            parse_local(options.updated_at, options.default_tz)
        except InputError as error:
            raise UsageError(f"--updated-at: not a time: {options.updated_at!r}: {error}") from None
    if options.article_key is not None:
        try:
            options = replace(options, article_key=check_article_key(options.article_key))
        except ValueError as error:
            raise UsageError(f"--article: {error}") from None
    return options


def _check_timezone(name: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/London"
        ) from None


def ingest(
    session: Session,
    names: Iterable[str],
    options: IngestOptions,
    *,
    fetcher: Fetcher | None = None,
) -> IngestReport:
    """Ingest every named input in one transaction; bad inputs are reported, not stored.

    URLs among the names are fetched first, before the transaction begins; ``fetcher``
    lets a caller that runs many ingests (``factcheck watch``) reuse one HTTP client."""
    options = check_options(options)
    names = list(names)
    pages = _fetch(session, names, options, fetcher)
    from factcheck.store.db import BULK_WRITE_LOCK, serialise

    # Two runs storing the same new article at once would both create it (see ``serialise``).
    serialise(session, BULK_WRITE_LOCK)
    # A fifth of a claim-tracking run went to collections that freed nothing; the peak
    # memory of a 10,000-file run is the same without them.
    with collector_paused():
        return _store_all(session, names, pages, options)


def _store_all(
    session: Session, names: list[str], pages: dict[str, PageFetch], options: IngestOptions
) -> IngestReport:
    report = IngestReport()
    waiting = _read_streams(names, options.max_bytes)
    store = _Store(session, options)
    for name in names:
        page = pages.get(name) if is_url(name) else None
        try:
            if page is not None:
                prepared = _prepare_fetched(page, options)
                outcome = store.not_modified(page) if prepared is None else prepared.outcome
            else:
                data = waiting.get(name)  # a pipe named twice gives what it gave once
                if isinstance(data, FactcheckError):
                    raise data
                data = data if data is not None else read_input(name, options.max_bytes)
                prepared = prepare(name, data, options)
                outcome = prepared.outcome
        except FactcheckError as error:
            prepared = None
            outcome = FileOutcome(file=shown_name(name), status="error", reason=str(error))
        if prepared is not None:
            store.add(prepared)
        if page is not None:
            store.remember_page(page, outcome)
        report.outcomes.append(outcome)
    store.flush()
    added = store.number_versions()
    store.record_pages()
    if options.track_claims:
        batch = ClaimBatch(session, options.now)
        for article_id, version_ids in added.items():
            key = store.keys_by_id[article_id]
            batch.add(article_id, key, version_ids, store.known_timeline(article_id))
        for article_id, claims in batch.finish().items():
            report.claims.events.extend(claims.events)
            _attach_events(store.touched[article_id], claims.events)
    return report


def _fetch(
    session: Session, names: list[str], options: IngestOptions, fetcher: Fetcher | None
) -> dict[str, PageFetch]:
    urls = [name for name in names if is_url(name)]
    if not urls:
        return {}
    from factcheck.fetch import FetchOptions
    from factcheck.pages import fetch_pages

    fetch_options = options.fetch or FetchOptions(max_bytes=options.max_bytes)
    return fetch_pages(session, urls, fetch_options, fetcher)


def _attach_events(outcomes: list[FileOutcome], events: list[ClaimEvent]) -> None:
    """Give each claim event to the file whose version brought it; a stale verdict goes to
    the newest version of the run."""
    added = sorted((o for o in outcomes if o.status == "new"), key=lambda o: o.number or 0)
    by_version = {outcome.version_id: outcome for outcome in added}
    for event in events:
        owner = by_version.get(event.version_id, added[-1])
        owner.claims.append(event)
