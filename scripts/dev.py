#!/usr/bin/env python3
"""The README's two commands, needing nothing but Python 3.11+.

    python3 scripts/dev.py demo   # set up .venv, ingest data/samples into ./factcheck.db, show it
    python3 scripts/dev.py test   # set up .venv, run ruff, mypy and the whole pytest suite

The virtual environment lives in ``.venv`` (or ``$FACTCHECK_VENV``) and is refreshed when
pyproject.toml changes. The test command also runs the PostgreSQL tests when
``FACTCHECK_TEST_DATABASE_URL`` is set; CI sets it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("FACTCHECK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv() -> None:
    """Create the venv and install the project with its dev extras, once per pyproject."""
    if sys.version_info < (3, 11):  # noqa: UP036  (this script may run on an older python3)
        sys.exit("Error: factcheck needs Python 3.11 or newer")
    stamp = VENV / ".factcheck-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    pip = [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print("Installing factcheck and its dependencies ...", flush=True)
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    # "compat" editable mode puts the source folder on sys.path with a .pth line; the
    # default mode installs an import hook that adds tens of milliseconds to every start.
    subprocess.run(
        [*pip, "-e", f"{ROOT}[dev]", "--config-settings", "editable_mode=compat"], check=True
    )
    stamp.write_text(wanted)


def run(*args: str) -> None:
    print("$", " ".join(args), flush=True)
    completed = subprocess.run(args, cwd=ROOT, check=False)
    if completed.returncode:
        sys.exit(completed.returncode)


def demo() -> None:
    factcheck = str(BIN / "factcheck")
    run(factcheck, "ingest", "data/samples")
    run(factcheck, "articles")
    run(factcheck, "versions", "marrowby-floods-2025")


def test() -> None:
    python = str(BIN / "python")
    run(python, "-m", "ruff", "check", ".")
    run(python, "-m", "ruff", "format", "--check", ".")
    run(python, "-m", "mypy")
    run(python, "-m", "pytest", *sys.argv[2:])


def main() -> None:
    jobs = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in jobs:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(jobs)}}} [pytest args]")
    ensure_venv()
    # Byte-compile the package up front: with PYTHONDONTWRITEBYTECODE set (as on some CI
    # machines) every command would otherwise recompile it from source on each start.
    subprocess.run(
        [str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "factcheck")], check=True
    )
    jobs[sys.argv[1]]()


if __name__ == "__main__":
    main()
