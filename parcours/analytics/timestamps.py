"""Turn timestamp columns of any shape into UTC instants (``timestamp[us, tz=UTC]``).

- ISO 8601 text with mixed UTC offsets (``2026-01-31T10:00:00+01:00``, ``…Z``, ``+0100``,
  a zone name) becomes the UTC instant; text without an offset is read as UTC;
- whole numbers are epoch seconds or milliseconds (microseconds, nanoseconds), the unit
  detected once per column from the largest magnitude;
- timestamps without a zone are read as UTC; with a zone, converted.

Parsing is vectorised by a private in-memory DuckDB connection set to UTC, so millions of
values parse in well under a second.
"""

from __future__ import annotations

import threading

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

UTC_US = pa.timestamp("us", tz="UTC")

EXPECTED = "expected ISO 8601 (2026-01-31T10:00:00+01:00) or epoch seconds/milliseconds"

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    con = getattr(_local, "con", None)
    if con is None:
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        _local.con = con
    return con


def epoch_unit(max_abs: float) -> str:
    """Unit of epoch numbers whose largest magnitude is ``max_abs``.

    Below 1e11 seconds (year 5138) it is seconds; below 1e14 milliseconds (1973 onward
    when read as ms); then microseconds; then nanoseconds.
    """
    if max_abs < 1e11:
        return "s"
    if max_abs < 1e14:
        return "ms"
    if max_abs < 1e17:
        return "us"
    return "ns"


_FACTOR = {"s": 1_000_000.0, "ms": 1_000.0, "us": 1.0, "ns": 0.001}


def _numeric_to_utc(values: pa.Array) -> pa.Array:
    """Epoch numbers (any numeric type) to UTC instants; unit detected from the magnitude."""
    as_float = pc.cast(values, pa.float64())
    finite = pc.if_else(pc.is_finite(as_float), as_float, pa.scalar(None, pa.float64()))
    max_abs = pc.max(pc.abs(finite)).as_py()
    if max_abs is None:
        return pa.nulls(len(values), UTC_US)
    micros = pc.round(pc.multiply(finite, _FACTOR[epoch_unit(max_abs)]))
    # out of the representable range (year > 294k) → null, reported as a bad timestamp
    in_range = pc.less(pc.abs(micros), 9.2e18)
    micros = pc.if_else(in_range, micros, pa.scalar(None, pa.float64()))
    return pc.cast(pc.cast(micros, pa.int64()), UTC_US)


def to_utc(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Convert a column to UTC instants; unparseable values become null.

    The caller compares the nulls of the result with the nulls of the input to find the
    values that are present but not a date.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    typ = values.type
    if pa.types.is_timestamp(typ):
        if typ.tz is None:
            return pc.cast(pc.assume_timezone(values, "UTC"), UTC_US)
        return pc.cast(values, UTC_US)
    if pa.types.is_date(typ):
        return pc.cast(pc.cast(values, pa.timestamp("us")), UTC_US)
    if pa.types.is_integer(typ) or pa.types.is_floating(typ):
        return _numeric_to_utc(values)
    if pa.types.is_null(typ):
        return pa.nulls(len(values), UTC_US)
    if pa.types.is_large_string(typ):
        values = pc.cast(values, pa.string())
    if not pa.types.is_string(typ) and not pa.types.is_large_string(typ):
        values = pc.cast(values, pa.string())
    text = pc.utf8_trim_whitespace(values)
    numeric = pc.match_substring_regex(text, r"^[+-]?\d+(\.\d+)?$")
    numeric = pc.fill_null(numeric, False)
    tbl = pa.table({"s": pc.if_else(numeric, pa.scalar(None, pa.string()), text)})
    con = _connection()
    con.register("parcours_ts_input", tbl)
    try:
        parsed = (
            con.execute("SELECT TRY_CAST(s AS TIMESTAMPTZ) AS t FROM parcours_ts_input")
            .to_arrow_table()
            .column("t")
            .combine_chunks()
        )
    finally:
        con.unregister("parcours_ts_input")
    parsed = pc.cast(parsed, UTC_US)
    if pc.any(numeric).as_py():
        nums = pc.cast(pc.if_else(numeric, text, pa.scalar(None, pa.string())), pa.float64())
        parsed = pc.if_else(numeric, _numeric_to_utc(nums), parsed)
    return parsed
