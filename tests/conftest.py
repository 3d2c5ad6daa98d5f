"""Shared fixtures: temporary databases on SQLite and, when configured, real PostgreSQL.

PostgreSQL tests run when ``FACTCHECK_TEST_DATABASE_URL`` names a server URL such as
``postgresql+psycopg://postgres@127.0.0.1:5432/test``. Each test gets a database of its own,
created on that server and dropped afterwards; without the variable they are skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from factcheck.review import ReviewView

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
SHARED = REPO.parent / "shared"
PG_ENV = "FACTCHECK_TEST_DATABASE_URL"


def write_versions(folder: Path, *bodies: str, key: str = "budget") -> list[str]:
    """Files of one small article in the seed's layout, an hour apart, one body each; the
    folder is created."""
    folder.mkdir()
    paths = []
    for index, body in enumerate(bodies):
        hour = 1 + index
        stamp = f"25 May, 2025 {hour:02d}:00 {'PM' if hour >= 12 else 'AM'}"
        path = folder / f"{index}.txt"
        path.write_text(
            f"Article: {key}\n\nCouncil budget\n\nStandfirst.\n25 May, 2025\nLast Update\n"
            f"{stamp}\n\n{body}\n",
            "utf-8",
        )
        paths.append(str(path))
    return paths


def review_claim(
    session: Session, claim_id: int, status: str, now: datetime, note: str = ""
) -> ReviewView:
    """A review by reviewer "a" of the claim's latest wording, citing no sources."""
    from factcheck.review import mark

    return mark(
        session, claim_id, status, note=note, sources=[], reviewer="a", version=None, now=now
    )


def _admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database, dropped after the test."""
    admin = _admin_url()
    if admin is None:
        pytest.skip(f"{PG_ENV} is not set")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"factcheck_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return str(tmp_path / "factcheck.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> str:
    """The same test on a temporary SQLite file and on a temporary PostgreSQL database."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never see the developer's own database or reviewer settings."""
    for name in ("FACTCHECK_DB", "FACTCHECK_TZ", "FACTCHECK_REVIEWER", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
