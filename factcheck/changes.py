"""What changed between versions: the service behind ``diff`` and ``log``.

Diffs are computed from the stored versions every time and never stored, so nothing derived
can drift from the text it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factcheck.articles import load_articles, timeline
from factcheck.errors import ConflictError, NotFoundError
from factcheck.timeline import flag_names, select_version
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.diff import ArticleDiff
    from factcheck.render import DiffHeader


@dataclass(frozen=True)
class Comparison:
    diff: ArticleDiff
    header: DiffHeader


@dataclass(frozen=True)
class LogEntry:
    number: int
    updated_at: str
    updated_raw: str
    title: str
    content_hash: str
    flags: list[str]
    summary: str
    stats: dict[str, Any] | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "updated_at": self.updated_at,
            "updated_raw": self.updated_raw,
            "title": self.title,
            "content_hash": self.content_hash,
            "flags": self.flags,
            "summary": self.summary,
            "stats": self.stats,
        }


def compare(session: Session, key: str, old: str | None, new: str | None) -> Comparison:
    """Diff two versions (default: the latest two) of an article."""
    from factcheck.diff import diff_articles
    from factcheck.render import DiffHeader

    placed = timeline(session, key)
    if old is None and new is None:
        if len(placed) < 2:
            raise NotFoundError(f"article {key!r} has only one version: nothing to compare")
        old, new = "-2", "-1"
    before = select_version(placed, old or "latest", article=key)
    after = select_version(placed, new or "latest", article=key)
    if before.number == after.number:
        raise ConflictError(
            f"versions {old} and {new} of {key!r} are identical (both are version {before.number})"
        )
    old_text, new_text = load_articles(session, [before.version.id, after.version.id])
    diff = diff_articles(old_text, new_text)
    header = DiffHeader(
        article=key,
        from_number=before.number,
        to_number=after.number,
        from_updated_at=format_utc(before.version.updated_at),
        to_updated_at=format_utc(after.version.updated_at),
        stealth=after.stealth_edit and after.number == before.number + 1,
    )
    return Comparison(diff, header)


def history(session: Session, key: str) -> list[LogEntry]:
    """Every version with the summary of its edit from the version before it."""
    from factcheck.diff import diff_articles
    from factcheck.render import DiffHeader
    from factcheck.render.json import diff_document
    from factcheck.render.summary import render_summary

    entries = []
    previous = None
    placed_versions = timeline(session, key)
    texts = load_articles(session, [placed.version.id for placed in placed_versions])
    for placed, article in zip(placed_versions, texts, strict=True):
        summary, stats = "first version", None
        if previous is not None:
            diff = diff_articles(previous, article)
            header = DiffHeader(key, placed.number - 1, placed.number, stealth=placed.stealth_edit)
            summary = render_summary(diff, header)
            stats = diff_document(diff, header)["stats"]
        entries.append(
            LogEntry(
                number=placed.number,
                updated_at=format_utc(placed.version.updated_at),
                updated_raw=placed.version.updated_raw,
                title=placed.version.title,
                content_hash=placed.version.content_hash,
                flags=flag_names(placed.stealth_edit, placed.backdated),
                summary=summary,
                stats=stats,
            )
        )
        previous = article
    return entries
