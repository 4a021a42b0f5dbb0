"""The cells of a worksheet that hold something, read once: lookups that cost nothing for
the empty ones.

openpyxl answers ``ws[row]`` by scanning every cell for the widest column and then making a
cell object for every position up to it, and ``ws.cell(r, c)`` makes one for an empty
position too; loops over rows and columns that way cost rows × cells or rows × columns, so
a small workbook with a cell far down (within the limits) took minutes and gigabytes. Here
each present cell is visited once, and the readers loop over what is there.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any


class Sparse:
    """The non-empty cells of ``ws``: by row, by column, and the sheet's extent."""

    def __init__(self, ws: Any) -> None:
        self.cells: dict[tuple[int, int], Any] = {
            place: cell
            for place, cell in ws._cells.items()  # openpyxl's own map of the cells it read
            if cell.value is not None
        }
        self.by_row: dict[int, dict[int, Any]] = defaultdict(dict)
        self.by_column: dict[int, list[tuple[int, Any]]] = defaultdict(list)
        for (row, column), cell in sorted(self.cells.items()):
            self.by_row[row][column] = cell.value
            self.by_column[column].append((row, cell.value))
        #: openpyxl's extent (empty but styled cells count): the last row and column
        self.max_row: int = ws.max_row
        self.max_column: int = ws.max_column

    def value(self, row: int, column: int) -> Any:
        cell = self.cells.get((row, column))
        return cell.value if cell is not None else None

    def cell(self, row: int, column: int) -> Any:
        """The cell object (for its type or style), or ``None`` when the place is empty."""
        return self.cells.get((row, column))

    def row(self, row: int) -> dict[int, Any]:
        """``{column: value}`` of the row's non-empty cells."""
        return self.by_row.get(row, {})

    def rows(self, first: int = 1) -> list[int]:
        """Numbers of the rows from ``first`` on that hold something, in order."""
        return sorted(r for r in self.by_row if r >= first)

    def column(self, column: int) -> list[tuple[int, Any]]:
        """``(row, value)`` of the column's non-empty cells, top to bottom."""
        return self.by_column.get(column, [])
