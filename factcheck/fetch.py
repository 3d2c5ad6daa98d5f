"""Fetching article pages over HTTP(S) with httpx. No database.

Policy, in the order a request meets it:

- **Scheme.** Only ``http`` and ``https`` URLs with a host are fetched; ``file://``,
  ``ftp://``, ``data:`` and the rest are refused before anything is sent.
- **robots.txt.** Fetched once per site and kept for ``robots_ttl`` seconds; the page is
  refused when the rules for the ``factcheck`` agent disallow it. Following RFC 9309, a
  missing robots.txt (any 4xx) allows everything, while a robots.txt that cannot be read
  (5xx, network error) allows nothing for now: the check fails as a transient error and is
  tried again later. ``respect_robots=False`` (``--ignore-robots``) skips all of this.
- **Identity.** Every request names factcheck, its version and a project URL in the
  User-Agent, so a site can see who is polling it and block it in robots.txt.
- **Conditional requests.** Given the ETag and Last-Modified of the previous fetch, the
  request carries ``If-None-Match`` and ``If-Modified-Since``; a ``304 Not Modified`` costs
  no body and no parsing.
- **Timeouts.** ``timeout`` bounds each network step (connect, each read); ``deadline``
  bounds the whole response, so a server that drips a byte at a time is cut off too.
- **Retries.** A 5xx answer, a timeout, a refused or dropped connection, or a temporary DNS
  failure is retried up to ``retries`` times, waiting ``backoff`` seconds and doubling the
  wait each time. A 4xx answer, a TLS failure, an unknown host and every content problem
  below are final at once.
- **Content.** Redirects are followed up to ``max_redirects`` (more is reported as a
  redirect loop). The answer must be HTML (``text/html`` or ``application/xhtml+xml``; with
  no Content-Type the bytes must look like HTML). It is streamed and abandoned as soon as it
  exceeds ``max_bytes`` (after decompression, so a small gzip bomb is caught too). A
  robots.txt is read up to 512 KiB and the rest ignored, as RFC 9309 allows.

Every failure is a ``FetchError`` (an ``InputError``) whose message is one line, suitable
for ``Error: <url>: <message>``; ``transient`` says whether trying later may help.

The clock and sleep are injectable, so tests run without waiting for real.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from factcheck import __version__
from factcheck.errors import InputError

if TYPE_CHECKING:
    from urllib.robotparser import RobotFileParser

    import httpx

PROJECT_URL = "https://factcheck.example/about/crawler"
USER_AGENT = f"factcheck/{__version__} (+{PROJECT_URL})"
ROBOTS_AGENT = "factcheck"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ROBOTS_MAX_BYTES = 512 * 1024

_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_EAI_AGAIN = getattr(socket, "EAI_AGAIN", -3)


class FetchError(InputError):
    """A page that could not be fetched; ``transient`` when a later try may succeed."""

    def __init__(self, message: str, *, transient: bool = False, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0
    deadline: float = 60.0
    retries: int = 2
    backoff: float = 1.0
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 10
    respect_robots: bool = True
    robots_ttl: float = 3600.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """One answer: the page's bytes (empty for a 304) and what the next request needs."""

    url: str
    final_url: str
    status: int
    body: bytes
    charset: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def is_url(name: str) -> bool:
    """True for anything written as ``scheme://...`` (so ``file://`` is refused as a URL
    rather than read as a file name)."""
    return "://" in name and _URL_SCHEME.match(name) is not None


def check_url(url: str) -> str:
    """The URL, if factcheck may fetch it; ``FetchError`` otherwise."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - parsing the port is what rejects "http://host:x/"
    except ValueError as error:
        raise FetchError(f"not a valid URL ({error})") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"}:
        raise FetchError(f"only http and https URLs are fetched, not {scheme or 'this'}://")
    if not parts.hostname:
        raise FetchError("the URL has no host")
    import httpx

    try:
        httpx.URL(url.strip())  # what the fetch itself will parse: IDNA hosts, control characters
    except httpx.InvalidURL as error:
        raise FetchError(f"not a valid URL ({error})") from None
    return url.strip()


class Fetcher:
    """A reusable HTTP client with factcheck's fetch policy (see the module docstring).

    One ``Fetcher`` keeps its connections and robots.txt rules between fetches, so a
    watcher checking many pages reuses both. Close it, or use it as a context manager.
    """

    def __init__(
        self,
        options: FetchOptions | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        self.options = options or FetchOptions()
        self._clock = clock
        self._now = now
        self._sleep = sleep
        self._robots: dict[str, tuple[float, RobotFileParser | None]] = {}
        timeout = httpx.Timeout(self.options.timeout)
        self._client = httpx.Client(
            headers={
                "User-Agent": self.options.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            },
            timeout=timeout,
            # Redirects are followed in ``_get``, one hop at a time, so that each new URL is
            # held to robots.txt as the first one was.
            follow_redirects=False,
            transport=transport,
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public -------------------------------------------------------------------------

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """GET one page under the policy; a 304 comes back as ``Fetched(status=304)``."""
        url = check_url(url)
        if self.options.respect_robots:
            self._check_robots(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._with_retries(
            lambda: self._get(url, headers, self.options.max_bytes, robots=False)
        )

    # -- one request --------------------------------------------------------------------

    def _with_retries(self, attempt: Callable[[], Fetched]) -> Fetched:
        tries = self.options.retries + 1
        for number in range(1, tries + 1):
            try:
                fetched = attempt()
            except FetchError as error:
                if not error.transient:
                    raise
                if number == tries:
                    suffix = f" (after {tries} attempts)" if tries > 1 else ""
                    raise FetchError(
                        f"{error}{suffix}", transient=True, status=error.status
                    ) from None
                self._sleep(self.options.backoff * 2 ** (number - 1))
            else:
                return replace(fetched, attempts=number)
        raise AssertionError("unreachable")  # pragma: no cover

    def _get(self, url: str, headers: dict[str, str], limit: int, *, robots: bool) -> Fetched:
        started = self._clock()
        request = self._client.build_request("GET", url, headers=headers)
        for hop in range(self.options.max_redirects + 1):
            try:
                with self._one_line_errors(request):
                    response = self._client.send(request, stream=True)
                    try:
                        if response.next_request is None:
                            return self._read(response, url, started, limit, robots=robots)
                        request = response.next_request
                    finally:
                        response.close()
            except FetchError as error:
                if not hop:
                    raise
                raise FetchError(
                    f"{error} (after a redirect to {request.url})",
                    transient=error.transient,
                    status=error.status,
                ) from None
            if hop == self.options.max_redirects:
                break
            self._check_redirect(str(request.url), robots=robots)
        raise FetchError(f"redirect loop (more than {self.options.max_redirects} redirects)")

    def _check_redirect(self, target: str, *, robots: bool) -> None:
        """Hold a redirect's target to the rules of a first URL: http(s), and robots.txt for
        pages. A robots.txt that cannot be read there fails this fetch for good: retrying
        the page would only read it again."""
        if not target.startswith(("http://", "https://")):
            raise FetchError("redirected to a URL that is not http or https")
        if robots or not self.options.respect_robots:
            return
        try:
            self._check_robots(target)
        except FetchError as error:
            raise FetchError(
                f"{error} (after a redirect to {target})", status=error.status
            ) from None

    @contextmanager
    def _one_line_errors(self, request: httpx.Request) -> Iterator[None]:
        """Turn httpx's failures while sending ``request`` or reading its answer into a
        one-line ``FetchError``."""
        import httpx

        try:
            yield
        except httpx.TimeoutException:
            raise FetchError(
                f"timed out (no answer within {self.options.timeout:g} s)", transient=True
            ) from None
        except httpx.DecodingError:
            raise FetchError(
                "the page does not decode as its Content-Encoding header says"
            ) from None
        except httpx.TransportError as error:
            raise describe_network_error(error, request.url.host or str(request.url)) from None

    def _read(
        self,
        response: httpx.Response,
        url: str,
        started: float,
        limit: int,
        *,
        robots: bool,
    ) -> Fetched:
        """Check the answer and read its body; a robots.txt is cut at ``limit``, a page
        over it is refused."""
        status = response.status_code
        final_url = str(response.url)
        etag = response.headers.get("etag")
        last_modified = response.headers.get("last-modified")
        if status == 304:
            return self._result(url, final_url, status, b"", None, etag, last_modified)
        if status >= 500:
            raise FetchError(
                f"HTTP {status} {response.reason_phrase}", transient=True, status=status
            )
        if status >= 400:
            raise FetchError(f"HTTP {status} {response.reason_phrase}", status=status)
        if status != 200:
            raise FetchError(f"unexpected HTTP {status} {response.reason_phrase}", status=status)
        content_type = response.headers.get("content-type", "")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if not robots and media_type and media_type not in HTML_TYPES:
            raise FetchError(f"not an HTML page (content type {media_type})")
        declared = response.headers.get("content-length", "")
        if not robots and declared.isdigit() and int(declared) > limit:
            raise FetchError(f"page too large ({int(declared):,} bytes; the limit is {limit:,})")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                if robots:
                    chunks.append(chunk[: limit - size + len(chunk)])
                    break
                raise FetchError(f"page too large (over the limit of {limit:,} bytes)")
            if self._clock() - started > self.options.deadline:
                raise FetchError(
                    f"timed out (page not received within {self.options.deadline:g} s)",
                    transient=True,
                )
            chunks.append(chunk)
        body = b"".join(chunks)
        if not robots and not media_type:
            from factcheck.parse.html import looks_like_html

            if not looks_like_html(body):
                raise FetchError("not an HTML page (no content type, and not HTML)")
        return self._result(
            url, final_url, status, body, response.charset_encoding, etag, last_modified
        )

    def _result(
        self,
        url: str,
        final_url: str,
        status: int,
        body: bytes,
        charset: str | None,
        etag: str | None,
        last_modified: str | None,
    ) -> Fetched:
        return Fetched(
            url=url,
            final_url=final_url,
            status=status,
            body=body,
            charset=charset,
            etag=etag,
            last_modified=last_modified,
            fetched_at=self._now(),
        )

    # -- robots.txt ---------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        cached = self._robots.get(origin)
        if cached is None or self._clock() - cached[0] > self.options.robots_ttl:
            cached = (self._clock(), self._load_robots(origin))
            self._robots[origin] = cached
        rules = cached[1]
        if rules is not None and not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("disallowed by robots.txt (use --ignore-robots to fetch anyway)")

    def _load_robots(self, origin: str) -> RobotFileParser | None:
        """The site's rules, or None when it has no robots.txt (everything allowed)."""
        from urllib.robotparser import RobotFileParser

        robots_url = f"{origin}/robots.txt"
        try:
            fetched = self._with_retries(
                lambda: self._get(robots_url, {}, ROBOTS_MAX_BYTES, robots=True)
            )
        except FetchError as error:
            if error.status is None:
                raise  # the site itself is unreachable: say so, not "robots.txt"
            if 400 <= error.status < 500:
                return None
            raise FetchError(
                f"robots.txt could not be read ({error}); not fetching until it can "
                "(or use --ignore-robots)",
                transient=True,
                status=error.status,
            ) from None
        rules = RobotFileParser(robots_url)
        rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        rules.modified()  # can_fetch() answers False for rules it thinks were never read
        return rules


def describe_network_error(error: BaseException, host: str) -> FetchError:
    """One clear line for a failure below HTTP: DNS, TLS, refused or dropped connections."""
    import ssl

    cause = _root_cause(error)
    if isinstance(cause, ssl.SSLCertVerificationError):
        reason = cause.verify_message or cause.reason or "certificate verify failed"
        return FetchError(f"TLS certificate of {host} not accepted: {reason}")
    if isinstance(cause, ssl.SSLError):
        return FetchError(f"TLS failure with {host}: {cause.reason or cause}")
    if isinstance(cause, socket.gaierror):
        detail = cause.strerror or str(cause)
        transient = cause.errno == _EAI_AGAIN
        return FetchError(f"DNS lookup failed for {host}: {detail}", transient=transient)
    if isinstance(cause, ConnectionRefusedError):
        return FetchError(f"connection refused by {host}", transient=True)
    if isinstance(cause, ConnectionResetError):
        return FetchError(f"connection reset by {host}", transient=True)
    text = str(error) or type(error).__name__
    return FetchError(f"network error talking to {host}: {text}", transient=True)


def _root_cause(error: BaseException) -> Any:
    """The innermost exception of a chain, stopping early at a DNS, TLS or socket error."""
    import ssl

    seen: set[int] = set()
    current: BaseException | None = error
    last: BaseException = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (ssl.SSLError, socket.gaierror, ConnectionError)):
            return current
        last = current
        current = current.__cause__ or current.__context__
    return last
