"""The console entry point.

``factcheck --version`` is answered here, before the command-line framework is imported,
so that it costs little more than starting Python; everything else goes to
``factcheck.cli``.
"""

from __future__ import annotations

import gc
import sys

from factcheck import __version__


def main() -> None:
    # Start-up imports make a few hundred thousand objects that live until exit, and every
    # automatic collection during start-up scans them all again: that cost a read command
    # 40 to 80 ms. The CLI turns collection back on once its imports are done
    # (``factcheck.cli._engine``); reference counting frees everything else meanwhile.
    gc.disable()
    if sys.argv[1:] == ["--version"]:
        print(f"factcheck {__version__}")
        return
    from factcheck.cli import main as run_cli

    run_cli()
