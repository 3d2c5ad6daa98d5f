"""Benchmark the factcheck diff engine against its peers on the same inputs.

Inputs:
- ``sample:*``: consecutive versions of each story under data/samples/ (seed layout), or a
  generated 3 KB article with realistic edits when there are no samples;
- ``long 100KB``: a generated long read with about one edit per 2 KB;
- ``rewrite 3KB``: two unrelated generated 3 KB articles;
- ``long 1MB`` with ``--big``.

Methods, all timed in this process except git:
- ``factcheck``: ``diff_articles`` on the default path (the C++ ``diff_main`` when installed);
- ``fc-pure``: the same with FACTCHECK_PURE_DIFF=1;
- ``difflib``: ``difflib.SequenceMatcher().get_opcodes()`` on the same tokens of the whole
  text, with the default autojunk (without it, 100 KB takes minutes: it is quadratic in the
  repeated tokens);
- ``cpp-words``: ``fast_diff_match_patch.diff`` on the whole text in token mode (the same
  one-character-per-token encoding), with the same time limit and semantic cleanup;
- ``git``: ``git diff --no-index --word-diff=porcelain`` on two temp files, as a whole process.

Prints medians in ms, ratios of factcheck to each peer, and whether each goal holds.
Run: ``python scripts/bench_diff.py [--big] [--repeat N]``.
"""

from __future__ import annotations

import argparse
import compileall
import difflib
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from proctime import interleaved_ms

from factcheck import diff as fcdiff
from factcheck.article import ParsedArticle
from factcheck.render.unified import serialise_article

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"

_FUNCTION_WORDS = (
    "the of and to in a is that for on was with as by at from said has have had been were "
    "are be not no more than about after before while also would could will may"
).split()
_SYLLABLES = "ka lo mi ren sta vel dor pa qui ton mar es lin gre bo shu ant cor ri del".split()


def _vocabulary(rng: random.Random, size: int = 4_000) -> list[str]:
    """Function words first, then made-up content words: drawn with Zipf weights below,
    this gives the repetition profile of real prose (many repeats, a long tail)."""
    words = list(_FUNCTION_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


_RNG = random.Random(20250525)
_VOCABULARY = _vocabulary(_RNG)
_WEIGHTS = [1 / rank for rank in range(1, len(_VOCABULARY) + 1)]


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_VOCABULARY, _WEIGHTS, k=rng.randint(8, 24))
    if rng.random() < 0.5:
        number = rng.choice(
            [str(rng.randint(2, 999)), f"{rng.randint(1, 99)}%", f"{rng.randint(1, 9)},000"]
        )
        words.insert(rng.randint(0, len(words)), number)
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))


def _article(rng: random.Random, size: int) -> ParsedArticle:
    body: list[str] = []
    while sum(len(p) + 2 for p in body) < size:
        body.append(_paragraph(rng))
    return ParsedArticle(
        title=_sentence(rng).rstrip("."),
        standfirst=_sentence(rng),
        read_time="3 min read",
        published_raw="25 May, 2025",
        updated_raw="25 May, 2025 17:11 PM",
        body=tuple(body),
    )


def _edit(rng: random.Random, article: ParsedArticle, every: int) -> ParsedArticle:
    """One edit per ``every`` characters: a word swapped, a number changed, a sentence
    added, a paragraph dropped or a paragraph inserted."""
    body = list(article.body)
    edits = max(1, sum(len(p) for p in body) // every)
    for _ in range(edits):
        index = rng.randrange(len(body))
        kind = rng.random()
        if kind < 0.4:
            words = body[index].split(" ")
            words[rng.randrange(len(words))] = rng.choices(_VOCABULARY, _WEIGHTS)[0]
            body[index] = " ".join(words)
        elif kind < 0.6:
            body[index] = body[index].replace("%", "5%", 1) + " " + str(rng.randint(2, 99))
        elif kind < 0.8:
            body[index] = body[index] + " " + _sentence(rng)
        elif kind < 0.9 and len(body) > 2:
            del body[index]
        else:
            body.insert(index, _paragraph(rng))
    return ParsedArticle(
        title=article.title + " as toll rises",
        standfirst=article.standfirst,
        read_time=article.read_time,
        published_raw=article.published_raw,
        updated_raw="25 May, 2025 21:48 PM",
        body=tuple(body),
    )


def _parse(text: str) -> ParsedArticle:
    try:
        from factcheck.parse.text import parse_article
    except ImportError:  # the parser is optional here: fall back to a plain split
        blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
        return ParsedArticle(title=blocks[0], body=tuple(blocks[1:]))
    return parse_article(text)


def inputs(big: bool) -> list[tuple[str, ParsedArticle, ParsedArticle, str, str]]:
    """(name, old, new, old text, new text) for every benchmarked pair."""
    rng = _RNG
    pairs: list[tuple[str, ParsedArticle, ParsedArticle, str, str]] = []
    stories = sorted(p for p in SAMPLES.iterdir() if p.is_dir()) if SAMPLES.is_dir() else []
    for story in stories:
        texts = [f.read_text(encoding="utf-8") for f in sorted(story.glob("*.txt"))]
        for number, (a, b) in enumerate(itertools.pairwise(texts), start=1):
            name = f"sample:{story.name[:10]}{number}"
            pairs.append((name, _parse(a), _parse(b), a, b))
    if not pairs:
        old = _article(rng, 3_000)
        new = _edit(rng, old, 600)
        pairs.append(("gen 3KB", old, new, serialise_article(old), serialise_article(new)))
    sizes = [("long 100KB", 100_000)] + ([("long 1MB", 1_000_000)] if big else [])
    for name, size in sizes:
        old = _article(rng, size)
        new = _edit(rng, old, 2_000)
        pairs.append((name, old, new, serialise_article(old), serialise_article(new)))
    old, new = _article(rng, 3_000), _article(rng, 3_000)
    pairs.append(("rewrite 3KB", old, new, serialise_article(old), serialise_article(new)))
    return pairs


def _median_ms(run: Callable[[], object], budget: float, min_runs: int) -> float:
    run()  # warm up: imports, regex caches
    times: list[float] = []
    deadline = time.perf_counter() + budget
    while len(times) < min_runs or (time.perf_counter() < deadline and len(times) < 200):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _factcheck(old: ParsedArticle, new: ParsedArticle, pure: bool) -> Callable[[], object]:
    def run() -> object:
        if pure:
            os.environ["FACTCHECK_PURE_DIFF"] = "1"
        try:
            return fcdiff.diff_articles(old, new)
        finally:
            os.environ.pop("FACTCHECK_PURE_DIFF", None)

    return run


def _difflib(a: str, b: str) -> Callable[[], object]:
    def run() -> object:
        matcher = difflib.SequenceMatcher(None, fcdiff.tokenize(a), fcdiff.tokenize(b))
        return matcher.get_opcodes()

    return run


def _cpp_words(a: str, b: str) -> Callable[[], object] | None:
    try:
        import fast_diff_match_patch
    except ImportError:
        return None

    def run() -> object:
        (encoded_a, encoded_b), _ = fcdiff._encode([fcdiff.tokenize(a), fcdiff.tokenize(b)])
        return fast_diff_match_patch.diff(
            encoded_a,
            encoded_b,
            timelimit=fcdiff.DIFF_TIMEOUT,
            checklines=False,
            cleanup="Semantic",
        )

    return run


def _git(a: str, b: str, folder: Path) -> Callable[[], object] | None:
    git = shutil.which("git")
    if git is None:
        return None
    old, new = folder / "old.txt", folder / "new.txt"
    old.write_text(a, encoding="utf-8")
    new.write_text(b, encoding="utf-8")
    command = [git, "diff", "--no-index", "--word-diff=porcelain", str(old), str(new)]

    def run() -> object:
        # Exit status 1 means "differences found".
        return subprocess.run(command, capture_output=True, check=False)

    return run


def main() -> int:
    # Time the package as installed, byte-compiled: with PYTHONDONTWRITEBYTECODE set,
    # every process would otherwise recompile it from source.
    compileall.compile_dir(REPO / "factcheck", quiet=1)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="add a 1 MB long read")
    parser.add_argument("--budget", type=float, default=0.6, help="seconds per method/input")
    parser.add_argument("--repeat", type=int, default=5, help="minimum runs per measurement")
    args = parser.parse_args()

    methods = ["factcheck", "fc-pure", "difflib", "cpp-words", "git"]
    rows: list[tuple[str, dict[str, float]]] = []
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, old, new, text_a, text_b in inputs(args.big):
            result = fcdiff.diff_articles(old, new)
            if result.timed_out:
                notes.append(f"{name}: factcheck timed out")
            if result.rewrite:
                notes.append(f"{name}: reported as a rewrite")
            runners: dict[str, Callable[[], object] | None] = {
                "factcheck": _factcheck(old, new, pure=False),
                "fc-pure": _factcheck(old, new, pure=True),
                "difflib": _difflib(text_a, text_b),
                "cpp-words": _cpp_words(text_a, text_b),
                "git": _git(text_a, text_b, Path(tmp)),
            }
            if len(text_a) > 300_000:  # difflib on words is quadratic here: minutes
                runners["difflib"] = None
            medians = {
                method: _median_ms(run, args.budget, args.repeat)
                for method, run in runners.items()
                if run is not None
            }
            rows.append((name, medians))
            print(f"measured {name}", file=sys.stderr)

    header = f"{'input':<22}" + "".join(f"{m:>11}" for m in methods)
    header += "".join(f"{'fc/' + m:>14}" for m in ("difflib", "cpp-words", "git"))
    print(header)
    for name, medians in rows:
        line = f"{name:<22}" + "".join(
            f"{medians[m]:>11.2f}" if m in medians else f"{'-':>11}" for m in methods
        )
        for peer in ("difflib", "cpp-words", "git"):
            ratio = medians["factcheck"] / medians[peer] if peer in medians else None
            line += f"{ratio:>14.2f}" if ratio is not None else f"{'-':>14}"
        print(line)

    def holds(peer: str, factor: float, only: Callable[[str], bool]) -> str:
        checked = [(n, m) for n, m in rows if peer in m and only(n)]
        if not checked:
            return "not measured"
        failing = [n for n, m in checked if m["factcheck"] > factor * m[peer]]
        return "yes" if not failing else "no (" + ", ".join(failing) + ")"

    print()
    print("factcheck >= as fast as difflib on every input:", holds("difflib", 1, lambda n: True))
    print("factcheck within 3x of C++ word mode:", holds("cpp-words", 3, lambda n: True))
    small = lambda n: n.startswith(("sample", "gen 3KB"))  # noqa: E731
    print("3 KB pair diff <= git diff whole process:", holds("git", 1, small))
    for note in notes:
        print("note:", note)
    _whole_command()
    return 0


def _whole_command() -> None:
    """``factcheck diff`` as a whole process against the import floor, in the same run."""
    samples = REPO / "data" / "samples"
    if not samples.is_dir():
        print("whole-process diff: no data/samples, skipped")
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        factcheck = [sys.executable, "-m", "factcheck", "--db", db]
        subprocess.run([*factcheck, "ingest", str(samples)], check=True, capture_output=True)
        floor, command = interleaved_ms(
            [
                [sys.executable, "-c", "import sqlmodel"],
                [*factcheck, "diff", "marrowby-floods-2025", "1", "2"],
            ]
        )
    extra = command - floor
    print()
    print(f"python -c 'import sqlmodel' (the floor): {floor:.0f} ms")
    print(f"factcheck diff KEY 1 2 (whole process): {command:.0f} ms = floor + {extra:.0f} ms")
    print("factcheck diff within 100 ms of the floor:", "yes" if extra <= 100 else "no")


if __name__ == "__main__":
    raise SystemExit(main())
