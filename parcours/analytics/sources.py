"""Read an event log from anywhere into the standard event table.

:func:`read_events` takes a file (CSV and other delimited text, Parquet, Excel ``.xlsx``,
XES, each optionally gzipped where it makes sense), a table URL
(``duckdb:///path.db::events``, ``postgres://user@host/db::events``) or an Ibis table, and
returns an :class:`EventLog` whose ``table`` is an Ibis table with the columns

============  ===========================  ==========================================
column        type                         meaning
============  ===========================  ==========================================
case_id       string                       the case (journey, customer, session)
activity      string                       the event, touchpoint or step
timestamp     timestamp('UTC')             when it happened, as a UTC instant
position      int64                        its order in the source (ties in time)
channel       string (when mapped)         the channel of the event
outcome       string (when mapped)         e.g. converted / lost
value         float64 (when mapped)        a value (order amount…)
stage         string (when mapped)         a stage of the journey
customer_id   string (when mapped)         the customer, when cases are not customers
============  ===========================  ==========================================

Text timestamps are read as ISO 8601, epoch numbers or numeric dates (``03/12/2026
14:05``): whether those are day-first or month-first is decided from the data when a
value settles it (a day over 12) and written in the report; when none does, reading
stops and asks for ``dayfirst`` (``--dayfirst`` / ``--monthfirst``) or an explicit
``timestamp_format`` (``--timestamp-format '%d/%m/%Y %H:%M'``).

Rows with no case id, no activity or a timestamp that is not a date are *bad rows*: each
is reported with its file and line (for CSV, the physical line, the header being line 1;
for XES, the line of the ``<event>``; for Excel, the sheet row; for tables, the row) and
counted. ``on_error="fail"`` raises :class:`~parcours.errors.BadData` quoting the first
ones; ``on_error="skip"`` leaves them out and lists them in :attr:`EventLog.report` — but a
log where every row is bad (or that has no rows) is refused either way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.datatypes as dt_ibis
import pyarrow as pa
from ibis.expr.types import Table

from parcours.analytics.capped import check_size, display_name
from parcours.analytics.csvfile import read_csv_raw, scan_lines
from parcours.analytics.engine import Engine, engine_of, get_engine
from parcours.analytics.loadreport import LoadReport, bad_data_error
from parcours.analytics.mapping import STANDARD_COLUMNS, ColumnMapping, needed_columns
from parcours.analytics.parquetfile import check_parquet
from parcours.analytics.standardize import line_column, quote, standardize_arrow
from parcours.analytics.timestamps import (
    AUTO,
    EXPECTED,
    FIRST,
    LAST,
    UTC_US,
    TimeFormat,
    check_format,
    epoch_unit,
)
from parcours.errors import BadData, Problem
from parcours.limits import Limits, resolve

__all__ = ["EVENT_COLUMNS", "FORMATS", "EventLog", "LoadReport", "read_events"]

OnError = Literal["fail", "skip"]
EPOCH_MAX = 1e19  # epoch nanoseconds reach 9.2e18: a larger number is no instant
FORMATS = ("csv", "parquet", "xlsx", "xes")
EVENT_COLUMNS = ("case_id", "activity", "timestamp", "position")
OPTIONAL_TYPES: dict[str, pa.DataType] = {
    "channel": pa.string(),
    "outcome": pa.string(),
    "value": pa.float64(),
    "stage": pa.string(),
    "customer_id": pa.string(),
}


@dataclass
class EventLog:
    """An event table (lazy, on ``engine``) and the report of how it was read."""

    table: Table
    engine: Engine
    report: LoadReport


# ---------------------------------------------------------------------------------------
# File readers


def detect_format(path: Path) -> str:
    """The format of ``path`` from its name, checked against its first bytes."""
    name = path.name.lower()
    stem = name.removesuffix(".gz")
    with path.open("rb") as f:
        head = f.read(8)
    with path.open("rb") as f:
        f.seek(max(path.stat().st_size - 4, 0))
        tail = f.read(4)
    if stem.endswith((".parquet", ".pq")):
        fmt = "parquet"
    elif stem.endswith((".xlsx", ".xlsm")):
        fmt = "xlsx"
    elif stem.endswith(".xes") or stem.endswith(".xml"):
        fmt = "xes"
    elif stem.endswith((".xls", ".ods")):
        raise BadData(f"{path.name}: this spreadsheet format is not read; save it as .xlsx")
    elif stem.endswith((".csv", ".tsv", ".txt", ".tab", ".psv")):
        fmt = "csv"
    elif head.startswith(b"PAR1"):
        fmt = "parquet"
    elif head.startswith(b"PK\x03\x04"):
        fmt = "xlsx"
    else:
        fmt = "csv"
        if head.startswith(b"\x1f\x8b"):
            import gzip

            with gzip.open(path, "rb") as g:
                start = g.read(256).lstrip()
            if start.startswith((b"<?xml", b"<log")):
                fmt = "xes"
        elif head.lstrip().startswith((b"<?xml", b"<log")):
            fmt = "xes"
    expected_magic = {"parquet": b"PAR1", "xlsx": b"PK\x03\x04"}.get(fmt)
    if expected_magic is not None:
        if name.endswith(".gz"):
            raise BadData(f"{path.name}: a gzipped {fmt} file is not read; decompress it first")
        if not head.startswith(expected_magic) or (fmt == "parquet" and tail != b"PAR1"):
            raise BadData(
                f"{path.name}: the name says {fmt} but the content is not a {fmt} file "
                f"(first bytes {head[:4]!r})"
            )
    return fmt


def _read_csv(
    path: Path, mapping: ColumnMapping, limits: Limits, report: LoadReport, tf: TimeFormat
) -> tuple[pa.Table, int]:
    raw = read_csv_raw(path, mapping, limits)
    report.columns = dict(raw.resolved)
    report.encoding = raw.dialect.encoding
    report.delimiter = raw.dialect.delimiter
    if raw.dialect.encoding not in ("utf-8", "utf-8-sig"):
        why = f" ({raw.dialect.why})" if raw.dialect.why else ""
        report.notes.append(f"{report.source}: read as {raw.dialect.encoding} text{why}")
    shape_problems: list[Problem] = []

    def lines(positions: list[int]) -> dict[int, int]:
        found, shape = scan_lines(path, raw.dialect, positions, limits, limits.max_problems)
        shape_problems[:] = shape  # the same rows each scan
        return found

    table, n_bad = standardize_arrow(raw.table, raw.resolved, report, limits, lines, tf)
    if raw.bad_shape:
        report.n_rows += raw.bad_shape
        if not n_bad:
            lines([])
        merged = sorted(report.problems + shape_problems, key=lambda p: p.line or 0)
        report.problems = merged[: limits.max_problems]
    return table, n_bad + raw.bad_shape


def _read_xes(
    path: Path, mapping: ColumnMapping, limits: Limits, report: LoadReport, tf: TimeFormat
) -> tuple[pa.Table, int]:
    from parcours.analytics.xes import read_xes_raw  # lxml: only for XES logs

    raw, seen = read_xes_raw(path, mapping, limits)
    resolved = mapping.resolve(seen, report.source)
    report.columns = dict(resolved)
    for col in needed_columns(resolved):
        if col not in raw.column_names:  # an attribute seen but never with a value
            raw = raw.append_column(col, pa.nulls(raw.num_rows, pa.string()))
    return standardize_arrow(raw, resolved, report, limits, line_column(raw), tf)


def _read_xlsx(
    path: Path,
    mapping: ColumnMapping,
    limits: Limits,
    report: LoadReport,
    sheet: str | None,
    tf: TimeFormat,
) -> tuple[pa.Table, int]:
    from parcours.analytics.xlsx import read_xlsx_raw  # openpyxl: only for workbooks

    raw, resolved = read_xlsx_raw(path, mapping, limits, sheet)
    report.columns = dict(resolved)
    return standardize_arrow(raw, resolved, report, limits, line_column(raw), tf)


# ---------------------------------------------------------------------------------------
# Table standardisation (Parquet, database tables, Ibis tables): lazy, on the engine


def _ibis_timestamp(table: Table, column: str, engine: Engine) -> Any:
    col = table[column]
    typ = col.type()
    utc = dt_ibis.Timestamp(timezone="UTC", scale=6)
    if typ.is_timestamp() or typ.is_date():
        # instants outside years 1-9999 (a torn file, a sentinel) are bad rows
        instant = col.cast(utc)
        low, high = ibis.literal(FIRST, type=utc), ibis.literal(LAST, type=utc)
        return ibis.ifelse((instant >= low) & (instant <= high), instant, ibis.null(utc))
    if typ.is_integer() or typ.is_floating():
        number = col.cast("float64")
        # NaN, ±inf and magnitudes no unit makes a date (1e300) are bad rows, not errors
        plausible = number.notnull() & (number.abs() < EPOCH_MAX)
        if typ.is_floating():
            plausible = plausible & ~number.isnan() & ~number.isinf()
        number = ibis.ifelse(plausible, number, ibis.null("float64"))
        max_abs = engine.to_arrow(table.aggregate(m=number.abs().max())).column("m")[0].as_py()
        unit = epoch_unit(float(max_abs or 0))
        # to whole milliseconds
        factor = {"s": 1_000, "ms": 1, "us": 0.001, "ns": 0.000_001}[unit]
        millis = number * factor
        # past ±9.2e15 ms (year 294,000) no engine has a timestamp: null, a bad row
        millis = ibis.ifelse(millis.abs() < 9.2e15, millis, ibis.null("float64"))
        # whole seconds, then the milliseconds: the one form every engine reads (Spark
        # converts epoch seconds only)
        whole = millis.round().cast("int64")
        seconds = (whole / 1000).floor().cast("int64")
        rest = whole - seconds * 1000
        return (seconds.as_timestamp("s") + rest.as_interval("ms")).cast(utc)
    return col.cast("string").strip().try_cast(utc)


def standardize_table(
    table: Table,
    resolved: dict[str, str],
    position: str | None,
    report: LoadReport,
    limits: Limits,
    on_error: OnError,
    engine: Engine,
    exact_rows: bool = False,
) -> Table:
    """The standard event table over any Ibis table, bad rows checked by one query.

    ``exact_rows``: ``position`` holds row numbers (0-based) to quote in problems."""
    case = table[resolved["case"]].cast("string")
    activity = table[resolved["activity"]].cast("string")
    ts = _ibis_timestamp(table, resolved["timestamp"], engine)
    if position is not None:
        pos = table[position].cast("int64")
    else:  # a database table has no order: ties in time are broken by activity
        pos = ibis.row_number().over(order_by=[case, ts, activity]).cast("int64")
    fields: dict[str, Any] = {
        "case_id": case,
        "activity": activity,
        "timestamp": ts,
        "position": pos,
    }
    for role, std in STANDARD_COLUMNS.items():
        if role in ("case", "activity", "timestamp") or role not in resolved:
            continue
        src = table[resolved[role]]
        fields[std] = src.cast("float64") if std == "value" else src.cast("string")
    fields["__ts_text"] = table[resolved["timestamp"]].cast("string")
    std = table.select(**fields)
    bad = (
        std.case_id.isnull()
        | (std.case_id.strip().length() == 0)
        | std.activity.isnull()
        | (std.activity.strip().length() == 0)
        | std.timestamp.isnull()
    )
    # Trimming every id costs a full decode of the strings (DuckDB, 5M events: 1.1 s vs
    # 0.2 s). A blank id is empty or starts with one of the characters strip removes,
    # all below "!": ids >= "!" cannot be blank, so the exact check runs only on the
    # rows that fail this cheap comparison (none in a clean log).
    suspect = (
        std.case_id.isnull()
        | (std.case_id < "!")
        | std.activity.isnull()
        | (std.activity < "!")
        | std.timestamp.isnull()
    )
    # every column is counted, so that this one scan reads (and checks) all the data;
    # the timestamp's text is only for problems (the timestamp itself is read by
    # ``suspect``): casting 5M instants to text cost 1.6-2.4 s of a 5M-event analysis
    touched = {
        f"__n_{c}": std[c].count()
        for c in std.columns
        if c not in EVENT_COLUMNS and c != "__ts_text"
    }
    counts = engine.to_arrow(
        std.aggregate(n=std.count(), suspect=suspect.cast("int64").sum(), **touched)
    )
    n_rows = counts.column("n")[0].as_py() or 0
    n_bad = 0
    if counts.column("suspect")[0].as_py():
        flagged = std.filter(suspect)
        n_bad = engine.to_arrow(flagged.aggregate(bad=bad.cast("int64").sum())).column("bad")[0]
        n_bad = n_bad.as_py() or 0
    report.n_rows += n_rows
    if n_bad:
        report.n_skipped = n_bad
        first = std.filter(bad).order_by("position").limit(limits.max_problems)
        sample = engine.to_arrow(first.drop("timestamp"))  # the text says what it was
        for row in sample.to_pylist():
            if row["case_id"] is None or not row["case_id"].strip():
                why = f"case id ({resolved['case']}) is empty"
            elif row["activity"] is None or not row["activity"].strip():
                why = f"activity ({resolved['activity']}) is empty"
            elif row["__ts_text"] is None:
                why = f"timestamp ({resolved['timestamp']}) is empty"
            else:
                why = f"timestamp {quote(row['__ts_text'])} is not a date; {EXPECTED}"
            if exact_rows:
                where = f"row {row['position'] + 1}"
            else:  # no row numbers to quote: name the event
                where = f"event (case {row['case_id']!r}, activity {row['activity']!r})"
            report.problems.append(Problem(f"{where}: {why}", file=report.source))
        if on_error == "fail" or n_bad >= n_rows:
            raise bad_data_error(report, n_bad)
        std = std.filter(~bad)
    return std.drop("__ts_text")


# ---------------------------------------------------------------------------------------
# The entry point


def _split_url(source: str) -> tuple[str, str] | None:
    if "://" not in source or "::" not in source:
        return None
    url, _, name = source.rpartition("::")
    return url, name


def read_events(
    source: str | Path | Table,
    mapping: ColumnMapping | None = None,
    *,
    engine: str | Engine | None = None,
    on_error: OnError = "fail",
    limits: Limits | None = None,
    format: str | None = None,
    sheet: str | None = None,
    timestamp_format: str | None = None,
    dayfirst: bool | None = None,
) -> EventLog:
    """Read an event log into the standard event table on an engine.

    ``source``: a file path, ``URL::table`` (``duckdb:///path.db::events``), or an Ibis
    table (then run by its own backend unless ``engine`` is given). ``format``: one of
    ``csv``, ``parquet``, ``xlsx``, ``xes`` (default: from the name and first bytes).
    ``timestamp_format`` (strftime, ``%d/%m/%Y %H:%M``) and ``dayfirst`` say how text
    timestamps of CSV, Excel and XES files are read (default: decided from the data).
    ``limits``: the caps (default: :func:`parcours.limits.current_limits`, the built-in
    ones with ``PARCOURS_LIMIT_*`` environment variables applied).
    Raises :class:`~parcours.errors.BadData` (bad rows with ``on_error="fail"``, missing
    columns, unreadable file) and :class:`~parcours.errors.TooLarge` (size caps).
    """
    if on_error not in ("fail", "skip"):
        raise BadData(f"unknown on_error {on_error!r}; expected one of: fail, skip")
    limits = resolve(limits)  # given, or the defaults with PARCOURS_LIMIT_* applied
    mapping = mapping or ColumnMapping()
    tf = _time_format(timestamp_format, dayfirst)
    if isinstance(source, Table):
        _text_only(tf, "a table")
        return _from_table(source, "table", mapping, engine, on_error, limits)
    if isinstance(source, str) and (parts := _split_url(source)) is not None:
        url, name = parts
        if url.startswith("duckdb://") and not Path(url.removeprefix("duckdb://")).is_file():
            raise BadData(f"{url}: no such DuckDB database file")
        own = get_engine(url)
        try:
            table = own.con.table(name)
        except Exception as exc:
            raise BadData(f"{url}: no table {name!r} ({type(exc).__name__})") from None
        _text_only(tf, f"the table {name!r}")
        return _from_table(table, name, mapping, engine or own, on_error, limits)
    path = Path(source)
    if not path.exists():
        raise BadData(f"{path}: no such file")
    check_size(path, limits)  # a regular file (not a FIFO or a device), under the cap
    fmt = format or detect_format(path)
    if fmt not in FORMATS:
        raise BadData(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    report = LoadReport(source=display_name(path), format=fmt)
    eng = get_engine(engine)
    if fmt == "parquet":
        _text_only(tf, "a Parquet file")
        check_parquet(path, limits, path.stat().st_size)
        try:
            table, row_col = eng.read_parquet(path)
            resolved = mapping.resolve(list(table.columns), report.source)
            report.columns = dict(resolved)
            exact = row_col is not None and eng.capabilities.file_row_numbers
            events = standardize_table(
                table, resolved, row_col, report, limits, on_error, eng, exact_rows=exact
            )
        except engine_errors() as exc:  # torn pages: the engine found them while reading
            reason = str(exc).splitlines()[0][:200]
            raise BadData(
                f"{report.source}: the Parquet data cannot be read ({reason}); write the file again"
            ) from None
        return EventLog(events, eng, report)
    if fmt == "csv":
        data, n_bad = _read_csv(path, mapping, limits, report, tf)
    elif fmt == "xes":
        data, n_bad = _read_xes(path, mapping, limits, report, tf)
    else:
        data, n_bad = _read_xlsx(path, mapping, limits, report, sheet, tf)
    if n_bad:
        if on_error == "fail" or n_bad >= report.n_rows:
            raise bad_data_error(report, n_bad)
        report.n_skipped = n_bad
    if not report.n_rows:
        raise BadData(f"{report.source}: no events; the log has a header but no rows")
    return EventLog(eng.from_arrow(data), eng, report)


def engine_errors() -> tuple[type[BaseException], ...]:
    """What an engine raises on data it cannot read (DuckDB; Spark when loaded)."""
    import sys

    import duckdb

    errors: list[type[BaseException]] = [duckdb.Error]
    if "pyspark" in sys.modules:
        from pyspark.errors import PySparkException

        errors.append(PySparkException)
    if "py4j" in sys.modules:
        from py4j.protocol import Py4JJavaError

        errors.append(Py4JJavaError)
    return tuple(errors)


def _time_format(timestamp_format: str | None, dayfirst: bool | None) -> TimeFormat:
    if timestamp_format is None:
        return TimeFormat(dayfirst=dayfirst)
    if dayfirst is not None:
        raise BadData(
            "give either a timestamp format or the day order (--dayfirst/--monthfirst), "
            "not both: the format already says where the day is"
        )
    return TimeFormat(format=check_format(timestamp_format))


def _text_only(tf: TimeFormat, what: str) -> None:
    if tf != AUTO:
        raise BadData(
            f"--timestamp-format, --dayfirst and --monthfirst read text timestamps of CSV, "
            f"Excel and XES files; {what} has typed timestamps: leave those options out"
        )


def _from_table(
    table: Table,
    name: str,
    mapping: ColumnMapping,
    engine: str | Engine | None,
    on_error: OnError,
    limits: Limits,
) -> EventLog:
    own = engine_of(table)
    eng = get_engine(engine) if engine is not None else own
    if eng.con is not own.con:  # another engine: move the data through Arrow
        table = eng.from_arrow(own.to_arrow(table))
    report = LoadReport(source=name, format="table")
    resolved = mapping.resolve(list(table.columns), name)
    report.columns = dict(resolved)
    position = "position" if "position" in table.columns else None
    events = standardize_table(table, resolved, position, report, limits, on_error, eng)
    return EventLog(events, eng, report)


def empty_events() -> pa.Table:
    """An empty standard event table (Arrow), for tests and placeholders."""
    return pa.table(
        {
            "case_id": pa.array([], pa.string()),
            "activity": pa.array([], pa.string()),
            "timestamp": pa.array([], UTC_US),
            "position": pa.array([], pa.int64()),
        }
    )
