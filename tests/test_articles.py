"""Read-side services: the SQL numbering of versions agrees with factcheck.timeline."""

from __future__ import annotations

from datetime import UTC, datetime

from factcheck.articles import list_articles, list_versions, timeline, version_numbers
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.store.db import open_database, session_scope
from tests.conftest import SAMPLES


def test_database_numbering_matches_the_timeline(db: str) -> None:
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, expand_inputs([str(SAMPLES)]), IngestOptions(now=datetime.now(UTC)))
    with session_scope(engine) as session:
        for article in list_articles(session):
            placed = timeline(session, article.key)
            numbers = version_numbers(session, [placed[0].version.article_id])
            assert {p.version.id: p.number for p in placed} == numbers
            versions = list_versions(session, article.key)
            assert article.title == versions[-1].title
            assert article.versions == len(versions)
    engine.dispose()
