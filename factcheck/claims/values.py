"""Stored claim values as words, for tables, CSV and reports.

A stored value is the dict ``Quantity.as_dict`` gives, plus the literal ``text``: ``value``
and ``unit`` always, ``qualifier`` and ``upper`` when set. The qualifier is either one of the
canonical hedges below, "range" (then ``upper`` is the top of the range), or a vague phrase
such as "dozens", whose ``value`` is the least the phrase can mean, not a figure the article
gives. A display must keep those apart: "dozens 24 people" would put a number in the
article's mouth.

This module imports nothing heavy: the listing commands render values without loading the
extractor's patterns.
"""

from __future__ import annotations

from collections.abc import Mapping

EXACT_QUALIFIERS = frozenset({"more than", "at least", "nearly", "about", "up to", "fewer than"})
RANGE = "range"


def describe_value(value: Mapping[str, object]) -> str:
    """One stored value as words: ``more than 85 percent``, ``15-25 houses``, and for a vague
    amount its own wording with the least it implies, ``Dozens of people (24 or more)``."""
    qualifier = str(value.get("qualifier") or "")
    unit = str(value.get("unit") or "")
    number = _number(value.get("value"))
    if qualifier == RANGE:
        qualifier = ""
        if value.get("upper") is not None:
            number = f"{number}-{_number(value.get('upper'))}"
    if qualifier and qualifier not in EXACT_QUALIFIERS:
        wording = str(value.get("text") or "") or _vague_phrase(qualifier, unit, value.get("value"))
        return f"{wording} ({number} or more)"
    return " ".join(part for part in (qualifier, number, unit) if part)


# "several hundred" is stored as "several" with the value 300, three of the scale: the
# scale word is read back from the value. The extractor knows these words too, but a listing
# must not pay for loading it.
_SCALE_WORDS = {
    12: "dozen",
    100: "hundred",
    1_000: "thousand",
    1_000_000: "million",
    1_000_000_000: "billion",
    1_000_000_000_000: "trillion",
}
_COUNTED_VAGUELY = frozenset({"several", "a few"})


def _vague_phrase(qualifier: str, unit: str, value: object) -> str:
    """The vague amount rebuilt from its parts, for values stored without their wording:
    "dozens of civilians", "several residents", "several hundred people"."""
    if qualifier in _COUNTED_VAGUELY and isinstance(value, int | float) and value % 3 == 0:
        scale = _SCALE_WORDS.get(int(value) // 3)
        if scale:
            qualifier = f"{qualifier} {scale}"
    if not unit:
        return qualifier
    # The plural vague amounts are nouns themselves and take "of"; "several" and "a few
    # thousand" qualify the noun directly.
    return f"{qualifier} of {unit}" if qualifier.endswith("s") else f"{qualifier} {unit}"


def _number(number: object) -> str:
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return f"{number:,}" if isinstance(number, int | float) else str(number)
