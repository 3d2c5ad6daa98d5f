#!/usr/bin/env python3
"""Benchmark: bulk ingest and command start-up, against peers measured in the same run.

    python scripts/bench_ingest.py [--versions 10000] [--articles 1000] [--startup-versions 100000]

1. Generates N article versions (about 3 KB each, in the seed's layout, ``Article:``
   headers; each article's versions are successive edits of its first one) as files, and
   ingests them through the real code path (read, decode, parse, hash, identity, dedupe,
   batched insert) into a fresh SQLite file, with claim tracking off and on. The peer is
   raw ``sqlite3.executemany`` of the same rows into the same table in one transaction.
2. Start-up, as whole processes (median of several runs): ``factcheck --help``,
   ``factcheck --version``, ``factcheck versions KEY`` on a database of
   ``--startup-versions`` versions, against ``python -c 'import sqlmodel'``.

Prints medians and ratios. The goals come from the issues: ingest within 5x of raw sqlite3,
and claims costing at most 2x the plain ingest;
``versions`` within 100 ms of the sqlmodel import floor; ``--help``/``--version`` under 150 ms.
"""

from __future__ import annotations

import argparse
import compileall
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from proctime import interleaved_ms

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "council officials said the river rose overnight while residents waited for news of "
    "relief convoys and engineers inspected the damaged bridge near the market square as "
    "rain continued across the district according to the regional authority"
).split()


def paragraph(rng: random.Random, words: int = 60) -> str:
    """Random sentences of 10 to 25 words, one of them with a figure."""
    sentences: list[str] = []
    while words > 0:
        length = min(words, rng.randint(10, 25))
        chosen = [rng.choice(WORDS) for _ in range(length)]
        if not sentences:
            chosen[rng.randrange(length)] = f"{rng.randint(2, 99_999):,} people"
        sentences.append(" ".join(chosen).capitalize() + ".")
        words -= length
    return " ".join(sentences)


def article_text(key: str, number: int, body: list[str], base: datetime) -> str:
    updated = base + timedelta(minutes=37 * number)
    return (
        f"Article: {key}\n\nStory {key} edition {number}\n\n{body[0]}\n2 min read\n"
        f"{base:%d %B, %Y}\nLast Update\n{updated:%d %B, %Y %H:%M} PM\n"
        "A caption for the picture. [Agency]\n\n" + "\n\n".join(body[1:]) + "\n"
    )


def edited(rng: random.Random, body: list[str]) -> list[str]:
    """The next version, edited the way newsrooms edit: a figure changes, a paragraph is
    reworded, added or removed; the rest stays as it was."""
    body = list(body)
    index = rng.randrange(1, len(body))
    choice = rng.random()
    if choice < 0.5:
        body[index] = paragraph(rng)
    elif choice < 0.8 or len(body) < 6:
        body.insert(index, paragraph(rng))
    else:
        del body[index]
    return body


def generate(folder: Path, versions: int, articles: int) -> list[Path]:
    """``versions`` files: each article's versions are successive edits of its first one."""
    rng = random.Random(20250525)
    base = datetime(2025, 5, 25, 9, 0, tzinfo=UTC)
    bodies = [[paragraph(rng, 25)] + [paragraph(rng) for _ in range(8)] for _ in range(articles)]
    paths = []
    for index in range(versions):
        article, number = index % articles, index // articles
        if number:
            bodies[article] = edited(rng, bodies[article])
        path = folder / f"{index:06d}.txt"
        text = article_text(f"story-{article:05d}", number, bodies[article], base)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def cold_caches() -> None:
    # Shared with bench_claims.py, which sits next to this script.
    from bench_claims import cold_caches as forget

    forget()


def bench_factcheck(paths: list[Path], db: Path, claims: bool) -> float:
    from factcheck.ingest import IngestOptions, ingest
    from factcheck.store.db import open_database, session_scope

    engine = open_database(str(db), create=True)
    start = time.perf_counter()
    with session_scope(engine, writes=True) as session:
        options = IngestOptions(now=datetime.now(UTC), track_claims=claims)
        report = ingest(session, [str(p) for p in paths], options)
    # Closing is timed, for both tools: it checkpoints the write-ahead log into the
    # database file, as a command's exit does.
    engine.dispose()
    elapsed = time.perf_counter() - start
    assert not report.failed, report.failed[0]
    return elapsed


def bench_raw(db: Path, rows: list[tuple[object, ...]]) -> float:
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE versions (id INTEGER PRIMARY KEY, article_id INTEGER, title TEXT, "
        "standfirst TEXT, read_time TEXT, published_raw TEXT, published_at TEXT, "
        "updated_raw TEXT, updated_at TEXT, updated_source TEXT, caption TEXT, credit TEXT, "
        "body TEXT, content_hash TEXT, captured_at TEXT, source TEXT, ingested_at TEXT, "
        "UNIQUE (article_id, content_hash))"
    )
    connection.execute("CREATE INDEX ix ON versions (article_id, updated_at)")
    start = time.perf_counter()
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO versions (article_id, title, standfirst, read_time, published_raw, "
        "published_at, updated_raw, updated_at, updated_source, caption, credit, body, "
        "content_hash, captured_at, source, ingested_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - start


def stored_rows(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT article_id, title, standfirst, read_time, published_raw, published_at, "
            "updated_raw, updated_at, updated_source, caption, credit, body, content_hash, "
            "captured_at, source, ingested_at FROM versions"
        ).fetchall()


def big_database(db: Path, versions: int) -> str:
    """A database of ``versions`` versions over 1,000 articles, written with raw inserts."""
    from factcheck.store.db import open_database

    open_database(str(db), create=True).dispose()
    base = datetime(2025, 1, 1, tzinfo=UTC)
    with sqlite3.connect(db) as connection:
        connection.executemany(
            "INSERT INTO articles (id, key, created_at) VALUES (?, ?, ?)",
            [(a, f"story-{a:05d}", "2025-01-01 00:00:00") for a in range(1, 1001)],
        )
        connection.executemany(
            "INSERT INTO versions (article_id, title, standfirst, read_time, published_raw, "
            "updated_raw, updated_at, updated_source, caption, credit, body, content_hash, "
            "source, ingested_at) VALUES (?, ?, '', '', '', ?, ?, 'text', '', '', ?, ?, '', ?)",
            (
                (
                    1 + i % 1000,
                    f"Title {i}",
                    f"{base + timedelta(minutes=i):%d %B %Y %H:%M}",
                    f"{base + timedelta(minutes=i):%Y-%m-%d %H:%M:%S}",
                    "A body paragraph. " * 150,
                    f"{i:064x}",
                    "2025-01-01 00:00:00",
                )
                for i in range(versions)
            ),
        )
    return "story-00042"


def verdict(met: bool) -> str:
    return "OK" if met else "MISSED"


def main() -> None:
    # Time the package as installed, byte-compiled: with PYTHONDONTWRITEBYTECODE set,
    # every process would otherwise recompile it from source.
    compileall.compile_dir(REPO / "factcheck", quiet=1)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=1_000)
    parser.add_argument("--startup-versions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="ingest runs (median is quoted)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = generate(folder, options.versions, options.articles)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        plain, tracked, raw = [], [], []
        for run in range(options.repeat):
            db = folder / f"fc{run}.db"
            # Every run starts with empty per-text caches, as a new process would.
            cold_caches()
            plain.append(bench_factcheck(paths, db, claims=False))
            raw.append(bench_raw(folder / f"raw{run}.db", stored_rows(db)))
            cold_caches()
            tracked.append(bench_factcheck(paths, folder / f"claims{run}.db", claims=True))
        plain_s, tracked_s = statistics.median(plain), statistics.median(tracked)
        raw_s = statistics.median(raw)
        # Verdicts use the median of each run's own ratio: the three timings of a run are
        # taken back to back, while this machine's speed drifts by tens of percent over
        # minutes, which a ratio of separate medians would count as a difference.
        raw_ratios = [p / r for p, r in zip(plain, raw, strict=True)]
        claim_ratios = [t / p for t, p in zip(tracked, plain, strict=True)]
        n = options.versions
        print(f"Ingest of {n:,} versions (~{size / 1024:.1f} KB each), median of {options.repeat}")
        for label, took in (
            ("factcheck ingest, claims off:", plain_s),
            ("factcheck ingest, claims on: ", tracked_s),
            ("raw sqlite3 executemany, 1 txn:", raw_s),
        ):
            print(f"  {label:<32} {took:7.3f} s  {n / took:9,.0f} versions/s")
        for label, ratios, goal, limit in (
            ("claims off vs raw sqlite3", raw_ratios, "within 5x", 5),
            ("claims on vs off", claim_ratios, "at most 2x", 2),
        ):
            ratio = statistics.median(ratios)
            print(
                f"  {label}: {ratio:.2f}x, median of the runs' ratios ({min(ratios):.2f}x to "
                f"{max(ratios):.2f}x) (goal: {goal}) -> {verdict(ratio <= limit)}"
            )

        big = folder / "big.db"
        key = big_database(big, options.startup_versions)
        exe = [sys.executable, "-m", "factcheck"]
        floor, bare, help_ms, version_ms, versions_ms = interleaved_ms(
            [
                [sys.executable, "-c", "import sqlmodel"],
                [sys.executable, "-c", "pass"],
                [*exe, "--help"],
                [*exe, "--version"],
                [*exe, "--db", str(big), "versions", key],
            ]
        )
        size_note = f"database: {options.startup_versions:,} versions"
        print(f"\nStart-up, whole processes, median of 11, run in turns ({size_note})")
        print(f"  python -c pass:            {bare:6.0f} ms")
        print(f"  python -c 'import sqlmodel': {floor:4.0f} ms  (the floor)")
        for label, took in (("--help", help_ms), ("--version", version_ms)):
            goal = verdict(took < 150)
            print(f"  factcheck {label:<10}       {took:6.0f} ms  (goal < 150) -> {goal}")
        extra = versions_ms - floor
        print(
            f"  factcheck versions KEY:    {versions_ms:6.0f} ms  = floor + {extra:.0f} ms "
            f"(goal <= +100) -> {verdict(extra <= 100)}"
        )


if __name__ == "__main__":
    main()
