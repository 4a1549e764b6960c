"""A table whose columns fit the terminal: the columns a clerk must see stay whole, the others are shortened.

Each cell may offer shorter forms ("09/12/2026 17:00" → "09/12 17:00"; a name with its masked ID → the name);
a narrow table takes the shorter forms first, then cuts the optional columns with "…", then leaves them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable

Cell = str | Text | tuple[str | Text, ...]
"""A cell: one text, or its forms from the longest to the shortest."""
PADDING = 2
"""Cells a column adds around its text (DataTable's cell padding on both sides)."""
MIN_CUT = 8
"""An optional column narrower than this is left out rather than cut."""


@dataclass(frozen=True)
class Column:
    """A column: its heading, and whether it must always be shown whole (code, name, status)."""

    label: str
    keep: bool = False


def _forms(cell: Cell) -> tuple[Text, ...]:
    forms = cell if isinstance(cell, tuple) else (cell,)
    return tuple(f if isinstance(f, Text) else Text(f) for f in forms)


def fit_widths(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], room: int) -> tuple[list[int], list[int]]:
    """For each column the width and which form of its cells to use (0 = longest); width 0 leaves it out."""
    count = len(columns)
    forms = [[_forms(row[i]) for row in rows] for i in range(count)]
    depth = [max((len(f) for f in forms[i]), default=1) for i in range(count)]

    def width(i: int, level: int) -> int:
        texts = [f[min(level, len(f) - 1)].cell_len for f in forms[i]]
        return max([len(columns[i].label), *texts])

    levels = [0] * count
    widths = [width(i, 0) for i in range(count)]

    def over() -> int:
        return sum(w + PADDING for w in widths if w) - room

    for i in range(count - 1, -1, -1):  # shorter forms first, optional columns from the right
        while over() > 0 and levels[i] + 1 < depth[i]:
            levels[i] += 1
            widths[i] = width(i, levels[i])
    for i in range(count - 1, -1, -1):  # then cut the optional columns, or leave them out
        if over() > 0 and not columns[i].keep:
            cut = widths[i] - over()
            widths[i] = cut if cut >= MIN_CUT else 0
    return widths, levels


class FittedTable(DataTable[str]):
    """Rows keyed by a string; `COLUMNS` says which columns must stay whole. Refits when the width changes."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows: list[tuple[str, Sequence[Cell]]] = []
        self._fitted_for = -1

    def on_mount(self) -> None:
        """Headings at once, before any row arrives."""
        self._fit()

    def set_rows(self, rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
        """Replace the rows (key, cells) and fit them to the width."""
        self._rows = list(rows)
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        """Refit when the terminal's width changes."""
        if event.size.width != self._fitted_for:
            self._fit()

    def _fit(self) -> None:
        room = self.size.width - 1 if self.size.width else 10_000
        self._fitted_for = self.size.width
        widths, levels = fit_widths(self.COLUMNS, [cells for _key, cells in self._rows], room)
        cursor = self.cursor_row
        self.clear(columns=True)
        shown = [i for i, w in enumerate(widths) if w]
        for i in shown:
            self.add_column(self.COLUMNS[i].label, width=widths[i], key=self.COLUMNS[i].label)
        for key, cells in self._rows:
            self.add_row(*(self._cell(cells[i], levels[i], widths[i]) for i in shown), key=key)
        if self._rows:
            self.move_cursor(row=min(cursor, len(self._rows) - 1))

    @staticmethod
    def _cell(cell: Cell, level: int, width: int) -> Any:
        forms = _forms(cell)
        text = forms[min(level, len(forms) - 1)].copy()
        text.truncate(width, overflow="ellipsis")
        return text
