"""The terminal view of an ``ArticleDiff``.

Layout, top to bottom: a header line (article, versions, Last Update times), warnings (stealth
edit, rewrite, timed out), the one-line summary, the changed fields ("Title: ...",
"Last Update: ..."), then the body: each changed, added, removed or moved paragraph with
``context`` unchanged paragraphs around it, and every longer unchanged run folded into one
"... 7 unchanged paragraphs ..." line. Paragraphs are separated by blank lines.

``render_text`` gives plain text, with changes marked like ``git diff --word-diff``:
``[-old-]{+new+}`` (for NO_COLOR and pipes). ``render_styled`` gives the same view as a rich
``Text`` for a terminal: deletions red and struck through, insertions green. Article text is
appended to the ``Text`` as it is, never parsed as markup, so "[bold]", a run of
backslashes or ":smile:" show exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from factcheck.diff import DELETE, FIELD_NAMES, INSERT, ArticleDiff, Ops, ParagraphDiff
from factcheck.render import FIELD_LABELS, DiffHeader, folded_runs, plural
from factcheck.render.summary import render_summary

if TYPE_CHECKING:
    from rich.text import Text

# A piece of the view and its rich style (None for unstyled text).
_Segment = tuple[str, str | None]


def render_text(diff: ArticleDiff, header: DiffHeader, context: int = 1) -> str:
    """The whole view as plain text, changes marked ``[-old-]{+new+}``."""
    return "".join(text for text, _ in _segments(diff, header, context, _View(color=False)))


def render_styled(diff: ArticleDiff, header: DiffHeader, context: int = 1) -> Text:
    """The whole view as a rich ``Text``, changes in colour."""
    from rich.text import Text

    styled = Text()
    for text, style in _segments(diff, header, context, _View(color=True)):
        styled.append(text, style)
    return styled


def _segments(diff: ArticleDiff, header: DiffHeader, context: int, view: _View) -> list[_Segment]:
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
        lines.append([])
        for name in FIELD_NAMES:
            if name in diff.fields:
                label = view.strong(FIELD_LABELS[name] + ":")
                lines.append([*label, (" ", None), *view.ops(diff.fields[name])])
    paragraphs = diff.paragraphs
    for shown, start, stop in folded_runs([p.status for p in paragraphs], context):
        lines.append([])
        if shown:
            shown_paragraphs = [view.paragraph(p) for p in paragraphs[start:stop]]
            lines.append(_joined(shown_paragraphs, "\n\n"))
        else:
            count = plural(stop - start, "unchanged paragraph")
            lines.append(view.faint(f"... {count} ..."))
    return [*_joined(lines, "\n"), ("\n", None)]


def _joined(parts: list[list[_Segment]], separator: str) -> list[_Segment]:
    joined: list[_Segment] = []
    for index, part in enumerate(parts):
        if index:
            joined.append((separator, None))
        joined.extend(part)
    return joined


def _title(header: DiffHeader) -> str:
    def version(number: int, updated_at: str | None) -> str:
        return f"version {number}" + (f" ({updated_at})" if updated_at else "")

    old = version(header.from_number, header.from_updated_at)
    new = version(header.to_number, header.to_updated_at)
    return f"{header.article}: {old} \u2192 {new}"


class _View:
    """Turns pieces of the diff into segments: styled for colour, else plain with markers."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def _styled(self, style: str, text: str) -> list[_Segment]:
        return [(text, style if self.color else None)]

    def plain(self, text: str) -> list[_Segment]:
        return [(text, None)]

    def strong(self, text: str) -> list[_Segment]:
        return self._styled("bold", text)

    def warn(self, text: str) -> list[_Segment]:
        return self._styled("bold yellow", text)

    def faint(self, text: str) -> list[_Segment]:
        return self._styled("dim", text)

    def deleted(self, text: str) -> _Segment:
        return (text, "red strike") if self.color else (f"[-{text}-]", None)

    def inserted(self, text: str) -> _Segment:
        return (text, "green") if self.color else (f"{{+{text}+}}", None)

    def ops(self, ops: Ops) -> list[_Segment]:
        segments: list[_Segment] = []
        for code, text in ops:
            if code == DELETE:
                segments.append(self.deleted(text))
            elif code == INSERT:
                segments.append(self.inserted(text))
            else:
                segments.append((text, None))
        return segments

    def paragraph(self, paragraph: ParagraphDiff) -> list[_Segment]:
        if paragraph.status == "moved":
            assert paragraph.old_index is not None and paragraph.new_index is not None
            note = f"(moved: paragraph {paragraph.old_index + 1} \u2192 {paragraph.new_index + 1})"
            return [*self.faint(note), ("\n", None), *self.ops(paragraph.ops)]
        return self.ops(paragraph.ops)


__all__ = ["render_styled", "render_text"]
