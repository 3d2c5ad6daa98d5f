"""Web pages: sniffing, decoding, extraction, page times, identity and noise; saved pages
through ingest and the CLI."""

from __future__ import annotations

import json
import os
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Row, select
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.errors import InputError
from factcheck.ingest import IngestOptions, IngestReport, expand_inputs, ingest
from factcheck.parse.html import (
    PageTime,
    decode_html,
    is_relative_stamp,
    looks_like_html,
    mask_relative_times,
    page_hash,
    parse_html,
)
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import articles_table, versions_table
from tests.pageserver import FIXTURES, fixture

NOW = datetime(2025, 6, 20, 12, 0, tzinfo=UTC)
FETCHED = PageTime(datetime(2025, 6, 20, 9, 30, tzinfo=UTC), "2025-06-20T09:30:00Z", "fetch")
JSONLD = fixture("jsonld-newsarticle.html")
OPENGRAPH = fixture("opengraph-modified.html")
VISIBLE = fixture("visible-last-update.html")
NO_DATES = fixture("no-dates.html")

PLAIN_LAYOUT = """URL: https://example.org/news/plain-story

Plain story headline

A standfirst for the plain story.
Last Update
25 May, 2025 17:11 PM

The first body paragraph of the plain story, with enough words to be a paragraph.
"""


def parse(html: str, **kwargs: object) -> object:
    return parse_html(html, fallback=FETCHED, **kwargs)  # type: ignore[arg-type]


# -- sniffing and decoding -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body></body></html>",
        b"<!doctype html>\n<title>x</title>",
        b"\xef\xbb\xbf  \n<html lang='en'>",
        b"<HTML>",
        b"<!-- saved from url=(0022)https://example.org/ -->\n<html>",
        b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML'>",
        b"\n\n\t<html\n>",
    ],
)
def test_html_is_recognised_by_its_start(data: bytes) -> None:
    assert looks_like_html(data)


@pytest.mark.parametrize(
    "data",
    [
        PLAIN_LAYOUT.encode(),
        b"Title\n\n<html> appears later in a plain text file",
        b"<p>a fragment is not a document</p>",
        b"<htmlfoo>",
        b"",
    ],
)
def test_other_bytes_are_not_html(data: bytes) -> None:
    assert not looks_like_html(data)


def test_decoding_follows_bom_then_server_then_meta_then_utf8() -> None:
    latin = '<html><head><meta charset="windows-1252"></head><body>caf\xe9</body></html>'
    assert "café" in decode_html(latin.encode("cp1252"))
    assert "café" in decode_html("<html>café</html>".encode(), "utf-8")
    assert "café" in decode_html("<html>caf\xe9</html>".encode("cp1252"), "iso-8859-1")
    assert "café" in decode_html(b"\xef\xbb\xbf<html>caf\xc3\xa9</html>", "cp1252")
    # No declaration and not UTF-8: Windows-1252, as browsers do.
    assert "café" in decode_html("<html>caf\xe9</html>".encode("cp1252"))
    # Mostly UTF-8 with one stray byte: still UTF-8, the stray byte replaced.
    stray = "<html>Tärrow rivér — “quoted” ".encode() + b"\xff" + b"</html>"
    assert decode_html(stray) == "<html>Tärrow rivér — “quoted” \ufffd</html>"
    assert decode_html(b"<html>a\r\nb\x00</html>") == "<html>a\nb</html>"


# -- extraction ----------------------------------------------------------------------------


def test_jsonld_page_gives_title_standfirst_body_times_identity_and_outlet() -> None:
    page = parse_html(JSONLD, url="https://news.example/a/123?utm_source=x", fallback=FETCHED)
    article = page.article
    assert article.title == "Kelvale bridge to stay shut for six weeks after inspectors find cracks"
    assert article.standfirst.startswith("Engineers found cracks in two")
    assert len(article.body) == 5
    assert article.body[1].startswith("About 14,000 vehicles cross the bridge")
    assert page.updated_source == "jsonld:dateModified"
    assert article.updated_at == datetime(2025, 6, 3, 13, 2, tzinfo=UTC)
    assert article.updated_raw == "2025-06-03T14:02:00+01:00"
    assert article.published_at == datetime(2025, 6, 3, 8, 15, tzinfo=UTC)
    # <link rel=canonical> wins over the fetch URL, with tracking parameters stripped.
    assert article.url == "https://news.example/kelvale/2025/06/03/bridge-closure-extended"
    assert article.outlet == "The Northern Ledger"


def test_boilerplate_stays_out_of_the_text() -> None:
    for html in (JSONLD, OPENGRAPH, VISIBLE):
        text = parse(html).article.document  # type: ignore[attr-defined]
        for noise in (
            "Most read",
            "Trending now",
            "minutes ago",
            "mins ago",
            "hours ago",
            "cookies",
            "Sign up",
            "Share this article",
            "All rights reserved",
            "Podcasts",
            "Last Update",
            "2 min read",
        ):
            assert noise not in text, (noise, text)


def test_opengraph_modified_time_and_og_url_without_tracking() -> None:
    page = parse_html(OPENGRAPH, fallback=FETCHED)
    assert page.updated_source == "meta:modified_time"
    assert page.article.updated_at == datetime(2025, 6, 10, 11, 45, tzinfo=UTC)
    assert page.article.published_at == datetime(2025, 6, 10, 7, 30, tzinfo=UTC)
    assert page.url == "https://coastline.example/news/drummore-water-restrictions"
    assert page.article.outlet == "Coastline Daily"
    assert page.article.body[0].startswith("A ban on using hosepipes")


def test_og_updated_time_when_there_is_no_article_modified_time() -> None:
    html = OPENGRAPH.replace('property="article:modified_time"', 'property="og:updated_time"')
    page = parse_html(html, fallback=FETCHED)
    assert page.updated_source == "meta:og:updated_time"


def test_visible_last_update_with_the_seed_layout_and_the_saved_from_url() -> None:
    page = parse_html(VISIBLE, fallback=FETCHED)
    article = page.article
    assert page.updated_source == "visible"
    assert article.updated_raw == "25 May, 2025 17:11 PM"
    assert article.updated_at == datetime(2025, 5, 25, 17, 11, tzinfo=UTC)  # 17:11 PM is 17:11
    assert article.read_time == "2 min read"
    assert article.standfirst.startswith("Negotiators met for the first time")
    assert article.url == "https://gazette.example/world/2025/05/25/valley-ceasefire-talks"
    assert article.outlet == "The Meridian Gazette"


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<p>Last updated: 3 June 2025 at 14:02</p>", datetime(2025, 6, 3, 14, 2, tzinfo=UTC)),
        ("<div>Updated June 3, 2025, 2:02 p.m. ET</div>", datetime(2025, 6, 3, 18, 2, tzinfo=UTC)),
        (
            '<p><span>Last Update</span> <time datetime="2025-06-03T14:02:00+02:00">3 June, '
            "14:02</time></p>",
            datetime(2025, 6, 3, 12, 2, tzinfo=UTC),
        ),
    ],
)
def test_visible_update_variants(markup: str, expected: datetime) -> None:
    html = NO_DATES.replace("<article>", f"<article>{markup}")
    page = parse_html(html, fallback=FETCHED)
    assert page.updated_source == "visible"
    assert page.article.updated_at == expected
    assert all("pdated" not in p and "Last Update" not in p for p in page.article.body)


def test_a_refused_update_stamp_is_still_no_body_text() -> None:
    # An ambiguous zone is refused as a time, but the line is a stamp all the same: it must
    # not become the first body paragraph, where every new stamp would read as an edit.
    html = NO_DATES.replace("<article>", "<article><p>Updated: May 25, 2025 12:00 IST</p>")
    page = parse_html(html, fallback=FETCHED)
    assert page.updated_source == "fetch"
    assert all("IST" not in p for p in page.article.body)


def test_a_title_of_invisible_characters_is_no_title() -> None:
    blank = (
        "<html><head><title>\u2800\u200b</title><meta property='og:title' content='\u3164'>"
        "</head><body><article><p>At least 12 people died in the fire, police said.</p>"
        "</article></body></html>"
    )
    with pytest.raises(InputError, match="no title"):
        parse_html(blank, fallback=FETCHED)


def test_a_relative_update_label_is_not_a_time() -> None:
    html = NO_DATES.replace("<article>", "<article><p>Updated 3 minutes ago</p>")
    page = parse_html(html, fallback=FETCHED)
    assert page.updated_source == "fetch"
    assert all("ago" not in p for p in page.article.body)


def test_published_time_stands_in_for_a_page_never_modified() -> None:
    html = OPENGRAPH.replace('property="article:modified_time"', 'property="article:other"')
    page = parse_html(html, fallback=FETCHED)
    assert page.updated_source == "meta:published_time"
    assert page.article.updated_at == page.article.published_at
    jsonld = JSONLD.replace('"dateModified"', '"dateCreated"')
    assert parse_html(jsonld, fallback=FETCHED).updated_source == "jsonld:datePublished"


def test_a_page_without_times_uses_the_fallback_and_without_one_fails() -> None:
    page = parse_html(NO_DATES, url="https://penhallow-news.example/x", fallback=FETCHED)
    assert page.updated_source == "fetch"
    assert page.article.updated_at == FETCHED.at
    assert page.url == "https://penhallow-news.example/stories/library-hours"
    with pytest.raises(InputError, match="no time found in the page"):
        parse_html(NO_DATES)


def test_an_override_is_the_time_of_a_page_without_one() -> None:
    page = parse_html(NO_DATES, updated_override="2025-06-04 10:00", fallback=FETCHED)
    assert page.updated_source == "option"  # ahead of the fetch time
    assert page.article.updated_at == datetime(2025, 6, 4, 10, 0, tzinfo=UTC)
    own = parse_html(JSONLD, updated_override="2025-06-04 10:00")
    assert own.updated_source == "jsonld:dateModified"  # the page's own time wins
    with pytest.raises(InputError, match="unparseable Last Update override"):
        parse_html(NO_DATES, updated_override="soon")


def test_pages_without_an_article_are_refused() -> None:
    with pytest.raises(InputError, match="no article text found in the page"):
        parse(fixture("no-article.html"))
    with pytest.raises(InputError, match="no article text found in the page"):
        parse("<!doctype html><html><head><title>Empty</title></head><body></body></html>")
    with pytest.raises(InputError):
        parse("")


def test_a_summary_teaser_outside_the_article_is_not_the_standfirst() -> None:
    teaser = (
        '<aside><p class="summary">Another story entirely, teased in the sidebar box.</p></aside>'
    )
    html = NO_DATES.replace("</main>", f"</main>{teaser}")
    assert parse_html(html, fallback=FETCHED).article.standfirst == ""
    before = OPENGRAPH.replace('<body class="article-page">', f"<body>{teaser}")
    assert parse_html(before, fallback=FETCHED).article.standfirst == ""


def test_a_relative_canonical_link_is_resolved_against_the_page_url() -> None:
    html = NO_DATES.replace(
        'href="https://penhallow-news.example/stories/library-hours"',
        'href="/stories/library-hours?utm_campaign=z#top"',
    )
    page = parse_html(html, url="https://penhallow-news.example/s?id=1", fallback=FETCHED)
    assert page.url == "https://penhallow-news.example/stories/library-hours"


def test_a_second_story_on_the_page_stays_out_of_the_article() -> None:
    story = (
        "<article><h1>Floods close the Kelvale bridge</h1>"
        "<p>The Kelvale bridge will stay closed for six weeks after inspectors found cracks in "
        "two of its piers, the regional transport office said on Tuesday.</p>"
        "<p>About 14,000 vehicles cross the bridge each day, and the detour adds roughly 25 "
        "minutes to journeys between the harbour and the town centre.</p></article>"
    )
    other = (
        "<article><h2>Other story: markets fall</h2><p>Shares in the region fell by 3% on "
        "Tuesday as traders weighed the cost of the floods on local businesses.</p></article>"
    )
    html = (
        "<html><head><title>Floods close the Kelvale bridge</title>"
        '<meta property="article:modified_time" content="2025-06-03T10:00:00Z"></head>'
        f"<body>{other}{story}</body></html>"
    )  # the other story first, as a sidebar placed before the main text is
    body = " ".join(parse_html(html, fallback=FETCHED, now=FETCHED.at).article.body)
    assert "14,000 vehicles" in body and "Shares in the region" not in body


def test_a_page_in_an_unspaced_script_has_words_too() -> None:
    # Split on spaces, a Japanese paragraph is one word and never passed the length test.
    paragraphs = [
        "市内の川が氾濫し、住民およそ三千人が避難した。市は夜通し排水作業を続けている。",
        "気象台によると、雨は明日の朝まで降り続く見込みで、さらに五十ミリの雨が予想される。",
        "市長は記者会見で、避難所を十か所開設し、毛布と食料を配っていると述べた。",
    ]
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    html = (
        '<html><head><meta charset="utf-8"><title>川の氾濫</title>'
        '<meta property="article:modified_time" content="2025-06-03T10:00:00Z"></head>'
        f"<body><article><h1>川の氾濫</h1>{body}</article></body></html>"
    )
    page = parse_html(html, fallback=FETCHED, now=FETCHED.at)
    assert page.article.title == "川の氾濫" and len(page.article.body) == 3


def test_a_page_declaring_utf16_in_its_own_bytes_is_read_as_utf8() -> None:
    assert decode_html('<meta charset="utf-16"><p>Caf\u00e9</p>'.encode()) == (
        '<meta charset="utf-16"><p>Caf\u00e9</p>'
    )
    # A server's UTF-16 is taken at its word.
    page = "<p>Caf\u00e9 \u5ddd</p>"
    assert decode_html(page.encode("utf-16-le"), "utf-16-le") == page


@pytest.mark.parametrize(
    ("modified", "said"),
    [
        ("3 June 2025 10:00 IST", "ambiguous time zone 'IST'"),
        ("2025-02-30T10:00:00Z", "impossible date or time"),
        ("2099-01-01T00:00:00Z", "more than 2 days ahead"),
    ],
)
def test_a_stated_update_time_that_cannot_be_read_is_no_cue_for_a_guess(
    modified: str, said: str
) -> None:
    # With no published time to fall back on, htmldate's guess from the rest of the page
    # (midnight in UTC, or 1 February) was stored as if the page had said it.
    html = NO_DATES.replace(
        "<head>", f'<head><meta property="article:modified_time" content="{modified}">', 1
    )
    with pytest.raises(InputError, match="unparseable Last Update in meta:modified_time") as got:
        parse_html(html, fallback=FETCHED, now=FETCHED.at)
    assert said in str(got.value) and "(use --updated-at)" in str(got.value)
    page = parse_html(html, fallback=FETCHED, now=FETCHED.at, updated_override="2025-06-03 10:00")
    assert (page.updated_source, page.article.updated_raw) == ("option", "2025-06-03 10:00")


@pytest.mark.parametrize(
    "modified",
    [
        "2025-06-03T14:02:00+25:00",  # an offset that does not exist
        "1970-01-01T00:00:00Z",  # before any web article
        "2099-01-01T00:00:00Z",  # long after the page was fetched
    ],
)
def test_an_absurd_modified_time_gives_way_to_the_next_source(modified: str) -> None:
    html = NO_DATES.replace(
        "<head>",
        f'<head><meta property="article:modified_time" content="{modified}">'
        '<meta property="article:published_time" content="2025-06-01T08:00:00Z">',
        1,
    )
    page = parse_html(html, fallback=FETCHED, now=FETCHED.at)
    assert (page.updated_source, page.article.updated_raw) == (
        "meta:published_time",
        "2025-06-01T08:00:00Z",
    )
    assert page.article.body  # the text is found despite the broken metadata


def test_an_old_file_time_does_not_bound_the_page_times() -> None:
    # A page saved with `curl -R` or copied with `cp -p` keeps an old file time.
    old_file = PageTime(datetime(2020, 1, 1, tzinfo=UTC), "2020-01-01T00:00:00Z", "file")
    page = parse_html(OPENGRAPH, fallback=old_file, now=FETCHED.at)
    assert (page.updated_source, page.article.updated_raw) == (
        "meta:modified_time",
        "2025-06-10T11:45:00Z",
    )


def test_a_malformed_canonical_link_is_passed_over() -> None:
    html = NO_DATES.replace(
        'href="https://penhallow-news.example/stories/library-hours"', 'href="http://[bad/path"'
    )
    page = parse_html(html, url="https://penhallow-news.example/s?id=1", fallback=FETCHED)
    assert page.url == "https://penhallow-news.example/s?id=1"


# -- noise and the content hash ------------------------------------------------------------


def test_relative_times_and_sidebars_do_not_change_the_hash() -> None:
    first = parse(JSONLD)
    reloaded = (
        JSONLD.replace("3 minutes ago", "17 minutes ago")
        .replace("Updated 3 minutes ago", "Updated 1 hour ago")
        .replace("Ferry timetable changes from Monday", "Lottery winner comes forward")
        .replace("council meeting on budget cuts", "storm warning issued")
    )
    assert parse(reloaded).content_hash == first.content_hash  # type: ignore[attr-defined]


def test_a_relative_time_inside_a_paragraph_is_masked_for_the_hash_only() -> None:
    body = "<p>By Ana Lind &middot; 4 minutes ago &middot; Penhallow desk reporter</p>"
    one = parse_html(NO_DATES.replace("<article>", f"<article>{body}"), fallback=FETCHED)
    other = parse_html(
        NO_DATES.replace("<article>", f"<article>{body.replace('4 minutes', '9 minutes')}"),
        fallback=FETCHED,
    )
    assert one.content_hash == other.content_hash
    assert "4 minutes ago" in one.article.document


def test_text_edits_and_new_times_change_the_hash_but_fetch_times_do_not() -> None:
    first = parse(JSONLD)
    changed_number = parse(JSONLD.replace("About 14,000 vehicles", "About 16,000 vehicles"))
    new_time = parse(JSONLD.replace("2025-06-03T14:02:00+01:00", "2025-06-03T16:40:00+01:00"))
    stealth = parse(JSONLD.replace("at least six weeks", "at least eight weeks"))
    hashes = {p.content_hash for p in (first, changed_number, new_time, stealth)}  # type: ignore[attr-defined]
    assert len(hashes) == 4
    assert stealth.article.updated_at == first.article.updated_at  # type: ignore[attr-defined]
    later = PageTime(datetime(2025, 6, 21, 9, 0, tzinfo=UTC), "2025-06-21T09:00:00Z", "fetch")
    assert (
        parse_html(NO_DATES, fallback=FETCHED).content_hash
        == parse_html(NO_DATES, fallback=later).content_hash
    )


def test_page_hash_ignores_time_only_for_fallback_sources() -> None:
    article = parse_html(JSONLD, fallback=FETCHED).article
    assert page_hash(article, "fetch") == page_hash(article, "file")
    assert page_hash(article, "fetch") != page_hash(article, "jsonld:dateModified")


@pytest.mark.parametrize(
    "text",
    [
        "3 minutes ago",
        "Updated 5 mins ago",
        "· 1 hr ago",
        "just now",
        "Posted: an hour ago",
        "2h ago",
    ],
)
def test_relative_stamps(text: str) -> None:
    assert is_relative_stamp(text)
    assert "<ago>" in mask_relative_times(text)


def test_absolute_text_is_not_a_relative_stamp() -> None:
    assert not is_relative_stamp("The talks began three days before the deadline.")
    assert mask_relative_times("No time words here.") == "No time words here."


# -- through ingest ------------------------------------------------------------------------


def ingest_paths(db: str, paths: list[str], **options: Any) -> IngestReport:
    engine = open_database(db, create=True)
    try:
        with session_scope(engine, writes=True) as session:
            return ingest(session, expand_inputs(paths), IngestOptions(now=NOW, **options))
    finally:
        engine.dispose()


def stored_versions(db: str) -> list[Row[Any]]:
    engine = open_database(db, create=False)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(versions_table)).all())
    finally:
        engine.dispose()


def test_folders_include_saved_pages_detected_by_content(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bridge.html").write_text(JSONLD, encoding="utf-8")
    (folder / "water.htm").write_text(OPENGRAPH, encoding="utf-8")
    (folder / "gazette.txt").write_text(VISIBLE, encoding="utf-8")  # HTML in a .txt file
    (folder / "plain.html").write_text(PLAIN_LAYOUT, encoding="utf-8")  # plain in a .html
    (folder / "notes.pdf").write_bytes(b"%PDF")
    report = ingest_paths(db, [str(folder)])
    outcomes = {Path(o.file).name: o for o in report.outcomes}
    assert sorted(outcomes) == ["bridge.html", "gazette.txt", "plain.html", "water.htm"]
    assert all(o.status == "new" for o in outcomes.values())
    assert outcomes["bridge.html"].updated_source == "jsonld:dateModified"
    assert outcomes["gazette.txt"].updated_source == "visible"
    assert outcomes["plain.html"].updated_source == "text"
    rows = {Path(row.source).name: row for row in stored_versions(db)}
    assert zlib.decompress(rows["bridge.html"].raw_html).decode() == JSONLD
    assert rows["plain.html"].raw_html is None
    assert rows["water.htm"].updated_source == "meta:modified_time"
    again = ingest_paths(db, [str(folder)])
    assert {o.status for o in again.outcomes} == {"duplicate"}


def test_a_saved_page_without_times_uses_the_file_time(sqlite_url: str, tmp_path: Path) -> None:
    page = tmp_path / "library.html"
    page.write_text(NO_DATES, encoding="utf-8")
    saved = datetime(2025, 6, 18, 8, 0, 5, tzinfo=UTC).timestamp()
    os.utime(page, (saved, saved))
    report = ingest_paths(sqlite_url, [str(page)])
    assert report.outcomes[0].updated_source == "file"
    [row] = stored_versions(sqlite_url)
    assert row.updated_at == datetime(2025, 6, 18, 8, 0, 5, tzinfo=UTC)
    assert row.captured_at == row.updated_at
    # Saved again later with the same content: the same version.
    os.utime(page, (saved + 3600, saved + 3600))
    assert ingest_paths(sqlite_url, [str(page)]).outcomes[0].status == "duplicate"


def test_successive_saves_of_one_page_build_a_timeline_with_claims(
    sqlite_url: str, tmp_path: Path
) -> None:
    first = tmp_path / "v1.html"
    first.write_text(VISIBLE, encoding="utf-8")
    second = tmp_path / "v2.html"
    second.write_text(
        VISIBLE.replace("25 May, 2025 17:11 PM", "25 May, 2025 19:40 PM")
        .replace("46 aid lorries", "52 aid lorries")
        .replace("35 minutes ago", "2 minutes ago"),
        encoding="utf-8",
    )
    report = ingest_paths(sqlite_url, [str(second), str(first)])
    assert [o.number for o in report.outcomes] == [2, 1]
    changed = [e for e in report.claims.events if e.event == "changed"]
    assert changed and "52" in changed[0].text


def test_a_bad_page_stores_nothing(sqlite_url: str, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(fixture("no-article.html"), encoding="utf-8")
    report = ingest_paths(sqlite_url, [str(page)])
    [outcome] = report.outcomes
    assert outcome.status == "error"
    assert outcome.reason == "no article text found in the page"
    engine = open_database(sqlite_url, create=False)
    with engine.connect() as connection:
        assert connection.execute(select(articles_table)).all() == []
    engine.dispose()


# -- CLI -----------------------------------------------------------------------------------


def test_cli_ingests_saved_pages_and_reports_bad_ones(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    good = tmp_path / "bridge.html"
    good.write_text(JSONLD, encoding="utf-8")
    bad = tmp_path / "sections.html"
    bad.write_text(fixture("no-article.html"), encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db, "ingest", str(good), str(bad), "--json"])
    assert result.exit_code == 2
    assert f"Error: {bad}: no article text found in the page" in result.stderr
    rows = json.loads(result.stdout)
    assert [r["status"] for r in rows] == ["new", "error"]
    assert rows[0]["article"] == "bridge-closure-extended"
    assert rows[0]["updated_source"] == "jsonld:dateModified"
    shown = runner.invoke(app, ["--db", db, "show", "bridge-closure-extended"])
    assert shown.exit_code == 0
    assert "About 14,000 vehicles" in shown.stdout
    assert "Most read" not in shown.stdout


def test_fixtures_are_all_exercised() -> None:
    assert {p.name for p in FIXTURES.glob("*.html")} == {
        "jsonld-newsarticle.html",
        "no-article.html",
        "no-dates.html",
        "opengraph-modified.html",
        "visible-last-update.html",
    }
