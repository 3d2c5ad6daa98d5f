"""The diff service: which versions are compared, and what `log` reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from factcheck.changes import compare, history
from factcheck.diff import new_paragraphs, old_paragraphs
from factcheck.errors import ConflictError, NotFoundError
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.store.db import open_database, session_scope
from tests.conftest import SAMPLES

KEY = "marrowby-floods-2025"


@pytest.fixture
def engine(tmp_path: Path) -> object:
    engine = open_database(str(tmp_path / "c.db"), create=True)
    with session_scope(engine, writes=True) as session:
        files = expand_inputs([str(SAMPLES / "marrowby-floods")])
        ingest(session, files, IngestOptions(now=datetime.now(UTC)))
    yield engine
    engine.dispose()


def test_compare_defaults_to_the_latest_two_and_flags_a_stealth_edit(engine: object) -> None:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        comparison = compare(session, KEY, None, None)
    assert (comparison.header.from_number, comparison.header.to_number) == (3, 4)
    assert comparison.header.stealth
    assert comparison.diff.has_changes


def test_compare_rebuilds_both_versions_exactly(engine: object) -> None:
    from factcheck.articles import get_version

    with session_scope(engine) as session:  # type: ignore[arg-type]
        comparison = compare(session, KEY, "1", "latest")
        _, first = get_version(session, KEY, "1")
        _, last = get_version(session, KEY, "latest")
    assert old_paragraphs(comparison.diff) == first.body
    assert new_paragraphs(comparison.diff) == last.body
    assert not comparison.header.stealth  # 1 -> 4 is not one stealth step


def test_compare_refuses_the_same_version_twice_and_unknown_ones(engine: object) -> None:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        with pytest.raises(ConflictError, match="identical"):
            compare(session, KEY, "2", "2")
        with pytest.raises(NotFoundError, match="no version 7"):
            compare(session, KEY, "1", "7")
        with pytest.raises(NotFoundError, match="no article"):
            compare(session, "missing", None, None)


def test_history_summarises_each_edit(engine: object) -> None:
    with session_scope(engine) as session:  # type: ignore[arg-type]
        entries = history(session, KEY)
    assert [e.number for e in entries] == [1, 2, 3, 4]
    assert entries[0].summary == "first version" and entries[0].stats is None
    assert "80%" not in entries[1].summary  # a summary, not the text
    assert entries[1].stats is not None and entries[1].stats["fields_changed"]
    assert entries[3].flags == ["stealth-edit"] and "stealth edit" in entries[3].summary
