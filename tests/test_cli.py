"""The command line, end to end through typer's CliRunner, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.review import STATUSES
from tests.conftest import SAMPLES

runner = CliRunner()

ARTICLE = """\
Article: harbour-fire
Outlet: The Test Gazette

Fire at harbour warehouse

A fire broke out at a warehouse in the harbour district on Monday night.
2 min read
25 May, 2025
Last Update
{updated}
Firefighters at the scene. [Test Gazette]

Firefighters said more than 80% of the building was destroyed.

About 40 people were evacuated from nearby homes, according to the fire service.

{extra}
"""


def write_version(folder: Path, name: str, updated: str, extra: str = "Nobody was hurt.") -> Path:
    path = folder / name
    path.write_text(ARTICLE.format(updated=updated, extra=extra), encoding="utf-8")
    return path


def run(db: str, *args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def ingest_json(db: str, *paths: str) -> list[dict[str, object]]:
    code, out, err = run(db, "ingest", "--json", *paths)
    assert code == 0, err
    outcomes: list[dict[str, object]] = json.loads(out)
    return outcomes


def test_help_and_version() -> None:
    assert runner.invoke(app, ["--help"]).exit_code == 0
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("factcheck ")


def test_samples_ingest_into_three_articles_with_their_timelines(db: str) -> None:
    outcomes = ingest_json(db, str(SAMPLES))
    assert {o["status"] for o in outcomes} == {"new"}
    assert set(outcomes[0]) >= {"file", "article", "status", "number", "reason"}

    code, out, _ = run(db, "articles", "--json")
    assert code == 0
    listed = json.loads(out)
    assert len(listed) == 3
    assert all(set(a) >= {"key", "title", "versions", "last_updated_at"} for a in listed)
    assert all(a["versions"] == 4 for a in listed)

    # The Ras Malik files are named out of time order; numbers follow Last Update.
    ras = next(o for o in outcomes if str(o["file"]).endswith("02_morning-edition.txt"))
    assert ras["number"] == 1
    code, out, _ = run(db, "versions", str(ras["article"]), "--json")
    timeline = json.loads(out)
    assert [v["number"] for v in timeline] == [1, 2, 3, 4]
    assert [v["updated_at"] for v in timeline] == sorted(v["updated_at"] for v in timeline)
    assert timeline[0]["source"].endswith("02_morning-edition.txt")
    assert set(timeline[0]) >= {
        "number",
        "updated_at",
        "updated_raw",
        "title",
        "content_hash",
        "stealth_edit",
        "source",
    }

    # The headerless story is recognised by body similarity, headline changes and all.
    pell = {o["article"] for o in outcomes if "pell-river" in str(o["file"])}
    assert len(pell) == 1
    assert any("same story" in str(o["rule"]) for o in outcomes if "pell-river" in str(o["file"]))


def test_seed_timestamp_stealth_edit_and_backdated_flags(db: str) -> None:
    ingest_json(db, str(SAMPLES))
    _, out, _ = run(db, "versions", "marrowby-floods-2025", "--json")
    timeline = json.loads(out)
    assert timeline[0]["updated_raw"] == "25 May, 2025 17:11 PM"
    assert timeline[0]["updated_at"] == "2025-05-25T17:11:00Z"
    assert [v["stealth_edit"] for v in timeline] == [False, False, False, True]
    _, out, _ = run(db, "articles", "--json")
    pell = next(a["key"] for a in json.loads(out) if "pell" in a["key"])
    _, out, _ = run(db, "versions", pell, "--json")
    assert [v["backdated"] for v in json.loads(out)] == [False, False, True, False]


def test_ingesting_again_adds_nothing_and_says_so(db: str) -> None:
    ingest_json(db, str(SAMPLES))
    again = ingest_json(db, str(SAMPLES))
    assert {o["status"] for o in again} == {"duplicate"}
    code, out, _ = run(db, "ingest", str(SAMPLES))
    assert code == 0
    assert "0 new, 12 duplicate, 0 failed" in out


def test_whitespace_and_line_ending_changes_are_the_same_content(db: str, tmp_path: Path) -> None:
    clean = write_version(tmp_path, "a.txt", "25 May, 2025 17:11 PM")
    messy = tmp_path / "b.txt"
    text = clean.read_text(encoding="utf-8").replace("\n", "  \r\n")
    messy.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    outcomes = ingest_json(db, str(clean), str(messy))
    assert [o["status"] for o in outcomes] == ["new", "duplicate"]


def test_show_prints_a_version_by_number_latest_and_hash(db: str) -> None:
    ingest_json(db, str(SAMPLES / "ras-malik-water-truce"))
    _, out, _ = run(db, "versions", "ras-malik-water-truce", "--json")
    first = json.loads(out)[0]
    code, by_number, _ = run(db, "show", "ras-malik-water-truce", "1")
    assert code == 0
    _, by_hash, _ = run(db, "show", "ras-malik-water-truce", first["content_hash"][:8])
    assert by_number == by_hash
    assert first["title"] in by_number
    source = (SAMPLES / "ras-malik-water-truce" / "02_morning-edition.txt").read_text("utf-8")
    arabic = next(line for line in source.splitlines() if "الماء" in line)
    assert arabic.strip() in by_number  # right-to-left text comes back exactly
    _, latest, _ = run(db, "show", "ras-malik-water-truce")
    assert latest != by_number


def test_negative_version_numbers_count_from_the_newest(db: str) -> None:
    ingest_json(db, str(SAMPLES / "ras-malik-water-truce"))
    key = "ras-malik-water-truce"
    assert run(db, "show", key, "-1") == run(db, "show", key, "latest")
    code, out, _ = run(db, "diff", key, "-3", "-2", "--format", "json")
    assert code == 0
    compared = json.loads(out)
    assert (compared["from"]["number"], compared["to"]["number"]) == (2, 3)
    code, _, err = run(db, "show", key, "--jsn")  # a misspelt option is still refused
    assert code == 2
    assert "bad version '--jsn'" in err


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (b"Title\n\n\xff\xfe not utf-8\n", "UTF-8"),
    ],
)
def test_unreadable_files_are_reported_and_skipped(
    db: str, tmp_path: Path, content: bytes, reason: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = write_version(tmp_path, "good.txt", "25 May, 2025 17:11 PM")
    code, out, err = run(db, "ingest", str(bad), str(good))
    assert code == 2
    assert f"Error: {bad}:" in err
    assert reason.lower() in err.lower()
    assert "1 new, 0 duplicate, 1 failed" in out


def test_missing_last_update_can_be_supplied(db: str, tmp_path: Path) -> None:
    path = tmp_path / "undated.txt"
    path.write_text("A title\n\nA standfirst.\n\nA body paragraph with 12 people.\n", "utf-8")
    code, _, err = run(db, "ingest", str(path))
    assert code == 2
    assert "Last Update" in err
    outcomes = ingest_json(db, "--updated-at", "2025-05-25T17:11:00Z", str(path))
    assert outcomes[0]["status"] == "new"
    # Files with a Last Update of their own keep it: the option only fills the gap.
    dated = ingest_json(db, "--updated-at", "2025-05-27 09:00", str(SAMPLES / "marrowby-floods"))
    _, out, _ = run(db, "versions", "marrowby-floods-2025", "--json")
    versions = json.loads(out)
    assert [v["updated_raw"] for v in versions][:2] == [
        "25 May, 2025 17:11 PM",
        "25 May, 2025 21:48 PM",
    ]
    assert not any(v["stealth_edit"] for v in versions[:3])
    assert {o["status"] for o in dated} == {"new"}


def test_absurd_last_update_is_refused(db: str, tmp_path: Path) -> None:
    path = write_version(tmp_path, "future.txt", "25 May, 2999 17:11 PM")
    code, _, err = run(db, "ingest", str(path))
    assert code == 2
    assert f"Error: {path}:" in err


def test_size_limit_missing_path_and_nothing_half_written(db: str, tmp_path: Path) -> None:
    big = write_version(tmp_path, "big.txt", "25 May, 2025 17:11 PM", extra="word " * 5000)
    code, _, err = run(db, "ingest", "--max-mb", "0.01", str(big), str(tmp_path / "nope.txt"))
    assert code == 2
    assert "too large" in err
    assert "no such file" in err
    code, out, _ = run(db, "articles", "--json")
    assert code == 0
    assert json.loads(out) == []


def test_stdin_is_read_with_dash(db: str, tmp_path: Path) -> None:
    text = write_version(tmp_path, "a.txt", "25 May, 2025 17:11 PM").read_text("utf-8")
    code, out, err = run(db, "ingest", "--json", "-", input=text.encode("utf-8"))
    assert code == 0, err
    assert json.loads(out)[0]["file"] == "-"


def test_article_option_overrides_the_header(db: str, tmp_path: Path) -> None:
    path = write_version(tmp_path, "a.txt", "25 May, 2025 17:11 PM")
    outcomes = ingest_json(db, "--article", "my-key", str(path))
    assert outcomes[0]["article"] == "my-key"
    assert outcomes[0]["rule"] == "--article"


def test_a_late_version_slots_into_its_place(db: str, tmp_path: Path) -> None:
    later = write_version(tmp_path, "later.txt", "26 May, 2025 09:00 AM", extra="Two were hurt.")
    earlier = write_version(tmp_path, "earlier.txt", "25 May, 2025 17:11 PM")
    assert ingest_json(db, str(later))[0]["number"] == 1
    assert ingest_json(db, str(earlier))[0]["number"] == 1
    _, out, _ = run(db, "versions", "harbour-fire", "--json")
    assert [v["source"] for v in json.loads(out)] == [str(earlier), str(later)]


def test_time_zone_option_reads_zoneless_times(db: str, tmp_path: Path) -> None:
    path = write_version(tmp_path, "a.txt", "25 May, 2025 17:11 PM")
    ingest_json(db, "--tz", "Europe/London", str(path))
    _, out, _ = run(db, "versions", "harbour-fire", "--json")
    assert json.loads(out)[0]["updated_at"] == "2025-05-25T16:11:00Z"
    code, _, err = run(db, "ingest", "--tz", "Mars/Olympus", str(path))
    assert code == 2
    assert "unknown time zone" in err


def test_unknown_article_and_version_are_domain_errors(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    code, _, err = run(db, "versions", "nope")
    assert (code, err.strip()) == (1, "Error: no article 'nope' (see `factcheck articles`)")
    code, _, err = run(db, "show", "marrowby-floods-2025", "9")
    assert code == 1
    assert err.startswith("Error: ")
    assert len(err.strip().splitlines()) == 1


def test_the_database_is_the_db_option_then_factcheck_db_then_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = str(SAMPLES / "marrowby-floods")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FACTCHECK_DB", str(tmp_path / "env.db"))
    created: set[str] = set()
    for args, chosen in (
        (["--db", "before.db", "ingest", sample], "before.db"),
        (["ingest", sample, "--db", "after.db"], "after.db"),
        (["ingest", sample], "env.db"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.stderr
        created.add(chosen)
        assert {path.name for path in tmp_path.glob("*.db")} == created
    monkeypatch.delenv("FACTCHECK_DB")
    result = runner.invoke(app, ["articles"])
    assert result.exit_code == 1  # ./factcheck.db, which no command above created
    assert "factcheck.db" in result.stderr
    assert not (tmp_path / "factcheck.db").exists()


def test_reading_a_missing_database_is_an_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "absent.db"), "articles")
    assert code == 1
    assert "database not found" in err
    assert not (tmp_path / "absent.db").exists()


def test_an_unwritable_database_location_is_an_error(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "no" / "such" / "dir.db"), "ingest", str(SAMPLES))
    assert code == 1
    assert "no such directory" in err


def test_the_database_file_alone_holds_everything_once_a_command_ends(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    ingest_json(str(db), str(SAMPLES))
    # A copy of the file by itself, as a user would mail or upload it, without the
    # write-ahead log SQLite keeps beside it while a connection is open.
    alone = tmp_path / "copy" / "team.db"
    alone.parent.mkdir()
    shutil.copyfile(db, alone)
    with sqlite3.connect(alone) as copy, sqlite3.connect(db) as original:
        query = "SELECT count(*), count(DISTINCT article_id) FROM versions"
        assert copy.execute(query).fetchone() == original.execute(query).fetchone()
        assert copy.execute(query).fetchone()[0] >= 9


def test_a_locked_database_waits_then_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "locked.db")
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    monkeypatch.setenv("FACTCHECK_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, _, err = run(db, "ingest", str(SAMPLES))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1
    assert "locked by another writer" in err
    _, out, _ = run(db, "articles", "--json")
    assert len(json.loads(out)) == 1  # nothing from the failed run was written


def test_a_writer_waits_for_another_writer_to_finish(tmp_path: Path) -> None:
    db = str(tmp_path / "busy.db")
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        code, _, err = run(db, "ingest", str(SAMPLES))
    finally:
        release.join()
        holder.close()
    assert code == 0, err


def test_right_to_left_text_is_stored_and_shown_exactly(db: str, tmp_path: Path) -> None:
    title = "הפסקת אש בעזה: שיחות מתחדשות"
    body = "לפי האו״ם, יותר מ-80% מהשטח אינו נגיש.\n\nقال المتحدث إن 160,000 شخص نزحوا."
    path = tmp_path / "rtl.txt"
    path.write_text(
        f"{title}\n\nתקציר קצר.\n25 May, 2025\nLast Update\n25 May, 2025 17:11 PM\n\n{body}\n",
        "utf-8",
    )
    outcome = ingest_json(db, str(path))[0]
    assert str(outcome["article"]).startswith("article-")  # no ASCII slug: a hash-based key
    code, out, _ = run(db, "show", str(outcome["article"]))
    assert code == 0
    assert title in out
    assert body in out


def test_folders_are_read_recursively_skipping_readme_and_hidden(db: str, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(SAMPLES, tree)
    (tree / ".hidden").mkdir()
    (tree / ".hidden" / "x.txt").write_text("junk", "utf-8")
    outcomes = ingest_json(db, str(tree))
    assert len(outcomes) == 12


def test_a_folder_without_article_files_is_an_error(db: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "scans").mkdir(parents=True)
    (empty / "scans" / "page.pdf").write_bytes(b"%PDF")
    code, out, err = run(db, "ingest", str(empty), str(SAMPLES / "marrowby-floods"))
    assert code == 2
    assert err.strip() == f"Error: {empty}: a folder with no article files in it " + (
        "(.htm, .html, .md, .text, .txt)"
    )
    assert "4 new, 0 duplicate, 1 failed" in out  # the other folder is still ingested


def test_the_default_size_limit_is_5_mb(db: str, tmp_path: Path) -> None:
    big = write_version(tmp_path, "big.txt", "25 May, 2025 17:11 PM", "x " * 2_700_000)
    code, _, err = run(db, "ingest", str(big))
    assert code == 2
    assert f"Error: {big}: file too large" in err
    assert "limit is 5,242,880" in err
    code, _, _ = run(db, "ingest", str(big), "--max-mb", "6")
    assert code == 0


# -- claims and reviews ----------------------------------------------------------------------

CLAIM_KEYS = {
    "id",
    "article",
    "kind",
    "text",
    "values",
    "source",
    "status",
    "needs_review",
    "removed",
    "first_version",
    "last_version",
}


def test_claims_workflow_verify_edit_stale_audit(db: str) -> None:
    marrowby = sorted((SAMPLES / "marrowby-floods").glob("*.txt"))
    ingest_json(db, str(marrowby[0]))
    code, out, _ = run(db, "claims", "marrowby-floods-2025", "--json")
    assert code == 0
    claims = json.loads(out)
    assert claims and all(CLAIM_KEYS <= set(c) for c in claims)
    percent = next(c for c in claims if "80%" in c["text"])
    assert {"value": 80, "unit": "percent", "qualifier": "more than"} in percent["values"]

    code, out, err = run(
        db,
        "verify",
        str(percent["id"]),
        "--note",
        "Agency flood map, 25 May",
        "--source",
        "https://example.org/map",
        "--by",
        "A. Reviewer",
    )
    assert code == 0, err
    assert "marked verified by A. Reviewer" in out

    code, out, _ = run(db, "ingest", str(marrowby[1]))
    assert code == 0
    (line,) = [line for line in out.splitlines() if f"claim {percent['id']} " in line]
    assert line.startswith(
        f"  claim {percent['id']} changed (More than 80% -> More than 85%), "
        "stale (verified verdict was on: More than 80% of the district"
    )
    assert line.endswith(": " + percent["text"].replace("80%", "85%").replace("morning", "evening"))
    claim_lines = [line for line in out.splitlines() if line.startswith("  claim ")]
    assert len(claim_lines) == len({line.split()[1] for line in claim_lines})  # one per claim

    code, out, _ = run(db, "claims", "--needs-review", "--json")
    assert [c["id"] for c in json.loads(out)] == [percent["id"]]
    code, out, _ = run(db, "claim", str(percent["id"]), "--json")
    detail = json.loads(out)
    assert [o["change"] for o in detail["occurrences"]] == ["new", "value_changed"]
    assert set(detail["occurrences"][0]) >= {"version", "text", "values", "change"}
    # The README's contract: the value pairs, and the sources when they changed (not here).
    assert [(o["value_changes"], o["source_change"]) for o in detail["occurrences"]] == [
        ([], None),
        ([["More than 80%", "More than 85%"]], None),
    ]
    (review,) = detail["reviews"]
    assert set(review) >= {"status", "note", "sources", "reviewer", "at", "version", "stale"}
    assert review["stale"] and review["version"] == 1 and review["reviewer"] == "A. Reviewer"
    code, out, _ = run(db, "claim", str(percent["id"]))
    assert code == 0 and "value changed: More than 80% -> More than 85%" in out

    code, out, _ = run(db, "review-queue", "--json")
    queue = json.loads(out)
    assert queue[0]["id"] == percent["id"] and "stale verdict" in queue[0]["reasons"]

    code, out, _ = run(db, "audit")
    assert code == 0
    assert out.startswith("ok: 1 reviews, chain intact, claims match; head ")
    head = out.split("head ")[1].strip()
    assert len(head) == 64
    code, out, _ = run(db, "audit", "--head", head[:12], "--json")
    assert (code, json.loads(out)["head"]) == (0, head)
    code, _, err = run(db, "audit", "--head", "00ff00ff")
    assert code == 1
    assert err == (
        "Error: audit failed: the chain no longer holds the head 00ff00ff: reviews were "
        "removed from its end, or this is another database\n"
    )
    code, _, err = run(db, "audit", "--head", "xyz")
    assert (code, err) == (2, "Error: bad --head 'xyz': give 8 or more hex digits\n")


def test_claim_errors_are_clear_and_write_nothing(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    cases = [
        (["claim", "424242"], 1, "no claim 424242"),
        (["verify", "424242"], 1, "no claim 424242"),
        # Past any id a row can have, on either backend: no driver overflow error.
        (["claim", "2147483648"], 1, "no claim 2147483648"),
        (["claim", str(10**23)], 1, f"no claim {10**23}"),
        (["mark", str(2**63), "verified"], 1, f"no claim {2**63}"),
        (["mark", "1", "bogus"], 2, "unknown status"),
        (["verify", "1", "--source", "not a url"], 2, "not an http(s) URL"),
        (["mark", "1", "false"], 2, "needs a note"),
        (["dispute", "1"], 2, "needs a note"),
        (["claim", "add", "marrowby-floods-2025", "The moon is made of cheese."], 1, "--force"),
        (["claim", "nope"], 2, "expected a claim id"),
        (["claims", "--status", "sure"], 2, "unknown status"),
    ]
    for args, expected, message in cases:
        code, _, err = run(db, *args)
        assert code == expected, (args, err)
        assert err.startswith("Error: ") and message in err
        assert len(err.strip().splitlines()) == 1
    _, out, _ = run(db, "audit", "--json")
    assert json.loads(out)["reviews"] == 0


def test_claim_add_tracks_missed_text_and_force_keeps_a_spanless_claim(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    code, out, err = run(
        db, "claim", "add", "marrowby-floods-2025", "River Osk", "--version", "1", "--json"
    )
    assert code == 0, err
    added = json.loads(out)
    assert added["created"] and added["kind"] == "manual" and added["first_version"] == 1
    code, out, _ = run(
        db, "claim", "add", "marrowby-floods-2025", "Not in the text at all.", "--force", "--json"
    )
    assert code == 0
    forced = json.loads(out)
    _, out, _ = run(db, "claim", str(forced["id"]), "--json")
    assert json.loads(out)["text"] == "Not in the text at all."


def test_audit_names_the_first_tampered_review(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    for claim_id in ("1", "2", "3"):
        assert run(db, "verify", claim_id)[0] == 0
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE reviews SET status = 'false' WHERE id = 2")
    code, out, err = run(db, "audit", "--json")
    assert code == 1
    assert json.loads(out)["broken_at"] == 2
    assert "review 2 was changed" in err


# -- diff and log ----------------------------------------------------------------------------


def test_once_an_action_is_saved_ctrl_c_can_no_longer_report_it_lost(tmp_path: Path) -> None:
    # Closing a big database and exiting take seconds after the commit; an interrupt then
    # exited 130, "nothing was saved", though everything was. The command's own process
    # ignores Ctrl-C from the commit on; a host running commands in-process keeps its own.
    import signal
    import subprocess

    script = (
        "import signal, sys\n"
        "from factcheck.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as stop:\n"
        "    print(stop.code, signal.getsignal(signal.SIGINT) is signal.SIG_IGN)\n"
    )
    db = str(tmp_path / "s.db")
    folder = str(SAMPLES / "marrowby-floods")
    for argv, expected in (
        (["--db", db, "ingest", folder], "0 True"),
        (["--db", db, "claim", "424242"], "1 False"),  # an error: nothing was saved
    ):
        done = subprocess.run(
            [sys.executable, "-c", script, *argv], capture_output=True, text=True, check=False
        )
        assert done.stdout.strip().splitlines()[-1] == expected, done.stderr
    assert run(db, "claim", "1")[0] == 0
    assert signal.getsignal(signal.SIGINT) is not signal.SIG_IGN  # in-process: untouched


def test_diff_json_is_format_json_and_refuses_another_format(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    _, by_format, _ = run(db, "diff", "marrowby-floods-2025", "1", "2", "--format", "json")
    code, by_flag, err = run(db, "diff", "marrowby-floods-2025", "1", "2", "--json")
    assert code == 0, err
    assert json.loads(by_flag) == json.loads(by_format)
    code, _, err = run(db, "diff", "marrowby-floods-2025", "--json", "--format", "html")
    assert code == 2 and err.startswith("Error: ") and "two formats" in err


def test_diff_defaults_to_the_latest_two_versions_in_every_format(db: str, tmp_path: Path) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    code, out, err = run(db, "diff", "marrowby-floods-2025")
    assert code == 0, err
    assert "version 3" in out and "version 4" in out
    assert "Stealth edit" in out
    assert "[-" in out and "{+" in out  # word-diff markers when not on a terminal

    code, out, _ = run(db, "diff", "marrowby-floods-2025", "1", "2", "--format", "json")
    document = json.loads(out)
    assert document["from"]["number"] == 1 and document["to"]["number"] == 2
    assert set(document) >= {"from", "to", "fields", "paragraphs", "stats"}
    changed = [p for p in document["paragraphs"] if p["status"] == "changed"]
    assert any([-1, "80%"] in p["ops"] and [1, "85%"] in p["ops"] for p in changed)

    page = tmp_path / "diff.html"
    code, _, err = run(db, "diff", "marrowby-floods-2025", "1", "2", "-f", "html", "-o", str(page))
    assert code == 0, err
    html = page.read_text("utf-8")
    assert html.lstrip().lower().startswith("<!doctype html")
    assert "<del" in html and "<ins" in html

    code, out, _ = run(db, "diff", "marrowby-floods-2025", "1", "2", "--stat")
    assert out.count("\n") == 1 and "words" in out


def test_unified_diff_applies_with_patch(db: str, tmp_path: Path) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    _, old, _ = run(db, "show", "marrowby-floods-2025", "1")
    _, new, _ = run(db, "show", "marrowby-floods-2025", "3")
    _, patch_text, _ = run(db, "diff", "marrowby-floods-2025", "1", "3", "-f", "unified")
    target = tmp_path / "version.txt"
    target.write_text(old, "utf-8")
    (tmp_path / "change.patch").write_text(patch_text, "utf-8")
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("patch is not installed")
    import subprocess

    subprocess.run(
        [patch, str(target), str(tmp_path / "change.patch")], check=True, capture_output=True
    )
    assert target.read_text("utf-8") == new


def test_diff_errors(db: str, tmp_path: Path) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    cases = [
        (["diff", "nope"], 1, "no article 'nope'"),
        (["diff", "marrowby-floods-2025", "1", "9"], 1, "no version 9"),
        (["diff", "marrowby-floods-2025", "2", "2"], 1, "identical"),
        (["diff", "marrowby-floods-2025", "1", "latest", "-f", "pdf"], 2, "unknown format"),
        (
            ["diff", "marrowby-floods-2025", "-o", str(tmp_path / "no" / "x.html")],
            1,
            "cannot write",
        ),
        (["diff", "marrowby-floods-2025", "-f", "json", "--stat"], 2, "--stat prints"),
    ]
    if "://" not in db:  # -o given the database file itself
        cases.append((["diff", "marrowby-floods-2025", "-o", db], 1, "a SQLite database"))
    for args, expected, message in cases:
        code, _, err = run(db, *args)
        assert code == expected, (args, err)
        assert err.startswith("Error: ") and message in err
        assert len(err.strip().splitlines()) == 1
    assert run(db, "versions", "marrowby-floods-2025")[0] == 0  # the database is intact


def test_output_into_a_pipe_writes_through_it_and_leaves_it_a_pipe(db: str, tmp_path: Path) -> None:
    import stat
    import threading

    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code, out, err = run(db, "diff", "marrowby-floods-2025", "1", "2", "--json", "-o", str(fifo))
    reader.join(timeout=10)
    assert code == 0, err
    assert out == ""  # no "wrote ..." line: the pipe may well be this terminal
    assert json.loads(received[0])["to"]["number"] == 2
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    code, _, err = run(db, "diff", "marrowby-floods-2025", "-o", str(tmp_path))
    assert code == 1 and err == f"Error: cannot write {tmp_path}: it is a directory\n"


def test_log_lists_every_version_with_its_edit_summary(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    code, out, _ = run(db, "log", "marrowby-floods-2025", "--json")
    entries = json.loads(out)
    assert [e["number"] for e in entries] == [1, 2, 3, 4]
    assert entries[0]["summary"] == "first version"
    assert "stealth edit" in entries[3]["summary"] and entries[3]["flags"] == ["stealth-edit"]
    assert entries[1]["stats"]["words_added"] > 0
    code, out, _ = run(db, "log", "marrowby-floods-2025")
    assert code == 0 and "version 4" in out


def test_an_unusable_database_url_is_a_usage_error() -> None:
    for url in ("bogus+driver://x", "postgresql+nodriver://host/db", "://"):
        code, _, err = run(url, "articles")
        assert code == 2, url
        assert err.startswith("Error: cannot use that database URL")
        assert len(err.strip().splitlines()) == 1


def test_collection_is_back_on_once_the_database_is_open(db: str) -> None:
    import gc

    from factcheck.cli import _engine

    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    gc.disable()  # as factcheck.entry leaves it for the start-up imports
    try:
        engine = _engine(db)
        assert gc.isenabled()
        engine.dispose()
    finally:
        gc.unfreeze()
        gc.enable()


def test_json_listings_print_one_row_per_line(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    code, out, _ = run(db, "claims", "marrowby-floods-2025", "--json")
    assert code == 0
    lines = out.strip().splitlines()
    rows = json.loads(out)
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(rows) + 2
    assert [json.loads(line.strip().rstrip(",")) for line in lines[1:-1]] == rows
    code, out, _ = run(db, "claims", "--status", "disputed", "--json")
    assert code == 0 and out.strip() == "[]"


def test_claims_all_adds_the_claims_removed_from_the_latest_version(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    _, out, _ = run(db, "claims", "marrowby-floods-2025", "--json")
    current = json.loads(out)
    code, out, _ = run(db, "claims", "marrowby-floods-2025", "--all", "--json")
    everything = json.loads(out)
    assert code == 0
    removed = [claim for claim in everything if claim not in current]
    assert removed and all(claim["removed"] for claim in removed)
    assert not any(claim["removed"] for claim in current)
    assert {claim["id"] for claim in current} < {claim["id"] for claim in everything}


def test_diff_on_a_terminal_is_styled_and_marked_otherwise(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import cli

    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    _, marked, _ = run(db, "diff", "marrowby-floods-2025", "1", "2")
    assert "More than [-80%-]{+85%+} of the district" in marked
    monkeypatch.setattr(cli, "_use_color", lambda: True)
    _, styled, _ = run(db, "diff", "marrowby-floods-2025", "1", "2")
    assert "More than 80%85% of the district" in styled  # colours carry the change instead


def test_colour_needs_a_terminal_and_no_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck import cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal())
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._use_color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._use_color()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert not cli._use_color()


def test_diff_context_defaults_to_one_paragraph_in_text_and_html(db: str) -> None:
    ingest_json(db, str(SAMPLES / "marrowby-floods"))
    key = "marrowby-floods-2025"
    for fmt in ("text", "html"):
        _, default, _ = run(db, "diff", key, "1", "2", "-f", fmt)
        _, one, _ = run(db, "diff", key, "1", "2", "-f", fmt, "--context", "1")
        _, none, _ = run(db, "diff", key, "1", "2", "-f", fmt, "--context", "0")
        assert default == one
        # Paragraphs 1, 2 and 5 changed, with two unchanged between and six after: one of
        # context shows the two between and one after, folding five; none folds both runs.
        assert re.findall(r"(\d+) unchanged paragraph", one) == ["5"]
        assert re.findall(r"(\d+) unchanged paragraph", none) == ["2", "6"]


# -- any sequence of commands ------------------------------------------------------------------

_KEYS = ["marrowby-floods-2025", "ras-malik-water-truce", "no-such-article"]
_SAMPLE_FILES = sorted(str(path) for path in SAMPLES.rglob("*.txt") if path.name != "README.md")


class _CommandSequences(RuleBasedStateMachine):
    """Any sequence of user commands on one database: every command ends with exit code 0,
    1 or 2, an error is one ``Error:`` line, nothing ends in a traceback, and after every
    step the review chain is intact and the review queue lists. (A withdrawn verdict once
    crashed ``review-queue``; this is the net for that kind of state.)"""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        self.db = str(self.folder / "s.db")
        self.invoke("ingest", *_SAMPLE_FILES[::2])

    def invoke(self, *args: str) -> None:
        result = runner.invoke(app, ["--db", self.db, *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            args,
            result.exception,
        )
        assert result.exit_code in (0, 1, 2), (args, result.exit_code)
        if result.exit_code:
            assert result.stderr.startswith("Error: "), (args, result.stderr)
            assert len(result.stderr.splitlines()) == 1, (args, result.stderr)

    @rule(files=st.lists(st.sampled_from(_SAMPLE_FILES), min_size=1, max_size=3))
    def ingest(self, files: list[str]) -> None:
        self.invoke("ingest", *files)

    @rule(
        claim=st.integers(0, 30),
        status=st.sampled_from([*STATUSES, "bogus"]),
        note=st.sampled_from(["", "checked against the agency's map"]),
        source=st.sampled_from([[], ["--source", "https://example.org/a"], ["--source", "x"]]),
        version=st.sampled_from([[], ["--version", "1"], ["--version", "-1"]]),
    )
    def mark(
        self, claim: int, status: str, note: str, source: list[str], version: list[str]
    ) -> None:
        self.invoke("mark", str(claim), status, "--note", note, *source, *version, "--by", "r")

    @rule(key=st.sampled_from(_KEYS), text=st.sampled_from(["River Osk", "x", "water trucks"]))
    def claim_add(self, key: str, text: str) -> None:
        self.invoke("claim", "add", key, text)

    @rule(
        command=st.sampled_from(
            [
                ["claims"],
                ["claims", "--all", "--json"],
                ["claims", "--needs-review"],
                ["review-queue"],
                ["articles", "--json"],
                ["export", "csv"],
                ["export", "json", "--status", "verified"],
                ["export", "claimreview", "--all", "--org", "Desk"],
            ]
        )
    )
    def listing(self, command: list[str]) -> None:
        self.invoke(*command)

    @rule(claim=st.integers(0, 30))
    def show_claim(self, claim: int) -> None:
        self.invoke("claim", str(claim), "--json")

    @rule(key=st.sampled_from(_KEYS), old=st.sampled_from(["1", "-1", "9"]))
    def per_article(self, key: str, old: str) -> None:
        self.invoke("versions", key)
        self.invoke("log", key)
        self.invoke("diff", key, old, "latest", "--stat")
        self.invoke("report", key, "-o", str(self.folder / "report.html"))

    @invariant()
    def the_chain_is_intact_and_the_queue_lists(self) -> None:
        for args in (["audit", "--json"], ["review-queue", "--json"]):
            result = runner.invoke(app, ["--db", self.db, *args])
            assert result.exit_code == 0, (args, result.stdout + result.stderr)

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


_CommandSequences.TestCase.settings = settings(
    max_examples=20,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_any_sequence_of_commands_ends_cleanly = _CommandSequences.TestCase


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--article", ""], "Error: --article: the article key is empty"),
        (["--article", "   "], "Error: --article: the article key is empty"),
        (["--article", "red\x1b[31m"], "Error: --article: the article key holds a control"),
        (["--max-mb", "inf"], "Error: Invalid value for '--max-mb'"),
        (["--updated-at", "soonish"], "Error: --updated-at: not a time: 'soonish'"),
        (
            ["--updated-at", "25 May 2025 10:00 IST"],
            "Error: --updated-at: not a time: '25 May 2025 10:00 IST': ambiguous time zone 'IST'",
        ),
    ],
)
def test_bad_ingest_options_are_usage_errors(db: str, args: list[str], message: str) -> None:
    code, _, err = run(db, "ingest", str(SAMPLES / "marrowby-floods"), *args)
    assert code == 2
    assert message in err


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    source = (SAMPLES / "marrowby-floods" / "01_first-report.txt").read_bytes()
    name = os.path.join(os.fsencode(folder), b"report-\xff.txt")
    with open(name, "wb") as handle:
        handle.write(source)
    db = str(tmp_path / "n.db")
    outcomes = ingest_json(db, str(folder))
    assert [o["status"] for o in outcomes] == ["new"]
    assert str(outcomes[0]["file"]).endswith("report-\\xff.txt")


def test_a_bad_busy_timeout_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTCHECK_BUSY_TIMEOUT", "abc")  # read for SQLite only
    code, _, err = run(str(tmp_path / "b.db"), "ingest", str(SAMPLES / "marrowby-floods"))
    assert code == 2
    assert err == "Error: FACTCHECK_BUSY_TIMEOUT must be seconds from 0 to 86400, not 'abc'\n"


def test_bad_ingest_options_create_no_database(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    for args in (["--tz", "Mars/Olympus"], ["--article", " "], ["--updated-at", "soonish"]):
        code, _, _ = run(str(db), "ingest", str(SAMPLES / "marrowby-floods"), *args)
        assert code == 2
        assert not db.exists()


def test_claim_names_the_versions_that_lack_it_in_text_and_json(db: str, tmp_path: Path) -> None:
    roads = "The council will spend 4.5 million euros on roads, the mayor said."
    crowd = "About 300 residents attended the meeting, organisers said."
    held = {roads: {1, 2, 5, 6}, crowd: {1, 2, 3}}
    folder = tmp_path / "versions"
    folder.mkdir()
    for v in range(1, 7):
        extra = "\n\n".join(["Nobody was hurt.", *(s for s, seen in held.items() if v in seen)])
        write_version(folder, f"{v}.txt", f"25 May, 2025 0{v}:00 AM", extra)
    ingest_json(db, str(folder))
    _, out, _ = run(db, "claims", "--all", "--json")
    ids = {claim["text"]: claim["id"] for claim in json.loads(out)}

    code, out, err = run(db, "claim", str(ids[roads]), "--json")
    assert code == 0, err
    detail = json.loads(out)
    assert [o["version"] for o in detail["occurrences"]] == [1, 2, 5, 6]
    assert [o["change"] for o in detail["occurrences"]] == ["new", "same", "reappeared", "same"]
    assert detail["absences"] == [{"from_version": 3, "to_version": 4}]
    _, out, _ = run(db, "claim", str(ids[crowd]), "--json")
    gone = json.loads(out)
    assert gone["removed"] and gone["last_version"] == 3
    assert gone["absences"] == [{"from_version": 4, "to_version": 6}]

    code, out, _ = run(db, "claim", str(ids[roads]))
    rows = [line.split() for line in out.splitlines() if line.startswith("\u2502")]
    assert [row[1] for row in rows] == ["1", "2", "3-4", "5", "6"]
    assert "absent from versions 3-4" in out
    _, out, _ = run(db, "claim", str(ids[crowd]))
    assert "absent from version 4 to the latest (6)" in out
