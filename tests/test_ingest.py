"""The ingest service: ordering, idempotence and per-file atomicity."""

from __future__ import annotations

import os
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.articles import list_articles, list_versions
from factcheck.errors import InputError
from factcheck.ingest import IngestOptions, expand_inputs, ingest, prepare, read_input
from factcheck.store.db import open_database, session_scope
from tests.conftest import SAMPLES, write_versions

SAMPLE_FILES = expand_inputs([str(SAMPLES)])
NOW = datetime(2026, 1, 1, tzinfo=UTC)


FIRST_REPORT = (SAMPLES / "marrowby-floods" / "01_first-report.txt").read_text("utf-8")


def timelines(db: str) -> dict[str, list[tuple[int, str, bool]]]:
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        result = {
            article.key: [
                (v.number, v.content_hash, v.stealth_edit)
                for v in list_versions(session, article.key)
            ]
            for article in list_articles(session)
        }
    engine.dispose()
    return result


def ingest_files(db: str, files: list[str]) -> list[str]:
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        report = ingest(session, files, IngestOptions(now=NOW))
    engine.dispose()
    return [outcome.status for outcome in report.outcomes]


def test_sample_files_are_found_in_sorted_order() -> None:
    assert len(SAMPLE_FILES) == 12
    assert SAMPLE_FILES == sorted(SAMPLE_FILES)
    assert not any(name.endswith("README.md") for name in SAMPLE_FILES)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(SAMPLE_FILES))
def test_any_ingest_order_gives_the_same_timelines(order: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        in_order, shuffled = f"{folder}/a.db", f"{folder}/b.db"
        ingest_files(in_order, SAMPLE_FILES)
        ingest_files(shuffled, list(order))
        # A headerless story is keyed by the first title seen, which depends on the order;
        # the timelines themselves must not.
        assert sorted(timelines(shuffled).values()) == sorted(timelines(in_order).values())


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SAMPLE_FILES), min_size=1, max_size=8))
def test_ingesting_twice_changes_nothing(files: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = f"{folder}/a.db"
        ingest_files(db, files)
        before = timelines(db)
        assert set(ingest_files(db, files)) == {"duplicate"}
        assert timelines(db) == before


def test_a_run_that_fails_in_the_database_leaves_nothing_behind(tmp_path: Path) -> None:
    db = str(tmp_path / "a.db")
    ingest_files(db, SAMPLE_FILES[:2])
    before = timelines(db)
    engine = open_database(db, create=False)
    with pytest.raises(RuntimeError), session_scope(engine, writes=True) as session:
        ingest(session, SAMPLE_FILES, IngestOptions(now=NOW))
        raise RuntimeError("interrupted after the inserts")
    engine.dispose()
    assert timelines(db) == before


def test_prepare_reports_the_reason() -> None:
    options = IngestOptions(now=NOW)
    with pytest.raises(InputError, match="empty"):
        prepare("x", b"   \n", options)
    undated = b"A title\n\nStandfirst.\n\nBody with 3 numbers.\n"
    with pytest.raises(InputError, match="Last Update"):
        prepare("x", undated, options)
    dated = prepare("x", undated, IngestOptions(now=NOW, updated_at="2025-05-25 17:11"))
    assert dated.updated_source == "option"
    assert dated.article.updated_at == datetime(2025, 5, 25, 17, 11, tzinfo=UTC)


def test_read_input_reads_files_and_pipes_whole_and_enforces_the_limit(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_bytes(b"x" * 5000)
    assert read_input(str(text), 5000) == b"x" * 5000
    with pytest.raises(InputError, match="file too large"):
        read_input(str(text), 4999)
    with pytest.raises(InputError, match="no such file"):
        read_input(str(tmp_path / "missing.txt"), 5000)
    with pytest.raises(InputError, match="a folder with no article files"):
        read_input(str(tmp_path), 5000)
    dangling = tmp_path / "gone.txt"
    dangling.symlink_to(tmp_path / "moved.txt")
    with pytest.raises(InputError, match=r"^broken symbolic link \(to '.*moved\.txt'"):
        read_input(str(dangling), 5000)

    # A pipe reports size 0 and arrives in pieces: it is read to the end, within the limit.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed(pieces: int) -> None:
        with open(fifo, "wb") as writer:
            for _ in range(pieces):
                writer.write(b"y" * 1000)
                writer.flush()

    writer = threading.Thread(target=feed, args=(70,))
    writer.start()
    assert read_input(str(fifo), 100_000) == b"y" * 70_000
    writer.join()
    # Over the limit: one write that fits the pipe's buffer, so the writer never waits.
    writer = threading.Thread(target=feed, args=(1,))
    writer.start()
    with pytest.raises(InputError, match="input too large"):
        read_input(str(fifo), 999)
    writer.join()


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cyclic_collector_is_paused_for_a_run_and_restored_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, enabled_before: bool
) -> None:
    import gc

    import factcheck.ingest as ingest_module

    seen: list[bool] = []
    real_prepare = ingest_module.prepare

    def watching_prepare(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real_prepare(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "prepare", watching_prepare)
    files = expand_inputs([str(SAMPLES / "marrowby-floods")])
    (gc.enable if enabled_before else gc.disable)()
    try:
        ingest_files(str(tmp_path / "a.db"), files)
        assert gc.isenabled() is enabled_before
        with pytest.raises(RuntimeError):
            engine = open_database(str(tmp_path / "a.db"), create=False)
            with session_scope(engine, writes=True) as session:
                monkeypatch.setattr(ingest_module, "read_input", _fail)
                ingest(session, files, IngestOptions(now=NOW))
        engine.dispose()
        assert gc.isenabled() is enabled_before
    finally:
        gc.enable()
    assert seen == [False] * len(files)


def _fail(*_args: object) -> bytes:
    raise RuntimeError("disk gone")


@pytest.mark.parametrize("batches", [1, 3])
def test_the_numbers_ingest_reports_are_those_of_the_stored_timeline(db: str, batches: int) -> None:
    """New articles are numbered from what the run inserted, others from the database; both
    must agree with the timeline read back afterwards, flags included."""
    engine = open_database(db, create=True)
    outcomes = []
    size = -(-len(SAMPLE_FILES) // batches)
    for start in range(0, len(SAMPLE_FILES), size):
        with session_scope(engine, writes=True) as session:
            options = IngestOptions(now=NOW, track_claims=False)
            report = ingest(session, SAMPLE_FILES[start : start + size][::-1], options)
        outcomes.extend(report.outcomes)
    with session_scope(engine) as session:
        stored = {
            (outcome.article, version.content_hash): version
            for outcome in outcomes
            for version in list_versions(session, str(outcome.article))
        }
    engine.dispose()
    assert all(outcome.status == "new" for outcome in outcomes)
    assert any(outcome.stealth_edit for outcome in outcomes)
    for outcome in outcomes:
        version = stored[(outcome.article, outcome.content_hash)]
        assert (outcome.stealth_edit, outcome.backdated) == (
            version.stealth_edit,
            version.backdated,
        )
        if batches == 1:  # later runs may slot versions in before earlier ones
            assert outcome.number == version.number


def test_a_pipe_is_read_before_the_write_lock_is_taken(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "p.db"
    engine = open_database(str(db), create=True)
    fifo = tmp_path / "pipe"  # as a shell names one: no article file suffix
    os.mkfifo(fifo)
    files = [str(SAMPLES / "marrowby-floods" / "01_first-report.txt"), str(fifo)]
    done: list[object] = []

    def run() -> None:
        with session_scope(engine, writes=True) as session:
            done.append(ingest(session, files, IngestOptions(now=NOW)))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    time.sleep(0.5)  # time for the run to reach the pipe and wait on it
    # While the ingest waits for the pipe's writer, another writer gets the lock at once.
    other = sqlite3.connect(db, timeout=0.2, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        fifo.write_bytes((SAMPLES / "marrowby-floods" / "02_toll-rises.txt").read_bytes())
    worker.join(timeout=30)
    engine.dispose()
    (report,) = done
    assert [o.status for o in report.outcomes] == ["new", "new"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("captured", "message"),
    [
        ("yesterday-ish", "Captured header: "),
        ("1899-01-01T00:00:00Z", "implausible time 1899-01-01T00:00:00Z: before 1990"),
    ],
)
def test_a_captured_header_is_checked_like_any_time(captured: str, message: str) -> None:
    text = FIRST_REPORT
    data = f"Captured: {captured}\n{text}".encode()
    with pytest.raises(InputError, match=message):
        prepare("x.txt", data, IngestOptions(now=NOW))


def test_a_folder_walk_reports_each_broken_link_and_stores_the_good_files(tmp_path: Path) -> None:
    folder = tmp_path / "story"
    folder.mkdir()
    good = folder / "01.txt"
    good.write_bytes((SAMPLES / "marrowby-floods" / "01_first-report.txt").read_bytes())
    (folder / "02.txt").symlink_to(tmp_path / "deleted.txt")
    (folder / "03.txt").symlink_to("03.txt")  # a link to itself
    (folder / ".#01.txt").symlink_to("editor@host.1234")  # an editor's lock: hidden, skipped
    files = expand_inputs([str(folder)])
    assert files == [str(good), str(folder / "02.txt"), str(folder / "03.txt")]

    engine = open_database(str(tmp_path / "f.db"), create=True)
    with session_scope(engine, writes=True) as session:
        report = ingest(session, files, IngestOptions(now=NOW))
    engine.dispose()
    assert [(o.status, o.reason.split(" (")[0]) for o in report.outcomes] == [
        ("new", ""),
        ("error", "broken symbolic link"),
        ("error", "Too many levels of symbolic links"),
    ]
    assert report.failed == report.outcomes[1:]


@pytest.mark.parametrize(
    ("last_update", "message"),
    [
        ("25 May, 2025 17:11 IST", "ambiguous time zone 'IST'"),
        ("9 March, 2025 02:30", "does not exist in America/New_York: clocks went forward"),
    ],
)
def test_a_last_update_refused_for_its_zone_is_reported_or_replaced_by_the_option(
    last_update: str, message: str
) -> None:
    text = FIRST_REPORT
    data = text.replace("25 May, 2025 17:11 PM", last_update).encode()
    options = IngestOptions(now=NOW, default_tz="America/New_York")
    with pytest.raises(InputError, match=message):
        prepare("x.txt", data, options)
    # As for any Last Update that cannot be read, --updated-at stands in for it, and says so.
    dated = prepare("x.txt", data, replace(options, updated_at="2025-05-25T17:11Z"))
    assert dated.updated_source == "option"


@pytest.mark.parametrize(
    ("last_update", "zone"),
    [
        ("9999-12-31T23:59:00-08:00", "UTC"),
        ("31 December 9999 23:30 ET", "UTC"),
        ("0001-01-01 00:30", "Asia/Tokyo"),
    ],
)
def test_a_time_beyond_the_calendar_fails_its_file_and_the_run_goes_on(
    tmp_path: Path, last_update: str, zone: str
) -> None:
    sample = SAMPLES / "marrowby-floods" / "01_first-report.txt"
    extreme = tmp_path / "extreme.txt"
    extreme.write_text(sample.read_text("utf-8").replace("25 May, 2025 17:11 PM", last_update))
    engine = open_database(str(tmp_path / "x.db"), create=True)
    with session_scope(engine, writes=True) as session:
        options = IngestOptions(now=NOW, default_tz=zone)
        report = ingest(session, [str(extreme), str(sample)], options)
    engine.dispose()
    failed, stored = report.outcomes
    assert failed.status == "error"
    assert "impossible date or time" in failed.reason
    assert "outside the years 1 to 9999 in UTC" in failed.reason
    assert stored.status == "new"


def test_an_implausible_published_date_leaves_the_file_stored_with_it_unknown() -> None:
    # An archive piece first published in 1987 and updated now is still a version to keep.
    text = FIRST_REPORT
    data = text.replace("\n25 May, 2025\n", "\nPublished: 12 March 1987\n").encode()
    prepared = prepare("x.txt", data, IngestOptions(now=NOW))
    assert prepared.article.published_raw == "12 March 1987"
    assert prepared.article.published_at is None
    assert prepared.article.standfirst.startswith("Emergency crews")
    assert prepared.outcome.content_hash == prepared.article.content_hash
    unknown = data.replace(b"Published: 12 March 1987", b"Published: May 25, 2025 10:00 IST")
    unknown_hash = prepare("x.txt", unknown, IngestOptions(now=NOW)).outcome.content_hash
    assert prepared.outcome.content_hash != unknown_hash  # the raw line still counts


def test_an_implausible_last_update_still_refuses_the_file() -> None:
    text = FIRST_REPORT
    data = text.replace("25 May, 2025 17:11 PM", "12 March 1987 17:11").encode()
    with pytest.raises(InputError, match=r"^implausible time 1987-03-12T17:11:00Z: before 1990"):
        prepare("x.txt", data, IngestOptions(now=NOW))


def test_a_published_date_refused_for_its_zone_leaves_the_file_stored() -> None:
    text = FIRST_REPORT
    data = text.replace("\n25 May, 2025\n", "\nPublished: May 25, 2025 10:00 IST\n").encode()
    prepared = prepare("x.txt", data, IngestOptions(now=NOW))
    assert prepared.article.published_raw == "May 25, 2025 10:00 IST"
    assert prepared.article.published_at is None
    assert prepared.article.standfirst.startswith("Emergency crews")
    settled = prepare("x.txt", data, IngestOptions(now=NOW, default_tz="Asia/Kolkata"))
    assert settled.article.published_at == datetime(2025, 5, 25, 4, 30, tzinfo=UTC)


def test_a_page_whose_file_time_is_no_date_is_refused_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.pageserver import fixture

    page = tmp_path / "page.html"
    page.write_text(fixture("no-dates.html"), encoding="utf-8")
    real_stat = Path.stat

    def far_future(path: Path, **kwargs: bool) -> os.stat_result:
        found = real_stat(path, **kwargs)
        if path != page:
            return found
        # tmpfs keeps such a time; ext4 would clamp it to 2446.
        return os.stat_result((*found[:7], 1e15, 1e15, 1e15))

    monkeypatch.setattr(Path, "stat", far_future)
    with pytest.raises(InputError, match="no time found in the page"):
        prepare(str(page), page.read_bytes(), IngestOptions(now=NOW))


@pytest.mark.postgres
def test_two_processes_storing_a_new_article_at_once_both_land(pg_url: str, tmp_path: Path) -> None:
    # Each run finds the article missing and would create it; the second then failed on the
    # article key and lost its version. Long bodies keep both runs busy at the same time.
    import subprocess
    import sys

    open_database(pg_url, create=True).dispose()
    bodies = [
        "\n\n".join(f"Paragraph {n} says {n + shift} boats were counted." for n in range(800))
        for shift in (9, 10)
    ]
    files = write_versions(tmp_path / "v", *bodies, key="harbour-count")
    command = [sys.executable, "-m", "factcheck", "--db", pg_url, "ingest"]
    runs = [subprocess.Popen([*command, file], stderr=subprocess.PIPE, text=True) for file in files]
    errors = [run.communicate(timeout=120)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    engine = open_database(pg_url, create=False)
    with session_scope(engine) as session:
        assert len(list_versions(session, "harbour-count")) == 2
    engine.dispose()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n1 0 obj << /Title (Council budget) >> endobj\n", "a PDF"),
        (b"GIF89a\x01\x00\x01\x00\x80", "a GIF image"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"PK\x03\x04\x14\x00", "a ZIP archive (or a Word or EPUB file)"),
    ],
)
def test_files_of_other_formats_are_named_not_read_as_articles(
    data: bytes, kind: str, tmp_path: Path
) -> None:
    # An all-ASCII PDF used to become an article titled "%PDF-1.4".
    options = IngestOptions(now=datetime.now(UTC), updated_at="2025-06-03T10:00Z")
    for name in ("report.txt", "report.html"):
        with pytest.raises(InputError) as refused:
            prepare(str(tmp_path / name), data, options)
        assert str(refused.value) == f"not a text or HTML file: it is {kind}"
