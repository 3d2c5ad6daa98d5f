"""The human-readable report of an ingest run: one line per input, one per affected claim,
then the totals. (``--json`` prints the outcomes' ``as_dict()`` instead.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.ingest import IngestReport

CLAIM_EVENTS = ("new", "changed", "removed", "reappeared", "stale")


def ingest_lines(report: IngestReport) -> list[str]:
    lines = []
    for outcome in report.outcomes:
        if outcome.status != "error":  # errors go to stderr, one line each
            flags = "".join(f" [{flag}]" for flag in outcome.flags)
            lines.append(
                f"{outcome.status:<9} {outcome.article} #{outcome.number}  {outcome.file}"
                f"  ({outcome.rule}){flags}"
            )
    # New claims are only counted: a first version would otherwise list every sentence.
    for event in report.claims.events:
        if event.event != "new":
            detail = f" ({event.detail})" if event.detail and event.event != "removed" else ""
            lines.append(f"  claim {event.claim_id} {event.event}{detail}: {event.text}")
    new = sum(outcome.status == "new" for outcome in report.outcomes)
    duplicate = sum(outcome.status == "duplicate" for outcome in report.outcomes)
    lines.append(f"{new} new, {duplicate} duplicate, {len(report.failed)} failed")
    counts = {event: report.claims.count(event) for event in CLAIM_EVENTS}
    if any(counts.values()):
        lines.append(
            "claims: {new} new, {changed} changed, {removed} removed, {reappeared} reappeared, "
            "{stale} stale verdicts".format(**counts)
        )
    return lines
