"""Renderers for an ``ArticleDiff``: terminal text, JSON, unified, HTML and a one-line summary.

Every renderer is pure (no database, no CLI) and takes the diff plus a ``DiffHeader`` that
names what is being compared. Each lives in its own module, imported on demand, so that
``--json`` never pays for rich and the text view never pays for the HTML templates.
"""

from __future__ import annotations

from dataclasses import dataclass


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


__all__ = ["DiffHeader"]
