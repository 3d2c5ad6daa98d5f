"""Exports and imports: CSV/JSON rows, ClaimReview JSON-LD out and back in, the schema.org
vocabulary, real-world ClaimReview markup, the CLI, and the Datasette-facing views."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from factcheck.claim_views import list_claims
from factcheck.claimreview import (
    STATUS_RATINGS,
    Organisation,
    find_claimreviews,
    normalise_claim_text,
    rating_for,
    read_claimreview,
    status_from_label,
    status_from_rating,
)
from factcheck.cli import app
from factcheck.export import (
    COLUMNS,
    claimreview_json,
    csv_safe,
    export_claimreviews,
    export_rows,
    import_claimreviews,
    read_document,
    rows_csv,
)
from factcheck.ingest import IngestOptions, expand_inputs, ingest
from factcheck.review import STATUSES, audit, mark
from factcheck.store.db import open_database, session_scope
from factcheck.store.models import external_reviews_table, reviews_table
from tests.conftest import REPO, SAMPLES, SHARED, write_versions

runner = CliRunner()
CORPORA = SHARED / "corpora"
VOCAB = CORPORA / "schemaorg_claimreview_vocab" / "claimreview_terms_release30.jsonld"
REAL = CORPORA / "claimreview_examples" / "real_claimreviews.json"
ORG = Organisation("Example Fact Desk", "https://factdesk.example/")
INGESTED = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
REVIEWED = datetime(2026, 1, 6, 10, 30, tzinfo=UTC)

# (a piece of the claim's text, status, note, sources, version reviewed); applied in order,
# one minute apart.
MARKS: list[tuple[str, str, str, list[str], str | None]] = [
    (
        "of the district was under water",
        "verified",
        "",
        ["https://example.org/eastvale-bulletin"],
        "2",
    ),
    ("people have died and", "verified", "Matches the 06:00 bulletin.", [], "1"),
    ("1.4 million residents", "disputed", "The 2024 census counts 1.2 million.", [], None),
    ("two volunteer rescuers", "false", "Police said one rescuer died.", [], None),
    ("2,300 members", "unproven", "", [], None),
    ("about 40 tons", "verified", "", [], None),
    ("about 40 tons", "misleading", "The operator later said 30 tons.", [], None),
]


def run(db: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def claim_id(session: Any, snippet: str) -> int:
    (found,) = [c.id for c in list_claims(session, include_removed=True) if snippet in c.text]
    return found


def build(db: str, marks: list[tuple[str, str, str, list[str], str | None]] = MARKS) -> None:
    """The samples, ingested, with ``marks`` recorded at fixed times."""
    engine = open_database(db, create=True)
    try:
        with session_scope(engine, writes=True) as session:
            ingest(session, expand_inputs([str(SAMPLES)]), IngestOptions(now=INGESTED))
        for minute, (snippet, status, note, sources, version) in enumerate(marks):
            with session_scope(engine, writes=True) as session:
                mark(
                    session,
                    claim_id(session, snippet),
                    status,
                    note=note,
                    sources=sources,
                    reviewer="alice",
                    version=version,
                    now=REVIEWED + timedelta(minutes=minute),
                )
    finally:
        engine.dispose()


def exported(db: str, article: str | None = None, *, everything: bool = False) -> dict[str, Any]:
    engine = open_database(db, create=False)
    try:
        with session_scope(engine) as session:
            return export_claimreviews(session, ORG, article, include_unverified=everything)
    finally:
        engine.dispose()


def imported(db: str, document: Any) -> list[str]:
    engine = open_database(db, create=False)
    try:
        with session_scope(engine, writes=True) as session:
            result = import_claimreviews(session, document, now=REVIEWED + timedelta(days=30))
        return [item.outcome for item in result.outcomes]
    finally:
        engine.dispose()


def counts(db: str) -> tuple[int, int, bool]:
    """(reviews, external reviews, the chain verifies)."""
    engine = open_database(db, create=False)
    try:
        with session_scope(engine) as session:
            reviews = session.scalar(select(func.count()).select_from(reviews_table))
            external = session.scalar(select(func.count()).select_from(external_reviews_table))
            return int(reviews or 0), int(external or 0), audit(session).ok
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A read-only SQLite database with the samples and MARKS, shared by this module."""
    db = str(tmp_path_factory.mktemp("export") / "samples.db")
    build(db)
    return db


# --- the rating scale ------------------------------------------------------------------------


def test_every_status_has_a_rating_that_reads_back_as_that_status() -> None:
    assert set(STATUS_RATINGS) == set(STATUSES)
    for status in STATUSES:
        rating = rating_for(status)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert status_from_label(rating["alternateName"]) == status
    assert rating_for("false")["ratingValue"] == rating_for("false")["worstRating"]
    assert rating_for("verified")["ratingValue"] == rating_for("verified")["bestRating"]


@pytest.mark.parametrize(
    ("label", "value", "best", "worst", "status"),
    [
        ("Falso", None, None, None, "false"),
        ("FALSO: the video was filmed elsewhere", None, None, None, "false"),
        ("Incorrect \r", 1.0, 6.0, 1.0, "false"),
        ("Engañoso", None, None, None, "misleading"),
        ("não_é_bem_assim", 5.0, 6.0, None, "misleading"),
        ("Mostly false", 2.0, 5.0, 1.0, "misleading"),
        ("Half true", 3.0, 5.0, 1.0, "misleading"),
        ("Falsehood", None, None, None, None),  # a longer word is not "false"
        ("", 1.0, 5.0, 1.0, "false"),  # no words: the ends of the scale only
        ("", 5.0, 5.0, 1.0, "verified"),
        ("", 3.0, 5.0, 1.0, None),
        ("", -1.0, -1.0, -1.0, None),  # a scale with one point says nothing
        ("A sentence that explains the verdict at length.", None, None, None, None),
        # A rating word explained after a stop, a colon, a dash or a bracket keeps its meaning;
        # one qualified otherwise is left unread, not taken for its first word.
        ("False. The photo is from 2015", None, None, None, "false"),
        ("FALSE (satire)", None, None, None, "false"),
        ("False\u2014the photo is from 2015", None, None, None, "false"),
        ("False -- an old photo", None, None, None, "false"),
        ("True but misleading", None, None, None, None),
        ("Verdadero, pero no del todo", None, None, None, None),
        ("Verdadero a medias", None, None, None, None),
        ("Richtig, aber unvollständig", None, None, None, None),
        ("False context", None, None, None, None),
    ],
)
def test_published_ratings_map_to_statuses(
    label: str, value: float | None, best: float | None, worst: float | None, status: str | None
) -> None:
    assert status_from_rating(label, value, best, worst) == status


def test_claim_text_matching_rule() -> None:
    plain = "Ras Malik's 1.4 million residents rely on trucks."
    assert normalise_claim_text(plain) == normalise_claim_text(
        "  \u201cRas Malik&#039;s  1.4 million residents RELY on trucks\u201d  "
    )
    assert normalise_claim_text(plain) == normalise_claim_text(
        "Ras Malik\u2019s 1.4 million residents rely on trucks!"
    )
    assert normalise_claim_text(plain) != normalise_claim_text(
        "Ras Malik's 1.2 million residents rely on trucks."
    )


def test_real_world_variants_are_read() -> None:
    """Invented objects with the quirks of real markup (see corpora/README.md section 6)."""
    node = {
        "@type": "ClaimReview",
        "url": "https://checker.example/fact-check/1",
        "claimReviewed": ["The bridge &amp; the tunnel closed in 2019"],
        "author": [
            {"@type": "Person", "name": ["Ana Ruiz", "Ana Ruiz"]},
            {"@type": "Organization", "name": "Checker &#039;Desk&#039;"},
        ],
        "datePublished": "2024-03-02",
        "itemReviewed": {
            "@type": "creativeWork",
            "url": "https://social.example/post/9",
            "datePublished": "2024-03-01",
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": "1",
            "bestRating": "",
            "worstRating": "1",
            "alternateName": "Fake",
        },
        "citation": ["https://gov.example/record", "not a url"],
    }
    read = read_claimreview(node)
    assert read.claim_reviewed == "The bridge & the tunnel closed in 2019"
    assert read.authors == ("Ana Ruiz", "Checker 'Desk'")
    assert read.status == "false"
    assert (read.rating_value, read.best_rating, read.worst_rating) == (1.0, None, 1.0)
    assert read.published_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert read.appearance_urls == ("https://social.example/post/9",)
    assert read.appearance_times == (datetime(2024, 3, 1, tzinfo=UTC),)


def test_claimreviews_are_found_in_every_container() -> None:
    review = {"@type": "ClaimReview", "claimReviewed": "x"}
    untyped = {"claimReviewed": "y", "reviewRating": {"alternateName": "False"}}
    shapes: list[Any] = [
        review,
        [review, {"@type": "WebPage"}],
        {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, review]},
        [{"source_path": "a.html", "claim_review": review}],
        {"@type": "DataFeed", "dataFeedElement": [{"@type": "DataFeedItem", "item": [review]}]},
        {"@type": ["Thing", "http://schema.org/ClaimReview"], "claimReviewed": "x"},
        {"@type": "schema:ClaimReview", "claimReviewed": "x"},
        {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": review}]},
    ]
    for shape in shapes:
        assert [r["claimReviewed"] for r in find_claimreviews(shape)] == ["x"], shape
    assert find_claimreviews([untyped]) == [untyped]
    # A rating given as its label alone.
    assert read_claimreview({**review, "reviewRating": "False"}).status == "false"
    html_page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(review)
        + '</script><script type="application/ld+json">{broken</script></head></html>'
    )
    assert find_claimreviews(read_document(html_page, "page.html")) == [review]


# --- ClaimReview export ----------------------------------------------------------------------


def test_export_has_one_review_per_claim_with_a_verdict(sample_db: str) -> None:
    document = exported(sample_db)
    assert document["@context"] == "https://schema.org"
    graph = document["@graph"]
    # Seven marks on six claims: the latest verdict of each claim is exported.
    assert len(graph) == 6
    assert all(node["@type"] == "ClaimReview" for node in graph)
    by_text = {node["claimReviewed"]: node for node in graph}
    tons = next(node for text_, node in by_text.items() if "about 40 tons" in text_)
    assert tons["reviewRating"]["alternateName"] == "Misleading"
    assert tons["reviewBody"] == "The operator later said 30 tons."
    assert tons["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://factdesk.example/",
    }
    assert tons["url"].startswith("https://factdesk.example/#claim-")
    # The verdict on version 1's wording is exported with that wording and that version.
    died = next(node for text_, node in by_text.items() if "people have died" in text_)
    assert "At least 12 people" in died["claimReviewed"]
    assert died["itemReviewed"]["appearance"]["dateModified"] == "2025-05-25T17:11:00Z"
    assert died["datePublished"] == "2026-01-06T10:31:00Z"
    # The claimant, where extraction found one, is the claim's author.
    assert died["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "the Eastvale civil defence agency",
    }
    ras = next(node for text_, node in by_text.items() if "1.4 million" in text_)
    appearance = ras["itemReviewed"]["appearance"]
    assert appearance["url"] == "https://example.org/news/2025/06/03/ras-malik-water-truce"
    assert ras["itemReviewed"]["firstAppearance"]["dateModified"] == "2025-06-03T09:40:00Z"


def test_a_withdrawn_verdict_is_exported_with_all_and_dated(tmp_path: Path) -> None:
    db = str(tmp_path / "withdrawn.db")
    build(
        db,
        [
            ("2,300 members", "verified", "", [], None),
            ("2,300 members", "unverified", "", [], None),
        ],
    )
    assert not exported(db)["@graph"]
    (node,) = [node for node in exported(db, everything=True)["@graph"] if "datePublished" in node]
    assert "2,300 members" in node["claimReviewed"]
    assert node["reviewRating"]["alternateName"] == "Unverified"
    assert node["datePublished"] == "2026-01-06T10:31:00Z"  # the second mark's time


def test_unverified_claims_are_exported_only_with_all(sample_db: str) -> None:
    reviewed = exported(sample_db)["@graph"]
    everything = exported(sample_db, everything=True)["@graph"]
    assert len(everything) > len(reviewed)
    extra = [node for node in everything if node not in reviewed]
    assert {node["reviewRating"]["alternateName"] for node in extra} == {"Unverified"}
    assert all("datePublished" not in node for node in extra)
    one_article = exported(sample_db, "ras-malik-water-truce")["@graph"]
    assert len(one_article) == 2


def _vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]], dict[str, set[str]]]:
    """(class -> itself and its ancestors, property -> domain, property -> range)."""
    graph = json.loads(VOCAB.read_text(encoding="utf-8"))["@graph"]

    def names(value: Any) -> set[str]:
        items = value if isinstance(value, list) else [value] if value else []
        return {item["@id"].removeprefix("schema:") for item in items}

    parents = {
        term["@id"].removeprefix("schema:"): names(term.get("rdfs:subClassOf"))
        for term in graph
        if term["@type"] == "rdfs:Class"
    }

    def ancestors(name: str) -> set[str]:
        found, todo = {name}, [name]
        while todo:
            current = todo.pop()
            # A parent outside this subset (Intangible, Dataset) is still a schema.org Thing.
            for parent in parents.get(current, {"Thing"}):
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return found

    classes = {name: ancestors(name) for name in parents}
    properties = [term for term in graph if term["@type"] == "rdf:Property"]
    domains = {
        t["@id"].removeprefix("schema:"): names(t["schema:domainIncludes"]) for t in properties
    }
    ranges = {
        t["@id"].removeprefix("schema:"): names(t["schema:rangeIncludes"]) for t in properties
    }
    return classes, domains, ranges


def schema_problems(node: dict[str, Any], where: str = "$") -> list[str]:
    """Why ``node`` does not fit the schema.org vocabulary: unknown types, unknown
    properties, properties used on a type outside their domain, objects outside the range."""
    classes, domains, ranges = _vocabulary()
    problems = []
    kind = node.get("@type")
    if kind not in classes:
        return [f"{where}: unknown type {kind!r}"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in domains:
            problems.append(f"{where}.{key}: not a schema.org property")
            continue
        if not domains[key] & classes[kind]:
            problems.append(f"{where}.{key}: not allowed on {kind}")
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, dict):
                inner = f"{where}.{key}[{index}]"
                item_kind = item.get("@type")
                if item_kind in classes and not ranges[key] & classes[item_kind]:
                    problems.append(f"{inner}: a {item_kind} is outside the range of {key}")
                problems += schema_problems(item, inner)
    return problems


corpora = pytest.mark.skipif(not VOCAB.exists(), reason="../shared/corpora is absent")


@corpora
@pytest.mark.corpora
def test_the_export_fits_the_schemaorg_vocabulary(sample_db: str) -> None:
    document = exported(sample_db, everything=True)
    assert document["@graph"]
    for index, node in enumerate(document["@graph"]):
        assert schema_problems(node, f"@graph[{index}]") == []


@corpora
@pytest.mark.corpora
def test_the_vocabulary_check_catches_mistakes() -> None:
    assert schema_problems({"@type": "ClaimReview", "typology": "x"})
    assert schema_problems({"@type": "Rating", "claimReviewed": "x"})
    assert schema_problems({"@type": "Article"})
    assert schema_problems(
        {"@type": "ClaimReview", "reviewRating": {"@type": "Organization", "name": "x"}}
    )


# --- ClaimReview import ----------------------------------------------------------------------


def test_export_import_export_is_stable(db: str, tmp_path: Path) -> None:
    build(db)
    first = exported(db)
    everything = exported(db, everything=True)

    other = str(tmp_path / "other.db")
    build(other, marks=[])
    assert set(imported(other, everything)) == {"reviewed", "skipped"}
    assert exported(other) == first
    assert exported(other, everything=True) == everything

    # Back into the database it came from, and again into the other one: nothing new.
    before = counts(db)
    assert set(imported(db, first)) == {"duplicate"}
    assert counts(db) == before
    assert set(imported(other, first)) == {"duplicate"}
    assert counts(other)[2] and counts(db)[2]


def test_imported_reviews_join_the_chain_and_set_the_status(tmp_path: Path) -> None:
    db = str(tmp_path / "i.db")
    build(db, marks=[])
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        target = claim_id(session, "2,300 members")
        wording = next(c.text for c in list_claims(session) if c.id == target)
    engine.dispose()
    review = {
        "@type": "ClaimReview",
        "url": "https://checker.example/2300",
        "claimReviewed": f"\u201c{wording.upper()}\u201d",
        "author": {"@type": "Organization", "name": "Checker Desk"},
        "datePublished": "2025-06-05T08:00:00+02:00",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "citation": "https://union.example/members",
    }
    assert imported(db, [review]) == ["reviewed"]
    assert imported(db, {"@graph": [review]}) == ["duplicate"]
    code, out, _ = run(db, "claim", str(target), "--json")
    assert code == 0
    detail = json.loads(out)
    assert detail["status"] == "false"
    (recorded,) = detail["reviews"]
    assert recorded["reviewer"] == "Checker Desk"
    assert recorded["at"] == "2025-06-05T06:00:00Z"
    assert recorded["sources"] == ["https://union.example/members"]
    # A false verdict needs a note; the import writes one that names the source.
    assert "https://checker.example/2300" in recorded["note"]
    assert counts(db) == (1, 0, True)


def test_unmatched_and_unreadable_reviews_are_kept_as_external(tmp_path: Path) -> None:
    db = str(tmp_path / "e.db")
    build(db, marks=[])
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        wording = next(c.text for c in list_claims(session) if "2,300 members" in c.text)
    engine.dispose()
    document = [
        {
            "@type": "ClaimReview",
            "claimReviewed": "The moon is made of cheese",
            "author": {"name": "Someone"},
            "reviewRating": {"alternateName": "False"},
        },
        {
            "@type": "ClaimReview",
            "claimReviewed": wording,
            "reviewRating": {"alternateName": "Needs a longer explanation than a word"},
        },
        {"@type": "ClaimReview", "reviewRating": {"alternateName": "False"}},
    ]
    assert imported(db, document) == ["external", "external", "skipped"]
    assert imported(db, document) == ["external-duplicate", "external-duplicate", "skipped"]
    assert counts(db) == (0, 2, True)


@pytest.mark.corpora
@pytest.mark.skipif(not REAL.exists(), reason="../shared/corpora is absent")
def test_real_claimreviews_import_without_error(tmp_path: Path) -> None:
    records = json.loads(REAL.read_text(encoding="utf-8"))
    db = str(tmp_path / "real.db")
    build(db, marks=[])
    # A tracked claim worded like one of the real reviews, whose text holds an HTML entity.
    wanted = next(
        r["claim_review"] for r in records if "&#039;" in str(r["claim_review"]["claimReviewed"])
    )
    sentence = read_claimreview(wanted).claim_reviewed
    assert "'" in sentence
    code, _, err = run(db, "claim", "add", "marrowby-floods-2025", sentence, "--force")
    assert code == 0, err

    path = tmp_path / "real.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    code, out, err = run(db, "import", "claimreview", str(path), "--json")
    assert code == 0, err
    outcomes = json.loads(out)
    assert len(outcomes) == len(records)
    assert {o["outcome"] for o in outcomes} == {"reviewed", "external"}
    (matched,) = [o for o in outcomes if o["outcome"] == "reviewed"]
    assert matched["status"] == "false"
    reviews, external, ok = counts(db)
    assert (reviews, external, ok) == (1, len(records) - 1, True)

    code, out, _ = run(db, "import", "claimreview", str(path))
    assert code == 0
    assert out.splitlines()[-1] == (
        f"0 reviewed, 1 duplicate, 0 external, {len(records) - 1} external-duplicate, 0 skipped"
    )
    assert counts(db) == (reviews, external, True)


# --- CSV and JSON ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://x.example","x")', '\'=HYPERLINK("http://x.example","x")'),
        ("a = b", "a = b"),
        ("", ""),
        ("85%", "85%"),
    ],
)
def test_formula_cells_are_neutralised(cell: str, safe: str) -> None:
    assert csv_safe(cell) == safe


def test_csv_export_is_bom_utf8_with_stable_columns_and_safe_cells(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    build(db, marks=[MARKS[2]])
    code, _, err = run(
        db, "claim", "add", "ras-malik-water-truce", "=2+3*cmd|' /C calc'!A0", "--force"
    )
    assert code == 0, err
    output = tmp_path / "claims.csv"
    code, out, err = run(db, "export", "csv", "-o", str(output))
    assert code == 0, err
    assert out.startswith("wrote ")
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert [int(r["id"]) for r in body] == sorted(int(r["id"]) for r in body)
    manual = next(r for r in body if "cmd|" in r["text"])
    assert manual["text"] == "'=2+3*cmd|' /C calc'!A0"
    assert manual["kind"] == "manual"
    disputed = next(r for r in body if r["status"] == "disputed")
    assert disputed["last_reviewer"] == "alice"
    assert disputed["note"] == "The 2024 census counts 1.2 million."
    assert disputed["last_reviewed"] == "2026-01-06T10:30:00Z"
    assert disputed["values"] == "1,400,000 residents"
    arabic = next(r for r in body if "\u0627\u0644\u0645\u0627\u0621" in r["text"])
    assert arabic["article"] == "ras-malik-water-truce"
    assert {r["removed"] for r in body} == {"true", "false"}
    for row in body:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))

    code, out, _ = run(db, "export", "csv", "ras-malik-water-truce", "--status", "disputed")
    assert code == 0
    assert len(list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))) == 2


def test_json_export_has_the_csv_columns_as_keys(sample_db: str) -> None:
    code, out, err = run(sample_db, "export", "json", "marrowby-floods-2025")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(tuple(row) == COLUMNS for row in rows)
    verified = next(r for r in rows if "of the district was under water" in r["text"])
    assert verified["status"] == "verified"
    assert verified["sources"] == ["https://example.org/eastvale-bulletin"]
    assert verified["first_version"] == 1
    assert verified["first_seen"] == "2025-05-25T17:11:00Z"
    assert isinstance(verified["values"], list)
    assert verified["reviewed_wording"] == verified["text"] and not verified["needs_review"]
    stale = next(r for r in rows if "people have died" in r["text"])
    assert stale["needs_review"] is True
    # The verdict stands next to the wording it was given on, which the article no longer has.
    assert stale["reviewed_wording"].startswith("At least 12 people have died")
    assert stale["reviewed_wording"] != stale["text"]
    unreviewed = next(r for r in rows if r["status"] == "unverified" and not r["last_reviewer"])
    assert unreviewed["reviewed_wording"] == ""
    assert all(r["reappeared"] is False for r in rows)
    assert {r["article"] for r in rows} == {"marrowby-floods-2025"}


def test_a_claim_that_came_back_is_exported_as_reappeared(tmp_path: Path) -> None:
    from tests.conftest import write_versions

    steady = "The council said 40 staff would inspect the deck."
    returning = "Repairs will cost 12 million pounds, engineers said."
    files = write_versions(
        tmp_path / "v", f"{steady}\n\n{returning}", steady, f"{steady}\n\n{returning}"
    )
    db = str(tmp_path / "r.db")
    assert run(db, "ingest", *files)[0] == 0
    _, out, _ = run(db, "export", "json")
    flags = {row["text"]: row["reappeared"] for row in json.loads(out)}
    assert flags == {steady: False, returning: True}


def test_exported_review_times_are_to_the_second(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    code, _, err = run(db, "ingest", str(SAMPLES / "marrowby-floods"))
    assert code == 0, err
    code, _, err = run(db, "verify", "3")  # recorded now, microseconds and all
    assert code == 0, err
    _, out, _ = run(db, "export", "json", "--status", "verified")
    (row,) = json.loads(out)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["last_reviewed"])


def test_rows_csv_of_nothing_is_just_the_header() -> None:
    assert rows_csv([]) == "\ufeff" + ",".join(COLUMNS) + "\r\n"


# --- the command line ------------------------------------------------------------------------


def test_cli_export_import_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, target = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    build(source)
    build(target, marks=[])
    monkeypatch.setenv("FACTCHECK_ORG", "Example Fact Desk")
    monkeypatch.setenv("FACTCHECK_ORG_URL", "https://factdesk.example/")
    first, second = tmp_path / "first.jsonld", tmp_path / "second.jsonld"
    assert run(source, "export", "claimreview", "-o", str(first))[0] == 0
    code, out, err = run(target, "import", "claimreview", str(first))
    assert code == 0, err
    assert (
        out.splitlines()[-1]
        == "6 reviewed, 0 duplicate, 0 external, 0 external-duplicate, 0 skipped"
    )
    assert run(target, "export", "claimreview", "-o", str(second))[0] == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    code, out, _ = run(target, "audit")
    assert code == 0 and out.startswith("ok: 6 reviews")
    # Standard input works too, and a second import adds nothing.
    code, out, _ = run(target, "import", "claimreview", "-", input=first.read_text("utf-8"))
    assert code == 0
    assert out.splitlines()[-1].startswith("0 reviewed, 6 duplicate")
    # Options beat the environment.
    code, out, _ = run(source, "export", "claimreview", "--org", "Other Desk")
    assert code == 0
    assert {n["author"]["name"] for n in json.loads(out)["@graph"]} == {"Other Desk"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["export", "claimreview"], 2, "--org"),
        (["export", "claimreview", "--org", "X", "--org-url", "ftp://x"], 2, "not an http(s) URL"),
        (["export", "csv", "no-such-article"], 1, "no article 'no-such-article'"),
        (["export", "csv", "--status", "fake"], 2, "unknown status"),
        (["export", "json", "-o", "/nonexistent-dir/out.json"], 1, "cannot write"),
        (["export", "csv", "-o", "."], 1, "cannot write"),
        (["export", "claimreview", "--org", "X", "-o", "/proc/version"], 1, "cannot write"),
        (["import", "claimreview", "missing.json"], 2, "missing.json"),
        (["import", "csv", "x.json"], 2, "only format is claimreview"),
        (["import", "claimreview", "bad.json"], 2, "not JSON"),
        (["import", "claimreview", "empty.json"], 2, "no ClaimReview objects"),
        (["import", "claimreview", "deep.json"], 2, "nested more than"),
        (["import", "claimreview", "deeper.json"], 2, "nested more than 64 levels deep"),
        (["import", "claimreview", "surrogate.json"], 2, "a lone surrogate (U+D800)"),
        (["import", "claimreview", "nul.json"], 2, "a text holds a NUL character"),
        (["report", "no-such-article"], 1, "no article"),
        (["report", "marrowby-floods-2025", "-o", "/nonexistent-dir/r.html"], 1, "cannot write"),
    ],
)
def test_cli_errors_are_one_line(
    sample_db: str, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "empty.json").write_text('[{"@type": "WebPage"}]', encoding="utf-8")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    nested = '{"@graph": ' * 100 + '{"@type": "ClaimReview"}' + "}" * 100
    (tmp_path / "deeper.json").write_text(nested, encoding="utf-8")
    review = '{"@type": "ClaimReview", "claimReviewed": "%s"}'
    (tmp_path / "surrogate.json").write_text(review % "lone \\ud800 half", encoding="utf-8")
    (tmp_path / "nul.json").write_text(review % "a \\u0000 byte", encoding="utf-8")
    got, out, err = run(sample_db, *args)
    assert got == code, (out, err)
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    assert message in err
    assert "Traceback" not in err


def test_reviews_with_unusable_dates_are_skipped_with_the_reason(tmp_path: Path) -> None:
    db = str(tmp_path / "d.db")
    assert run(db, "ingest", str(SAMPLES / "marrowby-floods"))[0] == 0
    _, out, _ = run(db, "claims", "--json")
    text = json.loads(out)[0]["text"]
    nodes = [
        {"@type": "ClaimReview", "claimReviewed": text, "datePublished": published,
         "reviewRating": {"@type": "Rating", "alternateName": "False"}}
        for published in ("2099-01-01", "9999-12-31T23:59:59-14:00", "last Tuesday")
    ]  # fmt: skip
    listing = tmp_path / "dates.json"
    listing.write_text(json.dumps(nodes), encoding="utf-8")
    code, out, err = run(db, "import", "claimreview", str(listing), "--json")
    assert code == 0, err
    # A date years ahead would outrank every later verdict; one unread, order them wrongly.
    assert [(o["outcome"], o["reason"]) for o in json.loads(out)] == [
        ("skipped", "datePublished '2099-01-01' is more than 2 days ahead"),
        ("skipped", "datePublished '9999-12-31T23:59:59-14:00' cannot be read as an ISO 8601 time"),
        ("skipped", "datePublished 'last Tuesday' cannot be read as an ISO 8601 time"),
    ]
    _, out, _ = run(db, "audit", "--json")
    assert json.loads(out)["reviews"] == 0


def test_claimreview_text_cannot_end_the_script_block_it_is_embedded_in(tmp_path: Path) -> None:
    db = str(tmp_path / "h.db")
    assert run(db, "ingest", str(SAMPLES / "marrowby-floods"))[0] == 0
    note = "Wrong </script><script>alert(1)</script> <!-- and so on"
    assert run(db, "dispute", "3", "--note", note)[0] == 0
    code, out, err = run(db, "export", "claimreview", "--org", "Desk")
    assert code == 0, err
    assert "</" not in out and "<!--" not in out
    (node,) = json.loads(out)["@graph"]
    assert node["reviewBody"] == note  # the same text once read as JSON


def test_writing_a_file_replaces_it_whole(sample_db: str, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    code, out, _ = run(sample_db, "export", "json", "-o", str(target))
    assert code == 0 and out.startswith("wrote ")
    assert json.loads(target.read_text(encoding="utf-8"))
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# --- Datasette: the views hold what the CLI shows --------------------------------------------


def _utc(value: Any) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# The columns claims_current shares with `claims --json`, in the view's order.
CLAIM_KEYS = ("id", "article", "kind", "text", "source", "status", "needs_review", "reappeared")
FLAGS = {"needs_review", "reappeared"}


def test_views_return_the_same_rows_as_the_cli(db: str) -> None:
    build(db)
    code, out, _ = run(db, "claims", "--json")
    assert code == 0
    shown = [tuple(c[k] for k in CLAIM_KEYS) for c in json.loads(out)]
    engine = open_database(db, create=False)
    with engine.connect() as connection:
        viewed = [
            tuple(bool(v) if k in FLAGS else v for k, v in zip(CLAIM_KEYS, r, strict=False))
            for r in connection.execute(
                text(
                    "SELECT claim_id, article, kind, text, source, status, needs_review, reappeared"
                    " FROM claims_current ORDER BY claim_id"
                )
            )
        ]
        log = list(connection.execute(text("SELECT * FROM review_log ORDER BY review_id")))
    engine.dispose()
    assert viewed == shown

    reviewed = sorted({row.claim_id for row in log})
    assert len(reviewed) == 6
    for claim in reviewed:
        code, out, _ = run(db, "claim", str(claim), "--json")
        detail = json.loads(out)
        assert [
            (r["id"], r["status"], r["reviewer"], r["note"], r["wording"], r["at"])
            for r in detail["reviews"]
        ] == [
            (r.review_id, r.status, r.reviewer, r.note, r.wording, _utc(r.created_at))
            for r in log
            if r.claim_id == claim
        ]
        assert {r.article for r in log if r.claim_id == claim} == {detail["article"]}


def test_the_datasette_doc_queries_run(sample_db: str) -> None:
    doc = (REPO / "docs" / "datasette.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, re.DOTALL)
    assert len(queries) >= 4
    connection = sqlite3.connect(sample_db)
    try:
        for query in queries:
            assert connection.execute(query).fetchall() is not None, query
    finally:
        connection.close()


# --- docs/export.md --------------------------------------------------------------------------

DOC_MARKS: list[tuple[str, str, str, list[str], str | None]] = [
    (
        "1.4 million residents",
        "disputed",
        "The 2024 census counts 1.2 million residents.",
        [
            "https://stats.example.org/census-2024/ras-malik",
        ],
        None,
    ),
    ("2,300 members", "verified", "", ["https://union.example.org/members-2025"], "3"),
]


def test_the_claimreview_example_in_the_docs_is_a_real_export(tmp_path: Path) -> None:
    """docs/export.md shows what `export claimreview ras-malik-water-truce` gives on the
    samples after DOC_MARKS."""
    db = str(tmp_path / "doc.db")
    build(db, marks=DOC_MARKS)
    document = exported(db, "ras-malik-water-truce")
    doc = (REPO / "docs" / "export.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- claimreview-example -->\n```json\n(.*?)```", doc, re.DOTALL)
    assert block is not None
    assert block.group(1) == claimreview_json(document)
    if VOCAB.exists():
        assert all(schema_problems(node) == [] for node in document["@graph"])
    # The commands shown with it name the claims by id: those ids must be DOC_MARKS' claims.
    engine = open_database(db, create=False)
    with session_scope(engine) as session:
        intended = [claim_id(session, snippet) for snippet, *_ in DOC_MARKS]
    engine.dispose()
    shown = [int(n) for n in re.findall(r"factcheck (?:dispute|verify) (\d+)", doc)]
    assert shown == intended
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"factcheck dispute (\d+)", readme) == [str(intended[0])]
    assert f'"url": "https://factdesk.example/#claim-{intended[0]}"' in readme


def test_an_output_file_gets_ordinary_permissions(sample_db: str, tmp_path: Path) -> None:
    fresh, shared = tmp_path / "fresh.csv", tmp_path / "shared.csv"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o640)
    previous = os.umask(0o022)
    try:
        for target in (fresh, shared):
            code, out, _ = run(sample_db, "export", "csv", "-o", str(target))
            assert code == 0 and out.startswith("wrote ")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not the temporary file's 0600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640  # the replaced file's
    assert not list(tmp_path.glob("*.tmp"))
    link = tmp_path / "latest.csv"
    link.symlink_to(shared)
    code, _, _ = run(sample_db, "export", "csv", "--status", "disputed", "-o", str(link))
    assert code == 0
    assert link.is_symlink() and link.read_text("utf-8-sig") == shared.read_text("utf-8-sig")
    assert "disputed" in shared.read_text("utf-8-sig")


def test_export_rows_service_filters_by_article(sample_db: str) -> None:
    engine = open_database(sample_db, create=False)
    with session_scope(engine) as session:
        everything = export_rows(session)
        ras = export_rows(session, "ras-malik-water-truce")
    engine.dispose()
    assert {row.article for row in ras} == {"ras-malik-water-truce"}
    assert len(everything) > len(ras) > 0


def test_a_stale_verdict_names_the_speaker_of_the_wording_it_was_on(tmp_path: Path) -> None:
    bodies = [
        "More than 80% of the district is off limits, according to the UN.",
        "More than 80% of the district is off limits, according to army officials.",
    ]
    files = write_versions(tmp_path / "f", *bodies, key="closure")
    db = str(tmp_path / "c.db")
    engine = open_database(db, create=True)
    with session_scope(engine, writes=True) as session:
        ingest(session, files[:1], IngestOptions(now=INGESTED))
        (claim,) = list_claims(session)
        mark(
            session,
            claim.id,
            "verified",
            note="",
            sources=[],
            reviewer="alice",
            version=None,
            now=REVIEWED,
        )
    with session_scope(engine, writes=True) as session:
        ingest(session, files[1:], IngestOptions(now=INGESTED + timedelta(days=2)))
    engine.dispose()
    document = exported(db, "closure")
    (review,) = document["@graph"]
    assert review["claimReviewed"] == bodies[0]
    assert review["itemReviewed"]["author"]["name"] == "the UN"  # not "army officials"


@pytest.mark.postgres
def test_one_file_imported_by_three_processes_at_once_is_recorded_once(
    pg_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys
    import time

    from sqlalchemy import create_engine

    from factcheck.store.db import BULK_WRITE_LOCK

    source = str(tmp_path / "source.db")
    for db in (source, pg_url):
        assert run(db, "ingest", str(SAMPLES / "marrowby-floods"))[0] == 0
    assert run(source, "verify", "3", "--by", "desk")[0] == 0
    published = tmp_path / "reviews.jsonld"
    assert run(source, "export", "claimreview", "--org", "Desk", "-o", str(published))[0] == 0
    command = [sys.executable, "-m", "factcheck", "--db", pg_url, "import", "claimreview"]
    # While another bulk writer holds the lock, all three imports wait; let go, they run one
    # after the other, and only the first finds the review new.
    holder = create_engine(pg_url)
    with holder.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": BULK_WRITE_LOCK})
        runs = [subprocess.Popen([*command, str(published)], stderr=subprocess.PIPE, text=True)
                for _ in range(3)]  # fmt: skip
        time.sleep(2)
        assert [one.poll() for one in runs] == [None, None, None]
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": BULK_WRITE_LOCK})
    holder.dispose()
    errors = [one.communicate(timeout=60)[1] for one in runs]
    assert [one.returncode for one in runs] == [0, 0, 0], errors
    _, out, _ = run(pg_url, "audit", "--json")
    assert json.loads(out)["reviews"] == 1
