"""Read an Excel workbook (``.xlsx``) event log into a raw Arrow table of strings.

The zip container is checked first (entry count, declared sizes, compression ratio); the
sheet is then streamed row by row by openpyxl in read-only mode (which parses its XML
with defusedxml when installed, as here). The first non-empty row is the header; each
data row keeps its sheet row number as ``__line`` for problem reports. Date cells, which
carry no time zone, are read as UTC.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa

from parcours.analytics.limits import Limits, check_zip, display_name
from parcours.analytics.mapping import ColumnMapping, needed_columns
from parcours.errors import BadData


def cell_text(value: object) -> str | None:
    """A cell as text: ISO 8601 for dates, whole floats without ``.0`` (ids, codes)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def read_xlsx_raw(
    path: Path, mapping: ColumnMapping, limits: Limits, sheet: str | None = None
) -> tuple[pa.Table, dict[str, str]]:
    """The mapped columns of ``sheet`` (default: the first) as strings, plus ``__line``
    and ``__position``; and the resolved mapping."""
    name = display_name(path)
    check_zip(path, limits)
    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about workbook styles and data validation it does not read;
        # neither matters for reading cell values
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise BadData(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(wb.sheetnames)}")
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            resolved: dict[str, str] | None = None
            wanted: list[tuple[str, int]] = []
            columns: dict[str, list[str | None]] = {}
            lines: list[int] = []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if all(v is None for v in row):
                    continue
                if resolved is None:  # the header
                    header = [str(v).strip() if v is not None else "" for v in row]
                    resolved = mapping.resolve(header, name)
                    wanted = [(col, header.index(col)) for col in needed_columns(resolved)]
                    columns = {col: [] for col, _ in wanted}
                    continue
                for col, i in wanted:
                    columns[col].append(cell_text(row[i]) if i < len(row) else None)
                lines.append(number)
        finally:
            wb.close()
    if resolved is None:
        raise BadData(f"{name}: the sheet is empty; expected a header row")
    data = {col: pa.array(values, pa.string()) for col, values in columns.items()}
    data["__line"] = pa.array(lines, pa.int64())
    data["__position"] = pa.array(np.arange(len(lines), dtype=np.int64))
    return pa.table(data), resolved
