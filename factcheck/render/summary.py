"""A one-line summary of an ``ArticleDiff``, as used by ``diff --stat`` and ``log``.

Shape: ``+12 −3 words, 1 paragraph added, 1 removed, 2 changed; fields: title, updated;
stealth edit; trivial``. Word counts come first and always appear; paragraph counts appear
only when not zero; then, each only when it applies: the changed fields, "rewrite",
"timed out", "stealth edit", "trivial". Identical versions read "no changes".
"""

from __future__ import annotations

from factcheck.diff import ArticleDiff
from factcheck.render import DiffHeader


def render_summary(diff: ArticleDiff, header: DiffHeader | None = None) -> str:
    """The one-line summary; ``header`` only adds the stealth-edit flag."""
    stats = diff.stats
    if not diff.has_changes:
        return "no changes"
    counts = [f"+{stats.words_added} \u2212{stats.words_removed} words"]
    paragraph_counts = [
        (stats.paragraphs_added, "added"),
        (stats.paragraphs_removed, "removed"),
        (stats.paragraphs_changed, "changed"),
        (stats.paragraphs_moved, "moved"),
    ]
    for count, label in paragraph_counts:
        if count:
            noun = "" if len(counts) > 1 else " paragraph" if count == 1 else " paragraphs"
            counts.append(f"{count}{noun} {label}")
    parts = [", ".join(counts)]
    if stats.fields_changed:
        parts.append("fields: " + ", ".join(stats.fields_changed))
    if diff.rewrite:
        parts.append("rewrite")
    if diff.timed_out:
        parts.append("timed out")
    if header is not None and header.stealth:
        parts.append("stealth edit")
    if stats.trivial:
        parts.append("trivial")
    return "; ".join(parts)


__all__ = ["render_summary"]
