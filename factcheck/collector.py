"""Pausing Python's cyclic garbage collector around work that builds many objects to keep.

An ingest run or a claim listing makes tens of thousands of objects that all live until
the work is done (parsed versions, extracted claims, rows, summaries). Every automatic
collection meanwhile walks the ones already promoted again and frees nothing. Reference
counting still frees whatever the work drops, and the collector comes back on, as it was,
when the work ends, also on error.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic collector off inside the block, restored to its previous state after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
