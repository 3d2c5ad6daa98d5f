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
        for event in report.claims.events:
            if event.event != "new":
                detail = f" ({event.detail})" if event.detail and event.event != "removed" else ""
                typer.echo(f"  claim {event.claim_id} {event.event}{detail}: {event.text}")
        counts = {s: sum(o.status == s for o in report.outcomes) for s in ("new", "duplicate")}
        typer.echo(
            f"{counts['new']} new, {counts['duplicate']} duplicate, {len(report.failed)} failed"
        )
        claim_counts = {
            e: report.claims.count(e) for e in ("new", "changed", "removed", "reappeared", "stale")
        }
        if any(claim_counts.values()):
            typer.echo(
                "claims: {new} new, {changed} changed, {removed} removed, {reappeared} reappeared, "
                "{stale} stale verdicts".format(**claim_counts)
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


ClaimIdArgument = Annotated[int, typer.Argument(help="The claim id (see `factcheck claims`).")]
NoteOption = Annotated[
    str, typer.Option("--note", "-n", help="Why: required for disputed, false, misleading.")
]
SourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", "-s", help="An http(s) URL of the evidence; repeat for several."),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Reviewer name. Default: $FACTCHECK_REVIEWER, else the OS user."),
]
VersionOption = Annotated[
    str | None,
    typer.Option(
        "--version", "-v", help="The version whose wording you reviewed (default: latest)."
    ),
]


def _claims_table(title: str | None, rows: Any) -> Any:
    from factcheck.render.tables import table

    return table(
        title,
        ["id", "article", "kind", "text", "values", "status", "flags"],
        (
            (
                r.id,
                r.article,
                r.kind,
                r.text,
                "; ".join(_value_text(v) for v in r.values),
                r.status,
                " ".join(r.flags),
            )
            for r in rows
        ),
    )


def _value_text(value: dict[str, Any]) -> str:
    parts = [str(value.get("qualifier", "")), f"{value['value']:,}", str(value.get("unit", ""))]
    return " ".join(part for part in parts if part)


@command()
def claims(
    article: Annotated[str | None, typer.Argument(help="Only this article.")] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="Only claims with this status.")
    ] = None,
    needs_review: Annotated[
        bool, typer.Option("--needs-review", help="Only claims whose verdict is stale.")
    ] = False,
    include_removed: Annotated[
        bool, typer.Option("--all", help="Include claims removed from the latest version.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List claims: by default those in each article's latest version."""
    from factcheck.claim_views import list_claims
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        rows = list_claims(
            session,
            article,
            status=status,
            needs_review=needs_review,
            include_removed=include_removed,
        )
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(rows))
        return
    _out(_claims_table(article, rows))


@command()
def claim(
    target: Annotated[str, typer.Argument(help="A claim id to show, or `add` to track new text.")],
    article: Annotated[str | None, typer.Argument(help="With `add`: the article key.")] = None,
    text: Annotated[str | None, typer.Argument(help="With `add`: the exact claim text.")] = None,
    version: Annotated[
        str, typer.Option("--version", "-v", help="With `add`: the version holding the text.")
    ] = "latest",
    force: Annotated[
        bool, typer.Option("--force", help="With `add`: save text not found in the version.")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one claim's lineage and reviews, or `claim add ARTICLE TEXT` to track new text."""
    from factcheck.errors import UsageError
    from factcheck.store.db import session_scope

    if target == "add":
        if article is None or text is None:
            raise UsageError("usage: factcheck claim add ARTICLE TEXT [--version N] [--force]")
        from factcheck.claim_views import add_claim

        with session_scope(_engine(db), writes=True) as session:
            summary, created = add_claim(
                session, article, text, version=version, force=force, now=datetime.now(UTC)
            )
        if as_json:
            from factcheck.render.tables import to_json

            typer.echo(to_json({**summary.as_dict(), "created": created}))
        else:
            typer.echo(
                f"{'added' if created else 'already tracked as'} claim {summary.id}: {summary.text}"
            )
        return
    if not target.isdigit() or article is not None:
        raise UsageError(f"expected a claim id or `add`, got {target!r}")
    from factcheck.claim_views import claim_detail

    with session_scope(_engine(db)) as session:
        detail = claim_detail(session, int(target))
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json(detail.as_dict()))
        return
    from factcheck.render.claims import render_claim

    _out(render_claim(detail))


def _mark(
    claim_id: int,
    status: str,
    note: str,
    sources: list[str] | None,
    by: str | None,
    version: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    from factcheck.review import mark
    from factcheck.store.db import session_scope

    with session_scope(_engine(db), writes=True) as session:
        review = mark(
            session,
            claim_id,
            status,
            note=note,
            sources=sources or [],
            reviewer=by,
            version=version,
            now=datetime.now(UTC),
        )
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json(review.as_dict()))
        return
    where = f" (version {review.version})" if review.version else ""
    typer.echo(f"claim {claim_id} marked {review.status} by {review.reviewer}{where}")


@command()
def verify(
    claim_id: ClaimIdArgument,
    note: NoteOption = "",
    source: SourceOption = None,
    by: ByOption = None,
    version: VersionOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark a claim verified."""
    _mark(claim_id, "verified", note, source, by, version, db, as_json)


@command()
def dispute(
    claim_id: ClaimIdArgument,
    note: NoteOption = "",
    source: SourceOption = None,
    by: ByOption = None,
    version: VersionOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark a claim disputed (a note is required)."""
    _mark(claim_id, "disputed", note, source, by, version, db, as_json)


@command("mark")
def mark_claim(
    claim_id: ClaimIdArgument,
    status: Annotated[
        str, typer.Argument(help="verified, disputed, false, misleading, unproven or unverified.")
    ],
    note: NoteOption = "",
    source: SourceOption = None,
    by: ByOption = None,
    version: VersionOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Mark a claim with any status."""
    _mark(claim_id, status, note, source, by, version, db, as_json)


@command("review-queue")
def review_queue(db: DbOption = None, as_json: JsonOption = False) -> None:
    """What needs a human: stale verdicts, changed values, reappeared and unreviewed claims."""
    from factcheck.claim_views import review_queue as queue
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        items = queue(session)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(items))
        return
    from factcheck.render.tables import table

    _out(
        table(
            None,
            ["id", "article", "why", "status", "text"],
            (
                (i.claim.id, i.claim.article, ", ".join(i.reasons), i.claim.status, i.claim.text)
                for i in items
            ),
        )
    )


@command()
def audit(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Verify the hash chain of every review; name the first broken link."""
    from factcheck.errors import ConflictError
    from factcheck.review import audit as run_audit
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        result = run_audit(session)
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json(result.as_dict()))
    elif result.ok:
        typer.echo(f"ok: {result.reviews} reviews, chain intact")
    if not result.ok:
        raise ConflictError(f"review chain broken: {result.reason}")


def main() -> None:
    """Entry point of the ``factcheck`` command and ``python -m factcheck``."""
    # Without this, a pipe closed early (``factcheck show X | head``) ends in a traceback.
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
