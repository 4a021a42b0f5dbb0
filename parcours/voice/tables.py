"""Read a table of comments or survey answers (CSV, Parquet, Excel) as text rows with lines.

The event-log readers (:mod:`parcours.analytics.sources`) map fixed roles (case, activity,
timestamp) and drop bad rows; verbatims and surveys need every row back, in input order,
with the line it came from, and columns of their own. This module reuses their checks —
format detection from name and first bytes, the size caps, the encoding and delimiter
detection of CSV files, the zip checks of workbooks — and returns :class:`Rows`:

- CSV and other delimited text (encoding settled over the whole file by the event readers'
  pass: UTF-8, else Windows-1252, else Latin-1): ``line`` is the physical line where the row starts (the
  header is line 1; a quoted value may span lines); a row with the wrong number of fields
  is a problem quoting its line;
- Excel: ``line`` is the sheet row;
- Parquet: ``line`` is the row number, 1-based (no header line).
"""

from __future__ import annotations

import csv
import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from parcours.analytics.csvfile import (
    SAMPLE_BYTES,
    CsvDialect,
    check_encoding,
    detect_delimiter,
    detect_encoding,
)
from parcours.analytics.limits import (
    DEFAULT_LIMITS,
    Limits,
    check_size,
    check_zip,
    display_name,
    open_capped,
)
from parcours.analytics.sources import detect_format
from parcours.analytics.xlsx import cell_text
from parcours.errors import BadData, Problem

FORMATS = ("csv", "parquet", "xlsx")
MAX_FIELD = 16 * 1024 * 1024  # a comment may be long; Python's csv default is 128 KiB


@dataclass
class Rows:
    """Text rows of the wanted columns, their source lines, and the problems found."""

    source: str
    format: str
    header: list[str]
    columns: dict[str, list[str | None]]  # column → values, in input order
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    n_bad_shape: int = 0

    def __len__(self) -> int:
        return len(self.lines)


def find_column(
    header: list[str],
    given: str | None,
    usual: tuple[str, ...],
    source: str,
    role: str,
    option: str,
    required: bool = True,
) -> str | None:
    """The column of ``header`` for a role: the one named (exactly or ignoring case, spaces
    and dashes), else the first usual name found; :class:`BadData` names the fix."""

    def norm(name: str) -> str:
        return name.strip().lower().replace(" ", "_").replace("-", "_")

    by_norm: dict[str, str] = {}
    for col in header:
        by_norm.setdefault(norm(col), col)
    listed = ", ".join(header) if header else "(none)"
    if given is not None:
        if given in header:
            return given
        if norm(given) in by_norm:
            return by_norm[norm(given)]
        raise BadData(
            f"{source}: column {given!r} (given with {option}) does not exist; "
            f"columns are: {listed}"
        )
    for name in usual:
        if name in by_norm:
            return by_norm[name]
    if required:
        raise BadData(
            f"{source}: no {role} column found among: {listed}; name it with {option} COLUMN"
        )
    return None


def read_header(
    path: str | Path,
    limits: Limits = DEFAULT_LIMITS,
    fmt: str | None = None,
    sheet: str | None = None,
) -> tuple[str, list[str]]:
    """The format and column names of a table file."""
    file = _checked(path, limits)
    fmt = fmt or _format(file)
    if fmt == "csv":
        return fmt, _sniff(file, limits)[2]
    if fmt == "parquet":
        import pyarrow.parquet as pq

        try:
            return fmt, list(pq.read_schema(file).names)
        except Exception as exc:
            raise BadData(f"{display_name(file)}: not a readable Parquet file ({exc})") from None
    rows = _read_xlsx(file, None, limits, sheet, header_only=True)
    return fmt, rows.header


def read_rows(
    path: str | Path,
    columns: list[str],
    limits: Limits = DEFAULT_LIMITS,
    fmt: str | None = None,
    sheet: str | None = None,
) -> Rows:
    """The ``columns`` of every data row of ``path`` as text (``None`` for empty cells)."""
    file = _checked(path, limits)
    fmt = fmt or _format(file)
    if fmt == "csv":
        return _read_csv(file, columns, limits)
    if fmt == "parquet":
        return _read_parquet(file, columns)
    return _read_xlsx(file, columns, limits, sheet)


def _checked(path: str | Path, limits: Limits) -> Path:
    file = Path(path)
    if not file.is_file():
        raise BadData(f"{file}: no such file; check the path")
    check_size(file, limits)
    return file


def _format(file: Path) -> str:
    fmt = detect_format(file)
    if fmt not in FORMATS:
        raise BadData(
            f"{file.name}: a {fmt} file holds events, not a table of rows; "
            f"expected one of: {', '.join(FORMATS)}"
        )
    return fmt


def _sniff(file: Path, limits: Limits) -> tuple[str, str, list[str]]:
    name = display_name(file)
    with open_capped(file, limits) as stream:
        sample = stream.read(SAMPLE_BYTES)
    if not sample.strip():
        raise BadData(f"{name}: the file is empty; expected a header line")
    if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadData(f"{name}: binary data, not a delimited text file")
    encoding = detect_encoding(sample, len(sample) == SAMPLE_BYTES)
    text = sample.decode(encoding, errors="replace")
    delimiter = detect_delimiter(text)
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    return encoding, delimiter, [h.strip() for h in header]


def _read_csv(file: Path, columns: list[str], limits: Limits) -> Rows:
    name = display_name(file)
    encoding, delimiter, _ = _sniff(file, limits)
    dialect = CsvDialect(encoding, delimiter)
    if encoding != "utf-16":  # the event readers' whole-file pass settles the encoding
        check_encoding(file, limits, dialect)
    try:
        return _scan_csv(file, columns, limits, dialect.encoding, delimiter)
    except UnicodeDecodeError:
        raise BadData(
            f"{name}: cannot be read as {dialect.encoding} text; save it as UTF-8"
        ) from None


def _scan_csv(
    file: Path, columns: list[str], limits: Limits, encoding: str, delimiter: str
) -> Rows:
    name = display_name(file)
    if csv.field_size_limit() < MAX_FIELD:
        csv.field_size_limit(MAX_FIELD)
    with open_capped(file, limits) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        header: list[str] | None = None
        wanted: list[int] = []
        values: list[list[str | None]] = [[] for _ in columns]
        lines: list[int] = []
        rows = Rows(name, "csv", [], {}, lines)
        previous = 0
        try:
            for row in reader:
                start = previous + 1
                previous = reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if header is None:
                    header = [h.strip() for h in row]
                    missing = [c for c in columns if c not in header]
                    if missing:
                        raise BadData(
                            f"{name}: no column {missing[0]!r}; columns are: {', '.join(header)}"
                        )
                    wanted = [header.index(c) for c in columns]
                    continue
                if len(row) != len(header):
                    rows.n_bad_shape += 1
                    if len(rows.problems) < limits.max_problems:
                        rows.problems.append(
                            Problem(
                                f"expected {len(header)} field{'s' if len(header) != 1 else ''} separated by {delimiter!r}, "
                                f"found {len(row)}; quote values that contain {delimiter!r}",
                                file=name,
                                line=start,
                            )
                        )
                    continue
                for k, i in enumerate(wanted):
                    cell = row[i]
                    values[k].append(cell if cell.strip() else None)
                lines.append(start)
        except csv.Error as exc:
            raise BadData(f"{name}:{previous + 1}: {exc}; check the quoting") from None
    if header is None:
        raise BadData(f"{name}: the file is empty; expected a header line")
    rows.header = header
    rows.columns = dict(zip(columns, values, strict=True))
    return rows


def _read_parquet(file: Path, columns: list[str]) -> Rows:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    name = display_name(file)
    try:
        schema = pq.read_schema(file)
        missing = [c for c in columns if c not in schema.names]
        if missing:
            raise BadData(
                f"{name}: no column {missing[0]!r}; columns are: {', '.join(schema.names)}"
            )
        table = pq.read_table(file, columns=columns)
    except BadData:
        raise
    except Exception as exc:
        raise BadData(
            f"{name}: not a readable Parquet file ({type(exc).__name__}: {exc})"
        ) from None
    out: dict[str, list[str | None]] = {}
    for col in columns:
        array = table.column(col).combine_chunks()
        if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
            if pa.types.is_floating(array.type):
                out[col] = [None if v is None else _number_text(v) for v in array.to_pylist()]
                continue
            array = pc.cast(array, pa.string())
        out[col] = [v if v is not None and v.strip() else None for v in array.to_pylist()]
    return Rows(name, "parquet", list(schema.names), out, list(range(1, table.num_rows + 1)))


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _read_xlsx(
    file: Path,
    columns: list[str] | None,
    limits: Limits,
    sheet: str | None,
    header_only: bool = False,
) -> Rows:
    name = display_name(file)
    check_zip(file, limits)
    import openpyxl

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        try:
            wb = openpyxl.load_workbook(file, read_only=True, data_only=True)
        except Exception as exc:
            raise BadData(f"{name}: not a readable Excel workbook ({type(exc).__name__})") from None
        try:
            if sheet is not None and sheet not in wb.sheetnames:
                raise BadData(f"{name}: no sheet {sheet!r}; sheets are: {', '.join(wb.sheetnames)}")
            ws = wb[sheet] if sheet is not None else wb.worksheets[0]
            header: list[str] | None = None
            wanted: list[int] = []
            values: list[list[str | None]] = []
            lines: list[int] = []
            for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
                if all(v is None for v in row):
                    continue
                if header is None:
                    header = [str(v).strip() if v is not None else "" for v in row]
                    if header_only:
                        break
                    missing = [c for c in columns or [] if c not in header]
                    if missing:
                        raise BadData(
                            f"{name}: no column {missing[0]!r}; columns are: {', '.join(header)}"
                        )
                    wanted = [header.index(c) for c in columns or []]
                    values = [[] for _ in wanted]
                    continue
                for k, i in enumerate(wanted):
                    text = cell_text(row[i]) if i < len(row) else None
                    values[k].append(text if text is not None and text.strip() else None)
                lines.append(number)
        finally:
            wb.close()
    if header is None:
        raise BadData(f"{name}: the sheet is empty; expected a header row")
    return Rows(name, "xlsx", header, dict(zip(columns or [], values, strict=True)), lines)
