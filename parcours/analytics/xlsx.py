"""Read an Excel workbook (``.xlsx``) event log into a raw Arrow table of strings.

The file is read once into memory under the cap for Excel logs and its zip container
checked by :func:`parcours.security.check_zip` — the same checks as the map importer:
entry count, declared *and actual* decompressed bytes, compression ratio, and any XML
part declaring a DTD or entities (entity bombs, XXE) — before openpyxl opens it.

The sheet is then streamed by openpyxl's row parser (XML parsed with defusedxml) row by
row as stored: missing rows and cells are never created, so a stray cell at row 1,048,576
or column XFD costs one cell, not a billion. The declared dimension is checked against
Excel's own grid, and the cells read are counted against ``Limits.max_log_cells`` as they
come. The first non-empty row is the header; each data row keeps its sheet row number as
``__line`` for problem reports. Date cells, which carry no time zone, are read as UTC.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
from lxml import etree

from parcours.analytics.capped import display_name
from parcours.analytics.mapping import ColumnMapping, needed_columns
from parcours.errors import BadData, TooLarge
from parcours.limits import Limits, hint, too_large
from parcours.security import check_zip, read_capped

#: What openpyxl raises on a workbook whose parts are missing, torn or malformed.
PARSE_ERRORS = (
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    EOFError,
    OSError,
    zlib.error,
    zipfile.BadZipFile,
    ElementTree.ParseError,
    etree.LxmlError,
)

#: Excel's grid: rows and columns a sheet may declare.
EXCEL_ROWS = 1_048_576
EXCEL_COLUMNS = 16_384


def cell_text(value: object) -> str | None:
    """A cell as text: ISO 8601 for dates, whole floats without ``.0`` (ids, codes)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return str(value)


def zip_caps(limits: Limits) -> Limits:
    """The zip caps of an Excel event log, from the limits."""
    return limits.replace(
        max_file_bytes=limits.max_log_xlsx_bytes,
        max_entry_bytes=limits.max_log_xlsx_part_bytes,
        max_total_bytes=limits.max_log_xlsx_part_bytes * 2,
    )


def _rows(ws: Any) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """``(row number, cells present)`` as the sheet stores them, without padding."""
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as source:
        parser = WorkSheetParser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        yield from parser.parse()


def _check_dimension(ws: Any, name: str) -> None:
    dims = (ws._min_column, ws._min_row, ws._max_column, ws._max_row)
    if any(d is not None and (d < 1 or d > EXCEL_ROWS) for d in dims[1::2]) or any(
        d is not None and (d < 1 or d > EXCEL_COLUMNS) for d in dims[::2]
    ):
        raise BadData(
            f"{name}: sheet {ws.title!r} declares a size beyond Excel's grid "
            f"({EXCEL_ROWS:,} rows × {EXCEL_COLUMNS:,} columns); save it again from Excel"
        )


def read_xlsx_raw(
    path: Path, mapping: ColumnMapping, limits: Limits, sheet: str | None = None
) -> tuple[pa.Table, dict[str, str]]:
    """The mapped columns of ``sheet`` (default: the first) as strings, plus ``__line``
    and ``__position``; and the resolved mapping."""
    name = display_name(path)
    caps = zip_caps(limits)
    size = path.stat().st_size
    if size > limits.max_log_xlsx_bytes:  # the cap of logs, not of map workbooks
        raise too_large("max_log_xlsx_bytes", size, name, limits)
    data = read_capped(path, caps, what="Excel event log", display=name)
    try:
        check_zip(data, name, caps)
    except (ValueError, OSError, NotImplementedError, RuntimeError, EOFError) as exc:
        # a torn or exotic zip (a version zipfile does not know) the checks did not expect
        if isinstance(exc, BadData):
            raise
        raise BadData(f"{name}: not a valid zip archive ({_reason(exc)}); save it again") from None
    import openpyxl

    with warnings.catch_warnings():
        # openpyxl warns about workbook styles and data validation it does not read;
        # neither matters for reading cell values
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except PARSE_ERRORS as exc:
            raise BadData(f"{name}: not a readable Excel workbook ({_reason(exc)})") from None
        try:
            return _read_sheet(wb, name, mapping, limits, sheet)
        except BadData:
            raise
        except PARSE_ERRORS as exc:
            raise BadData(f"{name}: the sheet cannot be read ({_reason(exc)})") from None
        finally:
            wb.close()


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_sheet(
    wb: Any, name: str, mapping: ColumnMapping, limits: Limits, sheet: str | None
) -> tuple[pa.Table, dict[str, str]]:
    if sheet is not None and sheet not in wb.sheetnames:
        raise BadData(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(wb.sheetnames)}")
    if not wb.worksheets:
        raise BadData(f"{name}: the workbook has no sheet")
    ws = wb[sheet] if sheet is not None else wb.worksheets[0]
    if not hasattr(ws, "_get_source"):
        raise BadData(f"{name}: {ws.title!r} is a chart sheet; name a sheet of cells (--sheet)")
    _check_dimension(ws, name)
    resolved: dict[str, str] | None = None
    wanted: dict[int, str] = {}  # column number → header
    columns: dict[str, list[str | None]] = {}
    lines: list[int] = []
    cells = 0
    for number, row in _rows(ws):
        cells += len(row)
        if cells > limits.max_log_cells:
            raise TooLarge(
                f"{name}: sheet {ws.title!r} holds more than {limits.max_log_cells:,} cells "
                f"(reached at row {number:,}); split it {hint('max_log_cells')}"
            )
        values = {c["column"]: c["value"] for c in row if c["value"] is not None}
        if not values:
            continue
        if resolved is None:  # the header
            width = max(values)
            header = [""] * width
            for col, v in values.items():
                header[col - 1] = str(v).strip()
            resolved = mapping.resolve([h for h in header if h], name)
            wanted = {header.index(col) + 1: col for col in needed_columns(resolved)}
            columns = {col: [] for col in wanted.values()}
            continue
        for col_number, col in wanted.items():
            columns[col].append(cell_text(values.get(col_number)))
        lines.append(number)
    if resolved is None:
        raise BadData(f"{name}: the sheet is empty; expected a header row")
    table = {col: pa.array(values, pa.string()) for col, values in columns.items()}
    table["__line"] = pa.array(lines, pa.int64())
    table["__position"] = pa.array(np.arange(len(lines), dtype=np.int64))
    return pa.table(table), resolved
