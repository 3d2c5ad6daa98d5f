#!/usr/bin/env python3
"""Benchmark: watch checks per second against a local server, with a bare httpx peer.

    python scripts/bench_watch.py [--urls 1000] [--floor 600]

A page server runs in a separate process on 127.0.0.1 (so its CPU is not counted), serving
``--urls`` article pages of about 4 KB (JSON-LD ``dateModified``, navigation, a "most read"
box, a relative-time widget). Each page has an ETag and answers ``If-None-Match`` with 304.

Three rounds of one check per URL go through the real code path (``factcheck.watch.watch``
with the sleep replaced, so only the checks are timed; each check is its own transaction on
a fresh SQLite file):

1. first fetch: every page is new (fetch, extract, store, claims);
2. nothing changed: every check is a conditional request answered 304;
3. everything changed: every page has a new Last Update and a changed figure.

The peer is a bare ``httpx.Client`` GET loop over the same URLs in the same run (with
``If-None-Match`` for the 304 round). Printed per round: checks per second, wall and CPU
time per check (``time.process_time``), and the ratio to the peer.

The claim to check: a watcher of 1,000 URLs spends its time waiting on the network, not on
CPU. With the default floor of 10 minutes, 1,000 URLs means at most 1,000 checks per 600 s;
the script prints the CPU share that implies for the unchanged (304) case, which is what a
watcher does almost all the time, and for the worst case where every page changes at once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PARAGRAPHS = [
    "The harbour authority in Kelvale said on Tuesday that {n:,} containers had been held "
    "at the quay since the crane failure, and that repairs would take at least a week.",
    "Shipping agents said the delay was costing importers about £{m:,} a day. A spokesperson "
    "for the authority said more than {p}% of scheduled arrivals had been diverted.",
    '"We are moving as fast as the parts allow," said Orla Venn, the harbour master. "Safety '
    'checks cannot be skipped."',
    "Union representatives said {w} dock workers had been moved to other shifts. Talks with "
    "the crane manufacturer were expected to continue on Wednesday.",
    "The authority said it would publish a revised timetable once engineers had inspected "
    "the second crane, which was also built in 2009.",
]


def page_html(index: int, version: int) -> bytes:
    modified = datetime(2025, 6, 3, 9, 0, tzinfo=UTC) + timedelta(minutes=17 * version)
    body = "\n".join(
        f"<p>{text.format(n=1200 + 37 * version + index, m=40_000 + version, p=30 + version % 50, w=80 + index % 20)}</p>"  # noqa: E501
        for text in PARAGRAPHS
    )
    nav = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(12))
    most_read = "".join(f'<li><a href="/a/{i}">Most read story {i}</a></li>' for i in range(8))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Crane failure strands cargo at Kelvale harbour ({index}) | The Bench Ledger</title>
<link rel="canonical" href="https://bench.example/harbour/{index}">
<meta property="og:site_name" content="The Bench Ledger">
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "Crane failure strands cargo at Kelvale harbour ({index})",
"datePublished": "2025-06-03T08:00:00Z", "dateModified": "{modified:%Y-%m-%dT%H:%M:%SZ}"}}
</script></head>
<body><header><nav><ul>{nav}</ul></nav><div class="ticker">Live <span>4 minutes ago</span></div>
</header><main><article><h1>Crane failure strands cargo at Kelvale harbour ({index})</h1>
<p class="standfirst">Repairs to the main crane will take at least a week, the harbour
authority said.</p><div class="body">{body}</div></article>
<aside class="most-read"><h2>Most read</h2><ol>{most_read}</ol></aside></main>
<footer><p>The Bench Ledger, all rights reserved.</p></footer></body></html>""".encode()


def serve(port_queue: multiprocessing.Queue[int]) -> None:
    version = [0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            # Headers and body go out as two writes; without this, Nagle's algorithm and
            # the client's delayed ACK add 40 ms to every response with a body.
            self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def do_GET(self) -> None:
            if self.path == "/_bump":
                version[0] += 1
                self._send(200, b"ok", "text/plain", None)
                return
            if not self.path.startswith("/a/"):
                self._send(404, b"", "text/plain", None)
                return
            index = int(self.path.removeprefix("/a/"))
            tag = f'"{index}-{version[0]}"'
            if self.headers.get("If-None-Match") == tag:
                self._send(304, b"", None, tag)
                return
            self._send(200, page_html(index, version[0]), "text/html; charset=utf-8", tag)

        def _send(self, status: int, body: bytes, kind: str | None, tag: str | None) -> None:
            self.send_response(status)
            if kind:
                self.send_header("Content-Type", kind)
            if tag:
                self.send_header("ETag", tag)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


@dataclass
class Round:
    name: str
    checks: int
    wall: float
    cpu: float

    @property
    def per_second(self) -> float:
        return self.checks / self.wall

    @property
    def wall_ms(self) -> float:
        return 1000 * self.wall / self.checks

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.cpu / self.checks


def timed(name: str, count: int, work: object) -> Round:
    wall, cpu = time.perf_counter(), time.process_time()
    work()  # type: ignore[operator]
    return Round(name, count, time.perf_counter() - wall, time.process_time() - cpu)


def watch_round(engine: object, urls: list[str], fetcher: object, expect: str) -> None:
    from factcheck.ingest import IngestOptions
    from factcheck.watch import Check, WatchOptions, watch

    statuses: dict[str, int] = {}

    def count(check: Check) -> None:
        statuses[check.status] = statuses.get(check.status, 0) + 1

    watch(
        engine,  # type: ignore[arg-type]
        urls,
        IngestOptions(now=datetime.now(UTC)),
        WatchOptions(floor=60, max_checks=1),
        on_check=count,
        fetcher=fetcher,  # type: ignore[arg-type]
        sleep=lambda _seconds: None,
    )
    if statuses != {expect: len(urls)}:
        raise SystemExit(f"expected every check to be {expect!r}, got {statuses}")


def peer_round(urls: list[str], etags: dict[str, str] | None) -> dict[str, str]:
    import httpx

    found: dict[str, str] = {}
    with httpx.Client(headers={"User-Agent": "bench"}) as client:
        for url in urls:
            headers = {"If-None-Match": etags[url]} if etags else {}
            response = client.get(url, headers=headers)
            response.read()
            found[url] = response.headers.get("etag", "")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--floor", type=float, default=600.0, help="watch --every, seconds")
    args = parser.parse_args()

    import httpx

    from factcheck.fetch import Fetcher, FetchOptions
    from factcheck.store.db import open_database

    queue: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(queue,), daemon=True)
    server.start()
    base = f"http://127.0.0.1:{queue.get(timeout=10)}"
    urls = [f"{base}/a/{i}" for i in range(args.urls)]
    print(f"{args.urls} URLs on {base}; server in pid {server.pid}")

    rounds: list[tuple[Round, Round]] = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_database(str(Path(tmp) / "bench.db"), create=True)
        fetcher = Fetcher(FetchOptions(respect_robots=False, retries=0))
        try:
            peer_first = timed("peer", len(urls), lambda: peer_round(urls, None))
            first = timed(
                "first fetch", len(urls), lambda: watch_round(engine, urls, fetcher, "new")
            )
            rounds.append((first, peer_first))
            etags = peer_round(urls, None)
            peer_304 = timed("peer", len(urls), lambda: peer_round(urls, etags))
            same = timed(
                "nothing changed (304)",
                len(urls),
                lambda: watch_round(engine, urls, fetcher, "not-modified"),
            )
            rounds.append((same, peer_304))
            httpx.get(f"{base}/_bump")
            peer_new = timed("peer", len(urls), lambda: peer_round(urls, None))
            changed = timed(
                "everything changed",
                len(urls),
                lambda: watch_round(engine, urls, fetcher, "new"),
            )
            rounds.append((changed, peer_new))
        finally:
            fetcher.close()
            engine.dispose()
            server.terminate()

    print()
    header = f"{'round':<24}{'checks/s':>10}{'wall ms':>10}{'CPU ms':>9}"
    header += f"{'peer/s':>9}{'peer CPU ms':>13}{'wall ratio':>12}"
    print(header)
    for mine, peer in rounds:
        print(
            f"{mine.name:<24}{mine.per_second:>10.1f}{mine.wall_ms:>10.2f}{mine.cpu_ms:>9.2f}"
            f"{peer.per_second:>9.0f}{peer.cpu_ms:>13.2f}{mine.wall / peer.wall:>11.1f}x"
        )

    same, changed = rounds[1][0], rounds[2][0]
    floor = args.floor
    print()
    print(f"A watcher of 1,000 URLs at a floor of {floor:g} s makes at most 1,000 checks per")
    print(f"{floor:g} s. The CPU that costs, from the per-check figures above:")
    shares = {}
    for label, measured in (("all unchanged (304)", same), ("all changed at once", changed)):
        cpu_seconds = measured.cpu_ms  # 1,000 checks x (cpu_ms / 1,000) s
        shares[label] = cpu_seconds / floor
        print(
            f"  {label:<21} {cpu_seconds:6.1f} s of CPU per {floor:g} s "
            f"= {100 * shares[label]:4.1f}% of one core"
        )
    rtt = 0.2
    waiting = rtt / (rtt + same.cpu_ms / 1000)
    print(
        f"With a {1000 * rtt:.0f} ms network round trip, {100 * waiting:.0f}% of a 304 check's "
        "time is spent waiting on the network."
    )
    holds = shares["all unchanged (304)"] < 0.05 and waiting > 0.9
    print(
        "Holds: the watcher waits on the network, not on CPU."
        if holds
        else "Does NOT hold: an unchanged check costs too much CPU for 1,000 URLs."
    )


if __name__ == "__main__":
    main()
