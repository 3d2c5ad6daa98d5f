"""Terminal view of one claim: its wording in each version, value changes, and verdicts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from factcheck.claim_views import ClaimDetail


def render_claim(detail: ClaimDetail) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    claim = detail.claim
    head = Text()
    head.append(f"Claim {claim.id}", style="bold")
    head.append(f"  {claim.article}  {claim.kind}  status: {claim.status}")
    if claim.flags:
        head.append("  [" + ", ".join(claim.flags) + "]", style="bold yellow")
    parts: list[Any] = [head, Text(claim.text)]
    if claim.source:
        parts.append(Text(f"source: {claim.source}", style="dim"))

    lineage = Table(title="Lineage", title_justify="left")
    for column in ("version", "last update (UTC)", "change", "wording"):
        lineage.add_column(column, overflow="fold")
    for occurrence in detail.occurrences:
        change = occurrence.change.replace("_", " ")
        if occurrence.value_changes:
            change += ": " + ", ".join(
                f"{old or '-'} -> {new or '-'}" for old, new in occurrence.value_changes
            )
        lineage.add_row(
            Text(str(occurrence.version)),
            Text(format_utc(occurrence.updated_at)),
            Text(change),
            Text(occurrence.text),
        )
    parts.append(lineage)

    if detail.reviews:
        reviews = Table(title="Reviews", title_justify="left")
        for column in ("at (UTC)", "status", "by", "version", "note", "sources", ""):
            reviews.add_column(column, overflow="fold")
        for review in detail.reviews:
            reviews.add_row(
                Text(format_utc(review.at)),
                Text(review.status),
                Text(review.reviewer),
                Text(str(review.version or "")),
                Text(review.note),
                Text(" ".join(review.sources)),
                Text("stale" if review.stale else "", style="bold yellow"),
            )
        parts.append(reviews)
    else:
        parts.append(Text("No reviews yet.", style="dim"))
    return Group(*parts)
