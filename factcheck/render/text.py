"""The terminal view of an ``ArticleDiff``.

Layout, top to bottom: a header line (article, versions, Last Update times), warnings (stealth
edit, rewrite, timed out), the one-line summary, the changed fields ("Title: ...",
"Last Update: ..."), then the body: each changed, added, removed or moved paragraph with
``context`` unchanged paragraphs around it, and every longer unchanged run folded into one
"... 7 unchanged paragraphs ..." line. Paragraphs are separated by blank lines.

With ``color`` the result is rich markup (print it with markup on): deletions red and struck
through, insertions green. Every piece of article text goes through ``rich.markup.escape``,
so text such as "[bold]" is shown, never interpreted. Without ``color`` (NO_COLOR, a pipe)
changes are marked like ``git diff --word-diff``: ``[-old-]{+new+}``.
"""

from __future__ import annotations

from factcheck.diff import DELETE, FIELD_NAMES, INSERT, ArticleDiff, Ops, ParagraphDiff
from factcheck.render import FIELD_LABELS, DiffHeader, folded_runs, plural
from factcheck.render.summary import render_summary


def render_text(
    diff: ArticleDiff, header: DiffHeader, context: int = 1, color: bool = False
) -> str:
    """The whole view as one string (rich markup when ``color``)."""
    view = _View(color)
    lines = [view.strong(_title(header))]
    if header.stealth:
        lines.append(view.warn("Stealth edit: the text changed but the Last Update time did not."))
    if diff.rewrite:
        lines.append(
            view.warn("Rewrite: the versions share almost nothing; paragraphs are shown whole.")
        )
    if diff.timed_out:
        lines.append(
            view.warn("Timed out: part of this diff is coarser than the minimal one (still exact).")
        )
    lines.append(view.plain(render_summary(diff, header)))
    if diff.fields:
        lines.append("")
        for name in FIELD_NAMES:
            if name in diff.fields:
                lines.append(
                    f"{view.strong(FIELD_LABELS[name] + ':')} {view.ops(diff.fields[name])}"
                )
    paragraphs = diff.paragraphs
    for shown, start, stop in folded_runs([p.status for p in paragraphs], context):
        lines.append("")
        if shown:
            lines.append("\n\n".join(view.paragraph(p) for p in paragraphs[start:stop]))
        else:
            count = plural(stop - start, "unchanged paragraph")
            lines.append(view.faint(f"... {count} ..."))
    return "\n".join(lines) + "\n"


def _title(header: DiffHeader) -> str:
    def version(number: int, updated_at: str | None) -> str:
        return f"version {number}" + (f" ({updated_at})" if updated_at else "")

    old = version(header.from_number, header.from_updated_at)
    new = version(header.to_number, header.to_updated_at)
    return f"{header.article}: {old} \u2192 {new}"


class _View:
    """Turns pieces of the diff into plain or marked-up text; all article text is escaped."""

    def __init__(self, color: bool) -> None:
        self.color = color
        if color:
            # Imported only for colour: the plain view should not pay rich's import time.
            from rich.markup import escape

            self.escape = escape

    def _wrap(self, style: str, text: str) -> str:
        return f"[{style}]{self.escape(text)}[/{style}]" if self.color else text

    def plain(self, text: str) -> str:
        return self.escape(text) if self.color else text

    def strong(self, text: str) -> str:
        return self._wrap("bold", text)

    def warn(self, text: str) -> str:
        return self._wrap("bold yellow", text)

    def faint(self, text: str) -> str:
        return self._wrap("dim", text)

    def deleted(self, text: str) -> str:
        return self._wrap("red strike", text) if self.color else f"[-{text}-]"

    def inserted(self, text: str) -> str:
        return self._wrap("green", text) if self.color else f"{{+{text}+}}"

    def ops(self, ops: Ops) -> str:
        parts = []
        for code, text in ops:
            if code == DELETE:
                parts.append(self.deleted(text))
            elif code == INSERT:
                parts.append(self.inserted(text))
            else:
                parts.append(self.plain(text))
        return "".join(parts)

    def paragraph(self, paragraph: ParagraphDiff) -> str:
        if paragraph.status == "moved":
            assert paragraph.old_index is not None and paragraph.new_index is not None
            note = f"(moved: paragraph {paragraph.old_index + 1} \u2192 {paragraph.new_index + 1})"
            return f"{self.faint(note)}\n{self.ops(paragraph.ops)}"
        return self.ops(paragraph.ops)


__all__ = ["render_text"]
