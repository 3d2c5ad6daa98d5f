"""Fetching pages, and ingesting URLs, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import ssl
import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from factcheck import __version__
from factcheck.cli import app
from factcheck.errors import InputError
from factcheck.fetch import (
    PROJECT_URL,
    Fetcher,
    FetchError,
    FetchOptions,
    check_url,
    describe_network_error,
    is_url,
)
from factcheck.ingest import IngestOptions, ingest
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import articles_table, versions_table, watched_pages_table
from tests.pageserver import Answer, PageServer, Request, fixture

NOW = datetime(2025, 6, 12, 15, 0, tzinfo=UTC)
FAST = FetchOptions(timeout=3.0, retries=2, backoff=0.0)
ARTICLE = fixture("jsonld-newsarticle.html")


@pytest.fixture
def server() -> Iterator[PageServer]:
    running = PageServer().start()
    yield running
    running.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> Iterator[Fetcher]:
    """Each fetch happens a minute after the one before, from NOW."""
    ticks = iter(range(10_000))
    with Fetcher(
        FAST, sleep=sleeps.append, now=lambda: NOW + timedelta(minutes=next(ticks))
    ) as client:
        yield client


# -- the fetch policy ----------------------------------------------------------------------


def test_a_page_is_fetched_with_a_user_agent_naming_factcheck(
    server: PageServer, fetcher: Fetcher
) -> None:
    server.page("/a/1", ARTICLE)
    fetched = fetcher.fetch(server.url("/a/1"))
    assert fetched.status == 200
    assert fetched.body.decode() == ARTICLE
    assert fetched.charset == "utf-8"
    assert fetched.etag and fetched.fetched_at == NOW
    agent = server.hits("/a/1")[0].headers["user-agent"]
    assert agent.startswith(f"factcheck/{__version__} ") and PROJECT_URL in agent


def test_a_conditional_request_for_an_unchanged_page_gets_a_304(
    server: PageServer, fetcher: Fetcher
) -> None:
    server.page("/a/1", ARTICLE, headers={"Last-Modified": "Tue, 03 Jun 2025 13:02:00 GMT"})
    first = fetcher.fetch(server.url("/a/1"))
    again = fetcher.fetch(server.url("/a/1"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    sent = server.hits("/a/1")[1].headers
    assert sent["if-none-match"] == first.etag
    assert sent["if-modified-since"] == "Tue, 03 Jun 2025 13:02:00 GMT"


def test_a_server_error_is_retried_with_exponential_backoff(server: PageServer) -> None:
    waits: list[float] = []
    options = FetchOptions(timeout=3.0, retries=3, backoff=0.5)
    server.serve("/flaky", Answer(status=500), Answer(status=502), Answer(body=ARTICLE.encode()))
    with Fetcher(options, sleep=waits.append) as client:
        fetched = client.fetch(server.url("/flaky"))
    assert fetched.status == 200 and fetched.attempts == 3
    assert waits == [0.5, 1.0]


def test_a_persistent_server_error_gives_up_after_the_retries(
    server: PageServer, fetcher: Fetcher, sleeps: list[float]
) -> None:
    server.serve("/down", Answer(status=503))
    with pytest.raises(FetchError, match=r"HTTP 503 Service Unavailable \(after 3 attempts\)") as e:
        fetcher.fetch(server.url("/down"))
    assert e.value.transient
    assert len(server.hits("/down")) == 3 and len(sleeps) == 2


@pytest.mark.parametrize(
    ("status", "reason"), [(404, "Not Found"), (410, "Gone"), (403, "Forbidden")]
)
def test_a_client_error_is_final_at_once(
    server: PageServer, fetcher: Fetcher, status: int, reason: str
) -> None:
    server.serve("/gone", Answer(status=status))
    with pytest.raises(FetchError, match=f"^HTTP {status} {reason}$") as e:
        fetcher.fetch(server.url("/gone"))
    assert not e.value.transient
    assert len(server.hits("/gone")) == 1


def test_a_slow_server_times_out(server: PageServer) -> None:
    server.serve("/slow", Answer(body=ARTICLE.encode(), delay=1.5))
    with (
        Fetcher(FetchOptions(timeout=0.2, retries=1, backoff=0.0)) as client,
        pytest.raises(FetchError, match=r"timed out .*\(after 2 attempts\)") as e,
    ):
        client.fetch(server.url("/slow"))
    assert e.value.transient


def test_robots_txt_disallow_is_respected_unless_ignored(server: PageServer) -> None:
    server.page(
        "/robots.txt",
        "User-agent: factcheck\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n",
        content_type="text/plain",
    )
    server.page("/private/story", ARTICLE)
    server.page("/public/story", ARTICLE)
    with Fetcher(FAST) as client:
        with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
            client.fetch(server.url("/private/story"))
        assert client.fetch(server.url("/public/story")).status == 200
    assert server.hits("/private/story") == []
    assert len(server.hits("/robots.txt")) == 1  # kept between fetches
    with Fetcher(FetchOptions(respect_robots=False)) as client:
        assert client.fetch(server.url("/private/story")).status == 200


def test_robots_txt_for_all_agents_applies_to_factcheck(server: PageServer) -> None:
    server.page("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    server.page("/a", ARTICLE)
    with Fetcher(FAST) as client, pytest.raises(FetchError, match=r"robots\.txt"):
        client.fetch(server.url("/a"))


def test_a_missing_robots_txt_allows_and_a_broken_one_forbids_for_now(
    server: PageServer,
) -> None:
    server.page("/a", ARTICLE)
    with Fetcher(FAST, sleep=lambda _s: None) as client:
        assert client.fetch(server.url("/a")).status == 200  # robots.txt is a 404 here
    server.serve("/robots.txt", Answer(status=500))
    with (
        Fetcher(FAST, sleep=lambda _s: None) as client,
        pytest.raises(FetchError, match=r"robots\.txt could not be read") as e,
    ):
        client.fetch(server.url("/a"))
    assert e.value.transient
    assert len(server.hits("/a")) == 1


def test_a_huge_robots_txt_is_read_up_to_its_limit(server: PageServer) -> None:
    rules = "User-agent: *\nDisallow: /private/\n" + "# padding\n" * 80_000
    server.page("/robots.txt", rules, content_type="text/plain")
    server.page("/private/a", ARTICLE)
    server.page("/a", ARTICLE)
    with Fetcher(FAST) as client:
        with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
            client.fetch(server.url("/private/a"))
        assert client.fetch(server.url("/a")).status == 200


def test_an_oversized_page_is_refused_whether_announced_or_streamed(server: PageServer) -> None:
    big = ("<!doctype html><html><body>" + "<p>word </p>" * 30_000 + "</body></html>").encode()
    server.serve("/announced", Answer(body=big))
    server.serve("/streamed", Answer(body=big, chunked=True))
    with Fetcher(FetchOptions(max_bytes=100_000, retries=0)) as client:
        with pytest.raises(FetchError, match="page too large"):
            client.fetch(server.url("/announced"))
        with pytest.raises(FetchError, match="page too large \\(over the limit of 100,000 bytes"):
            client.fetch(server.url("/streamed"))


def test_a_non_html_answer_is_refused(server: PageServer, fetcher: Fetcher) -> None:
    server.serve("/data", Answer(body=b'{"a": 1}', content_type="application/json"))
    with pytest.raises(FetchError, match=r"not an HTML page \(content type application/json\)"):
        fetcher.fetch(server.url("/data"))
    server.serve("/untyped-html", Answer(body=ARTICLE.encode(), content_type=""))
    assert fetcher.fetch(server.url("/untyped-html")).status == 200
    server.serve("/untyped-binary", Answer(body=b"\x89PNG\r\n", content_type=""))
    with pytest.raises(FetchError, match="not an HTML page"):
        fetcher.fetch(server.url("/untyped-binary"))


def test_a_redirect_loop_is_detected(server: PageServer, fetcher: Fetcher) -> None:
    server.serve("/loop-a", Answer(status=302, headers={"Location": "/loop-b"}, etag=False))
    server.serve("/loop-b", Answer(status=302, headers={"Location": "/loop-a"}, etag=False))
    with pytest.raises(FetchError, match=r"redirect loop \(more than 10 redirects\)"):
        fetcher.fetch(server.url("/loop-a"))


def test_a_redirect_is_followed_and_the_final_url_kept(
    server: PageServer, fetcher: Fetcher
) -> None:
    server.serve("/old", Answer(status=301, headers={"Location": "/new"}, etag=False))
    server.page("/new", ARTICLE)
    assert fetcher.fetch(server.url("/old")).final_url == server.url("/new")


def test_a_redirect_is_held_to_robots_txt_like_the_first_url(server: PageServer) -> None:
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.serve("/moved", Answer(status=302, headers={"Location": "/private/a"}, etag=False))
    server.page("/private/a", ARTICLE)
    with Fetcher(FAST) as client, pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        client.fetch(server.url("/moved"))
    assert server.hits("/private/a") == []
    with Fetcher(FetchOptions(respect_robots=False)) as client:
        assert client.fetch(server.url("/moved")).final_url == server.url("/private/a")


def test_a_redirect_target_whose_robots_txt_fails_is_not_retried(server: PageServer) -> None:
    other = PageServer().start()
    try:
        other.serve("/robots.txt", Answer(status=503))
        other.page("/story", ARTICLE)
        target = other.url("/story")
        server.serve("/moved", Answer(status=302, headers={"Location": target}, etag=False))
        with (
            Fetcher(FAST, sleep=lambda _s: None) as client,
            pytest.raises(FetchError, match=r"robots\.txt could not be read") as e,
        ):
            client.fetch(server.url("/moved"))
        assert f"(after a redirect to {target})" in str(e.value)
        assert not e.value.transient
        assert len(server.hits("/moved")) == 1  # the page is not fetched again for it
        assert other.hits("/story") == []
    finally:
        other.stop()


def test_a_url_that_httpx_normalises_is_no_redirect(server: PageServer, fetcher: Fetcher) -> None:
    server.serve("/gone", Answer(status=404))
    shouting = server.url("/gone").replace("127.0.0.1", "LOCALHOST")
    with pytest.raises(FetchError, match=r"^HTTP 404 Not Found$"):
        fetcher.fetch(shouting)


def test_a_redirect_to_another_scheme_or_a_bad_location_is_one_clear_line(
    server: PageServer, fetcher: Fetcher
) -> None:
    server.serve("/to-ftp", Answer(status=302, headers={"Location": "ftp://x/y"}, etag=False))
    with pytest.raises(FetchError, match="redirected to a URL that is not http or https"):
        fetcher.fetch(server.url("/to-ftp"))
    server.serve("/bad", Answer(status=302, headers={"Location": "http://[bad/x"}, etag=False))
    with pytest.raises(FetchError, match=r"DNS lookup failed .*\(after a redirect to http"):
        fetcher.fetch(server.url("/bad"))


def test_a_page_that_trickles_in_is_cut_at_the_deadline(server: PageServer) -> None:
    body = ("<!doctype html><html><body>" + "<p>word </p>" * 20_000 + "</body></html>").encode()
    server.serve("/trickle", Answer(body=body, chunked=True))
    ticks = iter(range(0, 10_000, 25))  # every look at the clock finds 25 s more gone
    options = FetchOptions(deadline=60.0, retries=0, respect_robots=False)
    with (
        Fetcher(options, clock=lambda: float(next(ticks))) as client,
        pytest.raises(FetchError, match=r"page not received within 60 s"),
    ):
        client.fetch(server.url("/trickle"))


def test_a_body_that_does_not_decode_is_refused(server: PageServer, fetcher: Fetcher) -> None:
    server.serve(
        "/corrupt",
        Answer(body=b"this is not gzip", headers={"Content-Encoding": "gzip"}, etag=False),
    )
    with pytest.raises(FetchError, match="does not decode as its Content-Encoding"):
        fetcher.fetch(server.url("/corrupt"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "not file://"),
        ("ftp://127.0.0.1/x", "not ftp://"),
        ("http:///no-host", "no host"),
        ("http://[bad/x", r"not a valid URL \(Invalid IPv6 URL\)"),
        ("http://news.example:port/x", "not a valid URL"),
        ("http://\u2603\u2603..com/", "not a valid URL"),
        ("http://news.example/a\x07b", "not a valid URL"),
    ],
)
def test_only_http_and_https_urls_are_fetched(url: str, message: str) -> None:
    with pytest.raises(FetchError, match=message):
        check_url(url)
    with Fetcher(FAST) as client, pytest.raises(FetchError, match=message):
        client.fetch(url)


def test_what_counts_as_a_url() -> None:
    assert is_url("https://news.example/a") and is_url("file:///tmp/x")
    assert not is_url("articles/page.html") and not is_url("-") and not is_url("C:\\x.html")


def _failing_transport(cause: BaseException) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        try:
            raise cause
        except BaseException as error:
            raise httpx.ConnectError(str(error), request=request) from error

    return httpx.MockTransport(handler)


def test_dns_failures_are_one_clear_line() -> None:
    unknown = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    options = FetchOptions(respect_robots=False, backoff=0.0)
    with (
        Fetcher(options, transport=_failing_transport(unknown)) as client,
        pytest.raises(FetchError) as e,
    ):
        client.fetch("https://no-such-host.example/story")
    assert str(e.value) == "DNS lookup failed for no-such-host.example: Name or service not known"
    assert not e.value.transient
    again = socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    assert describe_network_error(httpx.ConnectError("x").with_traceback(None), "h").transient
    chained = httpx.ConnectError("x")
    chained.__cause__ = again
    assert describe_network_error(chained, "h").transient


def test_tls_failures_are_one_clear_line_from_a_mock_transport() -> None:
    bad = ssl.SSLCertVerificationError(1, "certificate verify failed")
    bad.verify_message = "self-signed certificate"
    options = FetchOptions(respect_robots=False)
    with (
        Fetcher(options, transport=_failing_transport(bad)) as client,
        pytest.raises(FetchError) as e,
    ):
        client.fetch("https://news.example/story")
    assert str(e.value) == "TLS certificate of news.example not accepted: self-signed certificate"
    assert not e.value.transient


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[str]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate nobody trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )

    class Quiet(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    class QuietServer(HTTPServer):
        def handle_error(self, request: Any, client_address: Any) -> None:
            pass

    httpd = QuietServer(("127.0.0.1", 0), Quiet)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}/story"
    httpd.shutdown()
    httpd.server_close()


def test_a_real_tls_failure_is_one_clear_line(https_server: str) -> None:
    with (
        Fetcher(FetchOptions(respect_robots=False)) as client,
        pytest.raises(FetchError, match=r"^TLS certificate of 127\.0\.0\.1 not accepted: ") as e,
    ):
        client.fetch(https_server)
    assert "\n" not in str(e.value)


def test_a_refused_connection_is_transient(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = FetchOptions(respect_robots=False, backoff=0.0)
    refused = r"connection refused by 127\.0\.0\.1 \(after 3 attempts\)"
    with (
        Fetcher(options, sleep=sleeps.append) as client,
        pytest.raises(FetchError, match=refused),
    ):
        client.fetch(f"http://127.0.0.1:{port}/story")


# -- ingesting URLs ------------------------------------------------------------------------


def run_ingest(db: str, names: list[str], fetcher: Fetcher, **options: Any) -> Any:
    engine = open_database(db, create=True)
    try:
        with session_scope(engine, writes=True) as session:
            return ingest(session, names, IngestOptions(now=NOW, **options), fetcher=fetcher)
    finally:
        engine.dispose()


def rows(db: str, table: Any) -> list[Any]:
    engine = open_database(db, create=False)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(table)).all())
    finally:
        engine.dispose()


def test_a_url_and_a_file_in_one_run(
    db: str, server: PageServer, fetcher: Fetcher, tmp_path: Path
) -> None:
    server.page("/a/123", ARTICLE)
    saved = tmp_path / "water.html"
    saved.write_text(fixture("opengraph-modified.html"), encoding="utf-8")
    url = server.url("/a/123?utm_source=newsletter")
    report = run_ingest(db, [url, str(saved)], fetcher)
    assert [o.status for o in report.outcomes] == ["new", "new"]
    first = report.outcomes[0]
    assert first.article == "bridge-closure-extended"
    assert first.updated_source == "jsonld:dateModified"
    versions = {row.source: row for row in rows(db, versions_table)}
    assert versions[url].captured_at == NOW  # the fetch time
    assert versions[url].updated_source == "jsonld:dateModified"
    [page] = rows(db, watched_pages_table)
    assert page.url == server.url("/a/123")  # tracking parameters stripped
    assert page.etag and page.checks == 1 and page.failures == 0
    assert page.content_hash == first.content_hash
    [article] = [a for a in rows(db, articles_table) if a.key == first.article]
    assert article.url == "https://news.example/kelvale/2025/06/03/bridge-closure-extended"


def test_ingesting_a_url_again_costs_a_304_and_stores_nothing(
    db: str, server: PageServer, fetcher: Fetcher
) -> None:
    server.page("/a/123", ARTICLE)
    url = server.url("/a/123")
    run_ingest(db, [url], fetcher)
    report = run_ingest(db, [url], fetcher)
    [outcome] = report.outcomes
    assert (outcome.status, outcome.reason, outcome.number) == (
        "duplicate",
        "not modified (HTTP 304)",
        1,
    )
    assert len(rows(db, versions_table)) == 1
    [page] = rows(db, watched_pages_table)
    assert page.checks == 2
    assert server.hits("/a/123")[-1].headers["if-none-match"] == page.etag


def test_an_article_changing_between_requests(
    db: str, server: PageServer, fetcher: Fetcher
) -> None:
    url = server.url("/a/123")
    steps = [
        # (page, expected status, stealth?)
        (ARTICLE, "new", False),
        # Only the "3 minutes ago" widgets and the most-read box moved: a new ETag, same version.
        (
            ARTICLE.replace("3 minutes ago", "9 minutes ago").replace(
                "Ferry timetable", "Bus timetable"
            ),
            "duplicate",
            False,
        ),
        # A new Last Update and a changed number.
        (
            ARTICLE.replace("2025-06-03T14:02:00+01:00", "2025-06-03T15:10:00+01:00").replace(
                "About 14,000 vehicles", "About 16,500 vehicles"
            ),
            "new",
            False,
        ),
        # A stealth edit: same modified time, different text.
        (
            ARTICLE.replace("2025-06-03T14:02:00+01:00", "2025-06-03T15:10:00+01:00")
            .replace("About 14,000 vehicles", "About 16,500 vehicles")
            .replace("more than 30%", "more than 40%"),
            "new",
            True,
        ),
    ]
    for html, status, stealth in steps:
        server.page("/a/123", html)
        [outcome] = run_ingest(db, [url], fetcher).outcomes
        assert (outcome.status, outcome.stealth_edit) == (status, stealth)
    assert len(rows(db, versions_table)) == 3
    # And unchanged since: the 304 path.
    [outcome] = run_ingest(db, [url], fetcher).outcomes
    assert outcome.reason == "not modified (HTTP 304)" and outcome.number == 3


def test_the_fetch_happens_before_the_write_lock_is_taken(
    sqlite_url: str, server: PageServer, fetcher: Fetcher
) -> None:
    """While the page is being fetched, another writer can still write."""
    open_database(sqlite_url, create=True).dispose()
    seen: list[str] = []

    def write_while_fetching(request: Request) -> Answer:
        with sqlite3.connect(sqlite_url, timeout=0.5) as other:
            other.execute("BEGIN IMMEDIATE")
            other.execute(
                "INSERT INTO articles (key, created_at) VALUES ('other', '2025-01-01 00:00:00')"
            )
        seen.append("wrote")
        return Answer(body=ARTICLE.encode())

    server.serve("/a/123", write_while_fetching)
    [outcome] = run_ingest(sqlite_url, [server.url("/a/123")], fetcher).outcomes
    assert outcome.status == "new" and seen == ["wrote"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Answer(body=fixture("no-article.html").encode()), "no article text found in the page"),
        (Answer(body=b"%PDF-1.7", content_type="application/pdf"), "not an HTML page"),
        (Answer(status=302, headers={"Location": "/page"}, etag=False), "redirect loop"),
        (Answer(body=b"<html>" + b"x" * 200_000), "page too large"),
        (Answer(status=404), "HTTP 404 Not Found"),
    ],
)
def test_a_bad_page_stores_nothing(
    sqlite_url: str, server: PageServer, answer: Answer, reason: str
) -> None:
    server.serve("/page", answer)
    with Fetcher(FetchOptions(max_bytes=100_000, backoff=0.0)) as fetcher:
        report = run_ingest(sqlite_url, [server.url("/page")], fetcher)
    [outcome] = report.outcomes
    assert outcome.status == "error" and reason in outcome.reason
    assert rows(sqlite_url, articles_table) == []
    assert rows(sqlite_url, versions_table) == []
    assert rows(sqlite_url, watched_pages_table) == []


def test_a_failure_of_a_known_page_is_counted(
    sqlite_url: str, server: PageServer, fetcher: Fetcher
) -> None:
    server.page("/a/123", ARTICLE)
    run_ingest(sqlite_url, [server.url("/a/123")], fetcher)
    server.serve("/a/123", Answer(status=500))
    [outcome] = run_ingest(sqlite_url, [server.url("/a/123")], fetcher).outcomes
    assert outcome.status == "error"
    [page] = rows(sqlite_url, watched_pages_table)
    assert (page.checks, page.failures) == (2, 1)
    assert page.last_error == "HTTP 500 Internal Server Error (after 3 attempts)"
    server.page("/a/123", ARTICLE)
    run_ingest(sqlite_url, [server.url("/a/123")], fetcher)
    [page] = rows(sqlite_url, watched_pages_table)
    assert (page.checks, page.failures, page.last_error) == (3, 0, None)


def test_a_url_in_a_file_list_is_never_read_as_a_path() -> None:
    with pytest.raises(InputError):
        check_url("file:///etc/passwd")


# -- CLI -----------------------------------------------------------------------------------


def test_cli_ingests_urls_and_files_and_reports_errors_per_input(
    server: PageServer, tmp_path: Path
) -> None:
    db = str(tmp_path / "cli.db")
    server.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    server.page("/a/123", ARTICLE)
    server.page("/private/a", ARTICLE)
    server.serve("/feed", Answer(body=b"{}", content_type="application/json"))
    saved = tmp_path / "library.htm"
    saved.write_text(fixture("no-dates.html"), encoding="utf-8")
    runner = CliRunner()
    args = ["--db", db, "ingest", server.url("/a/123"), str(saved), server.url("/feed")]
    args += [server.url("/private/a"), "file:///etc/passwd", "http://[bad/x"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    errors = result.stderr.splitlines()
    assert errors == [
        f"Error: {server.url('/feed')}: not an HTML page (content type application/json)",
        f"Error: {server.url('/private/a')}: disallowed by robots.txt "
        "(use --ignore-robots to fetch anyway)",
        "Error: file:///etc/passwd: only http and https URLs are fetched, not file://",
        "Error: http://[bad/x: not a valid URL (Invalid IPv6 URL)",
    ]
    assert "2 new, 0 duplicate, 4 failed" in result.stdout
    again = runner.invoke(app, ["--db", db, "ingest", server.url("/a/123"), "--json"])
    assert again.exit_code == 0
    [row] = json.loads(again.stdout)
    assert row["status"] == "duplicate" and row["reason"] == "not modified (HTTP 304)"
    forced = runner.invoke(app, ["--db", db, "ingest", "--ignore-robots", server.url("/private/a")])
    assert forced.exit_code == 0, forced.stderr
    assert "duplicate" in forced.stdout  # the same story as /a/123, already stored


def test_a_tls_failure_stores_nothing(sqlite_url: str, https_server: str) -> None:
    with Fetcher(FetchOptions(respect_robots=False)) as fetcher:
        [outcome] = run_ingest(sqlite_url, [https_server], fetcher).outcomes
    assert outcome.status == "error" and outcome.reason.startswith("TLS certificate of 127.0.0.1")
    assert rows(sqlite_url, versions_table) == []
    assert rows(sqlite_url, watched_pages_table) == []
