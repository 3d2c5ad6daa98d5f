from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.identity import (
    SAME_STORY_THRESHOLD,
    StoryIndex,
    canonical_url,
    check_article_key,
    containment,
    shingles,
    shows_nothing,
    slugify,
    unique_key,
)

STORY = (
    "Flood water reached the old market on Tuesday after the river rose two metres overnight. "
    "The council said more than 300 homes were without power and 40 people were in shelters. "
    "Engineers expect the level to fall by Thursday if the rain eases as forecast."
)
OTHER = (
    "The city orchestra announced a new season of twelve concerts, opening in September with a "
    "programme of choral works and closing with a festival of music written by local students."
)


def test_slugify_folds_accents_and_punctuation() -> None:
    assert slugify("Gaza: truce talks — what's next?") == "gaza-truce-talks-what-s-next"
    assert slugify("Zürich café reopens") == "zurich-cafe-reopens"
    assert slugify("محادثات الهدنة") == ""  # nothing ASCII survives: the caller falls back


def test_canonical_url_strips_tracking_and_fragment() -> None:
    url = "HTTPS://News.Example/a/123?utm_source=x&id=7&fbclid=abc#comments"
    assert canonical_url(url) == "https://news.example/a/123?id=7"


def test_unique_key_adds_a_counter() -> None:
    assert unique_key("story", []) == "story"
    assert unique_key("story", ["story", "story-2"]) == "story-3"


def test_an_edited_version_is_the_same_story_and_another_story_is_not() -> None:
    index = StoryIndex()
    index.add(1, STORY)
    index.add(2, OTHER)
    edited = STORY.replace("more than 300", "nearly 400") + " A second shelter opened at noon."
    match = index.best_match(edited)
    assert match is not None
    assert match[0] == 1
    assert match[1] >= SAME_STORY_THRESHOLD
    assert index.best_match("A short unrelated note about a football match on Sunday.") is None


def test_replacing_the_latest_body_forgets_the_old_one() -> None:
    index = StoryIndex()
    index.add(1, STORY)
    index.add(1, OTHER)
    assert index.best_match(STORY) is None


@given(st.text(min_size=1))
def test_a_text_contains_itself(text: str) -> None:
    own = shingles(text)
    assert containment(own, own) == (1.0 if own else 0.0)


@pytest.mark.parametrize(
    "key",
    [
        "\u200e\u200f",
        " \u2066\u2069 ",
        "\u200b",
        "\ufeff",
        "\u3164\u3164",  # Hangul filler
        "\u2800",  # blank braille cell
        "\u115f",  # Hangul choseong filler
        "\u1160",  # Hangul jungseong filler
        "\uffa0",  # halfwidth Hangul filler
        "\u0301\u0323",  # combining marks, nothing to sit on
        "\u20dd \u200b",  # an enclosing mark
    ],
)
def test_a_key_that_prints_as_nothing_is_refused(key: str) -> None:
    # The same rule covers --article, the Article: header and watch lists.
    with pytest.raises(ValueError, match="only invisible characters U\\+"):
        check_article_key(key)


def test_a_right_to_left_key_keeps_its_marks() -> None:
    assert check_article_key("\u200fغزة-الهدنة") == "\u200fغزة-الهدنة"


@pytest.mark.parametrize("key", ["cafe\u0301-reopens", "\u0915\u094d\u0937", "\u05e9\u05b8"])
def test_letters_with_combining_marks_make_a_key(key: str) -> None:
    assert not shows_nothing(key)
    assert check_article_key(key) == key
