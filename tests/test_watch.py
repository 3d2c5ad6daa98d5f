"""Watching: the schedule (properties), the loop against a local server with a fake clock,
notifications, interruption, and the CLI."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.errors import FactcheckError, InputError, UsageError
from factcheck.fetch import Fetcher, FetchOptions
from factcheck.ingest import IngestOptions
from factcheck.render.watch import check_json, check_lines, format_interval, summary_line
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import claims_table, versions_table, watched_pages_table
from factcheck.watch import (
    DEFAULT_CEILING,
    HOUR,
    MINUTE,
    Check,
    WatchOptions,
    WatchSummary,
    next_interval,
    parse_duration,
    read_url_list,
    retry_interval,
    run_notify_command,
    watch,
)
from tests.pageserver import Answer, PageServer, fixture

DAY = 24 * HOUR
ARTICLE = fixture("jsonld-newsarticle.html")
UNDATED = fixture("no-dates.html")
START = datetime(2025, 6, 3, 13, 5, tzinfo=UTC)  # three minutes after the article's update

seconds = st.floats(min_value=0, max_value=10 * 365 * DAY, allow_nan=False)
floors = st.floats(min_value=0.01, max_value=DAY, allow_nan=False)
ceilings = st.floats(min_value=0.01, max_value=30 * DAY, allow_nan=False)


# -- the schedule --------------------------------------------------------------------------


@given(age=seconds, since=seconds, floor=floors, ceiling=ceilings)
def test_the_interval_stays_between_the_floor_and_the_ceiling(
    age: float, since: float, floor: float, ceiling: float
) -> None:
    interval = next_interval(age, since, floor, ceiling)
    assert math.isfinite(interval)
    assert floor <= interval <= max(floor, ceiling)


@given(age=seconds, more=seconds, since=seconds, floor=floors, ceiling=ceilings)
def test_an_older_article_is_never_checked_more_often(
    age: float, more: float, since: float, floor: float, ceiling: float
) -> None:
    assert next_interval(age, since, floor, ceiling) <= next_interval(
        age + more, since, floor, ceiling
    )


@given(age=seconds, since=seconds, more=seconds, floor=floors, ceiling=ceilings)
def test_a_longer_quiet_spell_is_never_checked_more_often(
    age: float, since: float, more: float, floor: float, ceiling: float
) -> None:
    assert next_interval(age, since, floor, ceiling) <= next_interval(
        age, since + more, floor, ceiling
    )


@given(age=seconds, since=seconds, floor=floors)
def test_a_change_after_the_birth_is_read_as_no_older_than_the_article(
    age: float, since: float, floor: float
) -> None:
    assert next_interval(age, since, floor) == next_interval(age, min(since, age), floor)


@given(
    age=st.floats(min_value=0, max_value=HOUR), floor=st.floats(min_value=6 * MINUTE, max_value=DAY)
)
def test_a_young_article_is_checked_at_the_floor(age: float, floor: float) -> None:
    assert next_interval(age, age, floor) == floor


@given(age=st.floats(min_value=400 * DAY, max_value=4000 * DAY), floor=floors)
def test_an_old_settled_article_is_checked_at_the_ceiling(age: float, floor: float) -> None:
    assert next_interval(age, age, floor) == max(floor, DEFAULT_CEILING)


def test_the_schedule_in_numbers() -> None:
    assert next_interval(HOUR, HOUR, 10 * MINUTE) == 10 * MINUTE
    # A week-old story that last changed six hours ago: about every 3h10m.
    assert next_interval(7 * DAY, 6 * HOUR, 10 * MINUTE) == pytest.approx(
        0.1 * math.sqrt(7 * DAY * 6 * HOUR)
    )
    assert format_interval(next_interval(7 * DAY, 6 * HOUR, 10 * MINUTE)) == "3h10m"
    assert next_interval(7 * DAY, DAY, 10 * MINUTE) == DEFAULT_CEILING
    # An old story that just changed is looked at again within the hour.
    assert next_interval(30 * DAY, 60, 10 * MINUTE) < HOUR
    assert next_interval(-5, -5, 60) == 60
    with pytest.raises(ValueError):
        next_interval(1, 1, 0)


@given(failures=st.integers(min_value=1, max_value=1000), floor=floors, ceiling=ceilings)
def test_retries_back_off_between_the_floor_and_the_ceiling(
    failures: int, floor: float, ceiling: float
) -> None:
    interval = retry_interval(failures, floor, ceiling)
    assert floor <= interval <= max(floor, ceiling)
    assert interval <= retry_interval(failures + 1, floor, ceiling)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90", 90), ("90s", 90), ("10m", 600), ("1.5h", 5400), ("2d", 172800), ("1h30m", 5400)],
)
def test_durations(text: str, expected: float) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "10x", "0", "-5m", "10m later"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)


def test_intervals_are_printed_short() -> None:
    assert [format_interval(s) for s in (0.05, 45, 600, 605, 3900, 7 * DAY + 3 * HOUR)] == [
        "0.05s",
        "45s",
        "10m",
        "10m05s",
        "1h05m",
        "7d3h",
    ]


def test_url_lists_skip_blanks_comments_and_repeats(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# morning list\nhttps://a.example/1\n\nhttps://b.example/2   # the big one\n"
        "https://a.example/1\n",
        encoding="utf-8",
    )
    assert read_url_list(str(listing)) == ["https://a.example/1", "https://b.example/2"]
    with pytest.raises(InputError, match="no such file"):
        read_url_list(str(tmp_path / "missing.txt"))
    listing.write_bytes(b" \n")
    assert read_url_list(str(listing)) == []  # empty: nothing to add, no error
    # A list is shown back in errors: an escape sequence in it is refused, not echoed.
    listing.write_bytes(b"https://a.example/1\n\x1b]0;title\x07\n")
    with pytest.raises(InputError, match=r"urls.txt: control character U\+001B at offset 20$"):
        read_url_list(str(listing))


# -- the loop ------------------------------------------------------------------------------


@dataclass
class FakeClock:
    """``now`` and ``sleep`` for the loop: sleeping moves the clock, nothing waits."""

    current: datetime = START
    sleeps: list[float] = field(default_factory=list)

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.current += timedelta(seconds=seconds)


@pytest.fixture
def server() -> Iterator[PageServer]:
    running = PageServer().start()
    yield running
    running.stop()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fetcher(clock: FakeClock) -> Iterator[Fetcher]:
    options = FetchOptions(timeout=0.5, retries=0, backoff=0.0)
    with Fetcher(options, now=clock.now, sleep=clock.sleep) as client:
        yield client


def run_watch(
    db: str,
    urls: list[str],
    clock: FakeClock,
    fetcher: Fetcher,
    watch_options: WatchOptions,
    on_check: Any = None,
    **kwargs: Any,
) -> tuple[WatchSummary, list[Check]]:
    engine = open_database(db, create=True)
    checks: list[Check] = []

    def record(check: Check) -> None:
        checks.append(check)
        if on_check is not None:
            on_check(check, engine)

    try:
        summary = watch(
            engine,
            urls,
            IngestOptions(now=clock.now()),
            watch_options,
            on_check=record,
            fetcher=fetcher,
            now=clock.now,
            sleep=clock.sleep,
            **kwargs,
        )
    finally:
        engine.dispose()
    return summary, checks


def test_a_watched_article_changing_between_checks(
    db: str, server: PageServer, clock: FakeClock, fetcher: Fetcher
) -> None:
    """New version, reload noise, a new Last Update with a changed number (a verified claim
    goes stale), a stealth edit, then the 304 path, and notifications for each version."""
    later = "2025-06-03T15:10:00+01:00"
    pages = [
        ARTICLE,
        ARTICLE.replace("3 minutes ago", "12 minutes ago"),
        ARTICLE.replace("2025-06-03T14:02:00+01:00", later).replace(
            "About 14,000 vehicles", "About 16,500 vehicles"
        ),
        ARTICLE.replace("2025-06-03T14:02:00+01:00", later)
        .replace("About 14,000 vehicles", "About 16,500 vehicles")
        .replace("more than 30%", "more than 40%"),
    ]
    server.page("/a/123", pages[0])
    sent: list[dict[str, Any]] = []

    def after(check: Check, engine: Any) -> None:
        if check.number == 1:
            from factcheck.review import mark

            with session_scope(engine, writes=True) as session:
                claim_id = session.execute(
                    select(claims_table.c.id).where(claims_table.c.text.contains("14,000"))
                ).scalar_one()
                mark(
                    session,
                    claim_id,
                    "verified",
                    note="",
                    sources=[],
                    reviewer="tester",
                    version=None,
                    now=clock.now(),
                )
        if check.number < len(pages):
            server.page("/a/123", pages[check.number])

    def notify(command: str, payload: bytes, timeout: float) -> None:
        assert command == "notify-me"
        sent.append(json.loads(payload))

    summary, checks = run_watch(
        db,
        [server.url("/a/123")],
        clock,
        fetcher,
        WatchOptions(floor=5 * MINUTE, max_checks=5, notify_cmd="notify-me"),
        on_check=after,
        notify=notify,
    )
    assert [c.status for c in checks] == ["new", "unchanged", "new", "new", "not-modified"]
    assert (summary.checks, summary.new_versions, summary.errors) == (5, 3, 0)
    assert checks[3].outcome is not None and checks[3].outcome.stealth_edit
    third = checks[2].claim_counts()
    assert third["changed"] >= 1 and third["stale"] == 1
    assert all(s >= 5 * MINUTE for s in clock.sleeps) and len(clock.sleeps) == 4
    assert checks[-1].next_in is None  # the last check: nothing more is scheduled
    # One notification per new version, with the documented keys.
    assert [n["version"] for n in sent] == [1, 2, 3]
    assert set(sent[0]) == {
        "event",
        "url",
        "article",
        "version",
        "title",
        "content_hash",
        "updated_at",
        "updated_source",
        "stealth_edit",
        "checked_at",
        "check",
        "claims",
        "claim_events",
    }
    assert sent[1]["claims"]["stale"] == 1 and sent[1]["updated_at"] == "2025-06-03T14:10:00Z"
    assert sent[2]["stealth_edit"] is True
    stale = [e for e in sent[1]["claim_events"] if e["event"] == "stale"]
    assert "16,500" in stale[0]["text"]
    # The printed lines: one per check, and a summary for each new version.
    lines = check_lines(checks[2])
    assert "new version bridge-closure-extended #2" in lines[0]
    assert "from jsonld:dateModified" in lines[0]
    assert any(line.startswith("  claims: ") and "1 stale verdicts" in line for line in lines)
    assert check_lines(checks[4])[0].endswith("not modified (304); done")
    engine = open_database(db, create=False)
    with engine.connect() as connection:
        assert len(connection.execute(select(versions_table)).all()) == 3
        [page] = connection.execute(select(watched_pages_table)).all()
    engine.dispose()
    assert page.checks == 5 and page.failures == 0


def test_the_watch_survives_server_errors_and_timeouts(
    sqlite_url: str, server: PageServer, clock: FakeClock, fetcher: Fetcher
) -> None:
    server.serve(
        "/flaky",
        Answer(status=500),
        Answer(body=ARTICLE.encode(), delay=1.0),  # slower than the 0.5 s timeout
        Answer(status=503),
        Answer(body=ARTICLE.encode()),
    )
    summary, checks = run_watch(
        sqlite_url,
        [server.url("/flaky")],
        clock,
        fetcher,
        WatchOptions(floor=MINUTE, max_checks=4),
    )
    assert [c.status for c in checks] == ["error", "error", "error", "new"]
    assert checks[0].error == "HTTP 500 Internal Server Error"
    assert checks[1].error.startswith("timed out")
    assert summary.errors == 3
    # The first failure retries at the floor, then the wait doubles.
    assert clock.sleeps == [MINUTE, 2 * MINUTE, 4 * MINUTE]
    assert "retry in 2m" in check_lines(checks[1])[0]


def test_until_bounds_the_watch_and_many_urls_share_one_process(
    sqlite_url: str, server: PageServer, clock: FakeClock, fetcher: Fetcher
) -> None:
    server.page("/one", ARTICLE)
    server.page("/two", UNDATED)
    summary, checks = run_watch(
        sqlite_url,
        [server.url("/one"), server.url("/two")],
        clock,
        fetcher,
        WatchOptions(floor=10 * MINUTE, until=HOUR),
    )
    assert set(summary.checks_by_url) == {server.url("/one"), server.url("/two")}
    assert clock.current - START <= timedelta(hours=1)
    # A young, undated page (its time is the fetch time) is checked at the floor: 7 times
    # in an hour (0, 10, ..., 60 minutes).
    assert summary.checks_by_url[server.url("/two")] == 7
    assert [c.status for c in checks[:2]] == ["new", "new"]
    assert {c.status for c in checks[2:]} == {"not-modified"}
    assert summary_line(summary).startswith("watched 2 URLs: ")


def test_ctrl_c_while_waiting_keeps_the_finished_checks(
    sqlite_url: str, server: PageServer, clock: FakeClock, fetcher: Fetcher
) -> None:
    server.page("/a", ARTICLE)

    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    summary = WatchSummary()
    engine = open_database(sqlite_url, create=True)
    with pytest.raises(KeyboardInterrupt):
        watch(
            engine,
            [server.url("/a")],
            IngestOptions(now=START),
            WatchOptions(floor=MINUTE),
            on_check=lambda check: None,
            fetcher=fetcher,
            now=clock.now,
            sleep=interrupt,
            summary=summary,
        )
    with engine.connect() as connection:
        assert len(connection.execute(select(versions_table)).all()) == 1
    engine.dispose()
    assert (summary.checks, summary.new_versions) == (1, 1)


def test_ctrl_c_during_a_check_leaves_no_half_written_version(
    sqlite_url: str,
    server: PageServer,
    clock: FakeClock,
    fetcher: Fetcher,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interrupted after the version rows are written but before the claims: all rolls back."""
    server.page("/a", ARTICLE)

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.setattr("factcheck.ingest.ClaimBatch.add", interrupted)
    engine = open_database(sqlite_url, create=True)
    with pytest.raises(KeyboardInterrupt):
        watch(
            engine,
            [server.url("/a")],
            IngestOptions(now=START),
            WatchOptions(floor=MINUTE),
            on_check=lambda check: None,
            fetcher=fetcher,
            now=clock.now,
            sleep=clock.sleep,
        )
    with engine.connect() as connection:
        assert connection.execute(select(versions_table)).all() == []
        assert connection.execute(select(watched_pages_table)).all() == []
    engine.dispose()


def test_a_failing_notify_command_is_reported_and_the_watch_goes_on(
    sqlite_url: str, server: PageServer, clock: FakeClock, fetcher: Fetcher, tmp_path: Path
) -> None:
    server.page("/a", UNDATED)
    _, checks = run_watch(
        sqlite_url,
        [server.url("/a")],
        clock,
        fetcher,
        WatchOptions(floor=MINUTE, max_checks=2, notify_cmd="echo broken >&2; exit 3"),
    )
    assert checks[0].notify_error == "notify command exited 3: broken"
    assert "  notify failed: notify command exited 3: broken" in check_lines(checks[0])
    assert checks[1].status == "not-modified"


def test_the_notify_command_gets_the_json_on_stdin(tmp_path: Path) -> None:
    out = tmp_path / "payload.json"
    run_notify_command(f"cat > '{out}'", b'{"event": "new_version"}', 5.0)
    assert json.loads(out.read_text()) == {"event": "new_version"}
    with pytest.raises(FactcheckError, match="timed out"):
        run_notify_command("sleep 5", b"{}", 0.2)


def test_a_watch_refuses_urls_it_would_never_fetch(sqlite_url: str, clock: FakeClock) -> None:
    engine = open_database(sqlite_url, create=True)
    try:
        with pytest.raises(UsageError, match="only http and https"):
            watch(
                engine,
                ["file:///etc/passwd"],
                IngestOptions(now=START),
                WatchOptions(),
                on_check=lambda check: None,
                now=clock.now,
                sleep=clock.sleep,
            )
        with pytest.raises(UsageError, match="nothing to watch"):
            watch(engine, [], IngestOptions(now=START), WatchOptions(), on_check=print)
    finally:
        engine.dispose()


def test_check_json_has_stable_keys(
    sqlite_url: str, server: PageServer, clock: FakeClock, fetcher: Fetcher
) -> None:
    server.page("/a", UNDATED)
    _, checks = run_watch(
        sqlite_url, [server.url("/a")], clock, fetcher, WatchOptions(floor=MINUTE, max_checks=1)
    )
    row = check_json(checks[0])
    assert row["status"] == "new" and row["version"] == 1 and row["article"] == "library-hours"
    assert row["next_check_in"] is None
    assert set(row) == {
        "url",
        "check",
        "checked_at",
        "status",
        "article",
        "version",
        "content_hash",
        "error",
        "next_check_in",
        "claims",
        "claim_events",
        "notify_error",
    }


# -- CLI -----------------------------------------------------------------------------------


def test_cli_watch_prints_a_line_per_check_and_a_summary(
    server: PageServer, tmp_path: Path
) -> None:
    server.page("/library", UNDATED)
    db = str(tmp_path / "w.db")
    out = tmp_path / "notified.json"
    result = CliRunner().invoke(
        app,
        [
            *("--db", db, "watch", server.url("/library"), "--every", "0.05s"),
            *("--max-checks", "2", "--notify-cmd", f"cat > '{out}'"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "check 1" in lines[0] and "new version library-hours #1" in lines[0]
    assert "from fetch" in lines[0]
    assert any("check 2" in line and "not modified (304); done" in line for line in lines)
    assert lines[-1] == "watched 1 URL: 2 checks, 1 new versions, 0 errors"
    assert json.loads(out.read_text())["article"] == "library-hours"


def test_cli_watch_reads_a_list_and_prints_json_lines(server: PageServer, tmp_path: Path) -> None:
    server.page("/one", UNDATED)
    server.serve("/gone", Answer(status=404))
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server.url('/one')}\n{server.url('/gone')}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            *("--db", str(tmp_path / "w.db"), "watch", "--list", str(listing), "--json"),
            *("--every", "1s", "--max-checks", "1"),
        ],
    )
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["url"], r["status"]) for r in rows] == [
        (server.url("/one"), "new"),
        (server.url("/gone"), "error"),
    ]
    assert rows[1]["error"] == "HTTP 404 Not Found"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["file:///etc/passwd"], "Error: file:///etc/passwd: only http and https URLs"),
        (["http://[bad/x"], "Error: http://[bad/x: not a valid URL"),
        (["http://127.0.0.1:9/x", "--every", "soon"], "Error: not a duration: 'soon'"),
        ([], "Error: nothing to watch"),
        (["--list", "missing.txt"], "Error: missing.txt: no such file"),
        # Shown escaped: an escape sequence must not reach the terminal.
        (["http://a\x1b]0;x\x07b/"], "Error: http://a\\x1b]0;x\\x07b/: not a valid URL"),
    ],
)
def test_cli_watch_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "w.db"), "watch", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
