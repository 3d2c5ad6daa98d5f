"""The tables, as SQLModel classes.

Data model:
- ``articles``: one row per story. ``key`` is unique and never changes once shown: the
  user's ``--article``, the file's ``Article:`` header, or a slug of the first title seen.
- ``versions``: one row per distinct content of an article. ``(article_id, content_hash)``
  is unique, so ingesting the same content twice adds nothing. Rows are never updated.
  The timeline order and the version numbers users see (1 = oldest) are *derived* on read
  from ``updated_at`` (see ``factcheck.timeline``), so a version ingested late slots into
  its place without renumbering anything stored.

Invariants:
- Every datetime is stored as UTC and read back timezone-aware (``UTCDateTime``), on SQLite
  and PostgreSQL alike.
- The raw text of each timestamp is kept next to its parsed value.
- History is append-only: ``versions`` and ``reviews`` rows are never updated or deleted.

Claims:
- ``claims``: one row per claim followed across an article's versions. Its id never changes
  once shown. ``status`` is the status of its latest review (``unverified`` without one);
  ``text``, ``values``, ``removed``, ``reappeared`` and ``needs_review`` describe the claim
  as of the latest version. These columns are kept in step with ``claim_occurrences`` and
  ``reviews`` inside the same transaction, and exist so listings can filter on indexes.
- ``claim_occurrences``: where a claim appears: one row per (claim, version), with the
  sentence, its character span in the version's document, the normalised values and how
  it differs from the claim's previous occurrence (``change``, ``value_changes`` and, since
  schema 0005, ``source_change``). They
  are a derived index of ``versions``: recomputing an article's lineage may re-link them,
  and the claim ids are carried over (``factcheck.claims.track.assign_ids``).
- ``reviews``: the append-only verdicts. Each row carries the hash of the one before it
  (``prev_hash``) and its own ``hash``; ``prev_hash`` is unique, so the chain cannot fork.
  ``seen_version_id`` (schema 0004) is the latest version of the claim's article, in
  timeline order, that the review could see: a removal stales the verdict only when every
  version lacking the claim is placed after it (``factcheck.review`` explains why this,
  not a clock or the largest id, decides). Reviews recorded before 0004 have none and are
  judged by ``versions.ingested_at`` against ``created_at``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no timezone type, so values are stored as naive UTC and given their zone
    back on the way out; PostgreSQL stores ``timestamptz``.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def result_processor(self, dialect: Dialect, coltype: object) -> Any:
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)

        # SQLite hands back the ISO text SQLAlchemy stored ("2025-05-25 17:11:00.000000");
        # one C-level parse with the zone appended replaces a regex parse and a replace(),
        # about a third of the time of reading a timeline.
        def parse(value: str | None) -> datetime | None:
            return None if value is None else datetime.fromisoformat(value + "+00:00")

        return parse


# The largest id a row can have: ids are INTEGER columns, 32 bits on PostgreSQL. A larger
# id names no row, and asking for one is not worth a database error.
MAX_ID = 2**31 - 1


class _Table(SQLModel):
    """Base of every table. The services read and write through the Core tables, so
    pydantic's validation schema is built only if a model is ever validated: building it
    for every class at import time cost about a third of this module's import."""

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class Article(_Table, table=True):
    __tablename__ = "articles"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=sa.Column(sa.String(200), nullable=False, unique=True))
    url: str | None = Field(default=None, sa_column=sa.Column(sa.Text, index=True))
    outlet: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))


class Version(_Table, table=True):
    __tablename__ = "versions"
    __table_args__ = (
        sa.UniqueConstraint("article_id", "content_hash", name="uq_versions_article_content"),
        sa.Index("ix_versions_article_updated", "article_id", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("articles.id"), nullable=False)
    )
    title: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    standfirst: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    read_time: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    published_raw: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    published_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime))
    updated_raw: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    updated_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    # Where updated_at came from: "text" (the Last Update line), "option" (--updated-at).
    updated_source: str = Field(default="text", sa_column=sa.Column(sa.String(20), nullable=False))
    caption: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    credit: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    # Paragraphs joined by a blank line; paragraphs never contain one themselves.
    body: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    content_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False))
    # Optional capture time (a ``Captured:`` header, or the fetch time of a page): it breaks
    # ties between versions that carry the same Last Update.
    captured_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime))
    source: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    ingested_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    # The page a fetched version was extracted from, zlib-compressed, so extraction can be
    # re-run later; None for versions read from text files.
    raw_html: bytes | None = Field(default=None, sa_column=sa.Column(sa.LargeBinary))


class Claim(_Table, table=True):
    __tablename__ = "claims"
    __table_args__ = (
        sa.Index("ix_claims_status", "status"),
        sa.Index("ix_claims_article", "article_id"),
        sa.Index("ix_claims_needs_review", "needs_review"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("articles.id"), nullable=False)
    )
    kind: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    source: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    values: list[dict[str, object]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    status: str = Field(default="unverified", sa_column=sa.Column(sa.String(20), nullable=False))
    needs_review: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))
    removed: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))
    reappeared: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))
    manual: bool = Field(default=False, sa_column=sa.Column(sa.Boolean, nullable=False))
    first_version_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("versions.id"))
    )
    last_version_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("versions.id"))
    )
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))


class ClaimOccurrence(_Table, table=True):
    __tablename__ = "claim_occurrences"
    __table_args__ = (
        sa.Index("ix_occurrences_claim", "claim_id"),
        sa.Index("ix_occurrences_version", "version_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("claims.id"), nullable=False)
    )
    version_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("versions.id"), nullable=False)
    )
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    # Character span in the version's document; both None for a manual claim whose text is
    # not in the version.
    start: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    end: int | None = Field(default=None, sa_column=sa.Column(sa.Integer))
    values: list[dict[str, object]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    change: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    value_changes: list[list[str]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    # [old, new] when the source or speaker changed, whatever the label says; None when it
    # did not (and on rows written before schema 0005).
    source_change: list[str] | None = Field(default=None, sa_column=sa.Column(sa.JSON))


class Review(_Table, table=True):
    __tablename__ = "reviews"
    __table_args__ = (sa.Index("ix_reviews_claim", "claim_id"),)

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(
        sa_column=sa.Column(sa.Integer, sa.ForeignKey("claims.id"), nullable=False)
    )
    status: str = Field(sa_column=sa.Column(sa.String(20), nullable=False))
    note: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    sources: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    reviewer: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))
    # The version whose wording was reviewed, and that wording and its values as they were.
    version_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("versions.id"))
    )
    wording: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    values: list[dict[str, object]] = Field(
        default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    # The latest version of the claim's article, in timeline order, when the review was
    # recorded: a version placed after it came in after the review. None for reviews
    # recorded before schema 0004, which are judged by the clock instead.
    seen_version_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("versions.id"))
    )
    prev_hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))
    hash: str = Field(sa_column=sa.Column(sa.String(64), nullable=False, unique=True))


class WatchedPage(_Table, table=True):
    """Fetch state of one URL: what a conditional request needs, and how checks went."""

    __tablename__ = "watched_pages"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_column=sa.Column(sa.Text, nullable=False, unique=True))
    article_id: int | None = Field(
        default=None, sa_column=sa.Column(sa.Integer, sa.ForeignKey("articles.id"))
    )
    etag: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    last_modified: str | None = Field(default=None, sa_column=sa.Column(sa.Text))
    content_hash: str | None = Field(default=None, sa_column=sa.Column(sa.String(64)))
    checks: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False))
    failures: int = Field(default=0, sa_column=sa.Column(sa.Integer, nullable=False))
    last_checked_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime))
    last_changed_at: datetime | None = Field(default=None, sa_column=sa.Column(UTCDateTime))
    last_error: str | None = Field(default=None, sa_column=sa.Column(sa.Text))


class ExternalReview(_Table, table=True):
    """An imported ClaimReview that matched no tracked claim, kept as published."""

    __tablename__ = "external_reviews"

    id: int | None = Field(default=None, primary_key=True)
    claim_reviewed: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    rating: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    rating_value: float | None = Field(default=None, sa_column=sa.Column(sa.Float))
    best_rating: float | None = Field(default=None, sa_column=sa.Column(sa.Float))
    worst_rating: float | None = Field(default=None, sa_column=sa.Column(sa.Float))
    author: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    url: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    date_published: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    appearance_url: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    # The object as read, for fields factcheck does not model.
    raw: dict[str, object] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON, nullable=False)
    )
    imported_at: datetime = Field(sa_column=sa.Column(UTCDateTime, nullable=False))


# The Core tables, typed: the services write with Core statements for speed, and SQLModel
# does not declare ``__table__`` to type checkers.
articles_table = cast(sa.Table, Article.__table__)  # type: ignore[attr-defined]
versions_table = cast(sa.Table, Version.__table__)  # type: ignore[attr-defined]
claims_table = cast(sa.Table, Claim.__table__)  # type: ignore[attr-defined]
occurrences_table = cast(sa.Table, ClaimOccurrence.__table__)  # type: ignore[attr-defined]
reviews_table = cast(sa.Table, Review.__table__)  # type: ignore[attr-defined]
watched_pages_table = cast(sa.Table, WatchedPage.__table__)  # type: ignore[attr-defined]
external_reviews_table = cast(sa.Table, ExternalReview.__table__)  # type: ignore[attr-defined]
