"""describe_value: stored claim values as words, vague amounts never passed off as figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.claims.extract import extract_claims
from factcheck.claims.values import EXACT_QUALIFIERS, describe_value
from factcheck.lineage import values_as_dicts
from factcheck.review import without_wording


def test_exact_and_hedged_values_read_as_numbers() -> None:
    assert describe_value({"value": 1400000, "unit": "residents"}) == "1,400,000 residents"
    assert (
        describe_value({"value": 85, "unit": "percent", "qualifier": "more than"})
        == "more than 85 percent"
    )
    assert describe_value({"value": 2.5, "unit": "percent"}) == "2.5 percent"
    assert describe_value({"value": 60.0, "unit": "days"}) == "60 days"


def test_a_range_shows_both_bounds() -> None:
    value = {"value": 15, "upper": 25, "unit": "houses", "qualifier": "range"}
    assert describe_value(value) == "15-25 houses"


def test_a_vague_amount_keeps_its_wording_and_says_its_number_is_a_floor() -> None:
    value = {"value": 24, "unit": "people", "qualifier": "dozens", "text": "Dozens of people"}
    assert describe_value(value) == "Dozens of people (24 or more)"
    # Listings carry values without their wording: the phrase is rebuilt from its parts.
    assert describe_value({"value": 24, "unit": "civilians", "qualifier": "dozens"}) == (
        "dozens of civilians (24 or more)"
    )
    assert describe_value({"value": 3, "unit": "countries", "qualifier": "several"}) == (
        "several countries (3 or more)"
    )
    assert describe_value({"value": 300, "unit": "people", "qualifier": "several hundred"}) == (
        "several hundred people (300 or more)"
    )
    assert describe_value({"value": 24, "unit": "", "qualifier": "dozens"}) == "dozens (24 or more)"
    # "a few thousand" is stored as "a few" with 3,000: the scale is read back from the value.
    assert describe_value({"value": 3000, "unit": "people", "qualifier": "a few"}) == (
        "a few thousand people (3,000 or more)"
    )
    assert describe_value({"value": 3, "unit": "people", "qualifier": "a few"}) == (
        "a few people (3 or more)"
    )


@pytest.mark.parametrize(
    "sentence",
    [
        "A few thousand people marched.",
        "Several hundred soldiers were deployed.",
        "Several dozen boats left.",
    ],
)
def test_a_listed_vague_amount_reads_as_the_sentence_wrote_it(sentence: str) -> None:
    [claim] = extract_claims(sentence)
    [value] = without_wording(values_as_dicts(claim.values))
    phrase = describe_value(value).split(" (")[0]
    assert sentence.lower().startswith(phrase.lower())


def test_extracted_values_read_as_the_sentence_says() -> None:
    claims = extract_claims(
        "Dozens of families left, and between 15 and 25 houses flooded in more than 80% of"
        " the valley."
    )
    described = [describe_value(v) for claim in claims for v in values_as_dicts(claim.values)]
    assert described == ["Dozens of families (24 or more)", "15-25 houses", "more than 80 percent"]


@given(
    value=st.integers(min_value=0, max_value=10**12),
    qualifier=st.sampled_from(sorted(EXACT_QUALIFIERS)),
    vague=st.sampled_from(["dozens", "hundreds", "tens of thousands", "a few", "several"]),
)
def test_only_a_vague_amount_is_shown_as_a_floor(value: int, qualifier: str, vague: str) -> None:
    assert "or more)" not in describe_value({"value": value, "unit": "", "qualifier": qualifier})
    assert describe_value({"value": value, "unit": "", "qualifier": vague}).endswith(
        f"({value:,} or more)"
    )
