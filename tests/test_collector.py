"""Pausing the cyclic garbage collector: off inside, as it was after, also on error."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from factcheck.collector import collector_paused


@pytest.fixture(params=[True, False], ids=["enabled-before", "disabled-before"])
def enabled_before(request: pytest.FixtureRequest) -> Iterator[bool]:
    (gc.enable if request.param else gc.disable)()
    yield bool(request.param)
    gc.enable()


def test_the_collector_is_off_inside_and_as_it_was_after(enabled_before: bool) -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled() is enabled_before


def test_an_error_inside_still_restores_the_collector(enabled_before: bool) -> None:
    with pytest.raises(KeyError), collector_paused():
        raise KeyError("boom")
    assert gc.isenabled() is enabled_before


def test_it_decorates_a_function(enabled_before: bool) -> None:
    @collector_paused()
    def inside() -> bool:
        return gc.isenabled()

    assert inside() is False
    assert inside() is False  # a second call pauses again
    assert gc.isenabled() is enabled_before
