"""The report page: its content, escaping of hostile article text, self-containment, and a
real browser (headless Chromium) that renders it and takes the docs screenshot."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.claim_views import Absence, ClaimDetail, ClaimSummary, list_claims
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.render.report import render_report
from factcheck.report import ArticleReport, build_report
from factcheck.review import mark
from factcheck.store.db import open_database, session_scope
from tests.conftest import REPO
from tests.test_export import build, run

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
SCREENSHOT = REPO / "docs" / "report.png"
SCREEN = (1100, 1500)
PHONE = (390, 844)

# Attacks in every place article, claim and review text reaches the page.
SCRIPT = '<script>document.body.setAttribute("data-pwned", "script")</script>'
ATTRIBUTE = "\" onerror=\"document.body.setAttribute('data-pwned', 'attribute')\" x=\""
IMAGE = "<img src=x onerror=\"document.body.setAttribute('data-pwned', 'img')\">"
HOSTILE_SOURCE = 'https://evil.example/x"onmouseover="alert(1)'

HOSTILE = """\
Article: hostile-page
URL: https://news.example/hostile-page

Fire at {script} harbour warehouse

Crews fought the fire {attribute} through the night.
25 May, 2025
Last Update
{updated}

Police said {count} people were hurt {image} in the fire at the warehouse.

The fire service said more than 80% of the building was destroyed.

{extra}
"""

# The element types a report may contain; anything else (script, img, link, iframe, svg,
# object, embed, audio, video, source, base, form...) would be a bug or an injection.
ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "p", "h1", "h2", "h3",
    "h4", "ul", "ol", "li", "nav", "a", "main", "section", "span", "time", "table", "thead",
    "tbody", "tr", "th", "td", "del", "ins", "details", "summary", "article", "blockquote",
    "br", "code", "footer",
}  # fmt: skip


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of <style>."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.style = ""
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data

    def tags(self) -> set[str]:
        return {tag for tag, _ in self.elements}

    def with_class(self, tag: str, name: str) -> list[dict[str, str | None]]:
        return [
            attrs
            for found, attrs in self.elements
            if found == tag and name in (attrs.get("class") or "").split()
        ]

    def count(self, tag: str) -> int:
        return sum(found == tag for found, _ in self.elements)


def hostile_db(folder: Path) -> str:
    db = str(folder / "hostile.db")
    first, second = folder / "v1.txt", folder / "v2.txt"
    values = {"script": SCRIPT, "attribute": ATTRIBUTE, "image": IMAGE}
    first.write_text(
        HOSTILE.format(**values, updated="25 May, 2025 10:00", count=12, extra="Nobody died."),
        encoding="utf-8",
    )
    second.write_text(
        HOSTILE.format(
            **values, updated="25 May, 2025 12:00", count=15, extra=f"Nobody died {SCRIPT}."
        ),
        encoding="utf-8",
    )
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, [str(first), str(second)], IngestOptions(now=NOW))
        hurt = next(c.id for c in list_claims(session) if "people were hurt" in c.text)
        mark(
            session,
            hurt,
            "false",
            note=f"Hospital says fewer {SCRIPT}{ATTRIBUTE}",
            sources=[HOSTILE_SOURCE],
            reviewer=f"eve {IMAGE}",
            version="1",
            now=NOW,
        )
    engine.dispose()
    return db


def report_of(db: str, key: str) -> ArticleReport:
    engine = open_database(db, create=False)
    try:
        with session_scope(engine) as session:
            return build_report(session, key, now=NOW)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("report") / "samples.db")
    build(db)
    return db


# --- escaping --------------------------------------------------------------------------------


def test_hostile_article_text_is_escaped(tmp_path: Path) -> None:
    db = hostile_db(tmp_path)
    page = render_report(report_of(db, "hostile-page"))
    parsed = Elements(page)
    assert parsed.tags() <= ALLOWED_TAGS
    assert not [
        (tag, name) for tag, attrs in parsed.elements for name in attrs if name.startswith("on")
    ]
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;document.body.setAttribute(&quot;data-pwned&quot;" in page
    assert "&quot; onerror=&quot;" in page
    assert "&lt;img src=x onerror=" in page
    # The hostile evidence URL stays one attribute value, exactly as given.
    links = [attrs["href"] for tag, attrs in parsed.elements if tag == "a" and "href" in attrs]
    assert HOSTILE_SOURCE in links
    # The claim with the attack in it is on the page, with its verdict and value change.
    (claim,) = [a for a in parsed.with_class("article", "claim") if a.get("data-status") == "false"]
    assert claim["id"] and claim["id"].startswith("claim-")


# --- self-contained, phone, print ------------------------------------------------------------


def test_report_is_self_contained_responsive_and_printable(samples_db: str) -> None:
    page = render_report(report_of(samples_db, "marrowby-floods-2025"))
    parsed = Elements(page)
    assert parsed.tags() <= ALLOWED_TAGS
    assert not [attrs for _, attrs in parsed.elements if "src" in attrs or "srcset" in attrs]
    for tag, attrs in parsed.elements:
        if tag == "a":
            href = attrs.get("href") or ""
            assert href.startswith(("#", "https://", "http://")), href
            if href.startswith("http"):
                assert "noreferrer" in (attrs.get("rel") or "")
    assert "url(" not in parsed.style and "@import" not in parsed.style
    assert "@font-face" not in parsed.style
    metas = [attrs for tag, attrs in parsed.elements if tag == "meta"]
    assert {"charset": "utf-8"} in metas
    assert any(m.get("name") == "viewport" and "width=device-width" in (m.get("content") or "")
               for m in metas)  # fmt: skip
    policy = next(m for m in metas if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in (policy.get("content") or "")
    assert "@media print" in parsed.style and "@media (max-width" in parsed.style


def test_report_shows_timeline_diffs_claims_and_verdicts(samples_db: str) -> None:
    report = report_of(samples_db, "marrowby-floods-2025")
    parsed = Elements(render_report(report))
    versions = parsed.with_class("li", "version")
    assert [v["id"] for v in versions] == ["v1", "v2", "v3", "v4"]
    assert [v["id"] for v in parsed.with_class("li", "stealth")] == ["v4"]
    steps = parsed.with_class("section", "step")
    assert [s["id"] for s in steps] == ["diff-1-2", "diff-2-3", "diff-3-4"]
    assert parsed.with_class("p", "stealth-note")
    assert parsed.count("del") > 5 and parsed.count("ins") > 5
    claims = parsed.with_class("article", "claim")
    assert len(claims) == len(report.claims) > 10
    assert {c["id"] for c in claims} == {f"claim-{d.claim.id}" for d in report.claims}
    statuses = {c["data-status"] for c in claims}
    assert {"verified", "false", "unverified"} <= statuses
    # MARKS verified the death toll on version 1's wording; the claim has changed since.
    assert len(parsed.with_class("span", "stale")) >= 2
    assert report.stale_claims >= 1 and report.stealth_edits == 1
    assert parsed.with_class("table", "verdicts")


def test_report_on_an_article_with_one_version(tmp_path: Path) -> None:
    db = str(tmp_path / "one.db")
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        files = expand_inputs(
            [str(REPO / "data" / "samples" / "marrowby-floods" / "01_first-report.txt")]
        )
        ingest(session, files, IngestOptions(now=NOW))
    engine.dispose()
    page = render_report(report_of(db, "marrowby-floods-2025"))
    assert "Only one version: nothing to compare." in page
    assert Elements(page).tags() <= ALLOWED_TAGS


def test_report_command(samples_db: str, tmp_path: Path) -> None:
    code, out, err = run(samples_db, "report", "marrowby-floods-2025")
    assert code == 0, err
    assert out.startswith("<!DOCTYPE html>")
    target = tmp_path / "report.html"
    code, out, err = run(samples_db, "report", "marrowby-floods-2025", "-o", str(target))
    assert code == 0, err
    assert out == f"wrote the report on marrowby-floods-2025 to {target}\n"
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- versions a claim is absent from ---------------------------------------------------------

BRIDGE = "The new bridge will cost 20 million euros, the council said."
CROWD = "About 300 residents attended the meeting, organisers said."
HURT = "Police said 12 people were hurt in the crash."
# Which versions (1 to 7) of the "bridge" article hold each claim.
PRESENCE = {
    BRIDGE: {1, 2, 5, 7},  # gone for two versions, back, gone for one, back again
    CROWD: {1, 2, 3},  # removed from version 4 on
    HURT: {1, 2, 3, 4, 5, 6},  # removed from the latest version only
}
LATEST = 7
DASH = "\u2013"


class LineageRows(HTMLParser):
    """Each claim's lineage rows (the table body's), by the claim's element id: the row's
    class and the text of its cells."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[str, list[tuple[str, list[str]]]] = {}
        self._claim = ""
        self._in_lineage = False
        self._body: list[tuple[str, list[str]]] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "article" and "claim" in classes:
            self._claim = found.get("id") or ""
        elif tag == "table":
            self._in_lineage = "lineage" in classes
        elif tag == "tbody" and self._in_lineage:
            self._body = self.rows[self._claim] = []
        elif tag == "tr" and self._body is not None:
            self._body.append((found.get("class") or "", []))
        elif tag == "td" and self._body is not None:
            self._body[-1][1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_lineage, self._body = False, None

    def handle_data(self, data: str) -> None:
        if self._body and self._body[-1][1]:
            self._body[-1][1][-1] += data


def absences_db(folder: Path) -> tuple[str, dict[str, int]]:
    """An article in seven versions an hour apart holding the PRESENCE claims, and their ids."""
    head = (
        "Article: bridge\n\nBridge budget\n\nThe council met.\n25 May, 2025\nLast Update\n"
        "25 May, 2025 {hour:02d}:00 AM\n\nWork starts in June.\n\n"
    )
    files = []
    for version in range(1, LATEST + 1):
        held = [sentence for sentence, versions in PRESENCE.items() if version in versions]
        path = folder / f"bridge-{version}.txt"
        path.write_text(head.format(hour=version) + "\n\n".join(held) + "\n", "utf-8")
        files.append(str(path))
    db = str(folder / "absences.db")
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, files, IngestOptions(now=NOW))
        ids = {c.text: c.id for c in list_claims(session, "bridge", include_removed=True)}
    engine.dispose()
    return db, ids


@pytest.fixture(scope="module")
def absences_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, int]]:
    db, ids = absences_db(tmp_path_factory.mktemp("absences"))
    return render_report(report_of(db, "bridge")), ids


def lineage_of(page: str, claim: int) -> list[tuple[str, ...]]:
    """A claim's lineage rows as (class, version, Last Update, change, wording)."""
    return [(kind, *cells) for kind, cells in LineageRows(page).rows[f"claim-{claim}"]]


def test_report_lineage_has_a_row_for_each_gap_a_claim_came_back_from(
    absences_page: tuple[str, dict[str, int]],
) -> None:
    page, ids = absences_page
    rows = lineage_of(page, ids[BRIDGE])
    assert [(kind, version, change, wording) for kind, version, _, change, wording in rows] == [
        ("change-new", "#1", "first seen", BRIDGE),
        ("change-same", "#2", "unchanged", BRIDGE),
        ("change-absent", f"#3{DASH}#4", "absent", f"absent from versions 3{DASH}4"),
        ("change-reappeared", "#5", "reappeared", BRIDGE),
        ("change-absent", "#6", "absent", "absent from version 6"),
        ("change-reappeared", "#7", "reappeared", BRIDGE),
    ]
    # A run of versions has no Last Update of its own.
    assert [when for kind, _, when, _, _ in rows if kind == "change-absent"] == ["", ""]
    assert all(when.endswith("UTC") for kind, _, when, _, _ in rows if kind != "change-absent")
    assert "tr.change-absent" in Elements(page).style


def test_report_lineage_says_from_which_version_a_removed_claim_is_gone(
    absences_page: tuple[str, dict[str, int]],
) -> None:
    page, ids = absences_page
    crowd = lineage_of(page, ids[CROWD])
    assert [(kind, version, change) for kind, version, _, change, _ in crowd] == [
        ("change-new", "#1", "first seen"),
        ("change-same", "#2", "unchanged"),
        ("change-same", "#3", "unchanged"),
        ("change-removed", f"#4{DASH}#7", "removed"),
    ]
    assert crowd[-1][-1] == "absent from version 4 to the latest (7)"
    hurt = lineage_of(page, ids[HURT])
    assert [kind for kind, *_ in hurt] == ["change-new", *["change-same"] * 5, "change-removed"]
    assert hurt[-1] == ("change-removed", "#7", "", "removed", "absent from the latest version (7)")
    assert "tr.change-removed" in Elements(page).style


def test_report_lineage_of_a_removed_claim_with_no_occurrence_left() -> None:
    summary = ClaimSummary(
        4, "bridge", "manual", "Gone.", [], "", "unverified", False, True, False, None, None
    )
    detail = ClaimDetail(summary, [], [], [Absence(1, 3)])
    report = ArticleReport("bridge", "Bridge budget", None, None, [], [], [detail], NOW)
    page = render_report(report)
    assert lineage_of(page, 4) == [
        ("change-removed", f"#1{DASH}#3", "", "removed", "absent from version 1 to the latest (3)")
    ]
    assert "Not found in any version." not in page
    assert "in no version" in page and "version None" not in page


def test_report_png_is_committed() -> None:
    png = SCREENSHOT.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(png) == SCREEN


# --- a real browser --------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def png_size(png: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_browser_renders_the_report(samples_db: str, tmp_path: Path) -> None:
    report = report_of(samples_db, "marrowby-floods-2025")
    page = tmp_path / "report.html"
    page.write_text(render_report(report), encoding="utf-8")
    expected = Elements(page.read_text(encoding="utf-8"))

    dom = Elements(chromium(tmp_path, "--dump-dom", page.as_uri()).stdout)
    claims = dom.with_class("article", "claim")
    assert {c["id"] for c in claims} == {f"claim-{d.claim.id}" for d in report.claims}
    assert dom.count("del") == expected.count("del") > 0
    assert dom.count("ins") == expected.count("ins") > 0
    assert [v["id"] for v in dom.with_class("li", "stealth")] == ["v4"]
    assert len(dom.with_class("span", "stale")) == len(expected.with_class("span", "stale"))
    assert dom.tags() <= ALLOWED_TAGS

    shot = tmp_path / "report.png"
    chromium(tmp_path, f"--screenshot={shot}", f"--window-size={SCREEN[0]},{SCREEN[1]}",
             page.as_uri())  # fmt: skip
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png_size(png) == SCREEN
    assert len(png) > 50_000  # a rendered page, not a blank one
    phone = tmp_path / "phone.png"
    chromium(tmp_path, f"--screenshot={phone}", f"--window-size={PHONE[0]},{PHONE[1]}",
             page.as_uri())  # fmt: skip
    assert png_size(phone.read_bytes()) == PHONE
    if os.environ.get("FACTCHECK_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, SCREENSHOT)


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_browser_runs_none_of_the_hostile_text(tmp_path: Path) -> None:
    db = hostile_db(tmp_path)
    page = tmp_path / "hostile.html"
    page.write_text(render_report(report_of(db, "hostile-page")), encoding="utf-8")
    dom = Elements(chromium(tmp_path, "--dump-dom", page.as_uri()).stdout)
    (body,) = [attrs for tag, attrs in dom.elements if tag == "body"]
    assert "data-pwned" not in body
    assert dom.tags() <= ALLOWED_TAGS
    assert dom.with_class("article", "claim")
