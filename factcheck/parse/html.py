"""Web pages: HTML bytes to text, HTML text to a ``ParsedArticle``. Pure (no database).

The main text and the title come from trafilatura, which keeps the article and drops
navigation, "most read" boxes, share bars, cookie banners and footers. The metadata that
trafilatura does not give precisely enough is read from the page itself:

- **Times.** The Last Update is the first of these that the page has (``updated_source``
  names it): ``meta:modified_time`` (``<meta property="article:modified_time">``),
  ``meta:og:updated_time``, ``jsonld:dateModified`` (a JSON-LD ``NewsArticle`` or other
  ``*Article``/``BlogPosting``), ``meta:dateModified`` (microdata ``itemprop``), ``visible``
  (a "Last Update" / "Last updated:" / "Updated" label in the page text followed by an
  absolute time), ``meta:published_time`` and ``jsonld:datePublished`` (an article never
  modified was last updated when it was published), ``htmldate`` (its search of the page's
  other metadata, day precision at worst). A page with none of these takes the fallback
  time its caller gives: the fetch time (``fetch``) or a saved file's modification time
  (``file``). The published time comes from ``article:published_time`` or ``datePublished``.
- **Identity.** ``<link rel="canonical">``, else ``og:url``, else the JSON-LD ``url`` or
  ``mainEntityOfPage``, else the "saved from url=" comment a browser writes into a saved
  page, else the URL the page was fetched from; relative links are resolved against that
  URL and tracking parameters are stripped (``factcheck.identity.canonical_url``). It goes
  in ``headers["url"]``; the outlet (``og:site_name``, else the JSON-LD publisher) goes in
  ``headers["outlet"]``.
- **Standfirst.** An element marked as one (class or itemprop such as ``standfirst``,
  ``lede``, ``dek``, ``summary``, ``description``), else the page description when it is
  also the first paragraph of the main text.

Noise. Text that changes on every load must not make a new version:

- Paragraphs that are only a relative time ("3 minutes ago", "Updated 5 mins ago", "just
  now") are dropped, as are the label lines of the Last Update, read times ("2 min read")
  and a repeat of the title.
- ``page_hash`` masks any relative time left inside a paragraph before hashing, and leaves
  out the time altogether when it is only the fallback (fetch or file time), which differs
  on every fetch. The hash is otherwise ``factcheck.article.content_hash``: a version is new
  when the article text or its metadata (title, standfirst, times from the page) changes.

Heavy imports (lxml, trafilatura, htmldate) happen inside the functions that need them.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from factcheck.article import ParsedArticle, content_hash, normalise_whitespace
from factcheck.errors import InputError
from factcheck.identity import canonical_url, shows_nothing

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Sources of the Last Update that change on every fetch: left out of the content hash.
FALLBACK_SOURCES = frozenset({"fetch", "file", "ingest"})

# An article needs this much text; a section index or an error page has less.
MIN_ARTICLE_WORDS = 25
MIN_PARAGRAPH_WORDS = 8

_SNIFF_BYTES = 4096
_HTML_START = re.compile(
    rb"(?:\s|<!--.*?-->|<\?xml[^>]*\?>)*<(?:!doctype\s+html|html(?:\s|>|$))", re.I | re.S
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I | re.S)
_SAVED_FROM = re.compile(r"saved from url=\(\d+\)\s*(\S+)", re.I)

_UNIT = (
    r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?"
    r"|[smhdw])"
)
_RELATIVE = re.compile(
    rf"(?:\b(?:\d+|an?|a\s+few|few)\s*{_UNIT}\.?\s+ago\b|\bjust\s+now\b|\bmoments?\s+ago\b)",
    re.I,
)
_STAMP_LABEL = r"(?:(?:last\s+)?updated?|published|posted|edited)?\s*:?\s*"
_RELATIVE_STAMP = re.compile(rf"[\s·|•-]*{_STAMP_LABEL}{_RELATIVE.pattern}[\s·|•.-]*", re.I)
_UPDATE_LABEL = re.compile(
    r"(?:last\s+updated?|last\s+modified|updated)(?:\s+(?:on|at)\b)?\s*:?\s*(.*)", re.I | re.S
)
_PUBLISHED_LABEL = re.compile(r"(?:published|posted)(?:\s+(?:on|at)\b)?\s*:?\s*(.*)", re.I | re.S)
_READ_TIME = re.compile(r"\d+\s*-?\s*min(?:ute)?s?\.?\s+read", re.I)
_STANDFIRST_MARK = re.compile(
    r"standfirst|lede|\bdek\b|\bdeck\b|summary|description|intro\b|subtitle|sub-?head|strapline",
    re.I,
)
_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|LiveBlogPosting|Report)$")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})
_MAX_LABEL_FRAGMENT = 120


@dataclass(frozen=True)
class PageTime:
    """A time read from a page, the text it was written as, and where it was found."""

    at: datetime
    raw: str
    source: str


@dataclass(frozen=True)
class HtmlPage:
    """One page, parsed: the article, where its Last Update came from, and its hash."""

    article: ParsedArticle
    updated_source: str
    content_hash: str

    @property
    def url(self) -> str:
        return self.article.url


# -- bytes ---------------------------------------------------------------------------------


def looks_like_html(data: bytes) -> bool:
    """True when the bytes start like an HTML document: ``<!doctype html`` or ``<html``,
    after any byte-order mark, whitespace, comments (a browser's "saved from" note) and an
    XML declaration. The file name plays no part: a ``.txt`` holding HTML is HTML."""
    head = data[:_SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    return _HTML_START.match(head) is not None


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The page as text: a byte-order mark wins, then the charset the server declared, then
    the page's own ``<meta charset>``, then UTF-8 (also with a few stray bytes), then
    Windows-1252 (what browsers use for undeclared legacy pages). Undecodable bytes become
    U+FFFD rather than failing: a page that lies about its charset is common and still
    readable."""
    if data.startswith(codecs.BOM_UTF8):
        return _clean(data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"))
    for bom, name in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _clean(data[len(bom) :].decode(name, errors="replace"))
    candidates = [(declared, False)] if declared else []
    found = _META_CHARSET.search(data[:_SNIFF_BYTES])
    if found:
        candidates.append((found[1].decode("ascii", errors="ignore"), True))
    for label, in_page in candidates:
        codec = _codec(label)
        # A page that declares UTF-16 in its own bytes cannot be UTF-16 (the declaration
        # would not be readable as ASCII): the HTML standard reads it as UTF-8. A server's
        # UTF-16 is taken at its word.
        if in_page and codec is not None and codec.startswith("utf-16"):
            codec = "utf-8"
        if codec is not None:
            return _clean(data.decode(codec, errors="replace"))
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # A UTF-8 page with a stray byte or two is still UTF-8: read as Windows-1252, every
    # accented letter of it would turn into two wrong ones. A page is taken as UTF-8 when
    # more characters decode as UTF-8 beyond ASCII than bytes fail to.
    as_utf8 = data.decode("utf-8", errors="replace")
    failed = as_utf8.count("\ufffd")
    decoded = sum(1 for ch in as_utf8 if ch > "\x7f") - failed
    if decoded > failed:
        return _clean(as_utf8)
    return _clean(data.decode("cp1252", errors="replace"))


# Scripts written without spaces between words: Han, Hiragana, Katakana (Korean has spaces).
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# About how many characters of those scripts make a word, for the length thresholds.
_UNSPACED_PER_WORD = 2


def _word_count(text: str) -> int:
    """Words in ``text``, counting runs of unspaced scripts (Chinese, Japanese) by their
    characters: split on spaces, a Japanese paragraph is one word and would never pass."""
    return len(text.split()) + len(_UNSPACED.findall(text)) // _UNSPACED_PER_WORD


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    # The web treats these labels as Windows-1252, a superset that decodes every byte.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


def _clean(text: str) -> str:
    text = text.replace("\x00", "")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- the page ------------------------------------------------------------------------------


def parse_html(
    html: str,
    *,
    url: str | None = None,
    fallback: PageTime | None = None,
    default_tz: str = "UTC",
    updated_override: str | None = None,
    now: datetime | None = None,
) -> HtmlPage:
    """Read one page into a ``ParsedArticle``.

    ``url`` is where the page came from (resolves relative links; the identity of last
    resort). ``fallback`` is the time to use when the page carries none. ``updated_override``
    (``--updated-at``) is the time of a page that carries none, ahead of ``fallback``.
    ``now``, the time of the ingest, is the latest plausible page time (give or take two
    days).

    Raises ``InputError``: "not an HTML document", "no article text found in the page",
    "no title found in the page", "no time found in the page (use --updated-at)".
    """
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    try:
        tree = document_fromstring(html.encode("utf-8"), parser=HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        raise InputError("not an HTML document") from None
    meta = _meta_tags(tree)
    ld = _jsonld_article(tree)
    canonical = _canonical(tree, meta, ld, html, url)
    fragments = list(_text_fragments(tree))
    # A page's times come from several sources; one that is absurd ("1970", "2099") is
    # passed over for the next, as one that does not parse is. ``now`` (the time of the
    # ingest) bounds them from above; a saved file's own time cannot, since copies and
    # downloads often give it an old one.
    times = _TimeRules(default_tz, now)
    visible = _visible_update(fragments, default_tz)
    if visible is not None and not times.plausible(visible.at):
        visible = None
    standfirst_text = _marked_standfirst(tree)

    document = _extract(_without_other_articles(tree), url)
    title = _first_text(
        document.get("title"), meta.get("og:title"), _ld_text(ld.get("headline")), _title(tree)
    )
    if not title:
        raise InputError("no title found in the page")
    description = _first_text(document.get("description"), meta.get("description"))
    paragraphs = _paragraphs(str(document.get("text") or ""), title, visible)
    standfirst = ""
    if standfirst_text:
        standfirst = standfirst_text
        paragraphs = [p for p in paragraphs if not _same(p, standfirst)]
    elif description and paragraphs and _same(paragraphs[0], description):
        standfirst = paragraphs.pop(0)
    words = sum(_word_count(p) for p in paragraphs)
    if words < MIN_ARTICLE_WORDS or not any(
        _word_count(p) >= MIN_PARAGRAPH_WORDS for p in paragraphs
    ):
        raise InputError("no article text found in the page")

    published = times.first(
        ("meta:published_time", meta.get("article:published_time")),
        ("jsonld:datePublished", _ld_text(ld.get("datePublished"))),
    )
    # The page's own time wins; ``--updated-at`` is for a page with none, ahead of the
    # fetch or file time.
    updated = _page_updated(
        tree, meta, ld, visible, published, times, overridden=updated_override is not None
    )
    if updated is None and updated_override is not None:
        from factcheck.parse.dates import parse_local

        try:
            at = parse_local(updated_override, default_tz)
        except InputError:
            raise InputError(f"unparseable Last Update override: {updated_override!r}") from None
        updated = PageTime(at, updated_override, "option")
    updated = updated or fallback
    if updated is None:
        raise InputError("no time found in the page (use --updated-at)")

    headers = {}
    if canonical:
        headers["url"] = canonical
    outlet = _first_text(
        meta.get("og:site_name"), _ld_name(ld.get("publisher")), document.get("sitename")
    )
    if outlet:
        headers["outlet"] = outlet
    article = ParsedArticle(
        title=title,
        body=tuple(paragraphs),
        standfirst=standfirst,
        read_time=_read_time(fragments),
        published_raw=published.raw if published else "",
        published_at=published.at.astimezone(UTC) if published else None,
        updated_raw=updated.raw,
        updated_at=updated.at.astimezone(UTC),
        headers=headers,
    )
    return HtmlPage(article, updated.source, page_hash(article, updated.source))


def page_hash(article: ParsedArticle, updated_source: str) -> str:
    """The content hash of a page's article, blind to relative times ("3 minutes ago") and,
    when the time is only the fetch or file time, to the time itself."""
    masked = replace(
        article,
        standfirst=mask_relative_times(article.standfirst),
        body=tuple(mask_relative_times(p) for p in article.body),
    )
    if updated_source in FALLBACK_SOURCES:
        masked = replace(masked, updated_at=None, updated_raw="")
    return content_hash(masked)


def mask_relative_times(text: str) -> str:
    """Replace every relative time ("12 minutes ago", "just now") with one placeholder."""
    return _RELATIVE.sub("<ago>", text) if "ago" in text.lower() or "now" in text.lower() else text


def is_relative_stamp(text: str) -> bool:
    """True for a line that is nothing but a relative time, with an optional label."""
    return _RELATIVE_STAMP.fullmatch(text) is not None


# -- metadata ------------------------------------------------------------------------------


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased ``property``, ``name`` or ``itemprop``; first wins.

    ``<time itemprop="dateModified" datetime="...">`` counts as microdata too."""
    found: dict[str, str] = {}
    for element in tree.iter("meta"):
        content = (element.get("content") or "").strip()
        if not content:
            continue
        for attribute in ("property", "name", "itemprop"):
            key = (element.get(attribute) or "").strip().lower()
            if key:
                found.setdefault(key, content)
    for element in tree.iter("time"):
        key = (element.get("itemprop") or "").strip().lower()
        value = (element.get("datetime") or "").strip()
        if key and value:
            found.setdefault(key, value)
    return found


def _jsonld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first JSON-LD object whose ``@type`` is an article; ``{}`` when there is none."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = (script.text or "").strip()
        raw = raw.removeprefix("<![CDATA[").removesuffix("]]>").strip()
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for item in _ld_objects(data):
            types = item.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(name, str) and _ARTICLE_TYPE.search(name) for name in names):
                return item
    return {}


def _ld_objects(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _ld_objects(graph, depth + 1)


def _ld_text(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    return value.strip() if isinstance(value, str) else ""


def _ld_name(value: Any) -> str:
    if isinstance(value, list) and value:
        value = value[0]
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    return _ld_text(value)


def _ld_url(value: Any) -> str:
    if isinstance(value, dict):
        return _ld_text(value.get("@id") or value.get("url"))
    return _ld_text(value)


def _canonical(
    tree: HtmlElement, meta: dict[str, str], ld: dict[str, Any], html: str, url: str | None
) -> str:
    candidates: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            candidates.append(str(link.get("href")))
    candidates += [
        meta.get("og:url", ""),
        _ld_url(ld.get("url")),
        _ld_url(ld.get("mainEntityOfPage")),
    ]
    saved = _SAVED_FROM.search(html[:_SNIFF_BYTES])
    if saved:
        candidates.append(saved[1])
    if url:
        candidates.append(url)
    for written in candidates:
        candidate = written.strip()
        if not candidate:
            continue
        try:
            absolute = urljoin(url, candidate) if url else candidate
            parts = urlsplit(absolute)
            if parts.scheme in {"http", "https"} and parts.netloc:
                return canonical_url(absolute)
        except ValueError:
            continue  # a malformed link ("http://[bad/") names no page: try the next
    return ""


def _title(tree: HtmlElement) -> str:
    element = tree.find(".//title")
    return normalise_whitespace(element.text_content()) if element is not None else ""


def _first_text(*values: Any) -> str:
    """The first candidate that shows something: a title of only invisible characters is no
    title, as in a text file."""
    for value in values:
        if isinstance(value, str) and not shows_nothing(value):
            return normalise_whitespace(value)
    return ""


def _same(a: str, b: str) -> bool:
    return normalise_whitespace(a).casefold() == normalise_whitespace(b).casefold()


# -- visible text --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Fragment:
    text: str
    element: HtmlElement | None  # the element whose own text this is; None for a tail


def _text_fragments(tree: HtmlElement) -> Iterator[_Fragment]:
    """The page's visible text pieces in document order (each element's text and tail)."""
    body = tree.find("body")
    root = body if body is not None else tree
    skipped: set[Any] = set()
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        parent = element.getparent()
        hidden = tag in _SKIP_TAGS or not tag or parent in skipped
        if hidden:
            skipped.add(element)
        elif element.text and element.text.strip():
            yield _Fragment(normalise_whitespace(element.text), element)
        if element.tail and element.tail.strip() and parent not in skipped:
            yield _Fragment(normalise_whitespace(element.tail), None)


def _visible_update(fragments: list[_Fragment], default_tz: str) -> PageTime | None:
    """A "Last Update" label in the page text and the absolute time after it."""
    from factcheck.parse.dates import parse_local, parse_timestamp

    for index, fragment in enumerate(fragments):
        if len(fragment.text) > _MAX_LABEL_FRAGMENT:
            continue
        found = _UPDATE_LABEL.fullmatch(fragment.text)
        if found is None:
            continue
        holder = fragment
        raw = found[1].strip()
        if not raw and index + 1 < len(fragments):
            holder = fragments[index + 1]
            raw = holder.text
        if not raw or _RELATIVE.search(raw):
            continue
        machine = _time_attribute(holder.element)
        try:
            at = parse_timestamp(machine, default_tz) if machine else parse_local(raw, default_tz)
        except InputError:
            continue
        return PageTime(at, raw, "visible")
    return None


def _time_attribute(element: HtmlElement | None) -> str:
    if element is not None and element.tag == "time":
        return (element.get("datetime") or "").strip()
    return ""


def _read_time(fragments: list[_Fragment]) -> str:
    for fragment in fragments:
        if len(fragment.text) < 30 and _READ_TIME.fullmatch(fragment.text):
            return fragment.text
    return ""


def _marked_standfirst(tree: HtmlElement) -> str:
    """The text of the first element marked as a standfirst, when it reads like one.

    Only the headline's own region is searched (its ``<article>`` or ``<main>``, else the
    headline's parent), after the headline, so a teaser marked "summary" in a sidebar of
    other stories, which may change on every load, is never taken."""
    headline = tree.find(".//h1")
    if headline is None:
        return ""
    region = next(
        (el for el in headline.iterancestors() if el.tag in {"article", "main"}),
        headline.getparent(),
    )
    if region is None:
        return ""
    after = False
    for element in region.iter():
        if element is headline:
            after = True
            continue
        if not after or element.tag not in {"p", "div", "h2"}:
            continue
        marks = f"{element.get('class') or ''} {element.get('itemprop') or ''}"
        if not _STANDFIRST_MARK.search(marks):
            continue
        text = normalise_whitespace(element.text_content())
        if 5 <= _word_count(text) and len(text) <= 600:
            return text
    return ""


def _paragraphs(text: str, title: str, visible: PageTime | None) -> list[str]:
    """The extracted text's lines as paragraphs, without title repeats and metadata lines."""
    kept: list[str] = []
    for line in text.split("\n"):
        paragraph = line.strip()
        if not paragraph:
            continue
        if (not kept and _same(paragraph, title)) or _is_metadata_line(paragraph, visible):
            continue
        kept.append(paragraph)
    return kept


def _is_metadata_line(paragraph: str, visible: PageTime | None) -> bool:
    """A label line the page shows around the article: a relative stamp, a read time, the
    Last Update (label, time or both) or a published date."""
    if len(paragraph) > _MAX_LABEL_FRAGMENT:
        return False
    if is_relative_stamp(paragraph) or _READ_TIME.fullmatch(paragraph):
        return True
    if visible is not None and _same(paragraph, visible.raw):
        return True
    labelled = _UPDATE_LABEL.fullmatch(paragraph) or _PUBLISHED_LABEL.fullmatch(paragraph)
    if labelled is None:
        return False
    rest = labelled[1].strip()
    return not rest or _RELATIVE.search(rest) is not None or _is_time(rest)


def _is_time(text: str) -> bool:
    from factcheck.parse.dates import is_timestamp

    return is_timestamp(text)


# -- times ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _TimeRules:
    """How a page's time candidates are read: the zone for times that name none, and the
    time of the ingest, which bounds plausible times from above (None: no bound)."""

    default_tz: str
    now: datetime | None

    def plausible(self, moment: datetime) -> bool:
        from factcheck.parse.dates import implausible

        return not implausible(moment, self.now)

    def first(self, *candidates: tuple[str, str | None]) -> PageTime | None:
        """The first candidate that parses to a plausible time."""
        for source, raw in candidates:
            moment, _ = self._read(raw)
            if moment is not None and raw:
                return PageTime(moment, raw.strip(), source)
        return None

    def refusal(self, *candidates: tuple[str, str | None]) -> str:
        """Why the first candidate that is a date cannot be used (an ambiguous zone such as
        IST, 30 February, a time years ahead), or ``""`` when none is refused."""
        for source, raw in candidates:
            _, why = self._read(raw)
            if why and raw:
                return f"unparseable Last Update in {source}: {raw.strip()!r}: {why}"
        return ""

    def _read(self, raw: str | None) -> tuple[datetime | None, str]:
        """A candidate's plausible time, else why it is refused ("" for no date at all)."""
        from factcheck.parse.dates import NotADate, implausible, parse_local

        if not raw or not raw.strip():
            return None, ""
        try:
            moment = parse_local(raw.strip(), self.default_tz)
        except NotADate:
            return None, ""
        except InputError as error:
            return None, str(error)
        why = implausible(moment, self.now)
        return (None, why) if why else (moment, "")


def _page_updated(
    tree: HtmlElement,
    meta: dict[str, str],
    ld: dict[str, Any],
    visible: PageTime | None,
    published: PageTime | None,
    times: _TimeRules,
    *,
    overridden: bool,
) -> PageTime | None:
    modified = (
        ("meta:modified_time", meta.get("article:modified_time")),
        ("meta:og:updated_time", meta.get("og:updated_time")),
        ("jsonld:dateModified", _ld_text(ld.get("dateModified"))),
        ("meta:dateModified", meta.get("datemodified")),
    )
    found = times.first(*modified)
    if found or visible:
        return found or visible
    if published:
        return published  # a page whose update time is broken reads as last updated then
    refused = times.refusal(*modified)
    if refused:
        # htmldate's guess from the rest of the page would be stored, silently, in place of
        # a time the page states but that cannot be read (IST, 30 February): ``--updated-at``
        # stands in for it, or the page fails.
        if overridden:
            return None
        raise InputError(f"{refused} (use --updated-at)")
    return _htmldate(tree, times)


def _htmldate(tree: HtmlElement, times: _TimeRules) -> PageTime | None:
    """htmldate's reading of the page's other metadata (no free-text search: text dates
    such as today's date in a header would change from one fetch to the next)."""
    from copy import deepcopy

    from htmldate import find_date

    try:
        raw = find_date(
            deepcopy(tree),
            original_date=False,
            extensive_search=False,
            outputformat="%Y-%m-%dT%H:%M:%S%z",
        )
    except Exception:  # htmldate is a heuristic; its failure only means "no time"
        return None
    return times.first(("htmldate", raw))


# -- main text -----------------------------------------------------------------------------


def _without_other_articles(tree: HtmlElement) -> HtmlElement:
    """The page without its other stories: when it holds several ``<article>`` elements and
    exactly one has the headline (``<h1>``), a copy without the rest (related-story cards,
    a second story), whose text trafilatura would otherwise merge into this one. Else the
    page itself."""
    articles = tree.findall(".//article")
    if len(articles) < 2:
        return tree
    headed = [index for index, element in enumerate(articles) if element.find(".//h1") is not None]
    if len(headed) != 1:
        return tree
    from copy import deepcopy

    copy = deepcopy(tree)
    copies = copy.findall(".//article")
    keep = copies[headed[0]]
    related = {keep, *keep.iterancestors(), *keep.iterdescendants()}
    for element in copies:
        if element not in related and element.getparent() is not None:
            element.drop_tree()
    return copy


def _extract(tree: HtmlElement, url: str | None) -> dict[str, Any]:
    import trafilatura

    def extract(with_metadata: bool) -> Any:
        return trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=with_metadata,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
        )

    document = extract(True)
    if document is None:
        # trafilatura gives up on the whole page when a metadata field does not parse (a
        # date offset of "+25:00", say); without metadata it still finds the text, and the
        # title and times have sources of their own here.
        document = extract(False)
    # Recent trafilatura returns a Document, older releases a dict.
    found: Any = document.as_dict() if hasattr(document, "as_dict") else document
    if not isinstance(found, dict) or not str(found.get("text") or "").strip():
        raise InputError("no article text found in the page")
    return found
