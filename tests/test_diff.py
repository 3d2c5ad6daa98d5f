"""Tests for factcheck.diff: exact reconstruction, token boundaries, article structure."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck import diff as fcdiff
from factcheck.article import ParsedArticle
from factcheck.diff import (
    DELETE,
    EQUAL,
    FIELD_NAMES,
    INSERT,
    DiffTimeoutError,
    article_fields,
    diff_articles,
    diff_texts,
    diff_words,
    new_fields,
    new_paragraphs,
    new_text,
    old_fields,
    old_paragraphs,
    old_text,
    tokenize,
)

# --- strategies ----------------------------------------------------------------------------

WORDS = [
    "the", "fire", "boats", "said", "harbour", "police", "more", "than", "of", "and",
    "Lanmouth", "destroyed", "people", "million", "residents", "day",
]  # fmt: skip
SPECIAL = [
    " ", "  ", "\n", "\r\n", "\t", ".", ",", "\u2014", '"', "'", "(", ")",
    "2.2", "160,000", "80%", "85%", "1,000.5", "12", "0",
    "caf\u00e9", "cafe\u0301", "\u05e9\u05dc\u05d5\u05dd", "\u05e9\u05b8\u05c1",  # Hebrew
    "\u0645\u0631\u062d\u0628\u0627", "\u0646\u064e\u0635\u0651",  # Arabic, with harakat
    "\u0915\u094d\u0937\u093f", "\u200f", "\u200e",  # Devanagari conjunct, RTL/LTR marks
    "\U0001f44d\U0001f3fd", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f525",
    "[bold]", "[/]", "<script>", "\\", "\u2028", "\x00", "\ufeff",
]  # fmt: skip
PIECE = st.one_of(st.sampled_from(WORDS + SPECIAL), st.text(max_size=4))
PIECES = st.lists(PIECE, max_size=30)


def _mutate(data: st.DataObject, items: list[str], piece: st.SearchStrategy[str]) -> list[str]:
    items = list(items)
    for _ in range(data.draw(st.integers(0, 5))):
        kind = data.draw(st.sampled_from(["insert", "delete", "replace", "move"]))
        if kind == "insert" or not items:
            items.insert(data.draw(st.integers(0, len(items))), data.draw(piece))
            continue
        index = data.draw(st.integers(0, len(items) - 1))
        if kind == "delete":
            del items[index]
        elif kind == "replace":
            items[index] = data.draw(piece)
        else:
            items.insert(data.draw(st.integers(0, len(items) - 1)), items.pop(index))
    return items


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts: unrelated, or the second an edit of the first (more shared structure)."""
    base = draw(PIECES)
    if draw(st.booleans()):
        return "".join(base), draw(PIECES.map("".join))
    data = draw(st.data())
    return "".join(base), "".join(_mutate(data, base, PIECE))


PARAGRAPH = PIECES.map(lambda p: "".join(p).strip()).filter(bool)


@st.composite
def article_pairs(draw: st.DrawFn) -> tuple[ParsedArticle, ParsedArticle]:
    data = draw(st.data())
    body = draw(st.lists(PARAGRAPH, max_size=12))
    new_body = _mutate(data, body, PARAGRAPH)
    # Edit some kept paragraphs word by word, so that "changed" pairs occur.
    for index in range(len(new_body)):
        if data.draw(st.integers(0, 3)) == 0:
            pieces = tokenize(new_body[index])
            edited = "".join(_mutate(data, pieces, PIECE)).strip()
            if edited:
                new_body[index] = edited

    text = PIECES.map("".join)
    old = ParsedArticle(
        title=draw(text),
        standfirst=draw(text),
        caption=draw(text),
        credit=draw(st.sampled_from(["", "AP"])),
        body=tuple(body),
    )
    new = replace(
        old,
        credit=draw(st.sampled_from(["", "AP"])),
        updated_raw=draw(st.sampled_from(["", "25 May, 2025 17:11 PM"])),
        body=tuple(new_body),
    )
    if draw(st.booleans()):
        new = replace(new, title=draw(text), standfirst=draw(text), caption=draw(text))
    return old, new


# --- helpers -------------------------------------------------------------------------------


def _token_boundaries(text: str) -> set[int]:
    bounds, position = {0}, 0
    for token in tokenize(text):
        position += len(token)
        bounds.add(position)
    return bounds


def _op_boundaries(ops: tuple[tuple[int, str], ...]) -> tuple[set[int], set[int]]:
    old_bounds, new_bounds = {0}, {0}
    i = j = 0
    for code, text in ops:
        if code != INSERT:
            i += len(text)
        if code != DELETE:
            j += len(text)
        old_bounds.add(i)
        new_bounds.add(j)
    return old_bounds, new_bounds


def _check_shape(ops: tuple[tuple[int, str], ...]) -> None:
    """No empty op; between equalities at most one deletion, then at most one insertion."""
    previous = None
    for code, text in ops:
        assert text, ops
        assert code in (DELETE, EQUAL, INSERT)
        if previous is not None:
            assert (previous, code) in {(EQUAL, DELETE), (EQUAL, INSERT), (DELETE, EQUAL),
                                        (DELETE, INSERT), (INSERT, EQUAL)}, ops  # fmt: skip
        previous = code


def _check_article(old: ParsedArticle, new: ParsedArticle, result: fcdiff.ArticleDiff) -> None:
    assert old_paragraphs(result) == old.body
    assert new_paragraphs(result) == new.body
    assert old_fields(result) == article_fields(old)
    assert new_fields(result) == article_fields(new)
    assert set(result.fields) | set(result.unchanged_fields) == set(FIELD_NAMES)
    assert not set(result.fields) & set(result.unchanged_fields)
    for ops in result.fields.values():
        assert old_text(ops) != new_text(ops)
        _check_shape(ops)
    new_order = [p.new_index for p in result.paragraphs if p.new_index is not None]
    assert new_order == sorted(new_order)
    old_order = [
        p.old_index
        for p in result.paragraphs
        if p.old_index is not None and p.status in ("removed", "changed")
    ]
    assert old_order == sorted(old_order)
    for p in result.paragraphs:
        _check_shape(p.ops)
        codes = [code for code, _ in p.ops]
        expected = {"same": [EQUAL], "added": [INSERT], "removed": [DELETE]}
        if p.status == "changed":
            assert p.old_index is not None and p.new_index is not None
            assert old_text(p.ops) != new_text(p.ops)
        elif p.status == "moved":  # moved as it was, or edited on the way
            assert codes == [EQUAL] or old_text(p.ops) != new_text(p.ops)
        else:
            assert codes == expected[p.status]
        assert (p.old_index is None) == (p.status == "added")
        assert (p.new_index is None) == (p.status == "removed")
    stats = result.stats
    statuses = [p.status for p in result.paragraphs]
    assert stats.paragraphs_added == statuses.count("added")
    assert stats.paragraphs_removed == statuses.count("removed")
    assert stats.paragraphs_changed == statuses.count("changed")
    assert stats.paragraphs_moved == statuses.count("moved")
    assert stats.fields_changed == tuple(n for n in FIELD_NAMES if n in result.fields)


def _article(
    body: list[str],
    title: str = "Harbour fire destroys boats",
    updated_raw: str = "3 March, 2025 09:15 AM",
    caption: str = "",
    credit: str = "",
) -> ParsedArticle:
    return ParsedArticle(
        title=title, body=tuple(body), updated_raw=updated_raw, caption=caption, credit=credit
    )


# --- word diffs ----------------------------------------------------------------------------


@given(st.text())
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(tokenize(text)) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.2 million", ["2.2", " ", "million"]),
        ("160,000 people.", ["160,000", " ", "people", "."]),
        ("80%, or 1,000.5", ["80%", ",", " ", "or", " ", "1,000.5"]),
        ("x2.2", ["x", "2.2"]),
        ("9\u00a0000 people", ["9\u00a0000", " ", "people"]),
        ("12\u202f500\u202f000", ["12\u202f500\u202f000"]),
        ("in 2025\u00a012 people", ["in", " ", "2025", "\u00a0", "12", " ", "people"]),
        ("in 2024\u00a0100 people", ["in", " ", "2024", "\u00a0", "100", " ", "people"]),
        ("cafe\u0301 \u0646\u064e\u0635\u0651", ["cafe\u0301", " ", "\u0646\u064e\u0635\u0651"]),
        ("\u0928\u092e\u0938\u094d\u0924\u0947!", ["\u0928\u092e\u0938\u094d\u0924\u0947", "!"]),
    ],
)
def test_tokenize_keeps_numbers_and_marked_words_whole(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


@given(text_pairs())
def test_diff_texts_reconstructs_both_sides(pair: tuple[str, str]) -> None:
    a, b = pair
    ops = diff_texts(a, b)
    assert old_text(ops) == a
    assert new_text(ops) == b
    _check_shape(ops)


@given(text_pairs())
def test_op_boundaries_are_token_boundaries(pair: tuple[str, str]) -> None:
    a, b = pair
    old_bounds, new_bounds = _op_boundaries(diff_texts(a, b))
    assert old_bounds <= _token_boundaries(a)
    assert new_bounds <= _token_boundaries(b)


NUMBER = st.one_of(
    st.integers(0, 10**7).map(str),
    st.integers(1000, 10**7).map(lambda n: f"{n:,}"),
    st.integers(1000, 10**7).map(lambda n: f"{n:,}".replace(",", "\u00a0")),
    st.integers(1000, 10**7).map(lambda n: f"{n:,}".replace(",", "\u202f")),
    st.decimals(0, 1000, places=2, allow_nan=False).map(str),
    st.integers(0, 100).map(lambda n: f"{n}%"),
    st.floats(0, 100, allow_nan=False).map(lambda x: f"{x:.1f}%"),
)
TEMPLATES = [
    "More than {} of the territory is now off limits.",
    "Israel has issued orders forcing {} people to flee, the UN said.",
    "The fund of {} euros ({}) was released.",
    "{}",
    "Up {}.",
]


@given(st.sampled_from(TEMPLATES), st.lists(NUMBER, min_size=2, max_size=2), NUMBER)
def test_a_changed_number_appears_whole_on_both_sides(
    template: str, numbers: list[str], replacement: str
) -> None:
    count = template.count("{}")
    old = template.format(*numbers[:count])
    new = template.format(replacement, *numbers[1:count])
    ops = diff_texts(old, new)
    old_bounds, new_bounds = _op_boundaries(ops)
    number = re.compile(r"\d{1,3}(?:[\u00a0\u202f]\d{3})+(?:[.,]\d+)?%?|\d[\d.,]*\d%?|\d%?")
    for text, bounds in ((old, old_bounds), (new, new_bounds)):
        for match in number.finditer(text):
            assert not any(match.start() < b < match.end() for b in bounds), (ops, match)
    if numbers[0] != replacement:
        assert numbers[0] in "".join(t for code, t in ops if code == DELETE)
        assert replacement in "".join(t for code, t in ops if code == INSERT)


def test_number_substitution_is_one_whole_replacement() -> None:
    ops = diff_texts("more than 80% of the territory", "more than 85% of the territory")
    assert ops == (
        (EQUAL, "more than "),
        (DELETE, "80%"),
        (INSERT, "85%"),
        (EQUAL, " of the territory"),
    )


@given(PIECES.map("".join))
def test_diff_of_a_text_with_itself_is_empty(text: str) -> None:
    assert all(code == EQUAL for code, _ in diff_texts(text, text))


def test_empty_texts() -> None:
    assert diff_texts("", "") == ()
    assert diff_texts("", "new") == ((INSERT, "new"),)
    assert diff_texts("old", "") == ((DELETE, "old"),)


def test_more_distinct_tokens_than_the_alphabet(monkeypatch: pytest.MonkeyPatch) -> None:
    # Shrink the alphabet: the tail that does not fit becomes one token, still exact.
    monkeypatch.setattr(fcdiff, "_ALPHABET_SIZE", 12)
    a = " ".join(f"w{n}" for n in range(40))
    b = " ".join(f"w{n}" for n in range(0, 40, 2))
    ops = diff_texts(a, b)
    assert (old_text(ops), new_text(ops)) == (a, b)
    _check_shape(ops)


def test_codes_skip_the_surrogate_range() -> None:
    codes = [fcdiff._code(i) for i in (0xD800 - 0x100 - 1, 0xD800 - 0x100)]
    assert [ord(c) for c in codes] == [0xD7FF, 0xE000]
    assert ord(fcdiff._code(fcdiff._ALPHABET_SIZE - 1)) == 0x10FFFF
    for count in (0, 3, 0xD800 - 0x100, 0xD800 - 0x100 + 2):
        assert list(fcdiff._codes(count)) == [fcdiff._code(i) for i in range(count)]


# --- time limit ----------------------------------------------------------------------------

LONG_A = " ".join(f"alpha{n} beta{n * 7 % 13}" for n in range(400))
LONG_B = " ".join(f"alpha{n * 3 % 400} gamma{n}" for n in range(400))


def test_timeout_is_flagged_and_the_diff_stays_exact() -> None:
    result = diff_words(LONG_A, LONG_B, timeout=1e-9)
    assert result.timed_out
    assert (old_text(result.ops), new_text(result.ops)) == (LONG_A, LONG_B)
    with pytest.raises(DiffTimeoutError):
        diff_texts(LONG_A, LONG_B, timeout=1e-9)


def test_a_timeout_in_any_paragraph_or_field_marks_the_article() -> None:
    old = _article(["Intro stays the same.", LONG_A, "Outro."])
    new = _article(["Intro stays the same.", LONG_A + " delta", "Outro."])
    result = diff_articles(old, new, timeout=1e-9)
    assert result.timed_out
    _check_article(old, new, result)
    assert not diff_articles(old, new).timed_out
    title_only = diff_articles(old, replace(old, title="Other title"), timeout=1e-9)
    assert title_only.timed_out


def test_unlimited_timeout_is_never_flagged() -> None:
    assert not diff_words(LONG_A, LONG_B, timeout=0).timed_out


# --- articles ------------------------------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(article_pairs())
def test_diff_articles_reconstructs_everything(pair: tuple[ParsedArticle, ParsedArticle]) -> None:
    old, new = pair
    _check_article(old, new, diff_articles(old, new))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(article_pairs())
def test_diff_of_an_article_with_itself_has_no_changes(
    pair: tuple[ParsedArticle, ParsedArticle],
) -> None:
    old, _ = pair
    result = diff_articles(old, old)
    assert not result.has_changes
    assert result.fields == {}
    assert all(p.status == "same" for p in result.paragraphs)
    assert result.stats == fcdiff.DiffStats(0, 0, 0, 0, 0, 0, (), False)
    assert not result.rewrite


BODY = [
    "A fire that started in a fuel store destroyed 40 boats at the marina overnight.",
    "More than 80% of the east pier was damaged, the harbour master said on Monday.",
    "About 2,500 litres of diesel leaked into the harbour before booms were laid.",
    "Marina staff said the alarm sounded at 1:40 in the morning.",
    "Owners were asked to register damage claims with the council by Friday.",
]


def _statuses(result: fcdiff.ArticleDiff) -> list[tuple[str, int | None, int | None]]:
    return [(p.status, p.old_index, p.new_index) for p in result.paragraphs]


def test_paragraph_added() -> None:
    new_body = [*BODY[:2], "Investigators arrived on Tuesday.", *BODY[2:]]
    result = diff_articles(_article(BODY), _article(new_body))
    assert _statuses(result)[2] == ("added", None, 2)
    assert result.stats.paragraphs_added == 1
    assert result.stats.words_added == 4
    assert result.stats.words_removed == 0


def test_paragraph_removed() -> None:
    result = diff_articles(_article(BODY), _article(BODY[:1] + BODY[2:]))
    assert _statuses(result)[1] == ("removed", 1, None)
    assert result.paragraphs[1].ops == ((DELETE, BODY[1]),)
    assert result.stats.paragraphs_removed == 1


def test_paragraph_moved() -> None:
    new_body = [BODY[3], BODY[0], BODY[1], BODY[2], BODY[4]]
    result = diff_articles(_article(BODY), _article(new_body))
    moved = [p for p in result.paragraphs if p.status == "moved"]
    assert [(p.old_index, p.new_index) for p in moved] == [(3, 0)]
    assert moved[0].ops == ((EQUAL, BODY[3]),)
    assert result.stats.paragraphs_moved == 1
    assert result.stats.words_added == result.stats.words_removed == 0
    assert not result.stats.trivial


def test_paragraph_changed_gets_a_word_diff() -> None:
    new_body = list(BODY)
    new_body[1] = BODY[1].replace("80%", "85%").replace("Monday", "Tuesday")
    result = diff_articles(_article(BODY), _article(new_body))
    changed = result.paragraphs[1]
    assert (changed.status, changed.old_index, changed.new_index) == ("changed", 1, 1)
    edits = [op for op in changed.ops if op[0] != EQUAL]
    assert edits == [(DELETE, "80%"), (INSERT, "85%"), (DELETE, "Monday"), (INSERT, "Tuesday")]
    assert (result.stats.words_added, result.stats.words_removed) == (2, 2)


def test_a_paragraph_moved_and_edited_shows_its_edit() -> None:
    moved = BODY[3].replace(BODY[3].split()[2], "altered", 1)
    new_body = [moved, *BODY[:3], *BODY[4:]]
    result = diff_articles(_article(BODY), _article(new_body))
    (entry,) = [p for p in result.paragraphs if p.status == "moved"]
    assert (entry.old_index, entry.new_index) == (3, 0)
    assert old_text(entry.ops) == BODY[3] and new_text(entry.ops) == moved
    assert (DELETE, BODY[3].split()[2]) in entry.ops and (INSERT, "altered") in entry.ops
    assert result.stats.paragraphs_moved == 1
    assert (result.stats.words_added, result.stats.words_removed) == (1, 1)
    assert not [p for p in result.paragraphs if p.status in ("added", "removed")]


def test_dissimilar_replacement_is_removed_plus_added() -> None:
    new_body = [*BODY[:2], "Weather: calm seas expected all week long, forecasters say.", *BODY[3:]]
    result = diff_articles(_article(BODY), _article(new_body))
    assert _statuses(result)[2:4] == [("removed", 2, None), ("added", None, 2)]


def test_best_pairs_first_in_a_run_of_changes() -> None:
    old = [BODY[0], BODY[1], BODY[2]]
    new = [BODY[1] + " Divers were sent.", BODY[2].replace("2,500", "3,000")]
    result = diff_articles(_article(old), _article(new))
    assert _statuses(result) == [
        ("removed", 0, None),
        ("changed", 1, 0),
        ("changed", 2, 1),
    ]


def test_field_changes_with_credit_and_last_update() -> None:
    old = _article(BODY, caption="Smoke over the pier.", credit="Gazette")
    new = _article(
        BODY, caption="Smoke over the pier.", credit="Reuters", updated_raw="3 March, 2025 14:02 PM"
    )
    result = diff_articles(old, new)
    assert result.stats.fields_changed == ("caption", "updated")
    assert result.fields["caption"] == (
        (EQUAL, "Smoke over the pier. ["),
        (DELETE, "Gazette"),
        (INSERT, "Reuters"),
        (EQUAL, "]"),
    )
    assert old_fields(result)["caption"] == "Smoke over the pier. [Gazette]"
    assert result.unchanged_fields["title"] == "Harbour fire destroys boats"


def test_rewrite_is_reported_and_exact() -> None:
    other = [
        "Council elections will be held in May, the electoral office confirmed today.",
        "Three candidates have registered so far, two of them from the ruling party.",
        "Turnout at the last vote was low, officials conceded in their annual report.",
        "Campaigning starts next week and will last for a month.",
        "Polling stations open at seven and close at ten in the evening.",
    ]
    old, new = _article(BODY), _article([*other, BODY[4]])
    result = diff_articles(old, new)
    assert result.rewrite
    assert fcdiff.is_rewrite(old.body, new.body)
    assert result.stats.paragraphs_changed == 0
    _check_article(old, new, result)
    # The one kept paragraph still shows as kept.
    assert ("same", 4, 5) in _statuses(result)


def test_light_edits_to_every_paragraph_are_not_a_rewrite() -> None:
    edited = [p.replace("the", "THE", 1) for p in BODY]
    result = diff_articles(_article(BODY), _article(edited))
    assert not result.rewrite
    assert result.stats.paragraphs_changed == len(BODY)


def test_punctuation_only_change_is_trivial() -> None:
    new_body = list(BODY)
    new_body[0] = BODY[0].replace(" overnight.", ", overnight!")
    new_body[2] = BODY[2].replace("  ", " ")
    result = diff_articles(_article(BODY), _article(new_body, title="Harbour fire destroys boats."))
    assert result.stats.trivial
    assert result.stats.words_added == result.stats.words_removed == 0


def test_a_comma_fixed_under_a_new_last_update_is_trivial() -> None:
    new_body = [BODY[0].replace(" overnight.", ", overnight."), *BODY[1:]]
    restamped = "3 March, 2025 11:40 AM"
    result = diff_articles(_article(BODY), _article(new_body, updated_raw=restamped))
    assert result.stats.fields_changed == ("updated",)
    assert result.stats.trivial
    assert result.stats.words_added == result.stats.words_removed == 0  # text words only
    bare_restamp = diff_articles(_article(BODY), _article(BODY, updated_raw=restamped))
    assert bare_restamp.stats.trivial and bare_restamp.stats.fields_changed == ("updated",)


def test_a_word_change_is_not_trivial() -> None:
    new_body = [BODY[0].replace("fuel", "paint"), *BODY[1:]]
    assert not diff_articles(_article(BODY), _article(new_body)).stats.trivial


def test_duplicate_paragraphs_reconstruct() -> None:
    old = _article(["Same.", "Same.", "Other text here.", "Same."])
    new = _article(["Same.", "Other text here.", "Same.", "Same.", "Same."])
    result = diff_articles(old, new)
    _check_article(old, new, result)


def test_big_hunk_is_paired_within_a_band(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fcdiff, "_MAX_PAIR_CHECKS", 8)
    old_body = [f"Paragraph number {n} tells the story of harbour {n}." for n in range(30)]
    new_body = [p.replace("story", "tale") for p in old_body]
    result = diff_articles(_article(old_body), _article(new_body))
    assert result.stats.paragraphs_changed == 30
    assert [(p.old_index, p.new_index) for p in result.paragraphs] == [(n, n) for n in range(30)]


# --- the accelerator -----------------------------------------------------------------------

fast_installed = pytest.mark.skipif(
    fcdiff._import_fast() is None, reason="fast_diff_match_patch is not installed"
)


@fast_installed
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=200)
@given(text_pairs())
def test_fast_and_pure_paths_give_identical_ops(pair: tuple[str, str]) -> None:
    a, b = pair
    fast = diff_words(a, b)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTCHECK_PURE_DIFF", "1")
        assert fcdiff._fast() is None
        pure = diff_words(a, b)
    assert fast == pure


@fast_installed
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(article_pairs())
def test_fast_and_pure_paths_give_identical_article_diffs(
    pair: tuple[ParsedArticle, ParsedArticle],
) -> None:
    old, new = pair
    fast = diff_articles(old, new)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FACTCHECK_PURE_DIFF", "1")
        pure = diff_articles(old, new)
    assert fast == pure


def test_without_the_accelerator_the_pure_path_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fcdiff, "_fast", lambda: None)
    assert diff_texts("80% of it", "85% of it")[:2] == ((DELETE, "80%"), (INSERT, "85%"))


# --- purity --------------------------------------------------------------------------------


def test_pure_modules_import_no_shell_or_rich() -> None:
    code = (
        "import sys, factcheck.diff, factcheck.render.json, factcheck.render.unified, "
        "factcheck.render.html, factcheck.render.summary\n"
        "heavy = {'sqlmodel', 'sqlalchemy', 'typer', 'rich', 'fast_diff_match_patch'}\n"
        "print(sorted(heavy & set(sys.modules)))"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.strip() == "[]"
