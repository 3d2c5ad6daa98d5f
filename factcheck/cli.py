"""The ``factcheck`` command line.

A command parses its arguments, opens one session, calls one service function, renders the
result and exits. Errors become exit codes in one place, ``_guarded``: a ``FactcheckError``
prints ``Error: <message>`` on stderr and exits with its ``exit_code`` (1 for a domain
error, 2 for bad usage or unreadable input); typer's own usage errors exit 2 as well.

Start-up time matters (``--help`` should take well under 150 ms), so this module imports
only typer at the top; services, SQLAlchemy and rich are imported inside the commands.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

import typer

from factcheck import __version__
from factcheck.errors import FactcheckError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="factcheck",
    help="Track edited news articles, what changed between versions, and the claims in them.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Shared options: the same spelling, help and environment variable on every command.
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="FACTCHECK_DB",
        help="SQLite file or SQLAlchemy URL (postgresql+psycopg://...). Default ./factcheck.db.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ArticleArgument = Annotated[str, typer.Argument(help="The article key (see `factcheck articles`).")]

_root_db: list[str | None] = [None]


def _fail(message: str, code: int) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _guarded(func: F) -> F:
    """Turn a ``FactcheckError`` raised by a command into its message and exit code."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FactcheckError as error:
            _fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; nothing from the unfinished action was saved", 130)

    return run  # type: ignore[return-value]


def command(name: str | None = None) -> Callable[[F], F]:
    def register(func: F) -> F:
        app.command(name)(_guarded(func))
        return func

    return register


def _out(renderable: Any) -> None:
    from rich.console import Console

    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped output has no width to fit; 80 columns would fold every title.
        console.width = 160
    console.print(renderable)


def _engine(db: str | None, *, create: bool = False) -> Any:
    from factcheck.store.db import open_database

    return open_database(db or _root_db[0], create=create)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    db: DbOption = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Show the version."
        ),
    ] = False,
) -> None:
    """Track edited news articles, what changed between versions, and the claims in them."""
    _root_db[0] = db


@command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, folders (read recursively) or - for standard input."),
    ],
    article: Annotated[
        str | None,
        typer.Option("--article", "-a", help="File every input under this article key."),
    ] = None,
    updated_at: Annotated[
        str | None,
        typer.Option("--updated-at", help="The Last Update time, for files that lack one."),
    ] = None,
    tz: Annotated[
        str,
        typer.Option(
            "--tz", envvar="FACTCHECK_TZ", help="Time zone for times that name none (IANA)."
        ),
    ] = "UTC",
    max_mb: Annotated[
        float, typer.Option("--max-mb", min=0.001, help="Refuse inputs larger than this.")
    ] = 5.0,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store each new version of each article; already-stored content is skipped."""
    from factcheck.ingest import IngestOptions, expand_inputs
    from factcheck.ingest import ingest as run_ingest
    from factcheck.store.db import session_scope

    options = IngestOptions(
        now=datetime.now(UTC),
        article_key=article,
        default_tz=tz,
        updated_at=updated_at,
        max_bytes=int(max_mb * 1024 * 1024),
    )
    engine = _engine(db, create=True)
    with session_scope(engine, writes=True) as session:
        report = run_ingest(session, expand_inputs(paths), options)
    for failure in report.failed:
        typer.echo(f"Error: {failure.file}: {failure.reason}", err=True)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(report.outcomes))
    else:
        for o in report.outcomes:
            if o.status != "error":
                flags = "".join(f" [{flag}]" for flag in o.flags)
                typer.echo(f"{o.status:<9} {o.article} #{o.number}  {o.file}  ({o.rule}){flags}")
        counts = {s: sum(o.status == s for o in report.outcomes) for s in ("new", "duplicate")}
        typer.echo(
            f"{counts['new']} new, {counts['duplicate']} duplicate, {len(report.failed)} failed"
        )
    if report.failed:
        raise typer.Exit(2)


@command()
def articles(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the articles: key, latest title, number of versions, last update."""
    from factcheck.articles import list_articles
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        rows = list_articles(session)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(rows))
        return
    from factcheck.parse.dates import format_utc
    from factcheck.render.tables import table

    _out(
        table(
            None,
            ["key", "title", "versions", "last update (UTC)"],
            ((r.key, r.title, r.versions, format_utc(r.last_updated_at)) for r in rows),
        )
    )


@command()
def versions(key: ArticleArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """The article's timeline: its versions in Last Update order, 1 = oldest."""
    from factcheck.articles import list_versions
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        rows = list_versions(session, key)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(rows))
        return
    from factcheck.parse.dates import format_utc
    from factcheck.render.tables import table

    _out(
        table(
            key,
            ["#", "last update (UTC)", "as written", "title", "hash", "flags"],
            (
                (
                    r.number,
                    format_utc(r.updated_at),
                    r.updated_raw,
                    r.title,
                    r.content_hash[:10],
                    " ".join(r.flags),
                )
                for r in rows
            ),
        )
    )


@command()
def show(
    key: ArticleArgument,
    version: Annotated[
        str, typer.Argument(help="Version number, `latest`, or a content-hash prefix.")
    ] = "latest",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the full text of one version."""
    from factcheck.article import serialise
    from factcheck.articles import get_version
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        summary, article = get_version(session, key, version)
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json({**summary.as_dict(), "text": serialise(article)}))
        return
    typer.echo(serialise(article), nl=False)


def main() -> None:
    """Entry point of the ``factcheck`` command and ``python -m factcheck``."""
    # Without this, a pipe closed early (``factcheck show X | head``) ends in a traceback.
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
