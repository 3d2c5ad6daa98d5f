"""The engine, sessions, schema upgrades and bulk inserts: the only place that knows
about connections.

The database is named by ``--db``, then ``FACTCHECK_DB``, then ``./factcheck.db``. A value
with ``://`` is a SQLAlchemy URL (``postgresql+psycopg://...``); anything else is a SQLite
file path.

Every SQLite connection runs in WAL mode with foreign keys on, ``synchronous=NORMAL`` (safe
under WAL, and several times faster per commit) and a busy timeout, so a second writer
waits for the first instead of failing at once.

Schema: Alembic owns it. ``open_database`` compares the stored revision with ``HEAD_REVISION``
using one cheap query and imports Alembic only when an upgrade is really needed, which keeps
Alembic's import cost out of every read command.

Bulk writes: ``BulkInsert`` sends many rows straight to the driver's ``executemany``, the
one place where SQL text is built by hand (from the table and the dialect's quoting).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Table
    from sqlalchemy.engine import Dialect, Engine
    from sqlalchemy.orm import Session

from factcheck.errors import DatabaseError, UsageError

DEFAULT_DB = "factcheck.db"
HEAD_REVISION = "0005"
DEFAULT_BUSY_TIMEOUT_SECONDS = 5.0
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def resolve_url(db: str | None) -> str:
    """Turn ``--db``/``FACTCHECK_DB``/default into a SQLAlchemy URL."""
    if db is not None and not db.strip():
        raise UsageError("--db is empty: give a file or a URL, or leave the option out")
    value = db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(value)
        parsed.port  # noqa: B018 - parsing the port is what can fail
    except (ArgumentError, ValueError) as error:
        raise UsageError(f"cannot use that database URL: {error}") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        raise UsageError("an in-memory SQLite database keeps nothing: give a file path")
    return value


def describe(url: str) -> str:
    """The database as a user named it: a path for SQLite, the URL without password otherwise."""
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def busy_timeout() -> float:
    """Seconds a writer waits for another one: ``FACTCHECK_BUSY_TIMEOUT``, default 5."""
    raw = os.environ.get("FACTCHECK_BUSY_TIMEOUT", "")
    if not raw.strip():
        return float(DEFAULT_BUSY_TIMEOUT_SECONDS)
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 86_400:
        raise UsageError(f"FACTCHECK_BUSY_TIMEOUT must be seconds from 0 to 86400, not {raw!r}")
    return seconds


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A writer takes the write lock up front (BEGIN IMMEDIATE), so when it must wait it does
    # so at the start, within the busy timeout, instead of failing half-way with SQLITE_BUSY.
    # Readers never take it: under WAL they do not block writers or each other.
    writes = connection.get_execution_options().get("writes", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": busy_timeout(), "isolation_level": None}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "connect", _postgres_lock_timeout)
    return engine


def _postgres_lock_timeout(dbapi_connection: Any, _record: Any) -> None:
    # A statement waiting for a lock gives up after the busy timeout, as SQLite's writers
    # do, instead of hanging behind a session that never ends. Set per connection, not as a
    # startup option, which would replace the URL's own ``options`` (a search_path, say)
    # and which poolers such as PgBouncer refuse. 0 would mean no limit: 1 ms is the least.
    milliseconds = max(1, int(busy_timeout() * 1000))
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET lock_timeout = {milliseconds}")
    cursor.close()
    # psycopg opened a transaction for the SET; ending it keeps the setting for the session.
    dbapi_connection.commit()


def _sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        return Path(url.removeprefix("sqlite:///"))
    return None


def open_database(db: str | None, *, create: bool) -> Engine:
    """An engine on a database at the current schema.

    ``create`` says whether a missing SQLite file may be made (writers) or is an error
    (readers: a typo in ``--db`` must not silently show an empty database).
    """
    from sqlalchemy.exc import ArgumentError

    url = resolve_url(db)
    path = _sqlite_path(url)
    if path is not None:
        if not path.exists() and not create:
            raise DatabaseError(f"database not found: {path} (ingest something first, or use --db)")
        if not path.parent.is_dir():
            raise DatabaseError(f"cannot create database {path}: no such directory")
        if path.is_file():
            # Read before the engine connects: connecting switches the file to WAL mode,
            # which another program's database must not undergo.
            _check_foreign(_sqlite_tables(path), path, create=create)
    try:
        engine = make_engine(url)
    except (ArgumentError, ImportError) as error:
        # NoSuchModuleError (an unknown dialect or driver) is an ArgumentError too.
        raise UsageError(f"cannot use that database URL: {error}") from None
    try:
        current = stored_revision(engine)
        if current is None and path is None:
            _check_foreign(_server_tables(engine), describe(url), create=create)
        if current != HEAD_REVISION:
            if current is not None and not _REVISION.fullmatch(current):
                raise DatabaseError(
                    f"database {describe(url)} is at schema {current!r}, which no factcheck "
                    "release made"
                )
            if current is not None and current > HEAD_REVISION:
                raise DatabaseError(
                    f"database {describe(url)} is at schema {current}, newer than this "
                    f"factcheck ({HEAD_REVISION}); upgrade factcheck"
                )
            upgrade(engine)
    except Exception as error:
        engine.dispose()
        raise translate(error, url) from error
    return engine


_REVISION = re.compile(r"[0-9]{4}")


def _sqlite_tables(path: Path) -> set[str] | None:
    """The tables and views of a SQLite file, read without changing it; None when it
    cannot be read as a database (the engine then reports why)."""
    import sqlite3

    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as connection:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            ).fetchall()
    except sqlite3.Error:
        return None
    return {name for (name,) in rows}


def _server_tables(engine: Engine) -> set[str]:
    from sqlalchemy import inspect

    inspector = inspect(engine)
    return set(inspector.get_table_names()) | set(inspector.get_view_names())


def _check_foreign(tables: set[str] | None, where: object, *, create: bool) -> None:
    """Refuse a database that factcheck did not make: one holding other tables (another
    program's, which a schema upgrade would change), or, for a reader, an empty one."""
    if tables is None or "alembic_version" in tables:
        return
    if tables:
        raise DatabaseError(
            f"{where} is not a factcheck database (it holds other tables, such as "
            f"{sorted(tables)[0]!r}); refusing to change it"
        )
    if not create:
        raise DatabaseError(f"database {where} holds no factcheck data (ingest something first)")


def stored_revision(engine: Engine) -> str | None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except DBAPIError:
            return None
    return row[0] if row else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the Alembic migrations up to ``revision`` on this engine."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.execution_options(writes=True).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


# The modules whose exceptions are database errors: the drivers in use.
_DRIVERS = frozenset({"sqlite3", "psycopg"})


def translate(error: BaseException, url: str) -> BaseException:
    """Map driver errors to one-line ``DatabaseError``s; anything else is left alone."""
    from sqlalchemy.exc import DBAPIError

    if isinstance(error, DBAPIError):
        cause: BaseException = error.orig or error
    elif type(error).__module__.partition(".")[0] in _DRIVERS:
        cause = error  # raised by a driver cursor used directly (``BulkInsert``)
    else:
        return error
    where = describe(url)
    message = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered or "lock timeout" in lowered:
        return DatabaseError(
            f"database {where} is locked by another writer "
            f"(waited {busy_timeout():g} s); try again when it has finished"
        )
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        path = _sqlite_path(url)
        if path is not None and path.is_file() and not os.access(path.parent, os.W_OK):
            # Even a reader of a WAL database writes its -shm index beside it.
            return DatabaseError(
                f"cannot open database {where}: its folder is not writable, and SQLite keeps "
                "a shared-memory file beside the database even to read it; copy the file to "
                "a folder you can write to"
            )
        return DatabaseError(f"cannot write to database {where}: {message}")
    return DatabaseError(f"database {where}: {message}")


# The key of the PostgreSQL advisory lock that bulk writers (an ingest, an import of
# ClaimReviews) hold for their transaction: any constant shared by every factcheck process.
BULK_WRITE_LOCK = 0x66630001


def serialise(session: Session, key: int) -> None:
    """On PostgreSQL, wait for any other transaction holding the advisory lock ``key`` (up to
    the busy timeout, as a locked SQLite writer waits) and hold it until this one ends.

    Two transactions that each find an article or a review missing and add it would
    otherwise both add it: one then fails on a unique key, or a review is stored twice.
    SQLite needs nothing: a writer holds the whole database from its BEGIN IMMEDIATE."""
    from sqlalchemy import text

    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


@contextmanager
def session_scope(engine: Engine, *, writes: bool = False) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close.

    ``writes`` marks a session that will write, so SQLite takes its write lock at BEGIN.
    """
    from sqlalchemy.orm import Session

    bind = engine.execution_options(writes=True) if writes else engine
    session = Session(bind, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException as error:
        session.rollback()
        translated = translate(error, str(engine.url))
        if translated is error:
            raise
        raise translated from error
    finally:
        session.close()


_Processors = list[tuple[int, "Callable[[Any], Any]"]]
_UNSET = object()


class BulkInsert:
    """An INSERT of many rows into some columns of a table, sent to the driver's own
    ``executemany`` as tuples.

    For the bulk writes of an ingest (versions, claims, claim occurrences). SQLAlchemy's
    executemany builds, checks and type-processes a parameter dict per row, which for a run
    of short rows cost more than the database's own insert. Here each row is a tuple in the
    order of ``columns``, and only the columns whose type converts values (``UTCDateTime``,
    say) are passed through their bind processor. A JSON column takes text already encoded
    (``json.dumps``): callers encode each distinct value once. Column defaults are the
    models' (client-side), so they do not apply here: every column that needs a value must
    be among ``columns``.
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._compiled: dict[str, tuple[str, _Processors]] = {}
        self._numbered: BulkInsert | None = None

    def _for(self, dialect: Dialect) -> tuple[str, _Processors]:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            from sqlalchemy import JSON

            quote = dialect.identifier_preparer.quote
            # The drivers in use: sqlite3 (qmark) and psycopg (pyformat, which takes %s).
            marker = "?" if dialect.paramstyle == "qmark" else "%s"
            sql = (
                f"INSERT INTO {quote(self.table.name)} "
                f"({', '.join(quote(name) for name in self.columns)}) "
                f"VALUES ({', '.join([marker] * len(self.columns))})"
            )
            processors: _Processors = []
            for index, name in enumerate(self.columns):
                column_type = self.table.c[name].type
                if isinstance(getattr(column_type, "impl", column_type), JSON):
                    continue
                processor = column_type.bind_processor(dialect)
                if processor is not None:
                    processors.append((index, processor))
            compiled = self._compiled[dialect.name] = (sql, processors)
        return compiled

    def execute(self, session: Session, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        connection = session.connection()
        sql, processors = self._for(connection.dialect)
        connection.exec_driver_sql(sql, self._converted(rows, processors))

    @staticmethod
    def _converted(rows: Sequence[Sequence[Any]], processors: _Processors) -> list[Any]:
        if not processors:
            return list(rows)
        # Rows of one run share many values (its ``now``, an article's dates): each
        # processor's last input and output are kept, and an identical object reuses it.
        last: list[tuple[Any, Any]] = [(_UNSET, None)] * len(processors)
        converted = []
        for row in rows:
            values = list(row)
            for slot, (index, processor) in enumerate(processors):
                value = values[index]
                seen, output = last[slot]
                if value is not seen:
                    output = processor(value)
                    last[slot] = (value, output)
                values[index] = output
            converted.append(tuple(values))
        return converted

    def execute_numbered(self, session: Session, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert ``rows`` under new ids, which are returned in the order of the rows.

        PostgreSQL: ``INSERT ... RETURNING id`` through psycopg's executemany, which returns
        one result per row, in order. SQLite, whose ``RETURNING`` does not promise row order:
        the ids are the table's largest id plus 1, 2, ..., given explicitly. A writing
        session holds SQLite's write lock from its first statement, so no other writer can
        take them in between; in one that does not, the insert fails rather than collide."""
        if not rows:
            return []
        connection = session.connection()
        if connection.dialect.name != "sqlite":
            return self._returning_ids(session, rows)
        if self._numbered is None:
            self._numbered = BulkInsert(self.table, ("id", *self.columns))
        table = connection.dialect.identifier_preparer.quote(self.table.name)
        largest = connection.exec_driver_sql(f"SELECT max(id) FROM {table}").scalar() or 0
        ids = list(range(largest + 1, largest + 1 + len(rows)))
        numbered = [(new_id, *row) for new_id, row in zip(ids, rows, strict=True)]
        self._numbered.execute(session, numbered)
        return ids

    def _returning_ids(self, session: Session, rows: Sequence[Sequence[Any]]) -> list[int]:
        connection = session.connection()
        sql, processors = self._for(connection.dialect)
        # The driver's own cursor, inside the session's transaction: SQLAlchemy's
        # executemany does not hand back a result per row.
        cursor: Any = connection.connection.cursor()  # psycopg's, typed as any DB-API cursor
        try:
            cursor.executemany(
                sql + " RETURNING id", self._converted(rows, processors), returning=True
            )
            ids = []
            while True:
                ids.append(cursor.fetchone()[0])
                if not cursor.nextset():
                    return ids
        finally:
            cursor.close()
