"""The ``factcheck`` command line.

A command parses its arguments, opens one session, calls one service function, renders the
result and exits. Errors become exit codes in one place, ``_guarded``: a ``FactcheckError``
prints ``Error: <message>`` on stderr and exits with its ``exit_code`` (1 for a domain
error, 2 for bad usage or unreadable input); typer's own usage errors exit 2 as well.

Start-up time matters (``--help`` should take well under 150 ms), so this module imports
only typer at the top; services, SQLAlchemy and rich are imported inside the commands.
"""

# No ``from __future__ import annotations`` here: typer reads every command's annotations when
# it builds the command line, and evaluating them from strings tripled that cost (about
# 20 ms of every start, --help included).

import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
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
    # Plain help: rich's help formatter imports markdown and syntax highlighting, over
    # 200 ms of start-up for every --help.
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

# Shared options: the same spelling and help on every command.
# ``--db`` names no environment variable here: typer would hand FACTCHECK_DB to the
# command's own option, which would then beat a ``--db`` given before the command name.
# ``resolve_url`` falls back to the variable when neither is given.
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLite file or SQLAlchemy URL (postgresql+psycopg://...). "
        "Default: $FACTCHECK_DB, else ./factcheck.db.",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
ArticleArgument = Annotated[str, typer.Argument(help="The article key (see `factcheck articles`).")]
IgnoreRobotsOption = Annotated[
    bool, typer.Option("--ignore-robots", help="Fetch pages that robots.txt disallows.")
]

_root_db: list[str | None] = [None]
# Engines the running command opened; closed when it ends (``_close_databases``).
_open_engines: list[Any] = []
# Whether this process is the command itself (set by ``main``), not a host calling it.
_owns_process = [False]


def _fail(message: str, code: int) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _guarded(func: F) -> F:
    """Turn a ``FactcheckError`` raised by a command into its message and exit code."""

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = func(*args, **kwargs)
        except FactcheckError as error:
            _fail(str(error), error.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted; nothing from the unfinished action was saved", 130)
        _work_saved()
        return result

    return run  # type: ignore[return-value]


def _work_saved() -> None:
    """Ignore Ctrl-C from now on: the action is committed, so an interrupt could only cut
    its report or the closing of the database short, and exit 130 would say that nothing
    was saved. (Closing a large SQLite database copies its write-ahead log, and exiting
    frees what the run built: seconds after a big ingest.) Only in a process that is this
    command (``main``): a host that runs commands in-process keeps its own Ctrl-C."""
    if _owns_process[0]:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)


def command(name: str | None = None, *, version_arguments: bool = False) -> Callable[[F], F]:
    """Register a command. ``version_arguments`` lets its arguments be negative version
    numbers: click would read ``-1`` as an unknown option, so unknown options are passed on
    as arguments instead (a misspelt option then fails as a bad version)."""
    settings = {"ignore_unknown_options": True} if version_arguments else None

    def register(func: F) -> F:
        app.command(name, context_settings=settings)(_guarded(func))
        return func

    return register


def _out(renderable: Any) -> None:
    if isinstance(renderable, str):
        typer.echo(renderable, nl=False)
        return
    from rich.console import Console

    console = Console(soft_wrap=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        # Piped output has no width to fit; 80 columns would fold every title.
        console.width = 160
    console.print(renderable)


def _listing(
    rows: Sequence[Any],
    as_json: bool,
    title: str | None,
    columns: list[str],
    cells: Callable[[Any], Sequence[object]],
) -> None:
    """Print a listing: JSON rows with ``--json``, else a table of ``cells(row)``."""
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(rows))
        return
    from factcheck.render.tables import table

    _out(table(title, columns, (cells(row) for row in rows)))


def _engine(db: str | None, *, create: bool = False) -> Any:
    from factcheck.store.db import open_database

    engine = open_database(db or _root_db[0], create=create)
    _open_engines.append(engine)
    if not gc.isenabled():
        # ``factcheck.entry`` turned collection off for the start-up imports, which are done
        # now: move what they made out of the collector's sight, and turn it back on for the
        # command's own work.
        gc.freeze()
        gc.enable()
    return engine


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


def _close_databases() -> None:
    """Close the command's databases. Closing the last connection to a SQLite file moves
    what its write-ahead log holds into the file itself, so the database file alone holds
    every committed change once a command is done: a copy of it is complete."""
    while _open_engines:
        _open_engines.pop().dispose()


@app.callback()
def root(
    ctx: typer.Context,
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
    ctx.call_on_close(_close_databases)


@command()
def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, saved web pages, folders (read recursively), http(s) URLs, "
            "or - for standard input."
        ),
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
        float,
        typer.Option("--max-mb", min=0.001, max=1024, help="Refuse inputs larger than this."),
    ] = 5.0,
    ignore_robots: IgnoreRobotsOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Store each new version of each article; already-stored content is skipped."""
    from factcheck.fetch import FetchOptions
    from factcheck.ingest import IngestOptions, check_options, expand_inputs
    from factcheck.ingest import ingest as run_ingest
    from factcheck.store.db import session_scope

    max_bytes = int(max_mb * 1024 * 1024)
    options = IngestOptions(
        now=datetime.now(UTC),
        article_key=article,
        default_tz=tz,
        updated_at=updated_at,
        max_bytes=max_bytes,
        fetch=FetchOptions(max_bytes=max_bytes, respect_robots=not ignore_robots),
    )
    check_options(options)  # before the database is created: a typo creates nothing
    engine = _engine(db, create=True)
    with session_scope(engine, writes=True) as session:
        report = run_ingest(session, expand_inputs(paths), options)
    _work_saved()
    for failure in report.failed:
        typer.echo(f"Error: {failure.file}: {failure.reason}", err=True)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(report.outcomes))
    else:
        from factcheck.render.ingest import ingest_lines

        for line in ingest_lines(report):
            typer.echo(line)
    if report.failed:
        raise typer.Exit(2)


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``systemctl stop``): stop like Ctrl-C, but as a normal end."""


def _terminate(_signum: int, _frame: Any) -> None:
    raise _Terminated


@command()
def watch(
    urls: Annotated[
        list[str] | None, typer.Argument(help="Article URLs (http or https).", show_default=False)
    ] = None,
    url_list: Annotated[
        str | None, typer.Option("--list", help="A file of URLs, one a line (- for stdin).")
    ] = None,
    every: Annotated[
        str, typer.Option("--every", help="Shortest time between checks of a page, e.g. 10m.")
    ] = "10m",
    until: Annotated[
        str | None, typer.Option("--until", help="Stop after this long, e.g. 48h (default: never).")
    ] = None,
    max_checks: Annotated[
        int | None, typer.Option("--max-checks", min=1, help="Stop after N checks of each URL.")
    ] = None,
    notify_cmd: Annotated[
        str | None,
        typer.Option(
            "--notify-cmd", help="Shell command run per new version, its summary as JSON on stdin."
        ),
    ] = None,
    ignore_robots: IgnoreRobotsOption = False,
    tz: Annotated[
        str,
        typer.Option(
            "--tz", envvar="FACTCHECK_TZ", help="Time zone for times that name none (IANA)."
        ),
    ] = "UTC",
    max_mb: Annotated[
        float,
        typer.Option("--max-mb", min=0.001, max=1024, help="Refuse pages larger than this."),
    ] = 5.0,
    db: DbOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per check.")
    ] = False,
) -> None:
    """Check pages on an adaptive schedule; store and summarise each new version."""
    # A watch is long-running, so the service opens one short session per check instead of
    # one for the whole command: each check is its own transaction.
    import json
    import signal

    from factcheck.fetch import FetchOptions
    from factcheck.ingest import IngestOptions
    from factcheck.render.watch import check_json, check_lines, summary_line
    from factcheck.watch import WatchOptions, WatchSummary, parse_duration, read_url_list
    from factcheck.watch import watch as run_watch

    targets = list(urls or []) + (read_url_list(url_list) if url_list else [])
    max_bytes = int(max_mb * 1024 * 1024)
    options = IngestOptions(
        now=datetime.now(UTC),
        default_tz=tz,
        max_bytes=max_bytes,
        fetch=FetchOptions(max_bytes=max_bytes, respect_robots=not ignore_robots),
    )
    watch_options = WatchOptions(
        floor=parse_duration(every),
        until=parse_duration(until) if until else None,
        max_checks=max_checks,
        notify_cmd=notify_cmd,
    )

    def show(check: Any) -> None:
        if as_json:
            typer.echo(json.dumps(check_json(check), ensure_ascii=False))
        else:
            for line in check_lines(check):
                typer.echo(line)

    summary = WatchSummary()
    engine = _engine(db, create=True)
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave SIGTERM alone
        previous = None
    try:
        run_watch(engine, targets, options, watch_options, on_check=show, summary=summary)
    except KeyboardInterrupt as stop:
        if not as_json:
            typer.echo(summary_line(summary))
        if isinstance(stop, _Terminated):
            return
        typer.echo("Error: interrupted; the check in progress was not saved", err=True)
        raise typer.Exit(130) from None
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if not as_json:
        typer.echo(summary_line(summary))


@command()
def articles(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the articles: key, latest title, number of versions, last update."""
    from factcheck.articles import list_articles
    from factcheck.store.db import session_scope
    from factcheck.timestamps import format_utc

    with session_scope(_engine(db)) as session:
        rows = list_articles(session)
    _listing(
        rows,
        as_json,
        None,
        ["key", "title", "versions", "last update (UTC)"],
        lambda r: (r.key, r.title, r.versions, format_utc(r.last_updated_at)),
    )


@command()
def versions(key: ArticleArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """The article's timeline: its versions in Last Update order, 1 = oldest."""
    from factcheck.articles import list_versions
    from factcheck.store.db import session_scope
    from factcheck.timestamps import format_utc

    with session_scope(_engine(db)) as session:
        rows = list_versions(session, key)
    _listing(
        rows,
        as_json,
        key,
        ["#", "last update (UTC)", "as written", "title", "hash", "flags"],
        lambda r: (
            r.number,
            format_utc(r.updated_at),
            r.updated_raw,
            r.title,
            r.content_hash[:10],
            " ".join(r.flags),
        ),
    )


@command(version_arguments=True)
def show(
    key: ArticleArgument,
    version: Annotated[
        str, typer.Argument(help="Version number, `latest`, or a content-hash prefix.")
    ] = "latest",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print the full text of one version, in the layout `diff --format unified` uses."""
    from factcheck.articles import get_version
    from factcheck.render.unified import serialise_article
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        summary, article = get_version(session, key, version)
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json({**summary.as_dict(), "text": serialise_article(article)}))
        return
    typer.echo(serialise_article(article), nl=False)


VersionArgument = Annotated[
    str | None, typer.Argument(help="Version number, `latest`, or a content-hash prefix.")
]
FORMATS = ("text", "json", "unified", "html")


def _write(text: str, output: str | None, what: str) -> None:
    """Print ``text``, or write it whole to the file ``output`` (``-`` is standard output):
    to a temporary file beside it, renamed over it, so no reader sees half a file."""
    if output is None or output == "-":
        typer.echo(text, nl=False)
        return
    import stat
    import tempfile
    from pathlib import Path

    from factcheck.errors import FactcheckError

    try:
        mode = os.stat(output).st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise FactcheckError(f"cannot write {output}: it is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        # A device, a pipe or a terminal (/dev/null, /dev/stdout, a FIFO) is written into
        # as it is: replaced by a renamed file, it would stop being what it was.
        try:
            with open(output, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
        except OSError as error:
            raise FactcheckError(f"cannot write {output}: {error.strerror or error}") from None
        return
    # Through a symbolic link to the file it names: the link stays a link.
    target = Path(os.path.realpath(output))
    if _is_sqlite_database(target):
        raise FactcheckError(f"{output} is a SQLite database; refusing to write {what} over it")
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", dir=target.parent, delete=False, suffix=".tmp"
        ) as handle:
            temporary = handle.name
            handle.write(text)
        # A temporary file is private (0600); the output gets the mode a plain write would
        # give it, so a shared report stays readable by the team.
        os.chmod(temporary, _output_mode(target))
        os.replace(temporary, target)
    except OSError as error:
        if temporary is not None and os.path.exists(temporary):
            os.unlink(temporary)
        raise FactcheckError(f"cannot write {output}: {error.strerror or error}") from None
    typer.echo(f"wrote {what} to {output}")


def _is_sqlite_database(path: Any) -> bool:
    """Whether ``path`` is an existing SQLite file: ``-o`` given the database by mistake
    would otherwise replace every stored version with a diff or an export."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _output_mode(target: Any) -> int:
    """The permissions of the file being replaced, else those the umask leaves."""
    import stat

    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _use_color() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@command(version_arguments=True)
def diff(
    key: ArticleArgument,
    old: VersionArgument = None,
    new: VersionArgument = None,
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text, json, unified or html.")
    ] = "text",
    context: Annotated[
        int,
        typer.Option("--context", "-C", min=0, help="Unchanged paragraphs shown around a change."),
    ] = 1,
    stat: Annotated[bool, typer.Option("--stat", help="Only the one-line summary.")] = False,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    db: DbOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="The same as --format json.")] = False,
) -> None:
    """What changed between two versions (default: the latest two), word by word."""
    from factcheck.changes import compare
    from factcheck.errors import UsageError
    from factcheck.store.db import session_scope

    if as_json:
        if output_format not in ("text", "json"):
            raise UsageError(f"--json and --format {output_format} ask for two formats")
        output_format = "json"
    if output_format not in FORMATS:
        raise UsageError(f"unknown format {output_format!r}: use one of {', '.join(FORMATS)}")
    if stat and output_format != "text":
        raise UsageError("--stat prints the summary line only: leave out --format")
    with session_scope(_engine(db)) as session:
        comparison = compare(session, key, old, new)
    changes, header = comparison.diff, comparison.header
    if stat:
        from factcheck.render.summary import render_summary

        _write(render_summary(changes, header) + "\n", output, "the diff")
    elif output_format == "json":
        from factcheck.render.json import render_json

        _write(render_json(changes, header) + "\n", output, "the diff")
    elif output_format == "unified":
        from factcheck.render.unified import render_unified

        _write(render_unified(changes, header, context=max(context, 3)), output, "the diff")
    elif output_format == "html":
        from factcheck.render.html import render_html

        _write(render_html(changes, header, context=context), output, "the diff")
    elif output is None and _use_color():
        from rich.console import Console

        from factcheck.render.text import render_styled

        Console(highlight=False).print(render_styled(changes, header, context=context), end="")
    else:
        from factcheck.render.text import render_text

        _write(render_text(changes, header, context=context), output, "the diff")


@command()
def log(key: ArticleArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every version with a summary of its edit, like `git log --stat`."""
    from factcheck.changes import history
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        entries = history(session, key)
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(entries))
        return
    for entry in entries:
        flags = "".join(f" [{flag}]" for flag in entry.flags)
        typer.echo(f"version {entry.number}  {entry.updated_at}  ({entry.updated_raw}){flags}")
        typer.echo(f"    {entry.title}")
        typer.echo(f"    {entry.summary}")


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
    from factcheck.claims.values import describe_value
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        rows = list_claims(
            session,
            article,
            status=status,
            needs_review=needs_review,
            include_removed=include_removed,
        )
    _listing(
        rows,
        as_json,
        article,
        ["id", "article", "kind", "text", "values", "status", "flags"],
        lambda r: (
            r.id,
            r.article,
            r.kind,
            r.text,
            "; ".join(describe_value(v) for v in r.values),
            r.status,
            " ".join(r.flags),
        ),
    )


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
    """What needs a human: stale verdicts, changed values or sources, reappeared and
    unreviewed claims."""
    from factcheck.claim_views import review_queue as queue
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        items = queue(session)
    _listing(
        items,
        as_json,
        None,
        ["id", "article", "why", "status", "text"],
        lambda i: (i.claim.id, i.claim.article, ", ".join(i.reasons), i.claim.status, i.claim.text),
    )


@command()
def audit(
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            help="A head hash an earlier audit printed (8+ hex digits): fail unless the "
            "chain still holds it, which reveals reviews removed from its end.",
        ),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Verify the hash chain of every review, and that each claim agrees with its reviews
    and occurrences (status, wording, values, stale flag); name the first broken link."""
    from factcheck.errors import ConflictError
    from factcheck.review import audit as run_audit
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        result = run_audit(session, head)
    if as_json:
        from factcheck.render.tables import to_json

        typer.echo(to_json(result.as_dict()))
    elif result.ok:
        typer.echo(f"ok: {result.reviews} reviews, chain intact, claims match; head {result.head}")
    if not result.ok:
        raise ConflictError(f"audit failed: {result.reason}")


# --- export, import, report (docs/export.md) ---------------------------------------------------

export_app = typer.Typer(
    name="export",
    help="Write claims and verdicts out: ClaimReview JSON-LD, CSV or JSON.",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export")

OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output."),
]
SomeArticleArgument = Annotated[
    str | None, typer.Argument(help="Only this article (default: every article).")
]
StatusOption = Annotated[str | None, typer.Option("--status", help="Only claims with this status.")]


def _export_command(name: str) -> Callable[[F], F]:
    def register(func: F) -> F:
        export_app.command(name)(_guarded(func))
        return func

    return register


@_export_command("claimreview")
def export_claimreview(
    article: SomeArticleArgument = None,
    output: OutputOption = None,
    org: Annotated[
        str | None,
        typer.Option("--org", envvar="FACTCHECK_ORG", help="The fact-checking organisation."),
    ] = None,
    org_url: Annotated[
        str | None,
        typer.Option("--org-url", envvar="FACTCHECK_ORG_URL", help="Its website (http/https)."),
    ] = None,
    include_unverified: Annotated[
        bool, typer.Option("--all", help="Also claims that are still unverified.")
    ] = False,
    db: DbOption = None,
) -> None:
    """ClaimReview JSON-LD (schema.org): one review per claim with a verdict."""
    from factcheck.export import check_organisation, claimreview_json, export_claimreviews
    from factcheck.store.db import session_scope

    signer = check_organisation(org, org_url)
    with session_scope(_engine(db)) as session:
        document = export_claimreviews(
            session, signer, article, include_unverified=include_unverified
        )
    _write(claimreview_json(document), output, f"{len(document['@graph'])} ClaimReviews")


def _export_rows(
    article: str | None, status: str | None, output: str | None, db: str | None, fmt: str
) -> None:
    from factcheck.export import export_rows, rows_csv
    from factcheck.render.tables import rows_json
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        rows = export_rows(session, article, status=status)
    text = rows_csv(rows) if fmt == "csv" else rows_json(rows) + "\n"
    _write(text, output, f"{len(rows)} claims")


@_export_command("csv")
def export_csv(
    article: SomeArticleArgument = None,
    status: StatusOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """One row per claim as CSV (UTF-8 with BOM, formula-safe cells)."""
    _export_rows(article, status, output, db, "csv")


@_export_command("json")
def export_json(
    article: SomeArticleArgument = None,
    status: StatusOption = None,
    output: OutputOption = None,
    db: DbOption = None,
) -> None:
    """One object per claim as a JSON array (same keys as the CSV columns)."""
    _export_rows(article, status, output, db, "json")


def _read_input(path: str) -> str:
    from pathlib import Path

    from factcheck.errors import InputError

    try:
        data = typer.get_binary_stream("stdin").read() if path == "-" else Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (at byte {error.start})") from None


@command("import")
def import_reviews(
    kind: Annotated[str, typer.Argument(help="What the file holds: claimreview.")],
    path: Annotated[
        str, typer.Argument(help="JSON or JSON-LD (or an HTML page with ld+json); - for stdin.")
    ],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load ClaimReviews: matching claims get a review, the rest are kept as external."""
    from factcheck.errors import UsageError

    if kind.strip().lower() != "claimreview":
        raise UsageError(f"cannot import {kind!r}: the only format is claimreview")
    from factcheck.export import import_claimreviews, read_document
    from factcheck.store.db import session_scope

    document = read_document(_read_input(path), path)
    with session_scope(_engine(db), writes=True) as session:
        result = import_claimreviews(session, document, now=datetime.now(UTC))
    if as_json:
        from factcheck.render.tables import rows_json

        typer.echo(rows_json(result.outcomes))
        return
    for item in result.outcomes:
        claims = f" claim {', '.join(map(str, item.claims))}" if item.claims else ""
        status = f" {item.status}" if item.status else ""
        reason = f" ({item.reason})" if item.reason else ""
        typer.echo(
            f"{item.outcome:<18} #{item.index}{claims}{status}{reason}: {item.claim_reviewed}"
        )
    names = ("reviewed", "duplicate", "external", "external-duplicate", "skipped")
    typer.echo(", ".join(f"{result.count(name)} {name}" for name in names))


@command()
def report(key: ArticleArgument, output: OutputOption = None, db: DbOption = None) -> None:
    """One self-contained HTML page: timeline, diffs, claims and their verdicts."""
    from factcheck.render.report import render_report
    from factcheck.report import build_report
    from factcheck.store.db import session_scope

    with session_scope(_engine(db)) as session:
        built = build_report(session, key, now=datetime.now(UTC))
    _write(render_report(built), output, f"the report on {key}")


# The base exception class of the click that typer runs on (its own copy in recent typer,
# not exported): typer's BadParameter is a UsageError, itself a ClickException.
_ClickError: type[Exception] = typer.BadParameter.__mro__[2]


def _report_click_error(error: Any) -> None:
    """Print a click error the way every other error is printed, and exit with its code.

    Click prints a usage error after the usage line and a hint, four lines in all; here
    it is one line, with the hint at its end. Help shown for a bare ``factcheck`` arrives
    as an error too, and is printed as it is."""
    message = error.format_message()
    if "\n" in message:
        error.show()
    else:
        context = getattr(error, "ctx", None)
        hint = f" (see '{context.command_path} -h')" if context is not None else ""
        typer.echo(f"Error: {message}{hint}", err=True)
    sys.exit(error.exit_code)


def main() -> None:
    """Entry point of the ``factcheck`` command and ``python -m factcheck``."""
    _owns_process[0] = True
    try:
        code = app(prog_name="factcheck", standalone_mode=False)
    except _ClickError as error:
        _report_click_error(error)
    except typer.Abort:
        typer.echo("Error: aborted", err=True)
        sys.exit(1)
    except BrokenPipeError:
        # A pipe closed early (``factcheck show X | head``) would otherwise end in a
        # traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
