"""A self-contained HTML page for an ``ArticleDiff``.

One file with inline CSS: no scripts, fonts, images or other requests, so it can be mailed
or archived as is, and it reads on a phone (viewport meta, fluid width, long words wrap).
Layout: a heading with the article and versions, warnings (stealth edit, rewrite, timed
out), the one-line summary, a table of the changed fields, then the body with deletions in
``<del>`` and insertions in ``<ins>``. Added, removed and moved paragraphs are marked with
a coloured rule and a label; runs of unchanged paragraphs beyond ``context`` are folded
into ``<details>`` elements, which open without JavaScript.

Every piece of article text and every header value passes through
``html.escape(..., quote=True)``; paragraphs carry ``dir="auto"`` so Arabic or Hebrew text
lays out right to left.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from factcheck.diff import DELETE, FIELD_NAMES, INSERT, ArticleDiff, Ops, ParagraphDiff
from factcheck.render import FIELD_LABELS, DiffHeader, folded_runs, plural
from factcheck.render.summary import render_summary

_CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fafafa; color: #1a1a1a;
  font: 1.05rem/1.6 Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; overflow-wrap: anywhere; }
h1 { font: 600 1.3rem/1.3 system-ui, sans-serif; margin: 0.5rem 0; }
.meta, .summary, .fold summary, th, .label { font-family: system-ui, sans-serif; }
.meta { color: #555; margin: 0; }
.summary { background: #eef; padding: 0.4rem 0.6rem; border-radius: 4px; }
.warning { background: #fff4d6; border-left: 4px solid #e0a800; padding: 0.4rem 0.6rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th { text-align: left; vertical-align: top; padding: 0.3rem 0.6rem 0.3rem 0;
  white-space: nowrap; font-size: 0.9rem; }
td { padding: 0.3rem 0; }
tr + tr th, tr + tr td { border-top: 1px solid #ddd; }
del { background: #fde2e2; color: #8b0000; }
ins { background: #dcf5dc; color: #064d06; text-decoration: none; }
.para p { margin: 1rem 0; }
.added, .removed, .moved { padding-left: 0.7rem; border-left: 4px solid; margin: 1rem 0; }
.added { border-color: #2e8b2e; }
.removed { border-color: #c62828; }
.moved { border-color: #3366cc; }
.label { display: block; font-size: 0.8rem; color: #555; }
.added p, .removed p, .moved p { margin: 0; }
.fold { color: #555; margin: 1rem 0; }
.fold summary { cursor: pointer; font-size: 0.9rem; }
"""


def render_html(diff: ArticleDiff, header: DiffHeader, context: int = 1) -> str:
    """The whole page as a string."""
    title = f"{header.article}: version {header.from_number} \u2192 {header.to_number}"
    parts = [
        *page_head(title, _CSS),
        "<body>",
        "<main>",
        f"<h1>{_e(header.article)}</h1>",
        f'<p class="meta">{_e(_versions(header))}</p>',
    ]
    if header.stealth:
        parts.append(_warning("Stealth edit: the text changed but the Last Update did not."))
    if diff.rewrite:
        parts.append(_warning("Rewrite: the versions share almost nothing; paragraphs are whole."))
    if diff.timed_out:
        parts.append(_warning("Timed out: part of this diff is coarser than the minimal one."))
    parts.append(f'<p class="summary">{_e(render_summary(diff, header))}</p>')
    if diff.fields:
        parts.append("<table>")
        for name in FIELD_NAMES:
            if name in diff.fields:
                label, ops = _e(FIELD_LABELS[name]), ops_html(diff.fields[name])
                parts.append(f'<tr><th scope="row">{label}</th><td dir="auto">{ops}</td></tr>')
        parts.append("</table>")
    parts.extend(body_html(diff.paragraphs, context))
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _versions(header: DiffHeader) -> str:
    def version(number: int, updated_at: str | None) -> str:
        return f"version {number}" + (f" (Last Update {updated_at})" if updated_at else "")

    old = version(header.from_number, header.from_updated_at)
    new = version(header.to_number, header.to_updated_at)
    return f"{old} \u2192 {new}"


def _warning(text: str) -> str:
    return f'<p class="warning">{_e(text)}</p>'


# The page may load nothing at all: it is self-contained, and article text is untrusted.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)


def page_head(title: str, css: str) -> list[str]:
    """The start of a self-contained page, up to ``</head>``, with a policy that blocks
    every request and script."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{_e(title)}</title>",
        f"<style>{css}</style>",
        "</head>",
    ]


def body_html(paragraphs: Sequence[ParagraphDiff], context: int) -> list[str]:
    """The body diff: changed paragraphs with ``context`` around them, the rest folded into
    ``<details>`` that a reader can open."""
    parts: list[str] = []
    for shown, start, stop in folded_runs([p.status for p in paragraphs], context):
        if shown:
            parts.extend(paragraph_html(p) for p in paragraphs[start:stop])
        else:
            parts.append('<details class="fold">')
            parts.append(f"<summary>{plural(stop - start, 'unchanged paragraph')}</summary>")
            parts.extend(paragraph_html(p) for p in paragraphs[start:stop])
            parts.append("</details>")
    return parts


def ops_html(ops: Ops) -> str:
    """Word ops as escaped HTML: deletions in <del>, insertions in <ins>."""
    parts = []
    for code, text in ops:
        if code == DELETE:
            parts.append(f"<del>{_e(text)}</del>")
        elif code == INSERT:
            parts.append(f"<ins>{_e(text)}</ins>")
        else:
            parts.append(_e(text))
    return "".join(parts)


def paragraph_html(paragraph: ParagraphDiff) -> str:
    """One paragraph of a body diff, labelled when added, removed or moved."""
    status = paragraph.status
    label = {"added": "Added", "removed": "Removed"}.get(status, "")
    if status == "moved" and paragraph.old_index is not None and paragraph.new_index is not None:
        label = f"Moved from paragraph {paragraph.old_index + 1} to {paragraph.new_index + 1}"
    text = f'<p dir="auto">{ops_html(paragraph.ops)}</p>'
    if not label:
        return f'<div class="para {status}">{text}</div>'
    # The label sits outside the <p> so that dir="auto" follows the article text.
    return f'<div class="para {status}"><span class="label">{_e(label)}</span>{text}</div>'


__all__ = [
    "CONTENT_SECURITY_POLICY",
    "body_html",
    "ops_html",
    "page_head",
    "paragraph_html",
    "render_html",
]
