"""Renderers for an ``ArticleDiff``: terminal text, JSON, unified, HTML and a one-line summary.

Every renderer is pure (no database, no CLI) and takes the diff plus a ``DiffHeader`` that
names what is being compared. Each lives in its own module, imported on demand, so that
``--json`` never pays for rich and the text view never pays for the HTML templates.
"""

from __future__ import annotations

from dataclasses import dataclass

# How each diffed field is labelled in the text and HTML views, in FIELD_NAMES order.
FIELD_LABELS = {
    "title": "Title",
    "standfirst": "Standfirst",
    "read_time": "Read time",
    "caption": "Caption",
    "published": "Published",
    "updated": "Last Update",
}


@dataclass(frozen=True)
class DiffHeader:
    """What a diff compares: one article, from one version to another.

    Version numbers are positions in the article's timeline (1 = oldest). ``*_updated_at``
    are ISO 8601 strings, or None when a version has no Last Update time. ``stealth`` is
    True when the text changed but the Last Update time did not.
    """

    article: str
    from_number: int
    to_number: int
    from_updated_at: str | None = None
    to_updated_at: str | None = None
    stealth: bool = False


def folded_runs(statuses: list[str], context: int) -> list[tuple[bool, int, int]]:
    """Split paragraph positions into shown and folded runs: (shown, start, stop) in order.

    A paragraph is shown when it changed or lies within ``context`` positions of a change;
    every other run of unchanged paragraphs is folded.
    """
    shown = [False] * len(statuses)
    for index, status in enumerate(statuses):
        if status != "same":
            for near in range(max(0, index - context), min(len(statuses), index + context + 1)):
                shown[near] = True
    runs: list[tuple[bool, int, int]] = []
    for index, flag in enumerate(shown):
        if runs and runs[-1][0] == flag:
            runs[-1] = (flag, runs[-1][1], index + 1)
        else:
            runs.append((flag, index, index + 1))
    return runs


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


__all__ = ["FIELD_LABELS", "DiffHeader", "folded_runs", "plural"]
