"""Terminal view of one claim: its wording in each version, value changes, and verdicts.

The lineage table lists, in version order, each version holding the claim and, between
them, one row per run of versions lacking it ("3-5  absent  absent from versions 3-5"), so
an article with 40 versions gives a handful of rows, not one per missing version. The run
a removed claim ends on is labelled ``removed`` and runs to the latest version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from rich.text import Text

    from factcheck.claim_views import Absence, ClaimDetail, OccurrenceView


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
    for row in lineage_rows(detail):
        lineage.add_row(*row)
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


def lineage_rows(detail: ClaimDetail) -> list[tuple[Text, Text, Text, Text]]:
    """The lineage table's rows in version order: occurrences and runs of absence."""
    keyed = [(o.version, _occurrence_row(o)) for o in detail.occurrences]
    keyed += [
        (a.from_version, _absence_row(a, removed=detail.is_removal(a))) for a in detail.absences
    ]
    # A run never starts on a version holding the claim, so no two keys tie.
    return [row for _, row in sorted(keyed, key=lambda pair: pair[0])]


def _occurrence_row(occurrence: OccurrenceView) -> tuple[Text, Text, Text, Text]:
    from rich.text import Text

    change = occurrence.change.replace("_", " ")
    if occurrence.value_changes:
        change += ": " + ", ".join(
            f"{old or '-'} -> {new or '-'}" for old, new in occurrence.value_changes
        )
    # A source_changed row shows its sources as its pair already.
    if occurrence.source_change and occurrence.change != "source_changed":
        old, new = occurrence.source_change
        change += f"; source: {old} -> {new}"
    return (
        Text(str(occurrence.version)),
        Text(format_utc(occurrence.updated_at)),
        Text(change),
        Text(occurrence.text),
    )


def _absence_row(absence: Absence, *, removed: bool) -> tuple[Text, Text, Text, Text]:
    from rich.text import Text

    first, last = absence.from_version, absence.to_version
    span = str(first) if first == last else f"{first}-{last}"
    wording = absence.wording(removal=removed)
    faint = "dim italic"
    return (
        Text(span, style=faint),
        Text(""),
        Text("removed", style="bold yellow") if removed else Text("absent", style=faint),
        Text(wording, style=faint),
    )
