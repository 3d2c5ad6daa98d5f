"""Watching articles: check pages on an adaptive schedule and store each new version.

**The schedule** is a pure function, ``next_interval(age, since_change, floor)``, in the
spirit of NewsDiffs: check often while an article is young and changing, less and less
often as it settles. The interval is a tenth of the geometric mean of the article's age and
the time since it last changed, never below ``floor`` (``--every``) and never above
``ceiling`` (six hours by default). So a story published an hour ago is checked at the
floor; a week-old story that last changed six hours ago about every 3h10m; one that last
changed a day ago at the ceiling; and an old story that just changed is checked again
within the hour. A failed check is retried
sooner than a settled page would be checked (``retry_interval``): the floor, doubling with
each consecutive failure, up to the ceiling.

**A check** is one ``factcheck.ingest.ingest`` run for one URL, in a transaction of its
own: fetch (outside the transaction), parse, store the version if its content is new,
update the page's ``watched_pages`` row, recompute claims. An interrupted check stores
nothing; a failed one (network, server, bad page) is reported and the watch goes on.
``factcheck ingest URL`` is the same check, so cron and ``watch`` agree.

**The loop** keeps every URL's next due time in a heap and sleeps until the earliest. It
stops when ``until`` seconds have passed, when every URL has had ``max_checks`` checks, or
on Ctrl-C (``KeyboardInterrupt`` propagates; the check in progress rolls back). The clock
and the sleep are parameters, so tests drive the loop without waiting.

**Notification.** After a check that stored a new version, ``notify_cmd`` (if set) is run
through the shell with the version's summary as JSON on standard input (``notification``
documents the keys). A failing command is reported, never fatal.
"""

from __future__ import annotations

import heapq
import json
import math
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from factcheck.fetch import Fetcher
    from factcheck.ingest import FileOutcome, IngestOptions, IngestReport

MINUTE = 60.0
HOUR = 3600.0
DEFAULT_FLOOR = 10 * MINUTE
DEFAULT_CEILING = 6 * HOUR
SCHEDULE_FACTOR = 0.1
CLAIM_EVENTS = ("new", "changed", "removed", "reappeared", "stale")

# Shown escaped in errors: a URL given on the command line may hold anything.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_DURATION_UNITS = {"s": 1.0, "m": MINUTE, "h": HOUR, "d": 24 * HOUR}


# -- the schedule (pure) -------------------------------------------------------------------


def next_interval(
    age: float, since_change: float, floor: float, ceiling: float = DEFAULT_CEILING
) -> float:
    """Seconds until the next check of a page.

    ``age``: seconds since the article was born (published, or first seen).
    ``since_change``: seconds since it last changed (at most ``age``).
    ``floor``: the shortest interval (``--every``); ``ceiling``: the longest.

    Properties (tested): the result lies in [floor, max(floor, ceiling)]; it never
    decreases when either age or time since the last change grows; it is the floor for a
    young or just-changed young article and the ceiling for an old, settled one.
    """
    if not floor > 0:
        raise ValueError("floor must be positive")
    top = max(floor, ceiling)
    age = max(age, 0.0) if math.isfinite(age) else (top / SCHEDULE_FACTOR) ** 2
    since = min(max(since_change, 0.0), age) if math.isfinite(since_change) else age
    wanted = SCHEDULE_FACTOR * math.sqrt(age * since)
    return min(top, max(floor, wanted))


def retry_interval(failures: int, floor: float, ceiling: float = DEFAULT_CEILING) -> float:
    """Seconds until the next try after ``failures`` consecutive failed checks (>= 1)."""
    if not floor > 0:
        raise ValueError("floor must be positive")
    exponent = min(max(failures, 1) - 1, 32)
    return min(max(floor, ceiling), floor * 2.0**exponent)


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``90s``, ``10m``, ``1.5h``, ``2d`` or ``1h30m``."""
    import re

    cleaned = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned):
        seconds = float(cleaned)
    else:
        parts = re.findall(r"(\d+(?:\.\d+)?)\s*([smhd])", cleaned)
        if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([smhd])", "", cleaned).strip():
            raise UsageError(f"not a duration: {text!r} (use e.g. 90s, 10m, 1h30m, 2d)")
        seconds = sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts)
    if seconds <= 0:
        raise UsageError(f"not a positive duration: {text!r}")
    return seconds


# -- the loop ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchOptions:
    floor: float = DEFAULT_FLOOR
    ceiling: float = DEFAULT_CEILING
    until: float | None = None  # seconds from the start
    max_checks: int | None = None  # per URL
    notify_cmd: str | None = None
    notify_timeout: float = 30.0


@dataclass
class Check:
    """One check of one URL, as reported to the caller after it finished."""

    url: str
    number: int  # this URL's check count in this run, from 1
    checked_at: datetime
    status: str  # "new", "unchanged", "not-modified" or "error"
    outcome: FileOutcome | None = None
    report: IngestReport | None = None
    error: str = ""
    next_in: float | None = None  # seconds until the next check; None when done
    notify_error: str = ""
    # What the schedule needs: when the article was born and when it last changed.
    born: datetime | None = None
    changed: datetime | None = None

    def claim_counts(self) -> dict[str, int]:
        from factcheck.lineage import count_claims

        events = self.outcome.claims if self.outcome is not None else []
        return {name: count_claims(events, name) for name in CLAIM_EVENTS}

    def notification(self) -> dict[str, Any]:
        """The JSON given to ``--notify-cmd`` for a new version (schema in docs/watch.md)."""
        from factcheck.timestamps import format_utc

        outcome = self.outcome
        assert outcome is not None
        return {
            "event": "new_version",
            "url": self.url,
            "article": outcome.article,
            "version": outcome.number,
            "title": outcome.title,
            "content_hash": outcome.content_hash,
            "updated_at": format_utc(outcome.updated_at) if outcome.updated_at else None,
            "updated_source": outcome.updated_source,
            "stealth_edit": outcome.stealth_edit,
            "checked_at": format_utc(self.checked_at.replace(microsecond=0)),
            "check": self.number,
            "claims": self.claim_counts(),
            "claim_events": [event.as_dict() for event in outcome.claims],
        }


@dataclass
class WatchSummary:
    checks: int = 0
    new_versions: int = 0
    errors: int = 0
    checks_by_url: dict[str, int] = field(default_factory=dict)


Notifier = Callable[[str, bytes, float], None]


def run_notify_command(command: str, payload: bytes, timeout: float) -> None:
    """Run ``command`` through the shell with ``payload`` on stdin; raise on failure."""
    try:
        # shell=True by design: the command line is the user's own, like cron's.
        completed = subprocess.run(
            command,
            shell=True,
            input=payload,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise FactcheckError(f"notify command timed out after {timeout:g} s") from None
    except OSError as error:
        raise FactcheckError(f"notify command could not run: {error}") from None
    if completed.returncode:
        detail = completed.stderr.decode("utf-8", errors="replace").strip().splitlines()
        last = f": {detail[-1]}" if detail else ""
        raise FactcheckError(f"notify command exited {completed.returncode}{last}")


def read_url_list(path: str) -> list[str]:
    """URLs from a file (``-`` for stdin), one a line; blank lines, ``#`` comment lines and
    anything after a URL are skipped, and a URL listed twice is watched once."""
    import sys
    from pathlib import Path

    from factcheck.errors import InputError
    from factcheck.parse.text import decode_bytes

    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read the URL list ({error.strerror or error})") from None
    if not data.strip():
        return []  # an empty list adds no URL to those given on the command line
    # Checked as an article file is: a list is shown back in errors, and an escape sequence
    # in it would drive the terminal.
    try:
        text = decode_bytes(data)
    except InputError as error:
        raise InputError(f"{path}: {error}") from None
    urls: list[str] = []
    for line in text.splitlines():
        words = line.split()  # a URL has no spaces; anything after it is a comment
        if words and not words[0].startswith("#") and words[0] not in urls:
            urls.append(words[0])
    return urls


def watch(
    engine: Engine,
    urls: Sequence[str],
    options: IngestOptions,
    watch_options: WatchOptions,
    *,
    on_check: Callable[[Check], None],
    fetcher: Fetcher | None = None,
    now: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    notify: Notifier = run_notify_command,
    summary: WatchSummary | None = None,
) -> WatchSummary:
    """Check ``urls`` until a bound is reached (see the module docstring).

    Each check opens its own session on ``engine``: a watch is many transactions, one per
    check, never one long one. ``options`` is the ingest configuration (``options.fetch``
    configures the HTTP client unless ``fetcher`` is given); its ``now`` is replaced by the
    time of each check. ``summary``, when given, is filled in as checks happen, so a caller
    interrupted by Ctrl-C still has the counts.
    """
    from factcheck.fetch import Fetcher, FetchOptions, check_url

    if not urls:
        raise UsageError("nothing to watch: give a URL or --list FILE")
    for url in urls:
        try:
            check_url(url)
        except FactcheckError as error:
            shown = url.encode("unicode_escape").decode("ascii") if _CONTROL.search(url) else url
            raise UsageError(f"{shown}: {error}") from None
    clock = now or _utc_now
    own = fetcher is None
    client = fetcher or Fetcher(options.fetch or FetchOptions(max_bytes=options.max_bytes))
    try:
        return _loop(
            engine,
            urls,
            options,
            watch_options,
            client,
            clock,
            sleep,
            on_check,
            notify,
            summary or WatchSummary(),
        )
    finally:
        if own:
            client.close()


def _utc_now() -> datetime:
    from datetime import UTC

    return datetime.now(UTC)


def _loop(
    engine: Engine,
    urls: Sequence[str],
    options: IngestOptions,
    watch_options: WatchOptions,
    fetcher: Fetcher,
    now: Callable[[], datetime],
    sleep: Callable[[float], None],
    on_check: Callable[[Check], None],
    notify: Notifier,
    summary: WatchSummary,
) -> WatchSummary:
    started = now()
    deadline = watch_options.until
    failures: dict[str, int] = {}
    # (due, order, url): the order keeps ties in the order the URLs were given.
    queue: list[tuple[float, int, str]] = [(0.0, index, url) for index, url in enumerate(urls)]
    heapq.heapify(queue)
    while queue:
        due, order, url = heapq.heappop(queue)
        if deadline is not None and due > deadline:
            break
        wait = due - _elapsed(started, now())
        if wait > 0:
            sleep(wait)
        number = summary.checks_by_url.get(url, 0) + 1
        summary.checks_by_url[url] = number
        check = _check(engine, url, number, options, fetcher, now())
        summary.checks += 1
        if check.status == "error":
            summary.errors += 1
            failures[url] = failures.get(url, 0) + 1
            interval = retry_interval(failures[url], watch_options.floor, watch_options.ceiling)
        else:
            failures.pop(url, None)
            interval = _scheduled_interval(check, watch_options)
        if check.status == "new":
            summary.new_versions += 1
            if watch_options.notify_cmd:
                payload = json.dumps(check.notification(), ensure_ascii=False).encode("utf-8")
                try:
                    notify(watch_options.notify_cmd, payload, watch_options.notify_timeout)
                except FactcheckError as error:
                    check.notify_error = str(error)
        more = watch_options.max_checks is None or number < watch_options.max_checks
        next_due = _elapsed(started, now()) + interval
        if more and (deadline is None or next_due <= deadline):
            check.next_in = interval
            heapq.heappush(queue, (next_due, order, url))
        on_check(check)
    return summary


def _elapsed(started: datetime, moment: datetime) -> float:
    return (moment - started).total_seconds()


def _check(
    engine: Engine,
    url: str,
    number: int,
    options: IngestOptions,
    fetcher: Fetcher,
    moment: datetime,
) -> Check:
    from factcheck.ingest import ingest
    from factcheck.pages import page_key, schedule_facts
    from factcheck.store.db import session_scope

    born = changed = None
    try:
        with session_scope(engine, writes=True) as session:
            report = ingest(session, [url], replace(options, now=moment), fetcher=fetcher)
            if report.outcomes[0].status != "error":
                born, changed = schedule_facts(session, page_key(url))
    except FactcheckError as error:  # the database, not the page: locked, unreachable
        return Check(url, number, moment, "error", error=str(error))
    outcome = report.outcomes[0]
    if outcome.status == "error":
        status = "error"
    elif outcome.status == "new":
        status = "new"
    elif outcome.reason.startswith("not modified"):
        status = "not-modified"
    else:
        status = "unchanged"
    return Check(
        url, number, moment, status, outcome, report, outcome.reason, born=born, changed=changed
    )


def _scheduled_interval(check: Check, watch_options: WatchOptions) -> float:
    moment = check.checked_at
    age = (moment - check.born).total_seconds() if check.born else 0.0
    since = (moment - check.changed).total_seconds() if check.changed else age
    return next_interval(age, since, watch_options.floor, watch_options.ceiling)
