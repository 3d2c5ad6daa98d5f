"""Lines and JSON for ``factcheck watch``: one per check, a summary per new version. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.watch import Check, WatchSummary


def format_interval(seconds: float) -> str:
    """``45s``, ``10m``, ``1h05m``, ``2d3h``: short and exact to the unit shown."""
    whole = round(seconds)
    if whole < 60:
        return f"{seconds:.2g}s" if seconds < 1 else f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m" + (f"{secs:02d}s" if secs else "")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h" + (f"{minutes:02d}m" if minutes else "")
    days, hours = divmod(hours, 24)
    return f"{days}d" + (f"{hours}h" if hours else "")


def check_lines(check: Check) -> list[str]:
    """The line for one check, then, for a new version, its summary lines."""
    from factcheck.render.ingest import claim_event_lines
    from factcheck.timestamps import format_utc

    outcome = check.outcome
    if check.status == "new" and outcome is not None:
        flags = "".join(f" [{flag}]" for flag in outcome.flags)
        when = format_utc(outcome.updated_at) if outcome.updated_at else "?"
        what = (
            f"new version {outcome.article} #{outcome.number} "
            f"(updated {when}, from {outcome.updated_source}){flags}"
        )
    elif check.status == "not-modified":
        what = "not modified (304)"
    elif check.status == "unchanged":
        what = "unchanged"
    else:
        what = f"error: {check.error}"
    if check.next_in is None:
        then = "; done"
    elif check.status == "error":
        then = f"; retry in {format_interval(check.next_in)}"
    else:
        then = f"; next check in {format_interval(check.next_in)}"
    at = format_utc(check.checked_at.replace(microsecond=0))
    lines = [f"{at}  check {check.number}  {check.url}  {what}{then}"]
    if check.status == "new" and outcome is not None:
        lines.append(f"  title: {outcome.title}")
        counts = check.claim_counts()
        lines.append(
            "  claims: {new} new, {changed} changed, {removed} removed, {reappeared} reappeared, "
            "{stale} stale verdicts".format(**counts)
        )
        lines.extend(claim_event_lines(outcome.claims))
    if check.notify_error:
        lines.append(f"  notify failed: {check.notify_error}")
    return lines


def check_json(check: Check) -> dict[str, Any]:
    """One JSON object per check (``watch --json`` prints them one a line)."""
    from factcheck.timestamps import format_utc

    outcome = check.outcome
    return {
        "url": check.url,
        "check": check.number,
        "checked_at": format_utc(check.checked_at.replace(microsecond=0)),
        "status": check.status,
        "article": outcome.article if outcome else None,
        "version": outcome.number if outcome else None,
        "content_hash": outcome.content_hash if outcome else None,
        "error": check.error if check.status == "error" else "",
        "next_check_in": check.next_in,
        "claims": check.claim_counts(),
        "claim_events": [e.as_dict() for e in outcome.claims] if outcome else [],
        "notify_error": check.notify_error,
    }


def summary_line(summary: WatchSummary) -> str:
    urls = len(summary.checks_by_url)
    return (
        f"watched {urls} URL{'s' if urls != 1 else ''}: {summary.checks} checks, "
        f"{summary.new_versions} new versions, {summary.errors} errors"
    )
