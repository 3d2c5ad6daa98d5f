"""Word-level diffs of article versions; pure (no database, no CLI, no rich).

Data model
----------
- An *op* is ``(code, text)`` in diff-match-patch's convention: ``-1`` text only in the old
  version, ``0`` text in both, ``1`` text only in the new version. A diff is a tuple of ops.
- ``diff_texts``/``diff_words`` diff two strings word by word. ``diff_articles`` diffs two
  ``ParsedArticle`` versions into an ``ArticleDiff``: per-field diffs, then the body aligned
  paragraph by paragraph, with only the changed paragraphs diffed word by word.

Invariants of every diff returned here
--------------------------------------
- It reconstructs both sides exactly: ``old_text(ops)`` joins the ``-1``/``0`` texts,
  ``new_text(ops)`` the ``0``/``1`` texts. ``old_paragraphs``, ``new_paragraphs``,
  ``old_fields`` and ``new_fields`` rebuild a whole article version from an ``ArticleDiff``.
- Op boundaries fall on token boundaries only (see ``tokenize``): a word, a whitespace run,
  a punctuation run or a number such as ``2.2``, ``160,000`` or ``80%`` is never split.
- No op has empty text; between two equalities there is at most one deletion followed by at
  most one insertion.
- The result does not depend on machine speed unless ``timed_out`` is set: every call to the
  underlying algorithm runs under ``DIFF_TIMEOUT``, and a call that may have hit it is
  flagged, never silently degraded (``diff_texts`` raises ``DiffTimeoutError`` instead).

How it works
------------
Each distinct token is mapped to one character (diff-match-patch's line-mode trick applied
to tokens), ``diff_main`` runs on the encoded strings, ``diff_cleanupSemantic`` runs on the
encoded diff, and the result is expanded back to text. ``diff_cleanupMerge`` is not run
after expanding because it works on characters and would split words again.

For an article, the body is aligned first with one symbol per paragraph (only paragraphs
that occur in both versions take part; the others are put back as removed or added). In each
run of removed and added paragraphs, identical texts elsewhere become "moved", similar ones
(``PAIR_SIMILARITY``) are paired best-first as "changed" and word-diffed; of what is left in
all runs, similar pairs in any two places are "moved" too, with the word diff of the edit,
and the rest stay removed or added. A cheap precheck (``is_rewrite``) skips the pairing when
the versions share almost nothing, and says so with ``rewrite=True``.

If the C++ binding ``fast_diff_match_patch`` is installed it computes the encoded
``diff_main`` (same encoding, same time limit, same Python semantic cleanup afterwards), which
gives identical ops. ``FACTCHECK_PURE_DIFF=1`` forces the pure-Python path.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from diff_match_patch import diff_match_patch

from factcheck.article import ParsedArticle
from factcheck.errors import FactcheckError

DELETE = -1
EQUAL = 0
INSERT = 1

Op = tuple[int, str]
Ops = tuple[Op, ...]
Status = Literal["same", "changed", "added", "removed", "moved"]

# Seconds one call of the underlying diff algorithm may run. The library default (1 s) would
# make results depend on how fast and how loaded the machine is. Calls here are small: the
# body is aligned with one symbol per shared paragraph and only paragraph pairs that are
# already similar are word-diffed, so a call normally takes well under 10 ms even for a 1 MB
# article.
# The cap is only a safety valve for pathological input (say, two unrelated 1 MB paragraphs
# given to ``diff_texts``); 2 s is far above any normal call and low enough that a command
# still answers. A value <= 0 means no limit.
DIFF_TIMEOUT = 2.0

# Two paragraphs in the same changed run are paired as "changed" (and word-diffed) when the
# Dice coefficient of their word sets reaches this; otherwise they are "removed" + "added".
PAIR_SIMILARITY = 0.5

# Rewrite precheck: a body is reported as rewritten when fewer than REWRITE_KEPT of its
# paragraphs survive unchanged AND the Dice coefficient of the word-trigram sets of the two
# bodies is below REWRITE_SHARED. The second test keeps an article whose paragraphs were all
# lightly touched (a global spelling fix) from being called a rewrite.
REWRITE_KEPT = 0.2
REWRITE_SHARED = 0.25

# At most about this many paragraph pairs are compared for similarity in one changed run.
_MAX_PAIR_CHECKS = 50_000

# Ordered so that a "changed" field list reads the way an article does.
FIELD_NAMES = ("title", "standfirst", "read_time", "caption", "published", "updated")

# Combining marks (Unicode categories Mn, Mc, Me) are not in Python's ``\w``; without them a
# word in Arabic or Hebrew with vowel points, in Devanagari, or with a decomposed accent
# would split at every mark. These blocks hold the marks of the scripts in use today; they
# are scanned on first use (about 3 ms), not kept as a hand-written table. A mark of a rarer
# script outside them only makes a token boundary, never an inexact diff. Marks beyond the
# BMP (Brahmi and other historic scripts) are left out on purpose: one astral range turns
# the character class into a linear list and makes tokenising about 40% slower.
_MARK_BLOCKS = (
    (0x0300, 0x1E00),  # Latin combining marks up to Mongolian, Indic, Southeast Asian
    (0x20D0, 0x2100),  # marks for symbols
    (0x2CEF, 0x2CF2),  # Coptic
    (0x2DE0, 0x2E00),  # Cyrillic extended
    (0x302A, 0x3030),  # CJK tone marks
    (0x3099, 0x309B),  # kana voicing marks
    (0xA66F, 0xAB00),  # Cyrillic, Syloti, Saurashtra, Devanagari, Javanese, Myanmar, Cham...
    (0xABE3, 0xABEE),  # Meetei Mayek
    (0xFB1E, 0xFB1F),  # Hebrew
    (0xFE00, 0xFE10),  # variation selectors
    (0xFE20, 0xFE30),  # half marks
)
# Zero-width (non-)joiners sit inside words in Persian and Indic text.
_JOINERS = "\u200c\u200d"
# Digits with inner "." or ",", or with a no-break, narrow no-break or thin space before
# each group of three ("9\u00a0000", as French and many style guides write thousands).
_NUMBER = r"\d{1,3}(?:[\u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?%?|\d[\d.,]*\d%?|\d%?"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern and the word-token pattern, built on first use.

    A token is a word (letters and marks, no digits, so "x2.2" cannot take half of "2.2"), a
    number (digits with inner "." or "," or grouping spaces; an optional "%"), a whitespace
    run, or a run of
    anything else (a mark right after punctuation stays with it).
    """
    points = [
        code
        for start, stop in _MARK_BLOCKS
        for code in range(start, stop)
        if unicodedata.category(chr(code))[0] == "M"
    ]
    runs: list[list[int]] = []
    for code in points:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    marks = _JOINERS + "".join(f"{chr(a)}-{chr(b)}" if a < b else chr(a) for a, b in runs)
    word = rf"[^\W\d]+(?:[{marks}]+[^\W\d]*)*|[{marks}]+(?:[^\W\d]+[{marks}]*)*"
    return re.compile(rf"{word}|{_NUMBER}|\s+|[^\w\s]+"), re.compile(f"{word}|{_NUMBER}")


# Token codes: code points from _FIRST_CODE upwards, skipping the surrogate range, which a
# Python str can hold but the C++ binding cannot. Over 1.1 million distinct tokens fit.
_FIRST_CODE = 0x100
_SURROGATES = range(0xD800, 0xE000)
_ALPHABET_SIZE = 0x110000 - _FIRST_CODE - len(_SURROGATES)


class DiffTimeoutError(FactcheckError):
    """A word diff hit ``DIFF_TIMEOUT``; its result would not be minimal."""


@dataclass(frozen=True)
class TextDiff:
    """A word diff of two strings and whether the time limit may have cut it short."""

    ops: Ops
    timed_out: bool = False


@dataclass(frozen=True)
class ParagraphDiff:
    """One body paragraph of the diff.

    ``status`` and ``ops``:
    - ``same``: ``((0, text),)``, at ``old_index`` and ``new_index``;
    - ``changed``: a word diff, old paragraph ``old_index`` became new paragraph ``new_index``;
    - ``added``: ``((1, text),)``, ``old_index`` is None;
    - ``removed``: ``((-1, text),)``, ``new_index`` is None;
    - ``moved``: the paragraph at another place, ``old_index`` to ``new_index``:
      ``((0, text),)`` when it moved as it was, else the word diff of the edit made on the
      way. It is listed once, at its new place.
    Indexes are 0-based positions in ``ParsedArticle.body``.
    """

    status: Status
    ops: Ops
    old_index: int | None
    new_index: int | None


@dataclass(frozen=True)
class DiffStats:
    """Counts over the whole diff: every field and every body paragraph.

    Words are the word and number tokens of ``tokenize`` in the text: the body and every
    field but the Last Update, whose change ``fields_changed`` lists; a paragraph moved as it
    was adds or removes none. ``trivial`` is True when there is at least one change and every change
    to the text touches only whitespace and punctuation (no letters, digits, symbols or
    marks, and no move). Newsrooms restamp the Last Update with every republication, so a
    comma fixed under a new time is trivial, and so is a bare restamp.
    """

    words_added: int
    words_removed: int
    paragraphs_added: int
    paragraphs_removed: int
    paragraphs_changed: int
    paragraphs_moved: int
    fields_changed: tuple[str, ...]
    trivial: bool


@dataclass(frozen=True)
class ArticleDiff:
    """The diff of two versions of one article.

    - ``fields``: only the changed fields (names from ``FIELD_NAMES``), each a word diff;
      ``unchanged_fields`` holds the value of every other field, so the two dicts together
      always cover ``FIELD_NAMES`` exactly once.
    - ``paragraphs``: in reading order. Entries with a ``new_index`` appear in increasing
      ``new_index`` order; removed and changed entries appear in increasing ``old_index``
      order; a removed paragraph appears where it stood, before what replaced it.
    - ``rewrite``: the bodies share almost nothing (see ``REWRITE_KEPT``); paragraphs are then
      aligned but not paired or word-diffed, so changed text shows as removed + added.
    - ``timed_out``: some call may have hit ``DIFF_TIMEOUT``; the diff is still exact
      (reconstructable) but may be coarser than the minimal one.
    """

    fields: dict[str, Ops]
    unchanged_fields: dict[str, str]
    paragraphs: tuple[ParagraphDiff, ...]
    stats: DiffStats
    timed_out: bool = False
    rewrite: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.fields) or any(p.status != "same" for p in self.paragraphs)


# --- tokens and reconstruction ---------------------------------------------------------------


def tokenize(text: str) -> list[str]:
    """Split text into word, number, whitespace and punctuation tokens; they join back to it."""
    return _patterns()[0].findall(text)


def count_words(text: str) -> int:
    """The number of word and number tokens in text."""
    return len(_patterns()[1].findall(text))


def old_text(ops: Iterable[Op]) -> str:
    """The old side of a diff."""
    return "".join(text for code, text in ops if code != INSERT)


def new_text(ops: Iterable[Op]) -> str:
    """The new side of a diff."""
    return "".join(text for code, text in ops if code != DELETE)


def old_paragraphs(diff: ArticleDiff) -> tuple[str, ...]:
    """The old body, rebuilt from the diff."""
    placed = [(p.old_index, old_text(p.ops)) for p in diff.paragraphs if p.old_index is not None]
    return tuple(text for _, text in sorted(placed))


def new_paragraphs(diff: ArticleDiff) -> tuple[str, ...]:
    """The new body, rebuilt from the diff."""
    placed = [(p.new_index, new_text(p.ops)) for p in diff.paragraphs if p.new_index is not None]
    return tuple(text for _, text in sorted(placed))


def old_fields(diff: ArticleDiff) -> dict[str, str]:
    """Every field of the old version, in ``FIELD_NAMES`` order."""
    return _side_fields(diff, old_text)


def new_fields(diff: ArticleDiff) -> dict[str, str]:
    """Every field of the new version, in ``FIELD_NAMES`` order."""
    return _side_fields(diff, new_text)


def _side_fields(diff: ArticleDiff, side: Callable[[Ops], str]) -> dict[str, str]:
    values = {}
    for name in FIELD_NAMES:
        ops = diff.fields.get(name)
        values[name] = side(ops) if ops is not None else diff.unchanged_fields[name]
    return values


def article_fields(article: ParsedArticle) -> dict[str, str]:
    """The diffed fields of a version; the caption carries its credit as "caption [credit]"."""
    caption = article.caption
    if article.credit:
        caption = f"{caption} [{article.credit}]" if caption else f"[{article.credit}]"
    return {
        "title": article.title,
        "standfirst": article.standfirst,
        "read_time": article.read_time,
        "caption": caption,
        "published": article.published_raw,
        "updated": article.updated_raw,
    }


# --- the token diff --------------------------------------------------------------------------


def diff_words(a: str, b: str, *, timeout: float = DIFF_TIMEOUT) -> TextDiff:
    """Word diff of two strings, flagged when the time limit may have cut it short."""
    ops, timed_out = _diff_sequences(tokenize(a), tokenize(b), timeout, semantic=True)
    return TextDiff(tuple((code, "".join(part)) for code, part in ops), timed_out)


def diff_texts(a: str, b: str, *, timeout: float = DIFF_TIMEOUT) -> Ops:
    """Word diff of two strings; raises ``DiffTimeoutError`` rather than return a coarse one."""
    result = diff_words(a, b, timeout=timeout)
    if result.timed_out:
        raise DiffTimeoutError(f"the word diff took longer than {timeout} s")
    return result.ops


def _encode(sequences: Sequence[Sequence[str]]) -> tuple[list[str], dict[str, str]]:
    """Map each distinct item to one character; return the encoded strings and the decoding."""
    distinct = dict.fromkeys(itertools.chain.from_iterable(sequences))
    if len(distinct) > _ALPHABET_SIZE - len(sequences):
        return _encode_overflowing(sequences)
    # Dict and map calls keep the per-token work in C: this runs for every token diffed.
    codes = dict(zip(distinct, _codes(len(distinct)), strict=True))
    encoded = ["".join(map(codes.__getitem__, items)) for items in sequences]
    return encoded, {code: item for item, code in codes.items()}


def _encode_overflowing(
    sequences: Sequence[Sequence[str]],
) -> tuple[list[str], dict[str, str]]:
    """``_encode`` for more distinct items than the alphabet holds (inputs of megabytes).

    From the first item of a sequence that finds the alphabet full, the rest of that sequence
    becomes one item (one code is kept back for each sequence), so the encoding stays exact
    and only its granularity drops.
    """
    codes: dict[str, str] = {}
    encoded = []
    for position, items in enumerate(sequences):
        reserve = len(sequences) - position
        out = []
        for index, item in enumerate(items):
            code = codes.get(item)
            if code is None:
                if len(codes) >= _ALPHABET_SIZE - reserve:
                    tail = "".join(items[index:])
                    code = codes.get(tail) or _code(len(codes))
                    codes[tail] = code
                    out.append(code)
                    break
                code = codes[item] = _code(len(codes))
            out.append(code)
        encoded.append("".join(out))
    return encoded, {code: item for item, code in codes.items()}


def _codes(count: int) -> Iterable[str]:
    """The first ``count`` codes, made in C for the usual case of fewer than 55,000 tokens."""
    below_surrogates = _SURROGATES.start - _FIRST_CODE
    if count <= below_surrogates:
        return map(chr, range(_FIRST_CODE, _FIRST_CODE + count))
    return map(_code, range(count))


def _code(index: int) -> str:
    point = _FIRST_CODE + index
    if point >= _SURROGATES.start:
        point += len(_SURROGATES)
    return chr(point)


def _diff_sequences(
    a: Sequence[str], b: Sequence[str], timeout: float, *, semantic: bool
) -> tuple[list[tuple[int, list[str]]], bool]:
    """Diff two sequences of strings item by item; ops carry lists of items."""
    (encoded_a, encoded_b), decode = _encode([a, b])
    encoded_ops, timed_out = _diff_main(encoded_a, encoded_b, timeout)
    if semantic:
        _SEMANTIC.diff_cleanupSemantic(encoded_ops)
    ops = [(code, list(map(decode.__getitem__, text))) for code, text in encoded_ops]
    return _normalise(ops), timed_out


def _normalise(ops: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Drop empty ops and gather each run of edits into one deletion then one insertion.

    The semantic cleanup can leave two insertions side by side or an insertion before a
    deletion; regrouping whole items never splits a token, unlike ``diff_cleanupMerge``.
    """
    result: list[tuple[int, list[str]]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for code, items in ops:
        if code == DELETE:
            deleted.extend(items)
        elif code == INSERT:
            inserted.extend(items)
        elif items:
            _flush(result, deleted, inserted)
            deleted, inserted = [], []
            if result and result[-1][0] == EQUAL:
                result[-1][1].extend(items)
            else:
                result.append((EQUAL, list(items)))
    _flush(result, deleted, inserted)
    return result


def _flush(result: list[tuple[int, list[str]]], deleted: list[str], inserted: list[str]) -> None:
    if deleted:
        result.append((DELETE, deleted))
    if inserted:
        result.append((INSERT, inserted))


# The semantic cleanup does not look at Diff_Timeout, so one shared instance serves all calls.
_SEMANTIC = diff_match_patch()


def _diff_main(a: str, b: str, timeout: float) -> tuple[list[tuple[int, str]], bool]:
    """``diff_main`` on encoded strings under ``timeout``; returns (diffs, may have timed out).

    Both engines check the clock inside their bisection and bail out, returning a coarse
    "all replaced" piece, once the deadline has passed. So a call that ended before its
    deadline cannot have bailed; one that ended after it is flagged. This is conservative: a
    call that finished just past the deadline without bailing is flagged too.
    """
    fast = _fast()
    if fast is not None and (fast.CHAR_WIDTH >= 4 or max(a + b, default="\0") <= "\uffff"):
        wall, cpu = time.perf_counter(), time.process_time()
        counts = fast.diff(a, b, timelimit=timeout, checklines=False, cleanup="No")
        # The C++ deadline counts process CPU time, so check both clocks.
        timed_out = timeout > 0 and (
            time.perf_counter() - wall >= timeout or time.process_time() - cpu >= timeout
        )
        return _from_counts(a, b, counts), timed_out
    engine = diff_match_patch()
    # A positive timeout also enables the library's deterministic "half match" speed-up;
    # the C++ engine does the same, which keeps the two paths identical.
    engine.Diff_Timeout = timeout
    start = time.time()  # the clock the library's deadline uses
    diffs: list[tuple[int, str]] = engine.diff_main(a, b, False)
    return diffs, timeout > 0 and time.time() - start >= timeout


def _from_counts(a: str, b: str, counts: list[tuple[str, int]]) -> list[tuple[int, str]]:
    diffs = []
    i = j = 0
    for kind, length in counts:
        if kind == "=":
            diffs.append((EQUAL, a[i : i + length]))
            i += length
            j += length
        elif kind == "-":
            diffs.append((DELETE, a[i : i + length]))
            i += length
        else:
            diffs.append((INSERT, b[j : j + length]))
            j += length
    return diffs


def _fast() -> ModuleType | None:
    """The C++ binding, unless it is missing or FACTCHECK_PURE_DIFF=1 asks for pure Python."""
    if os.environ.get("FACTCHECK_PURE_DIFF") == "1":
        return None
    return _import_fast()


@functools.cache
def _import_fast() -> ModuleType | None:
    # Imported on first use: ``import factcheck.diff`` stays cheap.
    try:
        import fast_diff_match_patch
    except ImportError:
        return None
    module: ModuleType = fast_diff_match_patch
    return module


# --- articles --------------------------------------------------------------------------------


def diff_articles(
    old: ParsedArticle, new: ParsedArticle, *, timeout: float = DIFF_TIMEOUT
) -> ArticleDiff:
    """Diff two versions of an article: changed fields, then the body paragraph by paragraph."""
    timed_out = False
    fields: dict[str, Ops] = {}
    unchanged: dict[str, str] = {}
    new_values = article_fields(new)
    for name, value in article_fields(old).items():
        if value == new_values[name]:
            unchanged[name] = value
            continue
        result = diff_words(value, new_values[name], timeout=timeout)
        fields[name] = result.ops
        timed_out |= result.timed_out
    rewrite = is_rewrite(old.body, new.body)
    paragraphs, body_timed_out = _diff_body(old.body, new.body, timeout, pair=not rewrite)
    return ArticleDiff(
        fields=fields,
        unchanged_fields=unchanged,
        paragraphs=paragraphs,
        stats=_stats(fields, paragraphs),
        timed_out=timed_out or body_timed_out,
        rewrite=rewrite,
    )


def is_rewrite(old: Sequence[str], new: Sequence[str]) -> bool:
    """The cheap precheck: do two bodies share almost nothing? (linear time)"""
    if not old or not new:
        return False
    available = Counter(new)
    kept = 0
    for paragraph in old:
        if available[paragraph] > 0:
            available[paragraph] -= 1
            kept += 1
    if kept >= REWRITE_KEPT * max(len(old), len(new)):
        return False
    old_shingles, new_shingles = _trigrams(old), _trigrams(new)
    total = len(old_shingles) + len(new_shingles)
    return total > 0 and 2 * len(old_shingles & new_shingles) < REWRITE_SHARED * total


def _trigrams(paragraphs: Sequence[str]) -> set[tuple[str, ...]]:
    words = _patterns()[1].findall(" ".join(paragraphs).casefold())
    return set(zip(words, words[1:], words[2:], strict=False))


@dataclass
class _Hunk:
    """One run of removed and added paragraphs between two unchanged ones."""

    removed: list[tuple[int, str]]
    added: list[tuple[int, str]]


def _diff_body(
    old: Sequence[str], new: Sequence[str], timeout: float, *, pair: bool
) -> tuple[tuple[ParagraphDiff, ...], bool]:
    ops, timed_out = _align_paragraphs(old, new, timeout)
    # Walk the paragraph alignment into unchanged paragraphs and hunks, in reading order.
    layout: list[ParagraphDiff | _Hunk] = []
    hunk: _Hunk | None = None
    i = j = 0
    for code, items in ops:
        if code == EQUAL:
            hunk = None
            for text in items:
                layout.append(ParagraphDiff("same", ((EQUAL, text),), i, j))
                i += 1
                j += 1
            continue
        if hunk is None:
            hunk = _Hunk([], [])
            layout.append(hunk)
        for text in items:
            if code == DELETE:
                hunk.removed.append((i, text))
                i += 1
            else:
                hunk.added.append((j, text))
                j += 1
    hunks = [entry for entry in layout if isinstance(entry, _Hunk)]
    moves: dict[int, tuple[int, Ops]] = {
        j: (i, ((EQUAL, text),)) for j, (i, text) in _find_moves(hunks).items()
    }
    moved_out = {i for i, _ in moves.values()}
    paired = [_pair_in_hunk(hunk, moves, moved_out, pair) for hunk in hunks]
    if pair:
        timed_out |= _find_edited_moves(hunks, paired, moves, moved_out, timeout)
    result: list[ParagraphDiff] = []
    pairs_of = iter(paired)
    for entry in layout:
        if isinstance(entry, ParagraphDiff):
            result.append(entry)
        else:
            timed_out |= _emit_hunk(entry, next(pairs_of), moves, moved_out, timeout, result)
    return tuple(result), timed_out


def _align_paragraphs(
    old: Sequence[str], new: Sequence[str], timeout: float
) -> tuple[list[tuple[int, list[str]]], bool]:
    """Align two bodies paragraph by paragraph.

    A paragraph found on one side only can never be kept, so it is left out of the diff and
    put back afterwards as a deletion or insertion where it stood. The longest common
    subsequence is the same, but the algorithm only sees the paragraphs both sides share:
    two nearly equal sequences for an edit, a handful of symbols for a rewrite, instead of
    thousands of unmatched ones at 1 MB.
    """
    common = set(old) & set(new)
    shared_ops, timed_out = _diff_sequences(
        [p for p in old if p in common], [p for p in new if p in common], timeout, semantic=False
    )
    ops: list[tuple[int, list[str]]] = []
    i = j = 0

    def skip_unique(to_old: bool, to_new: bool) -> None:
        nonlocal i, j
        while to_old and i < len(old) and old[i] not in common:
            ops.append((DELETE, [old[i]]))
            i += 1
        while to_new and j < len(new) and new[j] not in common:
            ops.append((INSERT, [new[j]]))
            j += 1

    for code, items in shared_ops:
        for item in items:
            skip_unique(code != INSERT, code != DELETE)
            ops.append((code, [item]))
            i += code != INSERT
            j += code != DELETE
    skip_unique(True, True)
    return _normalise(ops), timed_out


def _find_moves(hunks: list[_Hunk]) -> dict[int, tuple[int, str]]:
    """Pair each removed paragraph with an identical added one anywhere:
    new index -> (old index, text)."""
    removed_at: dict[str, list[int]] = {}
    for hunk in hunks:
        for index, text in hunk.removed:
            removed_at.setdefault(text, []).append(index)
    moved_from = {}
    for hunk in hunks:
        for index, text in hunk.added:
            sources = removed_at.get(text)
            if sources:
                moved_from[index] = (sources.pop(0), text)
    return moved_from


def _pair_in_hunk(
    hunk: _Hunk, moves: dict[int, tuple[int, Ops]], moved_out: set[int], pair: bool
) -> list[tuple[int, int]]:
    """The hunk's similar (removed, added) paragraphs, as positions in ``hunk.removed`` and
    ``hunk.added``, in reading order; moved paragraphs take no part."""
    if not pair:
        return []
    removed = [(r, text) for r, (i, text) in enumerate(hunk.removed) if i not in moved_out]
    added = [(a, text) for a, (j, text) in enumerate(hunk.added) if j not in moves]
    return [(removed[r][0], a) for r, a in _pair_similar(removed, added)]


def _find_edited_moves(
    hunks: list[_Hunk],
    paired: list[list[tuple[int, int]]],
    moves: dict[int, tuple[int, Ops]],
    moved_out: set[int],
    timeout: float,
) -> bool:
    """Add to ``moves`` the paragraphs that moved and were edited on the way: a removed and
    an added paragraph left unpaired, in any two places, as similar as a changed pair must
    be, best pairs first. Without this, one changed figure in a moved paragraph hid inside
    a whole removed paragraph and a whole added one. ``moves`` and ``moved_out`` (the old
    positions moved) gain the pairs found. Returns whether a word diff timed out.
    """
    removed: list[tuple[int, str]] = []
    added: list[tuple[int, str]] = []
    for hunk, pairs in zip(hunks, paired, strict=True):
        taken_removed = {r for r, _ in pairs}
        taken_added = {a for _, a in pairs}
        removed += [
            (i, text)
            for r, (i, text) in enumerate(hunk.removed)
            if r not in taken_removed and i not in moved_out
        ]
        added += [
            (j, text)
            for a, (j, text) in enumerate(hunk.added)
            if a not in taken_added and j not in moves
        ]
    if not removed or not added or len(removed) * len(added) > _MAX_PAIR_CHECKS:
        return False
    every_pair = ((r, n) for r in range(len(removed)) for n in range(len(added)))
    used_removed: set[int] = set()
    used_added: set[int] = set()
    timed_out = False
    for r, n in _similar_first(removed, added, every_pair):
        if r in used_removed or n in used_added:
            continue
        used_removed.add(r)
        used_added.add(n)
        (i, old_paragraph), (j, new_paragraph) = removed[r], added[n]
        result = diff_words(old_paragraph, new_paragraph, timeout=timeout)
        timed_out |= result.timed_out
        moves[j] = (i, result.ops)
        moved_out.add(i)
    return timed_out


def _emit_hunk(
    hunk: _Hunk,
    pairs: list[tuple[int, int]],
    moves: dict[int, tuple[int, Ops]],
    moved_out: set[int],
    timeout: float,
    out: list[ParagraphDiff],
) -> bool:
    """Append a hunk's entries to ``out``, its ``pairs`` (positions in ``hunk.removed`` and
    ``hunk.added``) word-diffed as changed; return whether a word diff timed out."""
    removed, added = hunk.removed, hunk.added
    timed_out = False
    r = a = 0

    def emit_until(r_stop: int, a_stop: int) -> None:
        nonlocal r, a
        for i, text in removed[r:r_stop]:
            if i not in moved_out:
                out.append(ParagraphDiff("removed", ((DELETE, text),), i, None))
        for j, text in added[a:a_stop]:
            if j in moves:
                i, ops = moves[j]
                out.append(ParagraphDiff("moved", ops, i, j))
            else:
                out.append(ParagraphDiff("added", ((INSERT, text),), None, j))
        r, a = max(r, r_stop), max(a, a_stop)

    for r_pair, a_pair in pairs:
        emit_until(r_pair, a_pair)
        (i, old_paragraph), (j, new_paragraph) = removed[r_pair], added[a_pair]
        result = diff_words(old_paragraph, new_paragraph, timeout=timeout)
        timed_out |= result.timed_out
        out.append(ParagraphDiff("changed", result.ops, i, j))
        r, a = r_pair + 1, a_pair + 1
    emit_until(len(removed), len(added))
    return timed_out


def _pair_similar(
    removed: list[tuple[int, str]], added: list[tuple[int, str]]
) -> list[tuple[int, int]]:
    """Pick (removed position, added key) pairs: most similar first, keeping reading order.

    Taking the best pairs first across the whole hunk (rather than the first acceptable
    one) matters when a paragraph was both edited and split or merged with a neighbour.
    ``added`` items are (key, text); the keys are returned in place of positions. A hunk too
    big to compare all pairs (every paragraph of a long read touched by one global fix) is
    compared within a band around its diagonal, which keeps the cost linear.
    """
    if not removed or not added:
        return []
    half_width = max(1, _MAX_PAIR_CHECKS // (2 * len(removed)))
    slope = len(added) / len(removed)
    band = (
        (r, n)
        for r in range(len(removed))
        for n in range(
            max(0, round(r * slope) - half_width),
            min(len(added), round(r * slope) + half_width + 1),
        )
    )
    chosen: list[tuple[int, int]] = []  # sorted by removed position, hence by added position
    for r, n in _similar_first(removed, added, band):
        place = bisect.bisect_left(chosen, r, key=lambda pair: pair[0])
        if place < len(chosen) and chosen[place][0] == r:
            continue
        if place > 0 and chosen[place - 1][1] >= n:
            continue
        if place < len(chosen) and chosen[place][1] <= n:
            continue
        chosen.insert(place, (r, n))
    return [(r, added[n][0]) for r, n in chosen]


def _similar_first(
    removed: Sequence[tuple[int, str]],
    added: Sequence[tuple[int, str]],
    candidates: Iterable[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The candidate (removed position, added position) pairs whose word sets are similar
    enough to pair (a Dice coefficient of at least ``PAIR_SIMILARITY``), most similar first,
    ties by position."""
    find_words = _patterns()[1].findall
    old_words = [set(find_words(text.casefold())) for _, text in removed]
    new_words = [set(find_words(text.casefold())) for _, text in added]
    scored = []
    for r, n in candidates:
        old_set, new_set = old_words[r], new_words[n]
        total = len(old_set) + len(new_set)
        shared = len(old_set & new_set)
        if total and 2 * shared >= PAIR_SIMILARITY * total:
            scored.append((-2 * shared / total, r, n))
    scored.sort()
    return [(r, n) for _, r, n in scored]


# --- statistics ------------------------------------------------------------------------------


def _stats(fields: dict[str, Ops], paragraphs: Sequence[ParagraphDiff]) -> DiffStats:
    status_counts = Counter(p.status for p in paragraphs)
    edits = [
        op for name, ops in fields.items() if name != "updated" for op in ops if op[0] != EQUAL
    ]
    edits += [op for p in paragraphs for op in p.ops if op[0] != EQUAL]
    changed = bool(fields) or bool(edits) or status_counts["moved"] > 0
    return DiffStats(
        words_added=sum(count_words(text) for code, text in edits if code == INSERT),
        words_removed=sum(count_words(text) for code, text in edits if code == DELETE),
        paragraphs_added=status_counts["added"],
        paragraphs_removed=status_counts["removed"],
        paragraphs_changed=status_counts["changed"],
        paragraphs_moved=status_counts["moved"],
        fields_changed=tuple(name for name in FIELD_NAMES if name in fields),
        trivial=changed
        and status_counts["moved"] == 0
        and all(_is_cosmetic(text) for _, text in edits),
    )


def _is_cosmetic(text: str) -> bool:
    """Whitespace and punctuation only: no letter, digit, symbol or mark."""
    return all(ch.isspace() or unicodedata.category(ch)[0] in "PZ" for ch in text)


__all__ = [
    "DELETE",
    "DIFF_TIMEOUT",
    "EQUAL",
    "FIELD_NAMES",
    "INSERT",
    "PAIR_SIMILARITY",
    "REWRITE_KEPT",
    "REWRITE_SHARED",
    "ArticleDiff",
    "DiffStats",
    "DiffTimeoutError",
    "Op",
    "Ops",
    "ParagraphDiff",
    "Status",
    "TextDiff",
    "article_fields",
    "count_words",
    "diff_articles",
    "diff_texts",
    "diff_words",
    "is_rewrite",
    "new_fields",
    "new_paragraphs",
    "new_text",
    "old_fields",
    "old_paragraphs",
    "old_text",
    "tokenize",
]
