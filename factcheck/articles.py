"""Read-side services for articles and their timelines.

Each function takes an open session and returns plain dataclasses; rendering them (tables,
JSON) is the CLI's business. Version numbers are computed here from the timeline order
(``factcheck.timeline``), never read from storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from factcheck.article import PARAGRAPH_SEPARATOR, ParsedArticle
from factcheck.errors import NotFoundError
from factcheck.timeline import Placed, build_timeline, flag_names, select_version
from factcheck.timestamps import format_utc

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_IN_CHUNK = 500


@dataclass(frozen=True)
class ArticleSummary:
    key: str
    title: str
    versions: int
    last_updated_at: datetime
    url: str | None
    outlet: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "versions": self.versions,
            "last_updated_at": format_utc(self.last_updated_at),
            "url": self.url,
            "outlet": self.outlet,
        }


@dataclass(frozen=True)
class VersionSummary:
    number: int
    updated_at: datetime
    updated_raw: str
    title: str
    content_hash: str
    stealth_edit: bool
    backdated: bool
    source: str

    @property
    def flags(self) -> list[str]:
        return flag_names(self.stealth_edit, self.backdated)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "updated_at": format_utc(self.updated_at),
            "updated_raw": self.updated_raw,
            "title": self.title,
            "content_hash": self.content_hash,
            "stealth_edit": self.stealth_edit,
            "backdated": self.backdated,
            "source": self.source,
        }


def list_articles(session: Session) -> list[ArticleSummary]:
    """Every article with its latest title, version count and last update, newest first."""
    from sqlalchemy import func, select

    from factcheck.store.models import articles_table, versions_table

    versions = versions_table
    articles = articles_table
    # The same order as factcheck.timeline, newest first, so row 1 is the latest version.
    ranked = select(
        versions.c.article_id,
        versions.c.title,
        versions.c.updated_at,
        func.count().over(partition_by=versions.c.article_id).label("versions"),
        func.row_number()
        .over(
            partition_by=versions.c.article_id,
            order_by=(
                versions.c.updated_at.desc(),
                versions.c.captured_at.is_not(None).desc(),
                func.coalesce(versions.c.captured_at, versions.c.updated_at).desc(),
                versions.c.content_hash.desc(),
            ),
        )
        .label("rank"),
    ).subquery()
    rows = session.execute(
        select(
            articles.c.key,
            articles.c.url,
            articles.c.outlet,
            ranked.c.title,
            ranked.c.updated_at,
            ranked.c.versions,
        )
        .join(ranked, ranked.c.article_id == articles.c.id)
        .where(ranked.c.rank == 1)
        .order_by(ranked.c.updated_at.desc(), articles.c.key)
    )
    return [
        ArticleSummary(
            key=row.key,
            title=row.title,
            versions=row.versions,
            last_updated_at=row.updated_at,
            url=row.url,
            outlet=row.outlet,
        )
        for row in rows
    ]


def article_id(session: Session, key: str) -> int:
    from sqlalchemy import select

    from factcheck.store.models import articles_table

    found = session.scalar(select(articles_table.c.id).where(articles_table.c.key == key))
    if found is None:
        raise NotFoundError(f"no article {key!r} (see `factcheck articles`)")
    return int(found)


def timeline(session: Session, key: str) -> list[Placed[Any]]:
    """The article's versions in timeline order (light columns only)."""
    found = article_id(session, key)
    return build_timeline(load_timeline_rows(session, [found])[found])


def load_timeline_rows(session: Session, article_ids: Sequence[int]) -> dict[int, list[Any]]:
    """The light columns of the articles' versions, enough to order and flag them, by article."""
    from sqlalchemy import select

    from factcheck.store.models import versions_table

    table = versions_table
    columns = select(
        table.c.article_id,
        table.c.id,
        table.c.updated_at,
        table.c.captured_at,
        table.c.published_at,
        table.c.content_hash,
        table.c.updated_raw,
        table.c.title,
        table.c.source,
    )
    rows: dict[int, list[Any]] = {article_id: [] for article_id in article_ids}
    # Chunks keep the IN list well below every backend's limit on bound parameters.
    for start in range(0, len(article_ids), _IN_CHUNK):
        chunk = article_ids[start : start + _IN_CHUNK]
        for row in session.execute(columns.where(table.c.article_id.in_(chunk))).all():
            rows[row.article_id].append(row)
    return rows


def version_numbers(session: Session, article_ids: Sequence[int]) -> dict[int, int]:
    """Version id -> its number in its article's timeline, computed by the database.

    The window's ORDER BY is ``factcheck.timeline``'s order written in SQL (a test checks
    they agree), so listings can number thousands of versions without loading them.
    """
    from sqlalchemy import func, select

    from factcheck.store.models import versions_table as table

    number = func.row_number().over(
        partition_by=table.c.article_id,
        order_by=(
            table.c.updated_at,
            table.c.captured_at.is_not(None),
            func.coalesce(table.c.captured_at, table.c.updated_at),
            table.c.content_hash,
        ),
    )
    numbers: dict[int, int] = {}
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), _IN_CHUNK):
        query = select(table.c.id, number).where(
            table.c.article_id.in_(ids[start : start + _IN_CHUNK])
        )
        numbers.update(session.execute(query).all())
    return numbers


def version_summary(placed: Placed[Any]) -> VersionSummary:
    row = placed.version
    return VersionSummary(
        number=placed.number,
        updated_at=row.updated_at,
        updated_raw=row.updated_raw,
        title=row.title,
        content_hash=row.content_hash,
        stealth_edit=placed.stealth_edit,
        backdated=placed.backdated,
        source=row.source,
    )


def list_versions(session: Session, key: str) -> list[VersionSummary]:
    return [version_summary(placed) for placed in timeline(session, key)]


def load_article(session: Session, version_id: int) -> ParsedArticle:
    """Rebuild the parsed form of a stored version, for showing and diffing."""
    return load_articles(session, [version_id])[0]


def load_articles(session: Session, version_ids: Sequence[int]) -> list[ParsedArticle]:
    """The parsed form of several stored versions, in the order given, in one query."""
    from sqlalchemy import select

    from factcheck.store.models import articles_table as articles
    from factcheck.store.models import versions_table as versions

    rows = {
        row.id: row
        for row in session.execute(
            select(versions, articles.c.key, articles.c.url, articles.c.outlet)
            .join(articles, articles.c.id == versions.c.article_id)
            .where(versions.c.id.in_(list(version_ids)))
        )
    }
    return [_parsed(rows[version_id]) for version_id in version_ids]


def _parsed(row: Any) -> ParsedArticle:
    headers = {
        name: value
        for name, value in (("article", row.key), ("url", row.url), ("outlet", row.outlet))
        if value
    }
    return ParsedArticle(
        title=row.title,
        body=tuple(row.body.split(PARAGRAPH_SEPARATOR)) if row.body else (),
        standfirst=row.standfirst,
        read_time=row.read_time,
        published_raw=row.published_raw,
        published_at=row.published_at,
        updated_raw=row.updated_raw,
        updated_at=row.updated_at,
        caption=row.caption,
        credit=row.credit,
        headers=headers,
    )


def get_version(session: Session, key: str, ref: str) -> tuple[VersionSummary, ParsedArticle]:
    """One version by number, ``latest`` or hash prefix, with its full text."""
    placed = select_version(timeline(session, key), ref, article=key)
    return version_summary(placed), load_article(session, placed.version.id)
