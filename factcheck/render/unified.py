"""A line-based unified diff of two whole versions, for ``patch``, ``git apply`` and review tools.

Each version is serialised to text in the seed layout by ``serialise_article``::

    <title>
    <blank>
    <standfirst>                  each of these lines only when the field is not empty
    <read time>
    <published>
    Last Update
    <updated>
    <caption [credit]>
    <blank>
    <paragraph>
    <blank>
    <paragraph>

The text always ends with one newline and lines are split on "\\n" only (as ``patch`` does),
so a paragraph holding U+2028 or a form feed stays one line. Header lines (``URL:``,
``Article:``) are not part of a version's content and are left out. ``render_unified``
rebuilds both versions from the diff alone and compares them with ``difflib.unified_diff``
under ``--- a/<article>@<from>`` and ``+++ b/<article>@<to>``; identical versions give "".
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

from factcheck.article import ParsedArticle
from factcheck.diff import (
    ArticleDiff,
    article_fields,
    new_fields,
    new_paragraphs,
    old_fields,
    old_paragraphs,
)
from factcheck.render import DiffHeader


def serialise_article(article: ParsedArticle) -> str:
    """One version as text in the seed layout (see the module docstring)."""
    return _serialise(article_fields(article), article.body)


def _serialise(fields: Mapping[str, str], body: Sequence[str]) -> str:
    meta = [fields[name] for name in ("standfirst", "read_time", "published") if fields[name]]
    if fields["updated"]:
        meta += ["Last Update", fields["updated"]]
    if fields["caption"]:
        meta.append(fields["caption"])
    blocks = [fields["title"], "\n".join(meta), *body]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _lines(text: str) -> list[str]:
    return [line + "\n" for line in text[:-1].split("\n")]


def render_unified(diff: ArticleDiff, header: DiffHeader, context: int = 3) -> str:
    """The unified diff of the two serialised versions, with ``context`` lines around hunks."""
    old = _serialise(old_fields(diff), old_paragraphs(diff))
    new = _serialise(new_fields(diff), new_paragraphs(diff))
    return "".join(
        difflib.unified_diff(
            _lines(old),
            _lines(new),
            fromfile=f"a/{header.article}@{header.from_number}",
            tofile=f"b/{header.article}@{header.to_number}",
            n=context,
        )
    )


__all__ = ["render_unified", "serialise_article"]
