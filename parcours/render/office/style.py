"""How the workbook's cells look: one font, the map's colours as tints, borders, and the
rows and pages fitted to what they hold.

Every text goes through :func:`put`: a text that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``, tab, carriage return) is stored as a text cell with Excel's
quote prefix, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parcours.render import fonts
from parcours.render.office.sheets import cell_text
from parcours.render.theme import Theme, tint
from parcours.security import is_formula_like

FONT = "Arial"  # one font on every cell, one every spreadsheet program has (or maps)

# -- colours ----------------------------------------------------------------------------------
THEME = Theme()  # the only owner of colours: cells are tints of the map's colours


def cell_tint(colour: str, amount: float = 0.4) -> str:
    """``#rrggbb`` as an Excel fill ``RRGGBB``, ``amount`` of the colour on white."""
    return tint(colour, amount).lstrip("#").upper()


SEVERITY_FILLS = {key: cell_tint(c) for key, c in THEME.severity_colors.items()}
PRIORITY_FILLS = {key: cell_tint(c) for key, c in THEME.priority_colors.items()}
EMOTION_FILLS = {
    score: cell_tint(c) for score, c in zip(range(-2, 3), THEME.emotion_colors, strict=True)
}
GOOD, BAD = cell_tint(THEME.good), cell_tint(THEME.bad)


def fill(hex_colour: str) -> PatternFill:
    return PatternFill("solid", start_color=hex_colour, end_color=hex_colour)


THIN = Side(style="thin", color="D0D4DA")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


# -- writing one cell -----------------------------------------------------------------------
def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value; texts are always text cells, formula-like ones with a quote prefix."""
    cell = ws.cell(row=row, column=column)
    if value is None:
        return cell
    if isinstance(value, str):
        value = cell_text(value)
        cell.value = value
        cell.data_type = "s"  # openpyxl would make '=…' a formula; it stays text
        if is_formula_like(value):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = value
    elif isinstance(value, dt.datetime | dt.date | int | float):
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
    else:  # pragma: no cover - callers pass plain values
        raise TypeError(f"cannot write {type(value).__name__} to a cell")
    return cell


def header_row(ws: Worksheet, headers: list[str], widths: Iterable[int]) -> None:
    for column, (header, width) in enumerate(zip(headers, widths, strict=False), start=1):
        cell = put(ws, 1, column, header)
        cell.font = Font(name=FONT, bold=True, color="FFFFFF")
        cell.fill = fill("34495E")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"  # the header on every printed page
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"


def fit_rows(ws: Worksheet, first_row: int = 1) -> None:
    """Give each row the height its wrapped texts need (LibreOffice does not grow rows)."""
    widths: dict[int, float] = {}
    heights: dict[int, float] = {}
    merged = {(r.min_row, r.min_col) for r in ws.merged_cells.ranges if r.max_col > r.min_col}
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if not isinstance(cell.value, str) or (cell.row, cell.column) in merged:
                continue
            column = cell.column
            if column not in widths:
                width = ws.column_dimensions[get_column_letter(column)].width
                widths[column] = width or 10
            # a column unit is the width of "0" in Arial 11 (8 px); 6 px of cell padding. The
            # text is measured with Noto Sans, wider than Arial, so what fits here fits there.
            points = float(cell.font.sz or 11) if cell.font is not None else 11.0
            box = widths[column] * 8 + 5 - 6
            bold = 700 if cell.font is not None and cell.font.b else 400
            lines = len(fonts.wrap(cell.value, box, points * 96 / 72, bold).lines)
            heights[cell.row] = max(heights.get(cell.row, 1), lines * points * 1.25)
    for row, needed in heights.items():
        if ws.row_dimensions[row].hidden:
            continue
        ws.row_dimensions[row].height = max(ws.row_dimensions[row].height or 0, needed + 4)
