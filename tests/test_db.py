"""The schema: migrations from a blank database match the models, on both backends."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import text

from factcheck.errors import DatabaseError, UsageError
from factcheck.store.db import HEAD_REVISION, open_database, resolve_url, stored_revision


def _schema_drift(engine: object) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import factcheck.store.models  # noqa: F401

    with engine.connect() as connection:  # type: ignore[attr-defined]
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_blank_database_upgrades_to_head_and_matches_the_models(db: str) -> None:
    engine = open_database(db, create=True)
    try:
        assert stored_revision(engine) == HEAD_REVISION
        assert _schema_drift(engine) == []
    finally:
        engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    engine = open_database(sqlite_url, create=True)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        busy_timeout_ms = connection.execute(text("PRAGMA busy_timeout")).scalar()
        assert busy_timeout_ms is not None and busy_timeout_ms >= 1000
    engine.dispose()


def test_a_reader_does_not_create_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="database not found"):
        open_database(str(tmp_path / "absent.db"), create=False)
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize(
    ("revision", "said"),
    [
        ("9999", "newer than this factcheck"),
        ("0003x", "'0003x', which no factcheck release made"),
    ],
)
def test_a_database_at_a_schema_this_factcheck_does_not_know_is_refused(
    sqlite_url: str, revision: str, said: str
) -> None:
    open_database(sqlite_url, create=True).dispose()
    with sqlite3.connect(sqlite_url) as raw:
        raw.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    with pytest.raises(DatabaseError, match=said):
        open_database(sqlite_url, create=False)


@pytest.mark.parametrize("create", [False, True])
def test_another_programs_sqlite_database_is_left_as_it_was(tmp_path: Path, create: bool) -> None:
    path = tmp_path / "notes.db"
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        raw.commit()
    before = path.read_bytes()
    with pytest.raises(DatabaseError, match=r"not a factcheck database .*'notes'"):
        open_database(str(path), create=create)
    assert path.read_bytes() == before  # no tables added, still in its own journal mode
    assert not (tmp_path / "notes.db-wal").exists()


def test_an_empty_database_is_made_by_a_writer_and_refused_to_a_reader(db: str) -> None:
    if "://" not in db:
        Path(db).touch()  # an empty file, as `touch` leaves it
    with pytest.raises(DatabaseError, match="holds no factcheck data"):
        open_database(db, create=False)
    open_database(db, create=True).dispose()
    open_database(db, create=False).dispose()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql+psycopg://u@127.0.0.1:notaport/x", "cannot use that database URL"),
        ("postgresql+psycopg://u@[::1/x", "cannot use that database URL"),
        ("sqlite://", "in-memory SQLite database keeps nothing"),
        ("sqlite:///:memory:", "in-memory SQLite database keeps nothing"),
    ],
)
def test_unusable_urls_are_refused_before_connecting(url: str, said: str) -> None:
    with pytest.raises(UsageError, match=said):
        resolve_url(url)


@pytest.mark.postgres
def test_a_postgres_statement_waiting_on_a_lock_gives_up_after_the_busy_timeout(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine

    from factcheck.store.db import session_scope

    monkeypatch.setenv("FACTCHECK_BUSY_TIMEOUT", "0.5")
    open_database(pg_url, create=True).dispose()
    holder = create_engine(pg_url)
    with holder.connect() as connection:
        connection.execute(text("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE"))
        engine = open_database(pg_url, create=False)
        try:
            with (
                pytest.raises(DatabaseError, match=r"is locked by another writer \(waited 0.5 s\)"),
                session_scope(engine) as session,
            ):
                session.execute(text("SELECT count(*) FROM articles"))
        finally:
            engine.dispose()
        connection.rollback()
    holder.dispose()


@pytest.mark.postgres
def test_a_postgres_url_keeps_its_own_connection_options(pg_url: str) -> None:
    from sqlalchemy import create_engine

    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CREATE SCHEMA desk"))
    engine = open_database(f"{pg_url}?options=-csearch_path%3Ddesk", create=True)
    engine.dispose()
    with admin.connect() as connection:
        schemas = connection.execute(
            text("SELECT table_schema FROM information_schema.tables WHERE table_name = 'claims'")
        ).scalars()
        assert list(schemas) == ["desk"]
    admin.dispose()


def test_errors_raised_by_a_driver_cursor_itself_are_translated_too() -> None:
    # The bulk inserts use the driver's cursor directly, so its errors arrive unwrapped.
    import psycopg.errors

    from factcheck.store.db import translate

    url = "postgresql+psycopg://u@127.0.0.1/desk"
    for error in (
        sqlite3.OperationalError("database is locked"),
        psycopg.errors.LockNotAvailable("canceling statement due to lock timeout"),
    ):
        translated = translate(error, url)
        assert isinstance(translated, DatabaseError)
        assert "is locked by another writer" in str(translated)
    stray = ValueError("not a database error")
    assert translate(stray, url) is stray


def test_a_database_in_a_folder_nobody_may_write_says_why_it_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, for whom every folder is writable: the folder's answer is faked.
    import os

    from factcheck.store.db import translate

    path = tmp_path / "shared.db"
    open_database(str(path), create=True).dispose()
    monkeypatch.setattr(os, "access", lambda *_: False)
    error = sqlite3.OperationalError("attempt to write a readonly database")
    translated = translate(error, f"sqlite:///{path}")
    assert isinstance(translated, DatabaseError)
    assert "its folder is not writable" in str(translated)
    assert "copy the file to a folder you can write to" in str(translated)


def test_resolve_url_prefers_the_option_then_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert resolve_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.delenv("FACTCHECK_DB")
    assert resolve_url(None) == f"sqlite:///{Path.cwd() / 'factcheck.db'}"


def test_an_older_database_with_data_upgrades_in_place(db: str) -> None:
    from factcheck.store.db import make_engine, upgrade

    engine = make_engine(resolve_url(db))
    upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO articles (key, created_at) VALUES ('old', '2025-01-01 00:00:00')")
        )
    engine.dispose()
    engine = open_database(db, create=False)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM articles")).scalar() == "old"
        assert connection.execute(text("SELECT count(*) FROM claims_current")).scalar() == 0
    assert stored_revision(engine) == HEAD_REVISION
    engine.dispose()


def test_bulk_insert_stores_what_the_orm_would_read_back(db: str) -> None:
    """Rows sent as tuples come back as SQLAlchemy's own inserts would: aware UTC datetimes
    (a value shared by rows and one that differs), booleans, JSON given as text, NULLs."""
    import json
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import insert, select

    from factcheck.store.db import BulkInsert, session_scope
    from factcheck.store.models import articles_table, claims_table

    engine = open_database(db, create=True)
    created = datetime(2025, 5, 25, 17, 11, 5, 250, tzinfo=timezone(timedelta(hours=3)))
    later = created + timedelta(days=1, microseconds=1)
    columns = ["article_id", "kind", "text", "source", "values", "status"]
    columns += ["needs_review", "removed", "reappeared", "manual", "created_at"]
    flags = [(True, False, True, False), (False, True, False, True), (False,) * 4]
    try:
        with session_scope(engine, writes=True) as session:
            session.execute(insert(articles_table).values(key="gaza", created_at=created))
            article_id = session.scalar(select(articles_table.c.id))
            encoded = json.dumps([{"value": 80}])
            first = (article_id, "statistic", "80% of it", "", encoded, "verified")
            second = (article_id, "quote", "“No,” she said.", "she", "[]", "disputed")
            third = (article_id, "attribution", "They said so.", "they", "[]", "unverified")
            rows = [(*first, *flags[0], created), (*second, *flags[1], created)]
            rows.append((*third, *flags[2], later))
            BulkInsert(claims_table, columns).execute(session, rows)
            BulkInsert(claims_table, columns).execute(session, [])
        with session_scope(engine) as session:
            stored = session.execute(select(claims_table).order_by(claims_table.c.id)).all()
    finally:
        engine.dispose()
    assert [row.text for row in stored] == ["80% of it", "“No,” she said.", "They said so."]
    assert [row.values for row in stored] == [[{"value": 80}], [], []]
    assert [(row.needs_review, row.removed, row.reappeared, row.manual) for row in stored] == flags
    assert [row.created_at for row in stored] == [created, created, later]
    assert all(row.created_at.utcoffset() == timedelta(0) for row in stored)
    assert [(row.source, row.status) for row in stored][:2] == [
        ("", "verified"),
        ("she", "disputed"),
    ]
    assert [row.first_version_id for row in stored] == [None, None, None]


def test_numbered_bulk_insert_returns_the_new_ids_in_row_order(db: str) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import delete, insert, select

    from factcheck.store.db import BulkInsert, session_scope
    from factcheck.store.models import articles_table

    engine = open_database(db, create=True)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    articles = BulkInsert(articles_table, ["key", "created_at"])
    try:
        with session_scope(engine, writes=True) as session:
            for key in ("a", "b", "c"):
                session.execute(insert(articles_table).values(key=key, created_at=now))
            session.execute(delete(articles_table).where(articles_table.c.key == "b"))
            assert articles.execute_numbered(session, []) == []
            ids = articles.execute_numbered(session, [("z", now), ("y", now), ("x", now)])
            stored = dict(session.execute(select(articles_table.c.key, articles_table.c.id)).all())
    finally:
        engine.dispose()
    assert ids == [stored["z"], stored["y"], stored["x"]]
    assert ids == sorted(ids) and ids[0] > stored["c"]


def test_an_empty_db_option_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--db is empty"):
        resolve_url("  ")


def _downgrade(engine: object, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from factcheck.store.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:  # type: ignore[attr-defined]
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_a_0003_database_with_reviews_upgrades_and_its_chain_still_verifies(db: str) -> None:
    """Reviews recorded at schema 0003 were hashed without ``seen_version_id``. After the
    upgrade they have none, the chain verifies and new reviews extend it, their removals
    are judged by the clock, and a seen version written into one of them breaks its hash."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert, select, update

    from factcheck.ingest import IngestOptions, expand_inputs, ingest
    from factcheck.review import GENESIS_HASH, audit, review_hash
    from factcheck.store.db import make_engine, session_scope, upgrade
    from factcheck.store.models import claims_table, reviews_table
    from tests.conftest import SAMPLES, review_claim

    files = expand_inputs([str(SAMPLES / "marrowby-floods")])
    reviewed_at = datetime(2026, 1, 1, 12, tzinfo=UTC)
    engine = make_engine(resolve_url(db))
    upgrade(engine)
    head = GENESIS_HASH
    with session_scope(engine, writes=True) as session:
        ingest(session, files[:1], IngestOptions(now=reviewed_at - timedelta(hours=1)))
    # Today's ingest writes columns 0003 lacked: the claims are written at the head and the
    # schema taken back to 0003, as that release would have left them.
    _downgrade(engine, "0003")
    with session_scope(engine, writes=True) as session:
        claims = {
            claim.text.split()[0]: claim
            for claim in session.execute(
                select(
                    claims_table.c.id,
                    claims_table.c.text,
                    claims_table.c["values"],
                    claims_table.c.last_version_id,
                )
            )
        }
        # The headline, which version 2 removes, and a claim it leaves as it is.
        headline, rescue = claims["Flash"], claims["Rescue"]
        for claim, status in ((headline, "verified"), (rescue, "unproven")):
            # A review as factcheck wrote it at 0003: these fields, hashed as they are.
            fields = {
                "claim_id": claim.id,
                "status": status,
                "note": "checked",
                "sources": [],
                "reviewer": "before 0004",
                "created_at": reviewed_at.isoformat(),
                "version_id": claim.last_version_id,
                "wording": claim.text,
                "values": list(claim.values),
            }
            digest = review_hash(head, fields)
            session.execute(
                insert(reviews_table).values(
                    fields | {"created_at": reviewed_at, "prev_hash": head, "hash": digest}
                )
            )
            session.execute(
                update(claims_table).where(claims_table.c.id == claim.id).values(status=status)
            )
            head = digest
    engine.dispose()

    engine = open_database(db, create=False)
    try:
        assert stored_revision(engine) == HEAD_REVISION
        with session_scope(engine, writes=True) as session:
            seen = session.execute(select(reviews_table.c.seen_version_id)).scalars().all()
            assert seen == [None, None]
            result = audit(session)
            assert (result.ok, result.reviews, result.head) == (True, 2, head)
            report = ingest(
                session, files[1:2], IngestOptions(now=reviewed_at + timedelta(hours=1))
            )
            stale = {event.claim_id for event in report.claims.events if event.event == "stale"}
            assert stale == {headline.id}  # the removal was stored after the review, by the clock
            review_claim(session, rescue.id, "verified", reviewed_at + timedelta(hours=2))
            result = audit(session)
            assert (result.ok, result.reviews) == (True, 3)
            newest = session.execute(
                select(reviews_table.c.seen_version_id).where(reviews_table.c.id == 3)
            ).scalar()
            assert newest is not None
            session.execute(
                update(reviews_table).where(reviews_table.c.id == 1).values(seen_version_id=newest)
            )
            result = audit(session)
            assert (result.ok, result.broken_at) == (False, 1)
    finally:
        engine.dispose()
