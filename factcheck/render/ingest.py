"""The human-readable report of an ingest run: one line per input, one per affected claim,
then the totals. (``--json`` prints the outcomes' ``as_dict()`` instead.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factcheck.ingest import IngestReport
    from factcheck.lineage import ClaimEvent

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
    lines.extend(claim_event_lines(report.claims.events))
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


def claim_event_lines(events: Sequence[ClaimEvent]) -> list[str]:
    """One line per affected claim, in the order the claims were first affected.

    A claim can have several events in one run: a stale verdict and the change that made
    it stale, or a change in each of several new versions. They share its line, each
    event's details once, and the line ends with the claim's latest wording. New claims
    are only counted: a first version would otherwise list every sentence."""
    by_claim: dict[int, dict[str, list[str]]] = {}
    wording: dict[int, str] = {}
    for event in events:
        if event.event == "new":
            continue
        details = by_claim.setdefault(event.claim_id, {}).setdefault(event.event, [])
        if event.detail and event.event != "removed" and event.detail not in details:
            details.append(event.detail)
        if event.event != "stale" or event.claim_id not in wording:
            wording[event.claim_id] = event.text
    lines = []
    for claim_id, kinds in by_claim.items():
        # What happened to the claim first, then what that did to its verdict.
        ordered = sorted(kinds.items(), key=lambda item: item[0] == "stale")
        described = ", ".join(
            f"{kind} ({'; '.join(details)})" if details else kind for kind, details in ordered
        )
        lines.append(f"  claim {claim_id} {described}: {wording[claim_id]}")
    return lines
