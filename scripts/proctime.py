"""Timing whole processes for the benchmarks in this folder.

The machine is small and noisy, so commands that are compared are run in turns (A, B, C,
A, B, C, ...) rather than one after the other: a slow spell then hits every command alike
instead of biasing whichever ran during it. Results are medians in milliseconds.
"""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Sequence


def interleaved_ms(commands: Sequence[Sequence[str]], repeat: int = 11) -> list[float]:
    """The median wall time of each command, the commands run in turns ``repeat`` times."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for index, command in enumerate(commands):
            start = time.perf_counter()
            subprocess.run(list(command), check=True, capture_output=True)
            times[index].append((time.perf_counter() - start) * 1000)
    return [statistics.median(sample) for sample in times]
