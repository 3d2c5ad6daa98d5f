"""The console entry point.

``factcheck --version`` is answered here, before the command-line framework is imported,
so that it costs little more than starting Python; everything else goes to
``factcheck.cli``.
"""

from __future__ import annotations

import sys

from factcheck import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        print(f"factcheck {__version__}")
        return
    from factcheck.cli import main as run_cli

    run_cli()
