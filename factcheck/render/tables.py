"""Terminal tables and JSON for the listing commands.

Listings print a rich table for people and, with ``--json``, a JSON array whose keys are
the ``as_dict()`` of each row, documented in the README. JSON keeps non-ASCII text as is
(UTF-8), so Arabic or Hebrew survives a pipe unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from rich.table import Table


class Row(Protocol):
    def as_dict(self) -> dict[str, Any]: ...


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def rows_json(rows: Iterable[Row]) -> str:
    return to_json([row.as_dict() for row in rows])


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Table:
    from rich.table import Table
    from rich.text import Text

    grid = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        grid.add_column(column, overflow="fold")
    for row in rows:
        # Text, not str: rich would read "[bold]" in an article title as markup.
        grid.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    return grid
