"""Tolerant timestamps: article date lines in, timezone-aware datetimes out.

Layouts read by the precompiled fast paths (case-insensitive, surrounding whitespace ignored):

- day first:   ``25 May, 2025 17:11 PM``, ``25 May 2025 at 5:11 pm``, ``Sunday 25th May 2025``
- month first: ``May 25, 2025, 5:11 p.m. ET``, ``Sun, May 25 2025 17:11 GMT``
- time first:  ``5:11 PM EDT, Sun May 25, 2025``, ``17:11, 25 May 2025``
- ISO 8601:    ``2025-05-25``, ``2025-05-25T17:11``, ``2025-05-25 17:11:00.5+03:00``, ``...Z``

Month names may be full or abbreviated ("Sept" too). The time is ``H:MM`` or ``H.MM`` with
optional seconds and an optional am/pm marker (``PM``, ``pm``, ``p.m.``). A leading label
such as ``Last Update``, ``Last updated:``, ``Updated on``, ``Published:`` or ``Posted`` is
ignored. Anything else goes to ``dateparser`` (imported on first use, because importing it is
slow), restricted to absolute dates that name a day, a month and a year.

Invariants and rules:

- ``parse_timestamp`` always returns an aware datetime in UTC. ``parse_local`` returns the
  same instant in the zone it was written in, so a caller can read a neighbouring zone-less
  date (an article's published date) in the same zone.
- A date without a time means midnight. A time without a zone is wall-clock time in
  ``default_tz`` (an IANA name, or a ``tzinfo``).
- An am/pm marker on an hour of 0 or above 12 is ignored: newsroom systems print
  ``17:11 PM`` and mean 17:11.
- Zone labels: ``Z``, ``UTC``, ``GMT`` and numeric offsets (``+0300``, ``+03:00``, ``-05``,
  ``UTC+3``, ``GMT+03:00``) are fixed offsets. ``ET/CT/MT/PT`` and their ``S``/``D`` forms
  name the US zones New York, Chicago, Denver and Los Angeles, ``BST`` names London and
  ``CET/CEST`` name Paris; zoneinfo applies the DST rules. Writers often keep "EST" all year,
  so the label picks the region's wall clock rather than a fixed offset. A standard or
  daylight label only decides which of the two readings of a repeated autumn hour is meant.
- Abbreviations that name zones hours apart in different countries (``IST``: India, Ireland
  or Israel; ``AST``, ``SST``, ``AMT``) are never guessed. Such a label is read in
  ``default_tz`` only when that zone itself calls the written wall time by it (``IST`` with
  Asia/Kolkata; with Europe/Dublin in summer; with Asia/Jerusalem in winter), and picks the
  reading of a repeated autumn hour that bears it. Otherwise it is refused with
  ``InputError``: the writer must give the offset (``+05:30``) or the zone. ``CST``, ``MST``,
  ``PST`` and ``BST`` are also used abroad, but are read as above.
- Wall-clock time in a zone with daylight saving (a label, or ``default_tz``): a time in the
  spring gap, when the clocks went forward, never happened there and is refused with
  ``InputError``. A time in the repeated autumn hour is read as its first occurrence
  (``fold=0``, still daylight time) unless a standard-time label says otherwise.
- All-numeric dates (dateparser path only) are read as they can only be: ``25/05/2025`` day
  first, ``05/25/2025`` month first. One that reads both ways (``04/05/2025``) is refused
  with ``InputError``, as an ambiguous zone is, once dateparser has read the text as a date
  (prose that mentions one stays ``NotADate``). A date may not start with a sign (``-5 May
  2025``): dateparser would skip it.
- Relative dates ("yesterday", "2 hours ago") and dates missing a day, a month or a year are
  rejected: the result must not depend on when the file is read.
- Every result can be converted to UTC: a wall time whose instant falls outside the years 1
  to 9999 there (early on 1 January 1 east of Greenwich, late on 31 December 9999 west of
  it) is refused with ``InputError`` rather than left to overflow in a caller.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from factcheck.errors import InputError
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=2)

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

_HOUR = timedelta(hours=1)

# Label -> (IANA zone, offset the label promises or None for a generic regional label).
_ZONE_LABELS: dict[str, tuple[str, timedelta | None]] = {
    "ET": ("America/New_York", None),
    "EST": ("America/New_York", -5 * _HOUR),
    "EDT": ("America/New_York", -4 * _HOUR),
    "CT": ("America/Chicago", None),
    "CST": ("America/Chicago", -6 * _HOUR),
    "CDT": ("America/Chicago", -5 * _HOUR),
    "MT": ("America/Denver", None),
    "MST": ("America/Denver", -7 * _HOUR),
    "MDT": ("America/Denver", -6 * _HOUR),
    "PT": ("America/Los_Angeles", None),
    "PST": ("America/Los_Angeles", -8 * _HOUR),
    "PDT": ("America/Los_Angeles", -7 * _HOUR),
    "BST": ("Europe/London", _HOUR),
    "CET": ("Europe/Paris", _HOUR),
    "CEST": ("Europe/Paris", 2 * _HOUR),
}

# Label -> the zones it names, each as (where, UTC offset); the first is the example offset
# the error suggests. dateparser would silently take one of them (IST as Israel).
_AMBIGUOUS_LABELS: dict[str, tuple[tuple[str, str], ...]] = {
    "IST": (("India", "+05:30"), ("Ireland", "+01:00"), ("Israel", "+02:00")),
    "AST": (("Arabia", "+03:00"), ("Atlantic", "-04:00")),
    "SST": (("Singapore", "+08:00"), ("Samoa", "-11:00")),
    "AMT": (("Armenia", "+04:00"), ("Amazon", "-04:00")),
}

_LABEL = (
    r"(?:(?:last\s+updated?|updated|published|posted|last\s+modified|modified)"
    r"(?:\s+(?:on|at)\b)?\s*:?\s*)?"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?"
)
_MONTH = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<y>\d{4})"
_TIME = (
    r"(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?"
)
_ZONE = (
    r"(?P<tz>z|utc|gmt|[ecmp][sd]?t|bst|cest|cet|ist|ast|sst|amt"
    r"|(?:(?:utc|gmt)\s*)?[+-]\d{1,2}(?::?\d{2})?)"
)
_TIME_ZONE = rf"{_TIME}(?:\s*{_ZONE})?"
_SEP = r"(?:\s*,\s*|\s+at\s+|\s*[-–—|@]\s*|\s+)"
_DMY = rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
_MDY = rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}"

_FLAGS = re.IGNORECASE
_ISO_RE = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})"
    r"(?:[t ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    rf"(?:\s*{_ZONE})?)?",
    _FLAGS,
)
# Each must match the whole string; day first comes first because the seed uses it.
_LAYOUTS = (
    re.compile(rf"{_WEEKDAY}{_DMY}(?:{_SEP}{_TIME_ZONE})?", _FLAGS),
    re.compile(rf"{_WEEKDAY}{_MDY}(?:{_SEP}{_TIME_ZONE})?", _FLAGS),
    re.compile(rf"{_TIME_ZONE}{_SEP}{_WEEKDAY}{_DMY}", _FLAGS),
    re.compile(rf"{_TIME_ZONE}{_SEP}{_WEEKDAY}{_MDY}", _FLAGS),
)
_LABEL_RE = re.compile(_LABEL, _FLAGS)
_OFFSET_RE = re.compile(r"(?:utc|gmt)?\s*([+-])(\d{1,2}):?(\d{2})?", _FLAGS)

_DATEPARSER_LANGUAGES = ["en", "ar", "he", "fr", "de", "es"]
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    # A missing part would be filled from today's date, which is not deterministic.
    "REQUIRE_PARTS": ["day", "month", "year"],
    # No "relative-time" ("2 hours ago") and no bare Unix timestamps.
    "PARSERS": ["custom-formats", "absolute-time"],
    # RETURN_AS_TIMEZONE_AWARE stays unset: a zone-less result must stay naive so that the
    # default zone is applied by zoneinfo below, with the same DST rules as the fast path.
}


class NotADate(InputError):
    """The text is no date at all (prose, a relative time), as against a date that is
    refused (an ambiguous zone, a skipped hour, an impossible day)."""


def is_timestamp(raw: str, default_tz: str | tzinfo = "UTC") -> bool:
    """Whether ``raw`` is meant as a timestamp: it parses, or it is a date whose values are
    refused. A change in what is refused must not turn a date line into text, so only
    ``NotADate`` says no."""
    try:
        parse_local(raw, default_tz)
    except NotADate:
        return False
    except InputError:
        return True
    return True


def parse_timestamp(raw: str, default_tz: str | tzinfo = "UTC") -> datetime:
    """Read one date or date-time; return it as an aware UTC datetime.

    Raises ``InputError`` when the text is not a date, names an impossible one, or
    ``default_tz`` is not a known IANA zone.
    """
    return parse_local(raw, default_tz).astimezone(UTC)


def parse_local(raw: str, default_tz: str | tzinfo = "UTC") -> datetime:
    """Like ``parse_timestamp``, but in the zone the text was written in.

    The ``tzinfo`` is ``UTC`` for Z/UTC/GMT, a fixed ``timezone`` for a numeric offset or a
    zone dateparser recognised, and a ``ZoneInfo`` for a zone label or ``default_tz``.
    """
    found = parse_known_layout(raw, default_tz)
    if found is not None:
        return found
    return _parse_with_dateparser(raw, default_tz)


@lru_cache(maxsize=4096)
def parse_known_layout(raw: str, default_tz: str | tzinfo = "UTC") -> datetime | None:
    """Like ``parse_local`` but only for the fast-path layouts; ``None`` for any other.

    Cheap enough to ask of every short line of an article. Raises ``InputError`` when a
    layout matches but the values are impossible (31 February, 25:00). Results are cached:
    the versions of a story repeat their dates, and parsing one file asks about its
    published date three times (finding it, then reading it in the Last Update's zone).
    """
    text = _strip_label(raw)
    if text[:4].isdigit() and (iso := _ISO_RE.fullmatch(text)):
        return _build(iso, int(iso["mo"]), None, default_tz)
    for layout in _LAYOUTS:
        found = layout.fullmatch(text)
        if found:
            month = _MONTHS[found["mon"][:3].lower()]
            return _build(found, month, found["ap"], default_tz)
    return None


def implausible(moment: datetime, now: datetime | None) -> str:
    """Why ``moment`` is an absurd article time, or ``""`` when it is plausible.

    Accepted: from 1990-01-01T00:00Z (older than any web article) up to and including
    ``now`` plus 2 days (room for clock skew and zone mistakes, not for a typo in the year);
    with no ``now``, any later time. Both must be timezone-aware.
    """
    if moment < EARLIEST_PLAUSIBLE:
        return "before 1990"
    if now is not None and moment > now + LATEST_AHEAD:
        return "more than 2 days ahead"
    return ""


def check_plausible(moment: datetime, now: datetime) -> None:
    """Reject an absurd article time (``implausible``) with ``InputError``."""
    reason = implausible(moment, now)
    if reason:
        raise InputError(f"implausible time {format_utc(moment)}: {reason}")


def _build(
    found: re.Match[str], month: int, meridiem: str | None, default_tz: str | tzinfo
) -> datetime:
    """Turn a fast-path match (groups y, d, h, mi, s, f, tz) into an aware local datetime."""
    hour = int(found["h"] or 0)
    if meridiem and 1 <= hour <= 12:
        hour = hour % 12 + (12 if meridiem in "pP" else 0)
    fraction = found["f"]
    micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
    try:
        naive = datetime(
            int(found["y"]),
            month,
            int(found["d"]),
            hour,
            int(found["mi"] or 0),
            int(found["s"] or 0),
            micro,
        )
    except ValueError as exc:
        raise InputError(f"impossible date or time: {exc}") from None
    return _localise(naive, found["tz"], default_tz)


def _localise(naive: datetime, zone: str | None, default_tz: str | tzinfo) -> datetime:
    if zone is None:
        return _on_the_wall_clock(naive.replace(tzinfo=_default_zone(default_tz)))
    label = zone.upper()
    if label in ("Z", "UTC", "GMT"):
        return naive.replace(tzinfo=UTC)
    if label in _AMBIGUOUS_LABELS:
        return _settle_ambiguous(naive, label, default_tz)
    known = _ZONE_LABELS.get(label)
    if known is None:
        return _on_the_wall_clock(naive.replace(tzinfo=_offset(label)))
    name, promised = known
    local = naive.replace(tzinfo=_zone(name))
    if promised is not None and local.utcoffset() != promised:
        # In the repeated autumn hour the label says which of the two readings is meant.
        other = local.replace(fold=1)
        if other.utcoffset() == promised:
            local = other
    return _on_the_wall_clock(local)


def _on_the_wall_clock(local: datetime) -> datetime:
    """``local``, unless its wall time was skipped when the clocks went forward or its
    instant cannot be written in UTC.

    zoneinfo gives a skipped time an offset anyway, which would store an instant the text
    never named; the round trip through UTC lands on another wall time exactly then.
    """
    zone = local.tzinfo
    assert zone is not None
    try:
        back = local.astimezone(UTC).astimezone(zone)
    except OverflowError:
        # isoformat, because strftime writes year 1 as "1" on some platforms.
        wall = local.replace(tzinfo=None).isoformat(" ", "minutes")
        raise InputError(
            f"impossible date or time: {wall} in {zone} is outside the years 1 to 9999 in UTC"
        ) from None
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise InputError(f"{local:%Y-%m-%d %H:%M} does not exist in {zone}: clocks went forward")
    return local


def _settle_ambiguous(naive: datetime, label: str, default_tz: str | tzinfo) -> datetime:
    """``naive`` in ``default_tz`` when that zone's own name for the time is ``label``."""
    local = naive.replace(tzinfo=_default_zone(default_tz))
    for reading in (local, local.replace(fold=1)):
        if reading.tzname() == label:
            return _on_the_wall_clock(reading)
    zones = _AMBIGUOUS_LABELS[label]
    readings = [f"{where} {utc_offset}" for where, utc_offset in zones]
    raise InputError(
        f"ambiguous time zone {label!r} ({', '.join(readings[:-1])} or {readings[-1]}):"
        f" write the offset instead, e.g. {zones[0][1]}, or give --tz a zone that calls"
        f" that time {label!r}"
    )


def _strip_label(raw: str) -> str:
    text = raw.strip()
    label = _LABEL_RE.match(text)
    return text[label.end() :] if label else text


def _default_zone(default_tz: str | tzinfo) -> tzinfo:
    return default_tz if isinstance(default_tz, tzinfo) else _zone(default_tz)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {name!r}") from None


def _offset(label: str) -> timezone:
    found = _OFFSET_RE.fullmatch(label)
    if found is None:
        raise InputError(f"unknown time zone {label!r}")
    sign, hours, minutes = found.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    if delta >= timedelta(hours=24) or int(minutes or 0) >= 60:
        raise InputError(f"time zone offset out of range {label!r}")
    return timezone(-delta if sign == "-" else delta)


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})\b")
_MONTHS_IN_A_YEAR = 12
# A sign before the date, which dateparser would skip: "-5 May, 2025" is no 5 May.
_LEADING_SIGN = re.compile(r"[-+−–—]+\s*[0-9]")


def _numeric_reading(text: str) -> tuple[str, str]:
    """``text`` with an all-numeric date written day first, as dateparser is set to read it
    ("05/25/2025" can only be month first), and why the date cannot be read at all: a day
    and a month that could be swapped ("04/05/2025": 4 May or April 5), refused, as an
    ambiguous zone is, not guessed. The reason is ``""`` when there is none."""
    found = _NUMERIC_DATE.search(text)
    if found is None:
        return text, ""
    first, separator, second, year = found.groups()
    day_or_month = int(first) <= _MONTHS_IN_A_YEAR and int(second) <= _MONTHS_IN_A_YEAR
    if day_or_month and int(first) != int(second):
        return text, (
            f"ambiguous date {found.group()!r} (day {int(first)} of month {int(second)}, or "
            "the reverse): write the month as a word, or as ISO 8601 (YYYY-MM-DD)"
        )
    if int(second) > _MONTHS_IN_A_YEAR >= int(first):
        swapped = f"{second}{separator}{first}{separator}{year}"
        return text[: found.start()] + swapped + text[found.end() :], ""
    return text, ""


@cache
def _dateparser() -> DateDataParser:
    from dateparser.date import DateDataParser

    return DateDataParser(languages=_DATEPARSER_LANGUAGES, settings=_DATEPARSER_SETTINGS)


def _parse_with_dateparser(raw: str, default_tz: str | tzinfo) -> datetime:
    text = _strip_label(raw)
    if not text:
        raise NotADate("empty date")
    text, refused = _numeric_reading(text)
    # dateparser says first whether this is a date at all: prose that mentions one
    # ("Floods hit the town on 04/05/2025 again.") stays prose.
    found = _dateparser().get_date_data(text).date_obj
    if found is None:
        raise NotADate("not a date with day, month and year")
    if refused:
        raise InputError(refused)
    if _LEADING_SIGN.match(text):
        raise InputError(f"a date cannot start with a sign: {text[:12]!r}")
    offset = found.utcoffset()
    if offset is None:
        # Zone rules come from zoneinfo, as on the fast path, not from dateparser's own tables.
        return _on_the_wall_clock(found.replace(tzinfo=_default_zone(default_tz)))
    label = found.tzname() or ""
    if label in _AMBIGUOUS_LABELS:
        # dateparser has already picked one of the zones; only the wall time is the writer's.
        return _settle_ambiguous(found.replace(tzinfo=None), label, default_tz)
    # dateparser's own tzinfo classes are not safe to reuse for other dates; a fixed offset is.
    return _on_the_wall_clock(found.replace(tzinfo=timezone(offset)))
