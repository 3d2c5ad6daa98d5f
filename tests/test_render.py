"""Tests for the diff renderers: golden outputs, escaping, folding, and patch round trips.

Golden files live in tests/golden/: ``diff.*`` for a story written here to hold every kind
of change (and hostile text), ``sample.*`` for versions 1 and 3 of the Marrowby sample in
data/samples. After an intended change to a renderer, regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_render.py`` and review the git diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from factcheck.article import ParsedArticle
from factcheck.claim_views import Absence, ClaimDetail, ClaimSummary, OccurrenceView
from factcheck.diff import ArticleDiff, diff_articles
from factcheck.render import DiffHeader, folded_runs
from factcheck.render.claims import render_claim
from factcheck.render.html import render_html
from factcheck.render.json import render_json
from factcheck.render.summary import render_summary
from factcheck.render.text import render_styled, render_text
from factcheck.render.unified import render_unified, serialise_article

GOLDEN = Path(__file__).parent / "golden"

# Two hand-written versions of a fictional story. Version 2 changes the headline and two
# numbers, removes one paragraph, adds one, moves the Arabic quote up, edits a paragraph
# full of markup that must never be interpreted, and keeps a run of paragraphs to fold.
OLD = ParsedArticle(
    title="Harbour fire destroys 40 boats at Lanmouth marina",
    standfirst="Firefighters from three stations fought the blaze for more than five hours.",
    read_time="2 min read",
    published_raw="3 March, 2025",
    updated_raw="3 March, 2025 09:15 AM",
    caption="Smoke rises over the east pier on Monday.",
    credit="Lanmouth Gazette",
    body=(
        "A fire that started in a fuel store destroyed 40 boats at Lanmouth marina overnight,"
        " the fire service said.",
        "More than 80% of the east pier was damaged, and 2,500 litres of diesel leaked into"
        " the harbour.",
        'The harbour master, Ilse Barrow, said: "We lost a third of the fleet in one night."',
        "Marina staff said the alarm sounded at 1:40 a.m.",
        "Owners were asked to register damage claims with the council by Friday.",
        "The coastguard closed the harbour entrance to traffic until further notice.",
        "The marina opened in 1987 and has 220 berths, most of them for fishing boats.",
        "Insurers said claims could exceed 3 million euros, a record for the town.",
        "Fishing crews said the loss would cut this season's catch by half.",
        "A charity has opened a fund for crews who lost boats. [bold]Donations[/bold] are"
        " accepted at the harbour office.",
        "Police said there was no sign that the fire had been started deliberately.",
        'One reader posted "<script>alert(1)</script>" under the live blog.',
        'قال أحد الصيادين: "خسرنا كل شيء في ليلة واحدة".',
    ),
)
NEW = ParsedArticle(
    title="Harbour fire destroys 43 boats at Lanmouth marina",
    standfirst=OLD.standfirst,
    read_time=OLD.read_time,
    published_raw=OLD.published_raw,
    updated_raw="3 March, 2025 14:02 PM",
    caption=OLD.caption,
    credit=OLD.credit,
    body=(
        "A fire that started in a fuel store destroyed 43 boats at Lanmouth marina overnight,"
        " the fire service said.",
        "More than 85% of the east pier was damaged, and 2,500 litres of diesel leaked into"
        " the harbour.",
        OLD.body[12],
        *OLD.body[2:4],
        *OLD.body[5:10],
        "Investigators from the regional fire service arrived on Tuesday.",
        OLD.body[10],
        'One reader posted "<script>alert(2)</script>" and " onerror="steal() under the live blog.',
    ),
)
HEADER = DiffHeader(
    article="lanmouth-harbour-fire",
    from_number=1,
    to_number=2,
    from_updated_at="2025-03-03T09:15:00+00:00",
    to_updated_at="2025-03-03T14:02:00+00:00",
    stealth=False,
)


@pytest.fixture(scope="module")
def diff() -> ArticleDiff:
    return diff_articles(OLD, NEW)


def _check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    with path.open(encoding="utf-8", newline="") as stored:
        assert actual == stored.read(), f"{name} differs from golden"


# --- golden outputs ------------------------------------------------------------------------


def test_golden_text_plain(diff: ArticleDiff) -> None:
    _check_golden("diff.txt", render_text(diff, HEADER))


def _tagged(styled: Text) -> str:
    """The styled view with each styled run shown as ``[style]text[/style]``."""
    runs = styled.render(Console(width=10_000, color_system=None))
    return "".join(
        f"[{run.style}]{run.text}[/{run.style}]" if run.style else run.text for run in runs
    )


def test_golden_text_color(diff: ArticleDiff) -> None:
    _check_golden("diff.rich.txt", _tagged(render_styled(diff, HEADER)))


def test_golden_json(diff: ArticleDiff) -> None:
    _check_golden("diff.json", render_json(diff, HEADER))


def test_golden_unified(diff: ArticleDiff) -> None:
    _check_golden("diff.patch", render_unified(diff, HEADER))


def test_golden_html(diff: ArticleDiff) -> None:
    _check_golden("diff.html", render_html(diff, HEADER))


def test_golden_summary(diff: ArticleDiff) -> None:
    _check_golden("summary.txt", render_summary(diff, HEADER) + "\n")


# --- escaping ------------------------------------------------------------------------------


def test_html_escapes_article_text(diff: ArticleDiff) -> None:
    page = render_html(diff, HEADER)
    assert "<script>" not in page
    assert "One reader posted &quot;&lt;script&gt;alert(" in page
    assert '" onerror=' not in page
    assert "&quot; onerror=&quot;steal()" in page


def test_html_escapes_header_values(diff: ArticleDiff) -> None:
    header = DiffHeader('x"><img src=x onerror=alert(1)>', 1, 2)
    page = render_html(diff, header)
    assert "<img" not in page
    assert "&quot;&gt;&lt;img" in page


class _TagChecker(HTMLParser):
    """Collects tags and attribute values; fails on mismatched closing tags."""

    VOID = frozenset({"meta", "br", "img", "link", "input", "hr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()


def test_html_is_self_contained_and_well_formed(diff: ArticleDiff) -> None:
    checker = _TagChecker()
    checker.feed(render_html(diff, HEADER))
    checker.close()
    assert checker.stack == []
    assert not checker.tags & {"script", "link", "img", "iframe"}
    names = {name for name, _ in checker.attributes}
    assert not names & {"src", "href", "onerror", "onload"}
    assert {"del", "ins", "details", "table"} <= checker.tags
    assert ("name", "viewport") in checker.attributes


def _shown(styled: Text) -> str:
    console = Console(record=True, width=200, color_system=None)
    console.print(styled)
    return console.export_text()


def test_styled_view_shows_article_text_as_written(diff: ArticleDiff) -> None:
    shown = _shown(render_styled(diff, HEADER))
    # Struck-through text is not marked in a plain export: both sides show, in op order.
    for paragraph in diff.paragraphs:
        if paragraph.status != "same":
            assert "".join(text for _, text in paragraph.ops) in shown
    assert "[bold]Donations[/bold]" in shown


@pytest.mark.parametrize(
    "tail",
    ["C:\\", "x\\\\", "y\\\\\\", "[b]z\\", ":smile: :warning:", "[/red strike]"],
)
def test_styled_view_keeps_backslashes_brackets_and_emoji_codes(tail: str) -> None:
    words = "The minutes of the council meeting were saved under folder"
    old = ParsedArticle(title="T", body=(f"{words} one {tail}",))
    new = ParsedArticle(title="T", body=(f"{words} two {tail}",))
    result = diff_articles(old, new)
    styled = render_styled(result, HEADER)
    assert styled.plain == render_text(result, HEADER).replace("[-one-]{+two+}", "onetwo")
    assert f"{words} onetwo {tail}" in _shown(styled)


def test_plain_text_has_word_diff_markers(diff: ArticleDiff) -> None:
    text = render_text(diff, HEADER)
    assert "Title: Harbour fire destroys [-40-]{+43+} boats" in text
    assert "More than [-80%-]{+85%+} of the east pier" in text
    assert "Last Update: 3 March, 2025 [-09:15 AM-]{+14:02 PM+}" in text
    assert "[bold]Donations[/bold]" in text


# --- folding, warnings, summary ------------------------------------------------------------


def test_folded_runs() -> None:
    statuses = ["same"] * 3 + ["changed"] + ["same"] * 5 + ["added"]
    assert folded_runs(statuses, 1) == [(False, 0, 2), (True, 2, 5), (False, 5, 8), (True, 8, 10)]
    assert folded_runs(statuses, 0) == [(False, 0, 3), (True, 3, 4), (False, 4, 9), (True, 9, 10)]
    assert folded_runs(["same", "same"], 1) == [(False, 0, 2)]
    assert folded_runs([], 1) == []


def test_text_context_controls_folding() -> None:
    body = tuple(f"Paragraph {n} of a long story about the harbour." for n in range(12))
    old = ParsedArticle(title="T", body=body)
    new = ParsedArticle(title="T", body=(*body[:6], "Paragraph 6 changed.", *body[7:]))
    result = diff_articles(old, new)
    assert "... 5 unchanged paragraphs ..." in render_text(result, HEADER, context=1)
    assert "... 6 unchanged paragraphs ..." in render_text(result, HEADER, context=0)
    assert "unchanged paragraph" not in render_text(result, HEADER, context=10)


def test_text_warnings_come_first() -> None:
    old = ParsedArticle(title="T", body=("The mayor resigned on Monday after a long dispute.",))
    new = ParsedArticle(title="T", body=("Rain is expected over the coast all week long.",))
    result = diff_articles(old, new, timeout=1e-9)
    header = DiffHeader("a", 1, 2, stealth=True)
    lines = render_text(result, header).splitlines()
    assert lines[1].startswith("Stealth edit")
    assert lines[2].startswith("Rewrite")
    assert lines[3].startswith("Timed out")
    assert result.rewrite and result.timed_out
    assert render_summary(result, header).endswith("rewrite; timed out; stealth edit")
    page = render_html(result, header)
    assert "Stealth edit" in page and "Rewrite" in page and "Timed out" in page


def test_summary_variants() -> None:
    body = ("One, two and three.", "Four and five.")
    same = ParsedArticle(title="T", body=body)
    assert render_summary(diff_articles(same, same)) == "no changes"
    punctuation = ParsedArticle(title="T", body=("One, two, and three!", "Four and five."))
    summary = render_summary(diff_articles(same, punctuation), DiffHeader("a", 1, 2, stealth=True))
    assert summary == "+0 \u22120 words, 1 paragraph changed; stealth edit; trivial"
    removed = ParsedArticle(title="T2", body=body[:1])
    assert render_summary(diff_articles(same, removed)) == (
        "+1 \u22123 words, 1 paragraph removed; fields: title"
    )
    moved = ParsedArticle(title="T", body=(*body[::-1], "Six."))
    assert render_summary(diff_articles(same, moved)) == (
        "+1 \u22120 words, 1 paragraph added, 1 moved"
    )


def test_json_round_trip(diff: ArticleDiff) -> None:
    document = json.loads(render_json(diff, HEADER))
    assert set(document) == {
        "article", "from", "to", "stealth", "fields", "paragraphs", "stats", "timed_out",
        "rewrite",
    }  # fmt: skip
    assert document["from"] == {"number": 1, "updated_at": "2025-03-03T09:15:00+00:00"}
    assert document["fields"]["title"] == [
        [0, "Harbour fire destroys "],
        [-1, "40"],
        [1, "43"],
        [0, " boats at Lanmouth marina"],
    ]
    old_body = sorted(
        (p["old_index"], "".join(t for c, t in p["ops"] if c <= 0))
        for p in document["paragraphs"]
        if p["old_index"] is not None
    )
    new_body = sorted(
        (p["new_index"], "".join(t for c, t in p["ops"] if c >= 0))
        for p in document["paragraphs"]
        if p["new_index"] is not None
    )
    assert tuple(t for _, t in old_body) == OLD.body
    assert tuple(t for _, t in new_body) == NEW.body
    assert document["stats"]["fields_changed"] == ["title", "updated"]


# --- unified diffs -------------------------------------------------------------------------


def test_serialise_article_layout() -> None:
    text = serialise_article(OLD)
    lines = text.splitlines()
    assert lines[:9] == [
        OLD.title,
        "",
        OLD.standfirst,
        "2 min read",
        "3 March, 2025",
        "Last Update",
        "3 March, 2025 09:15 AM",
        "Smoke rises over the east pier on Monday. [Lanmouth Gazette]",
        "",
    ]
    assert text.endswith(OLD.body[-1] + "\n")
    assert serialise_article(ParsedArticle(title="T", body=("B",))) == "T\n\nB\n"


def test_unified_diff_of_identical_versions_is_empty() -> None:
    assert render_unified(diff_articles(OLD, OLD), HEADER) == ""


@pytest.mark.skipif(shutil.which("patch") is None, reason="patch is not installed")
def test_unified_diff_applies_with_patch(diff: ArticleDiff, tmp_path: Path) -> None:
    target = tmp_path / "article.txt"
    target.write_text(serialise_article(OLD), encoding="utf-8")
    subprocess.run(
        ["patch", "--quiet", str(target)],
        input=render_unified(diff, HEADER).encode(),
        check=True,
    )
    assert target.read_text(encoding="utf-8") == serialise_article(NEW)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_unified_diff_applies_with_git_apply(diff: ArticleDiff, tmp_path: Path) -> None:
    # For a plain (non-git) patch whose two names differ, git apply patches the new name.
    target = tmp_path / f"{HEADER.article}@{HEADER.to_number}"
    target.write_text(serialise_article(OLD), encoding="utf-8")
    patch_file = tmp_path / "change.patch"
    patch_file.write_text(render_unified(diff, HEADER), encoding="utf-8")
    subprocess.run(["git", "apply", patch_file.name], cwd=tmp_path, check=True)
    assert target.read_text(encoding="utf-8") == serialise_article(NEW)


def test_unified_diff_splits_lines_on_newline_only() -> None:
    old = ParsedArticle(title="T", body=("First\u2028line", "Second"))
    new = ParsedArticle(title="T", body=("First\u2028line", "Second!"))
    patch = render_unified(diff_articles(old, new), HEADER)
    assert " First\u2028line\n" in patch
    assert "-Second\n+Second!\n" in patch


# --- golden outputs on the sample data --------------------------------------------------------


@pytest.fixture(scope="module")
def sample_comparison(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArticleDiff, DiffHeader]:
    """Versions 1 and 3 of the Marrowby sample, as `factcheck diff` compares them."""
    from factcheck.changes import compare
    from factcheck.ingest import IngestOptions, expand_inputs, ingest
    from factcheck.store.db import open_database, session_scope
    from tests.conftest import SAMPLES

    engine = open_database(str(tmp_path_factory.mktemp("golden") / "g.db"), create=True)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with session_scope(engine, writes=True) as session:
        ingest(session, expand_inputs([str(SAMPLES / "marrowby-floods")]), IngestOptions(now=now))
    with session_scope(engine) as session:
        comparison = compare(session, "marrowby-floods-2025", "1", "3")
    engine.dispose()
    return comparison.diff, comparison.header


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("sample.txt", render_text),
        ("sample.rich.txt", lambda d, h: _tagged(render_styled(d, h))),
        ("sample.json", lambda d, h: render_json(d, h) + "\n"),
        ("sample.patch", render_unified),
        ("sample.html", render_html),
        ("sample.summary.txt", lambda d, h: render_summary(d, h) + "\n"),
    ],
)
def test_golden_on_the_samples(
    sample_comparison: tuple[ArticleDiff, DiffHeader],
    name: str,
    render: Callable[[ArticleDiff, DiffHeader], str],
) -> None:
    _check_golden(name, render(*sample_comparison))


# --- one claim's lineage -----------------------------------------------------------------------


def _claim_detail(held: list[int], absences: list[Absence], *, removed: bool) -> ClaimDetail:
    text = "The council will spend 4.5 million euros on roads."
    summary = ClaimSummary(
        7, "budget", "statistic", text, [], "", "unverified", False, removed, False, 1, held[-1]
    )
    occurrences = [
        OccurrenceView(v, datetime(2025, 5, 25, v, tzinfo=UTC), text, [], change, [])
        for v, change in zip(held, ["new", *["same"] * (len(held) - 1)], strict=True)
    ]
    return ClaimDetail(summary, occurrences, [], absences)


def _lineage_cells(detail: ClaimDetail) -> list[tuple[str, str, str, str]]:
    """The lineage table's rows as (version, last update, change, wording), as printed."""
    console = Console(width=200, color_system=None, record=True)
    console.print(render_claim(detail))
    rows = [line for line in console.export_text().splitlines() if line.startswith("\u2502")]
    cells = [tuple(cell.strip() for cell in row.strip("\u2502").split("\u2502")) for row in rows]
    assert all(len(row) == 4 for row in cells)
    return cells  # type: ignore[return-value]


def test_claim_lineage_shows_each_run_of_absence_in_version_order() -> None:
    detail = _claim_detail([1, 2, 6, 8], [Absence(3, 5), Absence(7, 7)], removed=False)
    assert [(v, change, wording) for v, _, change, wording in _lineage_cells(detail)] == [
        ("1", "new", detail.claim.text),
        ("2", "same", detail.claim.text),
        ("3-5", "absent", "absent from versions 3-5"),
        ("6", "same", detail.claim.text),
        ("7", "absent", "absent from version 7"),
        ("8", "same", detail.claim.text),
    ]
    # An absence has no Last Update of its own: the run spans several versions.
    assert [when for _, when, _, _ in _lineage_cells(detail)][2] == ""


def test_claim_lineage_says_from_which_version_a_removed_claim_is_gone() -> None:
    detail = _claim_detail([1, 3], [Absence(2, 2), Absence(4, 40)], removed=True)
    assert [(v, change, wording) for v, _, change, wording in _lineage_cells(detail)][1:] == [
        ("2", "absent", "absent from version 2"),
        ("3", "same", detail.claim.text),
        ("4-40", "removed", "absent from version 4 to the latest (40)"),
    ]
    gone_last = _claim_detail([1, 2], [Absence(3, 3)], removed=True)
    assert _lineage_cells(gone_last)[-1] == (
        "3",
        "",
        "removed",
        "absent from the latest version (3)",
    )
