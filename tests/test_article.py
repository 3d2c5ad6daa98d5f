"""The parsed article value: its document text and its content hash."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from factcheck.article import ParsedArticle, content_hash, normalise_whitespace

WHITESPACE = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2009", "\u3000", " \u202f "])
WORDS = st.lists(
    st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")), min_size=1)
)


@given(st.text())
def test_normalise_whitespace_collapses_every_run(text: str) -> None:
    normal = normalise_whitespace(text)
    assert normal == " ".join(text.split())
    assert normalise_whitespace(normal) == normal


def _article(body: tuple[str, ...]) -> ParsedArticle:
    return ParsedArticle(
        title="A title",
        body=body,
        updated_raw="25 May, 2025 17:11 PM",
        updated_at=datetime(2025, 5, 25, 17, 11, tzinfo=UTC),
    )


@given(st.lists(st.tuples(WORDS, st.lists(WHITESPACE)), min_size=1, max_size=5))
def test_content_hash_ignores_whitespace_runs_and_sees_words(
    paragraphs: list[tuple[list[str], list[str]]],
) -> None:
    plain = tuple(" ".join(words) for words, _ in paragraphs)
    spaced = tuple(
        "".join(
            word + (gaps[index % len(gaps)] if gaps else " ") for index, word in enumerate(words)
        )
        for words, gaps in paragraphs
    )
    assert content_hash(_article(plain)) == content_hash(_article(spaced))
    changed = (plain[0] + " more", *plain[1:])
    assert content_hash(_article(changed)) != content_hash(_article(plain))
