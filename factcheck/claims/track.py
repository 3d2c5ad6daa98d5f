"""Follow claims across the versions of one article; pure (no database, no CLI).

Data model
----------
- A *timeline* is the versions of one article in timeline order (oldest first). Each version
  is a sequence of claims; a claim is anything shaped like ``ClaimLike``
  (``factcheck.claims.extract.ExtractedClaim`` is one). ``(version, claim)`` names one claim
  of one version by its indices in the timeline.
- A ``Lineage`` is one claim followed through the timeline: its ``Occurrence``s in version
  order, and ``removed_from``, the version after its last occurrence when that is not the
  latest version.
- ``Occurrence.change`` says how the claim got into that version: ``"new"`` (first
  occurrence), ``"same"`` (identical sentence up to whitespace), ``"reworded"`` (other words,
  same values), ``"source_changed"`` (same values, another source or speaker),
  ``"value_changed"``, ``"quantity_added"``, ``"quantity_removed"`` (see
  ``classify_change``), or ``"reappeared"`` (absent from the previous version, back now).
  ``value_changes`` lists the quantities that differ from the previous occurrence as
  ``(old, new)`` texts; ``""`` on one side means the quantity has no counterpart. For
  ``"source_changed"`` it holds the one pair of sources instead ("the UN" -> "the WHO").
  ``source_change`` is that pair of sources whenever the source or speaker changed, whatever
  the label: a figure and its source can change in one edit.

Matching
--------
Two claims are compared on their sentences with the numbers masked
(``factcheck.claims.extract.masked``), so "80%" -> "85%" keeps them alike: the similarity is
the Dice coefficient of the two word multisets. Identical sentences pair first; the other
pairs scoring at least ``MATCH_THRESHOLD`` (similarity plus a small paragraph-closeness
bonus) are taken best first across the whole version, each claim at most once. Last, a
sentence edited in place is linked on less: when exactly one old and one new claim are left
between two matched neighbours (or a document edge), with nothing matched across them, they
are paired if their similarity reaches ``IN_PLACE_THRESHOLD``, unless their sources differ or
no figure of one counts what a figure of the other counts. Two leftovers on either side are
rivals, and none of them is paired this way.

Invariants of ``build_lineages``
--------------------------------
- Every ``(version, claim)`` of the timeline is in exactly one lineage, exactly once; a
  lineage has at most one occurrence per version; only a first occurrence is ``"new"``;
  an occurrence is ``"reappeared"`` exactly when the lineage skipped the previous version.
- Lineages are ordered by (first version, first claim index).
- The result is a function of the claims' texts, paragraphs, values and sources only: no
  randomness,
  no dependence on object identity or hash order (ties are broken by indices).
- Prefix stability: versions are processed oldest first and each step looks only backwards,
  so appending a version extends lineages and adds new ones but never re-links earlier
  versions. A version that arrives out of order is handled by recomputing the whole
  timeline; ``assign_ids`` then keeps the stored claim ids stable.

Invariants of ``assign_ids`` and ``keep_ids_by_span``
-----------------------------------------------------
- No id is given to two lineages; every given id comes from ``previous``; every id of
  ``previous`` is either given to a lineage or reported in ``unassigned``, never dropped.
- ``keep_ids_by_span`` only fills in what ``assign_ids`` left: it never moves an id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple, Protocol, TypeVar

from factcheck.claims.extract import PLACEHOLDER, masked, masked_number_words
from factcheck.claims.values import EXACT_QUALIFIERS, RANGE

# Measured on the real revisions in ../shared/corpora (scripts/eval_tracking.py, results in
# docs/eval_tracking.md): the lowest threshold with under one link per 100 claims between
# unrelated pages; lower values keep barely more fluency edits linked and link far more
# unrelated sentences (NewsEdits' 0.44 gives about 6 per 100 with this measure).
MATCH_THRESHOLD = 0.6
# Added to the similarity of a pair in the same paragraph (half of it one paragraph away):
# a hint that decides between near-equal candidates and admits a borderline pair that stayed
# in place, too small to link sentences that share little.
PARAGRAPH_BONUS = 0.05
# Enough for the one old and the one new claim left between the same two matched neighbours:
# a sentence edited where it stood. Measured like MATCH_THRESHOLD plus a check the cross-page
# one cannot make (those pages share almost no neighbours): a claim replaced in its place by
# an unrelated one. 0.5 keeps four more fluency edits and one more meaning-changed edit
# linked, for 0.47 such false links per 100 replacements instead of 0.25; 0.45 keeps no more
# of these edits, and 0.4 keeps two more meaning-changed edits but passes 1 per 100 (1.17).
IN_PLACE_THRESHOLD = 0.5

Change = Literal[
    "new",
    "same",
    "reworded",
    "source_changed",
    "value_changed",
    "quantity_added",
    "quantity_removed",
    "reappeared",
]

K = TypeVar("K", bound=Hashable)


class QuantityLike(Protocol):
    """The parts of an extracted quantity that tracking compares."""

    @property
    def value(self) -> float | int: ...

    @property
    def unit(self) -> str: ...

    @property
    def qualifier(self) -> str:
        """ "" or a hedge ("more than", "at least", "nearly", "about", "up to", "fewer than",
        "range") for a figure; any other word marks a vague amount ("several", "dozens")."""

    @property
    def upper(self) -> float | int | None: ...

    @property
    def text(self) -> str: ...


class ClaimLike(Protocol):
    """The parts of an extracted claim that tracking reads."""

    @property
    def text(self) -> str: ...

    @property
    def paragraph(self) -> int: ...

    @property
    def values(self) -> Sequence[QuantityLike]: ...

    @property
    def source(self) -> str: ...


class Occurrence(NamedTuple):
    """One appearance of a lineage's claim: ``timeline[version][claim]``."""

    version: int
    claim: int
    change: Change
    value_changes: tuple[tuple[str, str], ...] = ()
    source_change: tuple[str, str] | None = None


@dataclass(frozen=True)
class Lineage:
    """One claim across the timeline."""

    occurrences: tuple[Occurrence, ...]
    removed_from: int | None


@dataclass(frozen=True)
class IdAssignment:
    """The result of ``assign_ids``.

    ``ids[i]`` is the existing id that lineage ``i`` keeps, or ``None`` when it needs a fresh
    one. ``unassigned`` holds, in ascending order, every previous id given to no lineage:
    its occurrences vanished or now belong to a lineage that kept another id. The caller
    keeps those claims, marked removed, because an id once shown never disappears.
    """

    ids: tuple[int | None, ...]
    unassigned: tuple[int, ...]


# A quantity reduced to what a fact-checker compares; 18 and 18.0 compare (and hash) equal.
_ValueKey = tuple[float | int, float | int | None, str, str]

_Side = tuple[_ValueKey, str] | None  # one side of a value change: (key, display text)
# Hedges that keep a figure precise. Any other qualifier names a vague amount ("several",
# "dozens", "a few"), following the conventions of factcheck.claims.extract.
_HEDGES = EXACT_QUALIFIERS | {"", RANGE}

_TOKEN = re.compile(r"%|[^\W_]+")


# A sentence and its values prepared for comparison: the whitespace-normalised sentence,
# its masked word counts and their total, and each value as (comparison key, display text).
_Content = tuple[str, Counter[str], int, tuple[tuple[_ValueKey, str], ...]]


class _Profile:
    """A claim prepared once for all the comparisons it takes part in."""

    __slots__ = ("paragraph", "size", "source", "text", "tokens", "values")

    def __init__(self, content: _Content, paragraph: int, source: str) -> None:
        self.text, self.tokens, self.size, self.values = content
        self.paragraph = paragraph
        self.source = source


def _render(quantity: QuantityLike) -> str:
    if quantity.text:
        return quantity.text
    number = str(quantity.value)
    if quantity.upper is not None:
        number += f"-{quantity.upper}"
    return " ".join(part for part in (quantity.qualifier, number, quantity.unit) if part)


@lru_cache(maxsize=1 << 16)
def _text_profile(text: str) -> tuple[str, Counter[str], int]:
    """The whitespace-normalised sentence, its masked tokens and their count.

    Cached: successive versions repeat most sentences. Callers never mutate the Counter."""
    tokens = Counter(_TOKEN.findall(masked(text).replace(PLACEHOLDER, " ")))
    return " ".join(text.split()), tokens, sum(tokens.values())


def _content(text: str, values: tuple[QuantityLike, ...]) -> _Content:
    # Numbers (digits, number words, vague amounts) are masked, so a value change does not
    # lower the similarity; counted nouns and hedges stay, so "18 troops" and "18 civilians"
    # still differ. The placeholder itself is dropped too: nearly every claim has a number,
    # and counting it as a shared word made unrelated claims look alike.
    normalised, tokens, size = _text_profile(text)
    keyed = tuple(
        ((q.value, q.upper, q.unit.strip().lower(), q.qualifier.strip().lower()), _render(q))
        for q in values
    )
    return normalised, tokens, size, keyed


def _profile(claim: ClaimLike) -> _Profile:
    return _Profile(_content(claim.text, tuple(claim.values)), claim.paragraph, claim.source)


class _Profiler:
    """Profiles for one timeline. Successive versions repeat most claims, and the extractor
    hands every version that repeats a paragraph the very same text and values objects: a
    claim whose text was last seen with the identical values object reuses that content,
    found by identity, without hashing or comparing the values."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[object, _Content]] = {}

    def __call__(self, claim: ClaimLike) -> _Profile:
        values = claim.values
        seen = self._seen.get(claim.text)
        if seen is None or seen[0] is not values:
            seen = self._seen[claim.text] = (values, _content(claim.text, tuple(values)))
        return _Profile(seen[1], claim.paragraph, claim.source)


def _similarity(a: _Profile, b: _Profile) -> float:
    """Dice coefficient of the masked token multisets, in [0, 1]."""
    if a.text == b.text:
        return 1.0
    if not a.size or not b.size:
        return 0.0
    # The multiset intersection, counted without building a Counter (``&`` allocates one
    # per pair, and a version pair can mean thousands of pairs).
    small, large = (a.tokens, b.tokens) if len(a.tokens) <= len(b.tokens) else (b.tokens, a.tokens)
    common = 0
    for token, count in small.items():
        other = large.get(token, 0)
        common += count if count < other else other
    return 2.0 * common / (a.size + b.size)


_REPEATED = -1


def _match(
    old: Sequence[_Profile],
    new: Sequence[_Profile],
    threshold: float,
    paragraph_bonus: float,
) -> list[tuple[int, int, float]]:
    # Every candidate pair is scored before any is accepted, so a sentence goes to its best
    # partner anywhere in the version, not to the first one good enough. Identical sentences
    # rank before every other pair, so they are paired first (found through dicts) and only
    # the sentences left over are compared word by word: versions mostly repeat themselves.
    def bonus(i: int, j: int) -> float:
        return paragraph_bonus * max(0.0, 1.0 - abs(old[i].paragraph - new[j].paragraph) / 2)

    # Each text's position on either side, or _REPEATED when the side has it more than
    # once: a text found once on each side has no rival for its pair, and only repeated
    # texts need ranking. No list is built per sentence, which mattered: this runs for
    # every claim of every version.
    new_at: dict[str, int] = {}
    for j, b in enumerate(new):
        new_at[b.text] = _REPEATED if b.text in new_at else j
    old_at: dict[str, int] = {}
    for i, a in enumerate(old):
        if a.text in new_at:
            old_at[a.text] = _REPEATED if a.text in old_at else i
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for text, old_position in old_at.items():
        new_position = new_at[text]
        if _REPEATED not in (old_position, new_position):
            ranked = [(0.0, old_position, new_position)]
        else:
            # Pairs of different sentences never compete, so each sentence's copies are
            # ranked among themselves: nearest paragraphs first, then by position.
            olds = [k for k, a in enumerate(old) if a.text == text]
            news = [k for k, b in enumerate(new) if b.text == text]
            ranked = sorted((-bonus(i, j), i, j) for i in olds for j in news)
        for _, i, j in ranked:
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                pairs.append((i, j, 1.0))
    if len(used_new) == len(new):
        return pairs  # the usual case: every sentence kept its wording
    free_new = [j for j in range(len(new)) if j not in used_new]
    candidates: list[tuple[float, int, int, float]] = []
    for i, a in enumerate(old):
        if i in used_old:
            continue
        for j in free_new:
            b = new[j]
            extra = bonus(i, j)
            # Dice can be no higher than this when every word of the shorter sentence
            # matches; pairs that cannot reach the threshold skip the word count.
            sizes = a.size + b.size
            if sizes and 2.0 * min(a.size, b.size) / sizes + extra < threshold:
                continue
            similarity = _similarity(a, b)
            if similarity + extra >= threshold:
                candidates.append((-(similarity + extra), i, j, similarity))
    candidates.sort()
    for _, i, j, similarity in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j, similarity))
    return pairs


def _in_place(
    old: Sequence[_Profile],
    new: Sequence[_Profile],
    pairs: Sequence[tuple[int, int, float]],
    used_new: AbstractSet[int],
    floor: float,
) -> list[tuple[int, int, float]]:
    """The leftover pairs alone between the same two matched neighbours, at ``floor``.

    ``old`` and ``new`` are in document order. Matched pairs, walked in old order, bound the
    gaps; a gap holding one old and one new claim is a sentence edited where it stood. Any
    rival, a second leftover or a pair matched across the gap, leaves it to the threshold."""
    found: list[tuple[int, int, float]] = []
    before_old = before_new = -1
    for i, j in [*sorted((i, j) for i, j, _ in pairs), (len(old), len(new))]:
        if i - before_old == 2 and j - before_new == 2 and before_new + 1 not in used_new:
            a, b = old[i - 1], new[j - 1]
            similarity = _similarity(a, b)
            if similarity >= floor and not _other_claim(a, b):
                found.append((i - 1, j - 1, similarity))
        before_old, before_new = i, j
    return found


def _other_claim(old: _Profile, new: _Profile) -> bool:
    """Whether two sentences in the same place say something else, whatever their words
    share: another source, or figures of which none counts the same thing ("60 millimetres"
    of rain against "3,000 homes"). A lower threshold is only safe with neither."""
    if other_source(old.source, new.source):
        return True
    old_units = {key[2] for key, _ in old.values}
    new_units = {key[2] for key, _ in new.values}
    return bool(old_units) and bool(new_units) and old_units.isdisjoint(new_units)


def match_claims(
    old: Sequence[ClaimLike],
    new: Sequence[ClaimLike],
    *,
    threshold: float = MATCH_THRESHOLD,
    paragraph_bonus: float = PARAGRAPH_BONUS,
    in_place_threshold: float = IN_PLACE_THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Pair claims of two versions, best pairs first; each claim is in at most one pair.

    Returns ``(old_index, new_index, similarity)`` in the order the pairs were accepted:
    identical sentences first, then by decreasing score, then the sentences edited in place
    in document order. ``similarity`` is the Dice coefficient of the two sentences' word
    multisets with quantities masked (1.0 for identical sentences); the score that ranks
    pairs and is compared with ``threshold`` adds ``paragraph_bonus`` for the same paragraph
    and half of it for an adjacent one. A claim left alone with one other between the same
    matched neighbours (see the module docstring) is paired with it when their similarity
    reaches ``in_place_threshold``; at ``threshold`` or above this pairs nothing more.
    """
    old_profiles, new_profiles = [_profile(c) for c in old], [_profile(c) for c in new]
    pairs = _match(old_profiles, new_profiles, threshold, paragraph_bonus)
    if in_place_threshold < threshold and len(pairs) < len(old):
        used_new = {j for _, j, _ in pairs}
        pairs += _in_place(old_profiles, new_profiles, pairs, used_new, in_place_threshold)
    return pairs


def _unpaired(
    values: Sequence[tuple[_ValueKey, str]], others: Sequence[tuple[_ValueKey, str]]
) -> list[tuple[_ValueKey, str]]:
    """``values`` without those that ``others`` has too (as multisets, by key), in order."""
    left: dict[_ValueKey, int] = {}
    for key, _ in others:
        left[key] = left.get(key, 0) + 1
    rest: list[tuple[_ValueKey, str]] = []
    for key, text in values:
        if left.get(key):
            left[key] -= 1
        else:
            rest.append((key, text))
    return rest


def _changed_values(old: _Profile, new: _Profile) -> list[tuple[_Side, _Side]]:
    """The quantities that differ, as (old, new) pairs; ``None`` where one has no partner."""
    # Quantities present on both sides (as a multiset, by key) are unchanged. The rest are
    # paired in order, same unit first, so "15 dead, 30 injured" -> "16 dead, 31 injured"
    # gives 15->16 and 30->31, and a new "$6m" is not paired with an old "80%".
    old_only = _unpaired(old.values, new.values)
    new_only = _unpaired(new.values, old.values)
    partner: dict[int, int] = {}
    for same_unit in (True, False):
        for i, (old_key, _) in enumerate(old_only):
            if i in partner:
                continue
            for j, (new_key, _) in enumerate(new_only):
                if j not in partner.values() and (new_key[2] == old_key[2] or not same_unit):
                    partner[i] = j
                    break
    pairs: list[tuple[_Side, _Side]] = [
        (value, new_only[partner[i]] if i in partner else None) for i, value in enumerate(old_only)
    ]
    pairs.extend((None, value) for j, value in enumerate(new_only) if j not in partner.values())
    return pairs


def _precision(side: _Side) -> int:
    """0 for no quantity, 1 for a vague amount ("several", "dozens"), 2 for a figure."""
    if side is None:
        return 0
    return 2 if side[0][3] in _HEDGES else 1


Classification = tuple[Change, tuple[tuple[str, str], ...], tuple[str, str] | None]


def _classify(old: _Profile, new: _Profile) -> Classification:
    if old.text == new.text:
        return "same", (), None
    # Who says it matters as much as what is said: "according to the UN" becoming
    # "according to Israeli officials" is not a mere rewording, even when a figure changed too.
    sources = (old.source, new.source) if other_source(old.source, new.source) else None
    pairs = _changed_values(old, new)
    changes = tuple((a[1] if a else "", b[1] if b else "") for a, b in pairs)
    if not pairs:
        if sources is not None:
            return "source_changed", (sources,), sources
        return "reworded", (), None
    if all(_precision(b) > _precision(a) for a, b in pairs):
        return "quantity_added", changes, sources
    if all(_precision(b) < _precision(a) for a, b in pairs):
        return "quantity_removed", changes, sources
    return "value_changed", changes, sources


# Words that say nothing about who the source is wherever they stand: articles.
_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "for", "s"})
# Words that say how many, not who, when they open a source: "several residents" and "some
# residents", "12 witnesses" and "15 witnesses", "the 2,000 respondents" are one source each.
_HOW_MANY = frozenset({"some", "many", "more", "other", "all", "about", "around", "nearly"})
_YEAR_DIGITS = 4
# Words that agree on this many first letters are one word spelt or inflected otherwise:
# "Silva"/"Silvia", "council"/"councils", "Israel"/"Israeli".
_SAME_STEM = 4


def other_source(old: str, new: str) -> bool:
    """Whether two named sources name someone else: each has a word the other lacks, as
    "Israeli officials" and "Palestinian officials", or "the health ministry" and "the
    interior ministry". One that only names the other more fully ("the agency", "the
    Eastvale civil defence agency"), a spelling fix ("da Silva", "da Silvia") and an
    acronym ("the WHO", "the World Health Organization") are the same source.

    A source that appears or goes counts for nothing: on real revisions
    (docs/eval_tracking.md) that came from the extractor reading another part of a reworded
    sentence far more often than from a new source."""
    old_words, new_words = _source_words(old), _source_words(new)
    if not old_words or not new_words or "".join(old_words) == "".join(new_words):
        return False
    if not any(not _near(word, new_words) for word in old_words):
        return False
    if not any(not _near(word, old_words) for word in new_words):
        return False
    return not (_acronym_of(old_words, new) or _acronym_of(new_words, old))


def _source_words(source: str) -> list[str]:
    """The words that say who a source is. Counts are dropped only where they open it, so
    numbers in a name stay: "G7 leaders", "Channel 4", "the Group of Seven", "a 2019 study"."""
    words = _TOKEN.findall(source.casefold())
    start = 0
    while start < len(words) and (
        words[start] in _FUNCTION_WORDS
        or words[start] in _HOW_MANY
        or (words[start].isdigit() and len(words[start]) != _YEAR_DIGITS)
        or masked_number_words(words[start]) == PLACEHOLDER
    ):
        start += 1
    return [word for word in words[start:] if word not in _FUNCTION_WORDS]


def _near(word: str, words: list[str]) -> bool:
    if word in words:
        return True
    stem = word[:_SAME_STEM]
    return len(stem) == _SAME_STEM and any(other.startswith(stem) for other in words)


def _acronym_of(words: list[str], source: str) -> bool:
    """Whether ``words`` is one word spelling the initials of ``source``'s capitalised words."""
    initials = "".join(word[0] for word in _TOKEN.findall(source) if word[0].isupper())
    return len(words) == 1 and len(initials) > 1 and words[0] == initials.casefold()


def classify_change(old: ClaimLike, new: ClaimLike) -> Classification:
    """Label how ``new`` differs from the matched ``old`` claim, with the value changes.

    ``"same"`` for identical text (up to whitespace). Otherwise the normalised values
    (value, upper bound, unit, qualifier) are compared as multisets and the differing ones
    paired (same unit first, then in order). No difference is ``"source_changed"`` when
    both name a source and each has a word the other lacks (``other_source``; the pair is
    then the two sources), else ``"reworded"``. When every pair gains precision (nothing
    -> a vague amount -> a figure) it is ``"quantity_added"`` ("several leaders" -> "more
    than 130 leaders"); when every pair loses it, ``"quantity_removed"``; anything else is
    ``"value_changed"``. The second item lists the pairs as ``(old text, new text)``, ``""``
    for a missing side. The third is the pair of sources when they name someone else
    (whatever the label), else ``None``.
    """
    return _classify(_profile(old), _profile(new))


def build_lineages(
    timeline: Sequence[Sequence[ClaimLike]],
    *,
    threshold: float = MATCH_THRESHOLD,
    paragraph_bonus: float = PARAGRAPH_BONUS,
    in_place_threshold: float = IN_PLACE_THRESHOLD,
) -> list[Lineage]:
    """Link the claims of consecutive versions into lineages (see the module invariants).

    For each version after the first, its claims are matched with the previous version's
    claims at the threshold; a matched claim continues that lineage with the label of
    ``classify_change``. Claims left over are then matched, by the same rules, against the
    last occurrence of every lineage absent from the previous version ("reappeared"), and
    only then is the in-place pass of ``match_claims`` run on what is still left, so that a
    sentence coming back is never taken for the edit of a neighbour. The rest start new
    lineages.
    """
    profile = _Profiler()
    profiles = [[profile(c) for c in version] for version in timeline]
    chains: list[list[Occurrence]] = []
    for v, version in enumerate(profiles):
        unmatched = list(range(len(version)))
        if v:
            # Every claim of the previous version ends exactly one lineage: placed by claim,
            # they are in document order, which the in-place pass reads. Lineages absent from
            # it have no neighbours to be in place between.
            active: list[list[Occurrence]] = [[] for _ in profiles[v - 1]]
            absent: list[list[Occurrence]] = []
            for chain in chains:
                if chain[-1].version == v - 1:
                    active[chain[-1].claim] = chain
                else:
                    absent.append(chain)
            last = profiles[v - 1]
            # Best pairs first with the previous version, then returning claims, and only then
            # the sentences edited in place: a sentence that comes back word for word must
            # not be taken, on less evidence, as the edit of a neighbour's leftover.
            linked: list[tuple[int, int, float]] = []
            if active and unmatched:
                linked = _match(last, version, threshold, paragraph_bonus)
                for i, j, _ in linked:
                    active[i].append(Occurrence(v, j, *_classify(last[i], version[j])))
                taken = {j for _, j, _ in linked}
                unmatched = [j for j in unmatched if j not in taken]
            if absent and unmatched:
                gone = [profiles[chain[-1].version][chain[-1].claim] for chain in absent]
                pool = [version[j] for j in unmatched]
                pairs = _match(gone, pool, threshold, paragraph_bonus)
                for i, j, _ in pairs:
                    _, value_changes, sources = _classify(gone[i], pool[j])
                    absent[i].append(
                        Occurrence(v, unmatched[j], "reappeared", value_changes, sources)
                    )
                taken = {unmatched[j] for _, j, _ in pairs}
                unmatched = [j for j in unmatched if j not in taken]
            if active and unmatched and in_place_threshold < threshold:
                free = set(unmatched)
                used = {j for j in range(len(version)) if j not in free}
                for i, j, _ in _in_place(last, version, linked, used, in_place_threshold):
                    active[i].append(Occurrence(v, j, *_classify(last[i], version[j])))
                    unmatched.remove(j)
        # New lineages are created in increasing (version, claim) order, which is the order
        # the result promises.
        chains.extend([Occurrence(v, j, "new")] for j in unmatched)
    latest = len(timeline) - 1
    return [
        Lineage(
            occurrences=tuple(chain),
            removed_from=None if chain[-1].version == latest else chain[-1].version + 1,
        )
        for chain in chains
    ]


def lineage_keys(lineages: Iterable[Lineage], keys: Sequence[Sequence[K]]) -> list[frozenset[K]]:
    """Translate each lineage's positions into caller-supplied occurrence keys.

    ``keys[version][claim]`` is an opaque, stable key for that claim of that version, e.g.
    ``(version_id, sentence_start)``: unlike timeline positions it does not change when a
    version is inserted earlier in the timeline. Keys must be distinct.
    """
    per_lineage = [[keys[o.version][o.claim] for o in lineage.occurrences] for lineage in lineages]
    # Two positions sharing a key would make overlaps count one occurrence twice.
    if sum(map(len, per_lineage)) != len({key for lineage in per_lineage for key in lineage}):
        raise ValueError("occurrence keys must be distinct")
    return [frozenset(lineage) for lineage in per_lineage]


def assign_ids(
    lineages: Sequence[AbstractSet[K]],
    previous: Mapping[int, AbstractSet[K]],
    reviewed: AbstractSet[int] = frozenset(),
) -> IdAssignment:
    """Map recomputed lineages onto stored claim ids so that ids stay stable.

    ``lineages`` are the recomputed lineages as sets of occurrence keys (``lineage_keys``);
    ``previous`` maps each stored claim id to the keys of its stored occurrences (an empty
    set for a claim already marked removed). Each lineage gets a stored id whose keys
    overlap it; pairs are taken greedily, each id and each lineage used once: first the ids
    in ``reviewed`` (claims with a standing verdict), then the others, each group largest
    overlap first, ties to the smallest id and then the earliest lineage. A verdict so
    follows its sentence when a late version joins two stored claims into one lineage, and
    the id left over is the unreviewed one. Lineages that overlap no free id get ``None``:
    the caller issues fresh ids for them.
    """
    owners: dict[K, list[int]] = {}
    for claim_id in sorted(previous):
        for key in previous[claim_id]:
            owners.setdefault(key, []).append(claim_id)
    overlaps: Counter[tuple[int, int]] = Counter()
    for index, lineage in enumerate(lineages):
        for key in lineage:
            for claim_id in owners.get(key, ()):
                overlaps[index, claim_id] += 1
    ids: list[int | None] = [None] * len(lineages)
    used = _take_greedily(overlaps, reviewed, ids, set(previous))
    return IdAssignment(ids=tuple(ids), unassigned=tuple(sorted(set(previous) - used)))


def _take_greedily(
    overlaps: Counter[tuple[int, int]],
    reviewed: AbstractSet[int],
    ids: list[int | None],
    free: AbstractSet[int],
) -> set[int]:
    """Give each lineage without an id the free id it overlaps most, each id once: ids with
    a standing verdict first, then larger overlaps, smaller ids, earlier lineages. Fills
    ``ids`` in place and returns the ids it gave."""
    ranked = sorted(
        overlaps.items(),
        key=lambda item: (item[0][1] not in reviewed, -item[1], item[0][1], item[0][0]),
    )
    used: set[int] = set()
    for (index, claim_id), _ in ranked:
        if ids[index] is None and claim_id in free and claim_id not in used:
            ids[index] = claim_id
            used.add(claim_id)
    return used


SpanKey = tuple[int, int, int]  # (version id, start, end)


def keep_ids_by_span(
    assignment: IdAssignment,
    lineages: Sequence[AbstractSet[SpanKey]],
    previous: Mapping[int, AbstractSet[SpanKey]],
    reviewed: AbstractSet[int] = frozenset(),
) -> IdAssignment:
    """Give the ids ``assign_ids`` left unassigned to the lineages it left without one
    whose sentences overlap theirs in the same version.

    Exact keys only stop matching when the same stored version is cut into sentences
    differently, which happens when the extractor changes: a quotation of two sentences that
    is now read as one, a quote followed by its attribution. Without this the claim would
    come back under a fresh id and the verdict stay behind on an emptied one. The overlap of
    a lineage and an id is the number of versions in which a span of one overlaps a span of
    the other; pairs are taken as in ``assign_ids`` (verdicts first, then largest overlap,
    smallest id, earliest lineage). Within a version the sentences of one extractor never
    overlap, so with an unchanged extractor an overlap is an exact match that ``assign_ids``
    has already paired, and this finds nothing.
    """
    free_ids = set(assignment.unassigned)
    if not free_ids or None not in assignment.ids:
        return assignment
    stored: dict[int, list[tuple[int, int, int]]] = {}
    for claim_id in sorted(free_ids):
        for version, start, end in previous[claim_id]:
            stored.setdefault(version, []).append((start, end, claim_id))
    overlaps: Counter[tuple[int, int]] = Counter()
    for index, lineage in enumerate(lineages):
        if assignment.ids[index] is not None:
            continue
        touched = {
            (version, claim_id)
            for version, start, end in lineage
            for other_start, other_end, claim_id in stored.get(version, ())
            if start < other_end and other_start < end
        }
        for _, claim_id in touched:
            overlaps[index, claim_id] += 1
    ids = list(assignment.ids)
    used = _take_greedily(overlaps, reviewed, ids, free_ids)
    return IdAssignment(ids=tuple(ids), unassigned=tuple(sorted(free_ids - used)))
