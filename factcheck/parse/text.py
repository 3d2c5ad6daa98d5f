"""Plain-text articles: bytes to text, text to a ``ParsedArticle``.

The layout read by ``parse_article`` (every part in brackets may be missing)::

    [Key: value lines (URL, Article, Outlet, Captured, Source, ...), then a blank line]
    <title>
    <blank>
    [<standfirst: one paragraph>]
    [2 min read]
    [<published date>]            e.g. "25 May, 2025" or "Published: 25 May 2025"
    Last Update                   or one line: "Last updated: <time>", "Updated <time>"
    <time>                        e.g. "25 May, 2025 17:11 PM"
    [<image caption> [Credit]]
    <blank>
    <body paragraphs separated by blank lines>

Rules and invariants:

- Lines are split on LF only, after CRLF and CR are turned into LF and a leading BOM is
  dropped. Other characters, including right-to-left marks and U+2028, are kept as written.
- Every line is stripped; a line of spaces or tabs is blank. A paragraph is a run of
  non-blank lines, joined with single spaces.
- The first paragraph is a header block only when every line is ``Key: value`` and at least
  one key is recognised, so a title such as "Gaza: talks resume" stays a title. Header keys
  are lower-cased; a repeated key keeps its last value.
- The title is the first line of the first paragraph after the headers; any further lines of
  that paragraph are read as the paragraph that follows the title.
- The metadata lines (read time, published date, Last Update) are looked for in the two
  paragraphs after the title. Lines before the first of them form the standfirst. After the
  Last Update time, the rest of that paragraph is the image caption; a trailing
  ``[Credit]`` becomes ``credit``. Every later paragraph is body.
- One Last Update line only: a second one in those two paragraphs (in the caption, or in the
  paragraph after the metadata run) is refused, since either could be the version's time.
  It counts only when its time reads as a timestamp: one that parses, or one shaped like a
  fast-path date whose values are refused (31 February, a skipped hour, an unsettled zone).
  An editor's note there ("Updated: This story has been updated...", "Updated 17:11 with
  police statement.") is caption or body text. Further down, a Last Update line is body text.
- A title or ``Article:`` header that shows nothing (only spaces, invisible format
  characters such as bidi marks, zero-width spaces and BOMs, blank fillers such as U+3164
  and U+2800, and combining marks with nothing to sit on; ``factcheck.identity``) is refused
  as no title, or as a bad header. Right-to-left titles keep their marks as written.
- A published date is a line that is a date in one of the fast-path layouts of
  ``factcheck.parse.dates`` (also one whose values are refused), or a line of at most 80
  characters labelled "Published"/"Posted" (colon or not) whose rest reads as a timestamp:
  one that parses, or one shaped like a fast-path date whose values are refused (an
  ambiguous zone, a skipped hour). Such a line is metadata, never standfirst or body text,
  whether or not its time can be read: a change in the date rules must not move it into the
  version's text. Its text is kept in ``published_raw``. A labelled line whose rest is prose
  or a relative time ("Posted: 40 people have died...", "Published: 2 hours ago", "Posted:
  Sunday") is standfirst or body text, so its claim is kept. A published time that cannot be
  read or is refused leaves ``published_at`` unknown and the file is still read: the Last
  Update alone places the version, and guessing is worse than not knowing. (Ingest likewise
  leaves an implausible published time unknown, while an implausible Last Update refuses
  the file.) Without a zone of its own the published date is read in the
  zone of the Last Update time (the override when given), which itself falls back to
  ``default_tz``; that zone also settles an ambiguous label, as ``--tz`` does for the Last
  Update.
- "Updated <text>" without a colon is a Last Update line only when the text starts with a
  digit or is a date, so a standfirst that begins "Updated figures show..." stays text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Literal

from factcheck.article import ParsedArticle
from factcheck.errors import InputError, NoLastUpdate
from factcheck.identity import (
    CONTROL_CHARACTERS,
    check_article_key,
    check_page_url,
    invisible_characters,
    shows_nothing,
)
from factcheck.parse.dates import is_timestamp, parse_known_layout, parse_local, parse_timestamp

RECOGNISED_HEADERS = frozenset({"url", "article", "outlet", "captured", "source"})

_HEADER = re.compile(r"([A-Za-z][A-Za-z0-9 _-]{0,39}?)\s*:\s*(.*)")
_LAST_UPDATE = re.compile(r"(?:last\s+updated?|updated)(?:\s+(?:on|at)\b)?\s*(:?)\s*(.*)", re.I)
_PUBLISHED = re.compile(r"(?:published|posted)(?:\s+(?:on|at)\b)?\s*:?\s*(.*)", re.I)
_READ_TIME = re.compile(r"\d+\s*-?\s*min(?:ute)?s?\.?\s+read", re.I)
_CREDIT = re.compile(r"(.*?)\s*\[([^\[\]]*)\]")

# Date lines are short; longer lines skip the date check, which keeps standfirsts cheap.
_MAX_DATE_LINE = 80


# UTF-16 without a byte-order mark: in text that is mostly Latin script, one byte of each
# pair is NUL. A binary file has NULs too, but not lined up in one of the two lanes.
_UTF16_SAMPLE = 4096
_UTF16_LANE_SHARE = 0.9


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4:
        return False
    for lane, other in ((sample[0::2], sample[1::2]), (sample[1::2], sample[0::2])):
        if lane.count(0) >= _UTF16_LANE_SHARE * len(lane) and not other.count(0):
            # The other byte of each pair spells text: a table of small binary numbers has
            # NULs lined up too.
            printable = sum(byte in _TEXT_BYTES for byte in other)
            return printable >= _UTF16_LANE_SHARE * len(other)
    return False


_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0D}


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes as UTF-8 (a BOM is allowed and dropped); normalise line ends.

    Raises ``InputError`` for an empty or whitespace-only file, for UTF-16 (said as such),
    for NUL bytes (binary files), for invalid UTF-8, and for control characters other than
    tab and line ends (an escape sequence stored as text would later drive the terminal it
    is shown on). No other encoding is guessed: a wrong guess would silently corrupt the
    text that claims point into.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        raise InputError("UTF-16 text: save the file as UTF-8")
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    text = _normalise(text)
    if not text.strip():
        raise InputError("empty file")
    control = CONTROL_CHARACTERS.search(text)
    if control is not None:
        raise InputError(
            f"control character U+{ord(control.group()):04X} at offset {control.start()}"
        )
    return text


def parse_article(
    text: str, default_tz: str = "UTC", updated_override: str | None = None
) -> ParsedArticle:
    """Parse the plain-text layout described in the module docstring.

    ``default_tz`` is the IANA zone for times written without one. ``updated_override``
    (``--updated-at``) is the Last Update of a file that has none it can be read from
    (``updated_raw`` keeps it as given); a file's own Last Update always wins.

    Raises ``InputError``: "no title" (also when the text starts with a date, read time or
    Last Update line, or its first line shows nothing), "no body text", "two Last Update
    lines: ...", or the override being unparseable; ``NoLastUpdate``: "no Last Update line
    (use --updated-at)", "no time after the Last Update line", "unparseable Last Update:
    '<raw>': <why>" (also for a time that is refused, such as an ambiguous zone label).
    """
    blocks = _paragraphs(_normalise(text))
    headers = _headers(blocks[0]) if blocks else None
    if headers is not None:
        del blocks[0]
        _check_headers(headers)
    if not blocks:
        raise InputError("no title")
    title, *rest_of_title = blocks[0]
    if _is_head_line(title, default_tz):
        # Taking "25 May, 2025" for the title would store the version under a date-named
        # article; a missing title is the file's fault and is said so.
        raise InputError(f"no title: the text starts with {title!r}")
    if shows_nothing(title):
        raise InputError(f"no title: the first line holds only {invisible_characters(title)}")
    following = ([rest_of_title] if rest_of_title else []) + blocks[1:]

    standfirst: list[str] = []
    head = _Head()
    body = following
    for index, block in enumerate(following[:2]):
        start = next((i for i, line in enumerate(block) if _classify(line, default_tz)), None)
        if start is not None:
            standfirst = [*following[0]] if index == 1 else []
            standfirst += block[:start]
            head = _read_head(block[start:], default_tz)
            body = following[index + 1 :]
            rest_of_window = [line for later in following[index + 1 : 2] for line in later]
            _refuse_second_last_update(head, [*head.caption_lines, *rest_of_window], default_tz)
            break
    if not body:
        raise InputError("no body text")

    caption, credit = " ".join(head.caption_lines), ""
    found = _CREDIT.fullmatch(caption)
    if found:
        caption, credit = found[1], found[2].strip()

    try:
        updated_raw, updated = _last_update(head.updated_raw, default_tz)
    except NoLastUpdate:
        if updated_override is None:
            raise
        updated_raw = updated_override
        try:
            updated = parse_local(updated_override, default_tz)
        except InputError:
            raise InputError(f"unparseable Last Update override: {updated_override!r}") from None
    # A zone-less published date is the newsroom's date: read it where the Last Update says
    # the newsroom is, so "June 5, 2025" beside "June 4, 11:50 p.m. ET" is a New York date.
    published_at = _published_at(head.published_raw, updated.tzinfo or default_tz)

    return ParsedArticle(
        title=title,
        body=tuple(" ".join(lines) for lines in body),
        standfirst=" ".join(standfirst),
        read_time=head.read_time,
        published_raw=head.published_raw,
        published_at=published_at,
        updated_raw=updated_raw,
        updated_at=updated.astimezone(UTC),
        caption=caption,
        credit=credit,
        headers=headers or {},
    )


def _published_at(raw: str, zone: str | tzinfo) -> datetime | None:
    """The published time in UTC; None when there is none, or it cannot be read."""
    if not raw:
        return None
    try:
        return parse_timestamp(raw, zone)
    except InputError:
        # The published date is secondary: refusing the file would lose a version whose Last
        # Update is fine, and a guess would store a time the text never named.
        return None


def _last_update(raw: str | None, default_tz: str) -> tuple[str, datetime]:
    """The file's own Last Update, as written and parsed; ``NoLastUpdate`` when it has none
    that can be read."""
    if raw is None:
        raise NoLastUpdate("no Last Update line (use --updated-at)")
    if not raw:
        raise NoLastUpdate("no time after the Last Update line")
    try:
        return raw, parse_local(raw, default_tz)
    except InputError as error:
        raise NoLastUpdate(f"unparseable Last Update: {raw!r}: {error}") from None


@dataclass
class _Head:
    """The metadata run: read time, published date, Last Update and the caption after it."""

    read_time: str = ""
    published_raw: str = ""
    # None when there is no Last Update line; "" when the line has no time after it.
    updated_raw: str | None = None
    caption_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Meta:
    kind: Literal["read", "published", "update"]
    text: str


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _paragraphs(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _check_headers(headers: dict[str, str]) -> None:
    """Refuse an ``Article:`` or ``URL:`` header that cannot name an article."""
    for name, label, check in (
        ("article", "Article", check_article_key),
        ("url", "URL", check_page_url),
    ):
        if name in headers:
            try:
                headers[name] = check(headers[name])
            except ValueError as error:
                raise InputError(f"{label} header: {error}") from None


def _refuse_second_last_update(head: _Head, lines: list[str], default_tz: str) -> None:
    """Refuse a Last Update line among ``lines`` when ``head`` already has one and the line's
    time reads as a timestamp."""
    if head.updated_raw is None:
        return
    for index, line in enumerate(lines):
        found = _LAST_UPDATE.fullmatch(line)
        if found is None:
            continue
        # The label alone has its time on the next line, as in the metadata run.
        tail = found[2] or (lines[index + 1] if index + 1 < len(lines) else "")
        if tail and _reads_as_time(tail, default_tz):
            raise InputError(f"two Last Update lines: {head.updated_raw!r} and {tail!r}")


def _headers(block: list[str]) -> dict[str, str] | None:
    """The header block's keys and values, or None when ``block`` is not a header block."""
    headers = {}
    for line in block:
        found = _HEADER.fullmatch(line)
        if found is None:
            return None
        headers[found[1].strip().lower()] = found[2]
    return None if RECOGNISED_HEADERS.isdisjoint(headers) else headers


def _classify(line: str, default_tz: str) -> _Meta | None:
    update = _LAST_UPDATE.fullmatch(line)
    if update:
        colon, tail = update.groups()
        if colon or not tail or tail[0].isdigit() or _is_date(tail, default_tz):
            return _Meta("update", tail)
    if _READ_TIME.fullmatch(line):
        return _Meta("read", line)
    if len(line) <= _MAX_DATE_LINE:
        published = _PUBLISHED.fullmatch(line)
        if published:
            # The label alone, colon or not, does not make a date line: "Posted: 40 people
            # have died in the floods" and "Published: 2 hours ago" are the standfirst's text.
            tail = published[1]
            if tail and _reads_as_time(tail, default_tz):
                return _Meta("published", tail)
        elif _is_date(line, default_tz):
            return _Meta("published", line)
    return None


def _is_head_line(line: str, default_tz: str) -> bool:
    """Whether ``line`` can only be part of the metadata run: a read time, a date, or a Last
    Update or published label alone or with a time. "Updated: Marrowby death toll rises" and
    "Posted: a letter from the mayor" are headlines."""
    meta = _classify(line, default_tz)
    if meta is None:
        return False
    text = meta.text
    return meta.kind != "update" or not text or text[0].isdigit() or _is_date(text, default_tz)


def _is_date(text: str, default_tz: str) -> bool:
    try:
        return parse_known_layout(text, default_tz) is not None
    except InputError:
        # A date-shaped but impossible time is still meant as one; it fails later, loudly.
        return True


@lru_cache(maxsize=1024)
def _reads_as_time(text: str, default_tz: str) -> bool:
    """Whether ``text`` is a timestamp rather than prose (``dates.is_timestamp``). Cached:
    the same line is asked about by the classification and again by the metadata run, and
    the slow parser costs hundreds of microseconds. Prose longer than a date line is not
    handed to it."""
    return len(text) <= _MAX_DATE_LINE and is_timestamp(text, default_tz)


def _read_head(lines: list[str], default_tz: str) -> _Head:
    """Read the metadata run at the start of ``lines``; what follows it is the caption."""
    head = _Head()
    i = 0
    while i < len(lines):
        meta = _classify(lines[i], default_tz)
        if meta is None:
            break
        if meta.kind == "update":
            if meta.text:
                head.updated_raw = meta.text
                i += 1
            else:
                head.updated_raw = lines[i + 1] if i + 1 < len(lines) else ""
                i += 2
            break
        if meta.kind == "read" and not head.read_time:
            head.read_time = meta.text
        elif meta.kind == "published" and not head.published_raw:
            head.published_raw = meta.text
        else:
            break
        i += 1
    head.caption_lines = lines[i:]
    return head
