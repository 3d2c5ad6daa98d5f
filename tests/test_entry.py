"""The entry point, as a user starts it: ``python -m factcheck`` in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from factcheck import __version__
from tests.conftest import SAMPLES


def factcheck(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version_is_answered_without_the_command_line_framework() -> None:
    done = factcheck("--version")
    assert (done.returncode, done.stdout) == (0, f"factcheck {__version__}\n")


def test_python_dash_m_runs_commands_and_reports_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    done = factcheck("--db", db, "ingest", str(SAMPLES / "marrowby-floods"))
    assert done.returncode == 0, done.stderr
    assert "4 new" in done.stdout
    done = factcheck("--db", db, "versions", "marrowby-floods-2025", "--json")
    assert done.returncode == 0
    assert done.stdout.count('"number"') == 4
    done = factcheck("--db", db, "show", "marrowby-floods-2025", "9")
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1
    done = factcheck("--no-such-option")
    assert done.returncode == 2


def test_usage_errors_are_one_line_with_a_hint() -> None:
    for args, message in (
        (["--no-such-option"], "Error: No such option: --no-such-option (see 'factcheck -h')"),
        (["frob"], "Error: No such command 'frob'. (see 'factcheck -h')"),
        (["show"], "Error: Missing argument 'key'. (see 'factcheck show -h')"),
        (
            ["verify", "12", "--by"],
            "Error: Option '--by' requires an argument.",
        ),
    ):
        done = factcheck(*args)
        assert (done.returncode, done.stderr) == (2, message + "\n")
        assert done.stdout == ""


def test_help_is_printed_whole() -> None:
    bare = factcheck()
    assert bare.returncode == 2  # click's convention for a command given nothing to do
    assert "Usage: factcheck" in bare.stderr + bare.stdout
    assert "review-queue" in bare.stderr + bare.stdout
    done = factcheck("show", "-h")
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: factcheck show")
