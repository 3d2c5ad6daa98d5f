"""Tables and JSON for the listing commands.

Listings print a rich table on a terminal and plain aligned columns when the output is piped
(like ``ls``: no box drawing for ``grep`` and ``cut`` to trip over, and no rich import and
layout, which cost about 150 ms per 100 rows). With ``--json`` they print a JSON array whose
keys are the ``as_dict()`` of each row, documented in the README, one row per line (so
``grep`` finds a row and ``jq`` reads the whole). JSON keeps non-ASCII text as is (UTF-8), so
Arabic or Hebrew survives a pipe unchanged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.table import Table


class Row(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def rows_json(rows: Iterable[Row]) -> str:
    """A JSON array with one compact object per line.

    ``json.dumps`` with ``indent`` runs the pure-Python encoder, about ten times slower than
    the C one; for 10,000 claims that was most of a listing's time."""
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder, not one per row
    encoded = [encode(row.as_dict()) for row in rows]
    if not encoded:
        return "[]"
    return "[\n  " + ",\n  ".join(encoded) + "\n]"


def table(
    title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> Table | str:
    """A rich table on a terminal, plain aligned text otherwise."""
    if not sys.stdout.isatty():
        return plain_table(title, columns, rows)
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        # Text, not str: rich would read "[bold]" in an article title as markup.
        grid.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return grid


def plain_table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Columns padded to their widest cell, separated by two spaces; one line per row."""
    cells = [
        [" ".join(("" if cell is None else str(cell)).split()) for cell in row] for row in rows
    ]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = [title] if title else []
    for row in [list(columns), *cells]:
        lines.append(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return "\n".join(lines) + "\n"
