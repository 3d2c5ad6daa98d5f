from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.errors import NotFoundError, UsageError
from factcheck.timeline import build_timeline, select_version

T0 = datetime(2025, 5, 25, 17, 11, tzinfo=UTC)


@dataclass(frozen=True)
class V:
    updated_at: datetime
    content_hash: str
    captured_at: datetime | None = None
    published_at: datetime | None = None


def test_orders_by_last_update_not_by_input_order() -> None:
    late, early = V(T0 + timedelta(hours=2), "bb" * 32), V(T0, "aa" * 32)
    timeline = build_timeline([late, early])
    assert [p.version for p in timeline] == [early, late]
    assert [p.number for p in timeline] == [1, 2]


def test_same_last_update_with_different_content_is_a_stealth_edit() -> None:
    first = V(T0, "ff" * 32, captured_at=T0 + timedelta(minutes=5))
    second = V(T0, "00" * 32, captured_at=T0 + timedelta(minutes=50))
    timeline = build_timeline([second, first])
    assert [p.version for p in timeline] == [first, second]  # capture time breaks the tie
    assert [p.stealth_edit for p in timeline] == [False, True]


def test_update_before_publication_is_flagged_backdated() -> None:
    (placed,) = build_timeline([V(T0, "aa" * 32, published_at=T0 + timedelta(days=1))])
    assert placed.backdated


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.text("0123456789abcdef", min_size=8, max_size=8)),
        unique_by=lambda pair: pair[1],
        max_size=12,
    ),
    st.randoms(),
)
def test_any_permutation_gives_the_same_timeline(pairs: list[tuple[int, str]], rng: object) -> None:
    versions = [V(T0 + timedelta(hours=hours), digest) for hours, digest in pairs]
    shuffled = list(versions)
    rng.shuffle(shuffled)  # type: ignore[attr-defined]
    expected = [(p.number, p.version, p.stealth_edit) for p in build_timeline(versions)]
    assert [(p.number, p.version, p.stealth_edit) for p in build_timeline(shuffled)] == expected


def test_select_version_by_number_latest_negative_and_hash_prefix() -> None:
    timeline = build_timeline([V(T0, "abcd0" + "0" * 59), V(T0 + timedelta(1), "abcd1" + "0" * 59)])
    assert select_version(timeline, "1", article="a").number == 1
    assert select_version(timeline, "latest", article="a").number == 2
    assert select_version(timeline, "-1", article="a").number == 2
    assert select_version(timeline, "ABCD1", article="a").number == 2
    with pytest.raises(UsageError, match="ambiguous"):
        select_version(timeline, "abcd", article="a")
    with pytest.raises(UsageError, match="bad version"):
        select_version(timeline, "abc", article="a")
    with pytest.raises(UsageError, match="bad version"):
        select_version(timeline, "v2", article="a")
    with pytest.raises(NotFoundError, match="no version 3"):
        select_version(timeline, "3", article="a")
    with pytest.raises(NotFoundError, match="no version 0"):
        select_version(timeline, "0", article="a")
    with pytest.raises(NotFoundError, match="no version with hash"):
        select_version(timeline, "ffff", article="a")
    with pytest.raises(NotFoundError, match="no versions"):
        select_version([], "latest", article="a")


def test_digits_that_name_no_version_are_a_hash_prefix() -> None:
    timeline = build_timeline(
        [
            V(T0, "0845" + "a" * 60),
            V(T0 + timedelta(1), "2" + "b" * 63),
            V(T0 + timedelta(2), "c" * 64),
        ]
    )
    assert select_version(timeline, "0845", article="a").number == 1
    assert select_version(timeline, "2", article="a").number == 2  # a number first
    assert select_version(timeline, "0002", article="a").number == 2  # version 2, as a number
    with pytest.raises(NotFoundError, match=r"no version 0999 .* no version whose hash"):
        select_version(timeline, "0999", article="a")
    with pytest.raises(NotFoundError, match="no version -4"):
        select_version(timeline, "-4", article="a")
