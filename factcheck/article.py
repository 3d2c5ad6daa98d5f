"""The parsed shape of one article version, shared by the pure core.

A ``ParsedArticle`` is what the parsers produce and what the diff engine and the claim
extractor consume. It holds plain values only, so the pure core never sees the database.

Invariants:
- ``body`` is a tuple of paragraphs, each stripped and non-empty, with inner whitespace kept
  exactly as written apart from line-ending normalisation.
- ``published_at`` and ``updated_at`` are timezone-aware UTC datetimes or ``None``; the
  literal text they came from is kept in ``published_raw`` and ``updated_raw``.
- ``content_hash`` depends only on the normalised content, never on where the file came
  from, so the same version ingested twice hashes the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

PARAGRAPH_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class ParsedArticle:
    """One version of an article as read from a file or page."""

    title: str
    body: tuple[str, ...]
    standfirst: str = ""
    read_time: str = ""
    published_raw: str = ""
    published_at: datetime | None = None
    updated_raw: str = ""
    updated_at: datetime | None = None
    caption: str = ""
    credit: str = ""
    # Optional ``Key: value`` lines before the title (URL, Article, Outlet, ...), keys lower-cased.
    headers: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def url(self) -> str:
        return self.headers.get("url", "")

    @property
    def outlet(self) -> str:
        return self.headers.get("outlet", "")

    @property
    def article_key(self) -> str:
        return self.headers.get("article", "")

    @property
    def document(self) -> str:
        """The text that claim spans point into: title, standfirst and body paragraphs."""
        return PARAGRAPH_SEPARATOR.join(
            part for part in (self.title, self.standfirst, *self.body) if part
        )

    @property
    def content_hash(self) -> str:
        return content_hash(self)


@lru_cache(maxsize=32_768)
def normalise_whitespace(text: str) -> str:
    """Collapse every whitespace run to one space; used for hashing, never for display.

    Cached: successive versions of a story repeat most of their paragraphs, and looking one
    up is several times cheaper than splitting and joining it again. Text that is already
    normal is returned as itself, so the cache holds one string per entry, not two (at most
    about 13 MB for 400-character paragraphs)."""
    # str.split() splits on the same Unicode whitespace as a \s+ regex, several times faster.
    normal = " ".join(text.split())
    return text if normal == text else normal


def content_hash(article: ParsedArticle) -> str:
    """sha256 of the normalised content and metadata, as hex.

    Whitespace and line endings do not count; every visible field does, including the Last
    Update time, because a newly stamped version is an event a fact-checker wants to see.
    """
    updated = article.updated_at.isoformat() if article.updated_at else article.updated_raw
    published = article.published_at.isoformat() if article.published_at else article.published_raw
    fields = (
        article.title,
        article.standfirst,
        article.read_time,
        published,
        updated,
        article.caption,
        article.credit,
        *article.body,
    )
    canonical = "\x1f".join(normalise_whitespace(value) for value in fields)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
