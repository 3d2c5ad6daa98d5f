"""Fetched pages: the fetch state of each URL (``watched_pages``) and the fetch phase of an
ingest run.

A URL's row is keyed by the URL as requested, canonicalised (``factcheck.identity``), and
holds what the next conditional request needs (ETag, Last-Modified) and the hash of the
version the page showed last time, with counters for checks and consecutive failures. The
article the page belongs to is decided by the page itself (its canonical URL), so two
addresses of one story share an article but keep a row each.

Rules:
- Fetching happens outside any transaction: the rows are read on a connection of their own,
  so a slow site never holds SQLite's write lock.
- A conditional request is sent only when the row names the version last seen; a 304 then
  means "that version, again".
- A row is created by the first successful fetch. A failure updates an existing row
  (``failures``, ``last_error``) but never creates one, so bad input stores nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from factcheck.errors import FactcheckError
from factcheck.identity import canonical_url

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.fetch import Fetched, Fetcher, FetchOptions


@dataclass(frozen=True)
class PageState:
    """One ``watched_pages`` row."""

    url: str
    article_id: int | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    checks: int
    failures: int
    last_checked_at: datetime | None
    last_changed_at: datetime | None
    last_error: str | None


@dataclass
class PageFetch:
    """The fetch phase's result for one URL: an answer or an error, and the row before it."""

    url: str
    key: str
    state: PageState | None
    fetched: Fetched | None = None
    error: FactcheckError | None = None


def page_key(url: str) -> str:
    return canonical_url(url)


def load_page_states(session: Session, keys: Sequence[str]) -> dict[str, PageState]:
    """The rows for these keys, read without starting the session's transaction."""
    from sqlalchemy import select
    from sqlalchemy.engine import Engine

    from factcheck.store.models import watched_pages_table

    if not keys:
        return {}
    table = watched_pages_table
    statement = select(table).where(table.c.url.in_(sorted(set(keys))))
    bind = session.get_bind()
    if isinstance(bind, Engine) and not session.in_transaction():
        with bind.execution_options(writes=False).connect() as connection:
            rows = connection.execute(statement).all()
    else:
        rows = list(session.execute(statement).all())
    return {
        row.url: PageState(
            url=row.url,
            article_id=row.article_id,
            etag=row.etag,
            last_modified=row.last_modified,
            content_hash=row.content_hash,
            checks=row.checks,
            failures=row.failures,
            last_checked_at=row.last_checked_at,
            last_changed_at=row.last_changed_at,
            last_error=row.last_error,
        )
        for row in rows
    }


def fetch_pages(
    session: Session,
    urls: Sequence[str],
    options: FetchOptions,
    fetcher: Fetcher | None = None,
) -> dict[str, PageFetch]:
    """Fetch every URL once (conditionally when its row allows), before any write."""
    from factcheck.fetch import Fetcher, FetchError, check_url

    results: dict[str, PageFetch] = {}
    fetchable = []
    for url in dict.fromkeys(urls):
        try:
            check_url(url)
        except FetchError as error:
            # No key: a URL that is not one gets no row in watched_pages.
            results[url] = PageFetch(url=url, key="", state=None, error=error)
        else:
            fetchable.append(url)
    if not fetchable:
        return results
    states = load_page_states(session, [page_key(url) for url in fetchable])
    own = fetcher is None
    client = fetcher or Fetcher(options)
    try:
        for url in fetchable:
            key = page_key(url)
            state = states.get(key)
            page = PageFetch(url=url, key=key, state=state)
            results[url] = page
            conditional = state is not None and bool(state.content_hash and state.article_id)
            try:
                page.fetched = client.fetch(
                    url,
                    etag=state.etag if state and conditional else None,
                    last_modified=state.last_modified if state and conditional else None,
                )
            except FetchError as error:
                page.error = error
    finally:
        if own:
            client.close()
    return results


def record_check(
    session: Session,
    page: PageFetch,
    now: datetime,
    *,
    article_id: int | None = None,
    content_hash: str | None = None,
    error: str | None = None,
) -> None:
    """Write the outcome of one check of ``page`` into its row (see the module rules)."""
    from sqlalchemy import insert, update

    from factcheck.store.models import watched_pages_table

    table = watched_pages_table
    state = page.state
    fetched = page.fetched
    checked_at = fetched.fetched_at if fetched is not None else now
    if error is not None:
        if state is not None:
            session.execute(
                update(table)
                .where(table.c.url == page.key)
                .values(
                    checks=table.c.checks + 1,
                    failures=table.c.failures + 1,
                    last_error=error[:2000],
                    last_checked_at=checked_at,
                )
            )
        return
    assert fetched is not None
    changed = state is None or (content_hash is not None and content_hash != state.content_hash)
    values = {
        "article_id": article_id if article_id is not None else (state and state.article_id),
        "etag": fetched.etag or (state.etag if state and fetched.not_modified else None),
        "last_modified": fetched.last_modified
        or (state.last_modified if state and fetched.not_modified else None),
        "content_hash": content_hash or (state.content_hash if state else None),
        "failures": 0,
        "last_error": None,
        "last_checked_at": checked_at,
    }
    if changed:
        values["last_changed_at"] = checked_at
    if state is None:
        session.execute(insert(table).values(url=page.key, checks=1, **values))
    else:
        session.execute(
            update(table).where(table.c.url == page.key).values(checks=table.c.checks + 1, **values)
        )


def schedule_facts(session: Session, key: str) -> tuple[datetime | None, datetime | None]:
    """When the page's article was born (its earliest published or Last Update time) and
    when it last changed (the later of the last change seen by a check and its newest Last
    Update); None for what is not known yet."""
    from sqlalchemy import func, select

    from factcheck.store.models import versions_table, watched_pages_table

    pages, versions = watched_pages_table, versions_table
    row = session.execute(
        select(pages.c.article_id, pages.c.last_changed_at).where(pages.c.url == key)
    ).first()
    if row is None:
        return None, None
    born = newest = None
    if row.article_id is not None:
        times = session.execute(
            select(
                func.min(func.coalesce(versions.c.published_at, versions.c.updated_at)),
                func.max(versions.c.updated_at),
            ).where(versions.c.article_id == row.article_id)
        ).one()
        born, newest = _aware(times[0]), _aware(times[1])
    changes = [moment for moment in (row.last_changed_at, newest) if moment is not None]
    return born, max(changes) if changes else None


def _aware(value: object) -> datetime | None:
    """Aggregates bypass the column type on SQLite: give them back their UTC zone."""
    from datetime import UTC

    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
