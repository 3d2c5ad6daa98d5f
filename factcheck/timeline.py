"""The timeline of an article: its versions in Last Update order, numbered from 1.

Pure: works on any objects that carry ``updated_at``, ``captured_at``, ``published_at`` and
``content_hash``, so the same code orders database rows and test values.

Invariants:
- Order is by ``updated_at``, then ``captured_at`` (unknown capture times first), then
  ``content_hash``. Every key is a property of the content, never of ingest order, so any
  permutation of the same versions gives the same timeline.
- Numbers are positions in that order (1 = oldest); they are computed, never stored, so a
  version that arrives late slots into its place.
- A *stealth edit* is a version whose Last Update equals the one before it while its content
  differs (every stored version of an article has distinct content).
- A *backdated* version has a Last Update earlier than its own published date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Protocol, TypeVar

from factcheck.errors import NotFoundError, UsageError

HASH_PREFIX_MIN = 4


class Timed(Protocol):
    @property
    def updated_at(self) -> datetime: ...
    @property
    def captured_at(self) -> datetime | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def content_hash(self) -> str: ...


T = TypeVar("T", bound=Timed)


@dataclass(frozen=True)
class Placed(Generic[T]):
    """A version with its place in the timeline and the flags that place implies."""

    number: int
    version: T
    stealth_edit: bool
    backdated: bool


def flag_names(stealth_edit: bool, backdated: bool) -> list[str]:
    """The flags as shown in listings: ``stealth-edit``, ``backdated``."""
    named = (("stealth-edit", stealth_edit), ("backdated", backdated))
    return [name for name, on in named if on]


def _order_key(version: Timed) -> tuple[datetime, int, datetime, str]:
    captured = version.captured_at
    return (
        version.updated_at,
        0 if captured is None else 1,
        captured or version.updated_at,
        version.content_hash,
    )


def build_timeline(versions: Sequence[T]) -> list[Placed[T]]:
    ordered = sorted(versions, key=_order_key)
    placed: list[Placed[T]] = []
    for index, version in enumerate(ordered):
        previous = ordered[index - 1] if index else None
        placed.append(
            Placed(
                number=index + 1,
                version=version,
                stealth_edit=previous is not None and previous.updated_at == version.updated_at,
                backdated=version.published_at is not None
                and version.updated_at < version.published_at,
            )
        )
    return placed


def select_version(timeline: Sequence[Placed[T]], ref: str, *, article: str) -> Placed[T]:
    """Find a version by number (1 = oldest, negative counts from the end), ``latest``,
    ``first`` or a content-hash prefix of at least four characters. Digits alone are a
    number when the article has a version of that number, else a hash prefix."""
    if not timeline:
        raise NotFoundError(f"article {article!r} has no versions")
    wanted = ref.strip().lower()
    if wanted in {"latest", "last"}:
        return timeline[-1]
    if wanted == "first":
        return timeline[0]
    if wanted.lstrip("-").isdigit():
        number = int(wanted)
        index = number - 1 if number > 0 else len(timeline) + number
        if number != 0 and 0 <= index < len(timeline):
            return timeline[index]
        # Hashes are hex, so a prefix can be all digits ("0845"): one long enough that
        # names no version number is read as a hash prefix.
        if wanted.startswith("-") or len(wanted) < HASH_PREFIX_MIN:
            raise NotFoundError(
                f"article {article!r} has no version {ref} (it has {len(timeline)})"
            )
    if len(wanted) < HASH_PREFIX_MIN or any(c not in "0123456789abcdef" for c in wanted):
        raise UsageError(
            f"bad version {ref!r}: use a number, 'latest' or a hash prefix of "
            f"{HASH_PREFIX_MIN}+ hex digits"
        )
    matches = [placed for placed in timeline if placed.version.content_hash.startswith(wanted)]
    if not matches:
        if wanted.isdigit():
            raise NotFoundError(
                f"article {article!r} has no version {ref} (it has {len(timeline)}) "
                "and no version whose hash starts with it"
            )
        raise NotFoundError(f"article {article!r} has no version with hash {ref}")
    if len(matches) > 1:
        raise UsageError(f"hash prefix {ref} is ambiguous in {article!r}: give more digits")
    return matches[0]
