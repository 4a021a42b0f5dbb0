"""Turn timestamp columns of any shape into UTC instants (``timestamp[us, tz=UTC]``).

- ISO 8601 text with mixed UTC offsets (``2026-01-31T10:00:00+01:00``, ``…Z``, ``+0100``,
  a zone name) becomes the UTC instant; text without an offset is read as UTC;
- numeric dates (``03/12/2026 14:05``, ``3.12.26``, ``03-12-2026``) are read day-first
  or month-first as :class:`TimeFormat` says; :func:`day_order` decides it from the data
  when one value can only be read one way (``13/11/2026``: no month 13), and says so when
  no value decides or two values disagree;
- with an explicit strftime format (``%d/%m/%Y %H:%M``) every text value is read with it;
- whole numbers are epoch seconds or milliseconds (microseconds, nanoseconds), the unit
  detected once per column from the largest magnitude;
- timestamps without a zone are read as UTC; with a zone, converted.

Parsing is vectorised by a private in-memory DuckDB connection set to UTC, so millions of
values parse in well under a second.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from parcours.analytics import arrays

UTC_US = pa.timestamp("us", tz="UTC")
NO = arrays.scalar(False, pa.bool_())

EXPECTED = (
    "expected ISO 8601 (2026-01-31T10:00:00+01:00), a numeric date (31/01/2026 10:00) "
    "or epoch seconds/milliseconds"
)


@dataclass(frozen=True)
class TimeFormat:
    """How text timestamps are read.

    ``format``: a strftime format every value must match (``%d/%m/%Y %H:%M``; ``%z``
    reads an offset, values without one are UTC). ``dayfirst``: the order of numeric
    dates (``03/12/2026``), ``None`` to decide it from the data.
    """

    format: str | None = None
    dayfirst: bool | None = None


AUTO = TimeFormat()

#: A numeric date, day and month in either order, with an optional time of day.
NUMERIC_DATE = (
    r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?:\d{4}|\d{2})"
    r"(?:(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$"
)
_TIMES = ("", " %H:%M", " %H:%M:%S", " %H:%M:%S.%f")
#: A trailing UTC offset no place has: hours over 18 or minutes over 59.
BAD_OFFSET = r"[+-](1[89]|[2-9]\d):?\d\d$|[+-]\d\d:?[6-9]\d$"
#: The instants a timestamp may be: ISO 8601's years 1 to 9999.
FIRST = dt.datetime(1, 1, 1, tzinfo=dt.UTC)
LAST = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DayOrder:
    """What the numeric dates of a column say about their order.

    ``dayfirst`` is ``None`` when no value decides (every day and month ≤ 12) or when two
    values disagree (``conflict`` then holds the index of one read the other way).
    ``evidence``: index of the first value that decides; ``example``: of the first
    numeric date; ``count``: how many values are numeric dates.
    """

    dayfirst: bool | None
    count: int
    example: int | None = None
    evidence: int | None = None
    conflict: int | None = None

    def describe(self) -> str:
        """``day-first (DD/MM/YYYY)`` or ``month-first (MM/DD/YYYY)``."""
        return "day-first (DD/MM/YYYY)" if self.dayfirst else "month-first (MM/DD/YYYY)"


def _first(mask: pa.Array) -> int | None:
    index = pc.index(pc.fill_null(mask, NO), arrays.scalar(True, pa.bool_())).as_py()
    return None if index < 0 else index


def day_order(values: pa.Array) -> DayOrder:
    """Decide whether the numeric dates among ``values`` (strings) are day-first.

    A value whose first number is over 12 (``13/11/2026``) can only be day-first, one
    whose second number is over 12 only month-first.
    """
    parts = pc.extract_regex(pc.utf8_trim_whitespace(values), NUMERIC_DATE)
    first = pc.cast(pc.struct_field(parts, "a"), pa.int32())
    second = pc.cast(pc.struct_field(parts, "b"), pa.int32())
    numeric = pc.is_valid(first)
    count = pc.sum(pc.cast(numeric, pa.int64())).as_py() or 0
    if not count:
        return DayOrder(None, 0)
    example = _first(numeric)
    twelve = arrays.scalar(12, pa.int32())
    day = pc.and_(pc.greater(first, twelve), pc.less_equal(second, twelve))
    month = pc.and_(pc.greater(second, twelve), pc.less_equal(first, twelve))
    by_day, by_month = _first(day), _first(month)
    if by_day is not None and by_month is not None:
        return DayOrder(None, count, example, by_day, by_month)
    if by_day is not None:
        return DayOrder(True, count, example, by_day)
    if by_month is not None:
        return DayOrder(False, count, example, by_month)
    return DayOrder(None, count, example)


def check_format(fmt: str) -> str:
    """``fmt`` if it is a strftime format DuckDB can read with; else :class:`BadData`."""
    from parcours.errors import BadData

    if "%" not in fmt:
        raise BadData(
            f"timestamp format {fmt!r} has no % directive; write it as strftime, "
            "e.g. '%d/%m/%Y %H:%M'"
        )
    try:
        _connection().execute(f"SELECT try_strptime('2026-01-01', {_sql_text(fmt)})").fetchall()
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0][:200]
        raise BadData(
            f"timestamp format {fmt!r} cannot be used ({reason}); write it as strftime, "
            "e.g. '%d/%m/%Y %H:%M'"
        ) from None
    return fmt


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
    # NaN, ±inf and magnitudes no unit makes an instant (epoch ns reach 9.2e18) are
    # left out, so that one such value cannot change the unit of the whole column
    plausible = pc.and_(
        pc.is_finite(as_float), pc.less(pc.abs(as_float), arrays.scalar(1e19, pa.float64()))
    )
    finite = pc.if_else(plausible, as_float, arrays.scalar(None, pa.float64()))
    max_abs = pc.max(pc.abs(finite)).as_py()
    if max_abs is None:
        return pa.nulls(len(values), UTC_US)
    micros = pc.round(
        pc.multiply(finite, arrays.scalar(_FACTOR[epoch_unit(max_abs)], pa.float64()))
    )
    # out of the representable range (year > 294k) → null, reported as a bad timestamp
    in_range = pc.less(pc.abs(micros), arrays.scalar(9.2e18, pa.float64()))
    micros = pc.if_else(in_range, micros, arrays.scalar(None, pa.float64()))
    return _plausible(pc.cast(pc.cast(micros, pa.int64()), UTC_US))


def _sql_text(value: str) -> str:
    """``value`` as a SQL string literal (quotes doubled): values are written into the
    query, not bound, because DuckDB's client imports pandas to convert bound values."""
    return "'" + value.replace("'", "''") + "'"


def _parse_text(text: pa.Array, sql: str) -> pa.Array:
    """``sql`` (over column ``s`` of the table ``parcours_ts_input``) run on ``text``."""
    con = _connection()
    arrays.load_into(con, "parcours_ts_input", arrays.table({"s": text}))
    try:
        parsed = con.execute(sql).to_arrow_table().column("t").combine_chunks()
    finally:
        con.execute("DROP TABLE parcours_ts_input")
    return pc.cast(parsed, UTC_US)


def _plausible(instants: pa.Array) -> pa.Array:
    """``instants`` with those outside years 1–9999 (ISO 8601's range) made null."""
    low = arrays.scalar(FIRST, UTC_US)
    high = arrays.scalar(LAST, UTC_US)
    keep = pc.and_(pc.greater_equal(instants, low), pc.less_equal(instants, high))
    return pc.if_else(pc.fill_null(keep, NO), instants, arrays.scalar(None, UTC_US))


def _numeric_dates(text: pa.Array, mask: pa.Array, dayfirst: bool) -> pa.Array:
    """The numeric dates of ``text`` where ``mask``, read in the given order."""
    only = pc.if_else(mask, text, arrays.scalar(None, pa.string()))
    # one separator and one space: 3.12.2026T10:05 → 3/12/2026 10:05
    only = pc.replace_substring_regex(only, r"^(\d{1,2})[.\-](\d{1,2})[.\-]", r"\1/\2/")
    only = pc.replace_substring_regex(only, r"(\s+|T)", " ")
    day_month = "%d/%m/" if dayfirst else "%m/%d/"
    formats = [day_month + year + time for year in ("%y", "%Y") for time in _TIMES]
    listed = "[" + ", ".join(_sql_text(f) for f in formats) + "]"
    return _parse_text(
        only, f"SELECT try_strptime(s, {listed})::TIMESTAMPTZ AS t FROM parcours_ts_input"
    )


def to_utc(values: pa.Array | pa.ChunkedArray, time_format: TimeFormat = AUTO) -> pa.Array:
    """Convert a column to UTC instants; unparseable values become null.

    The caller compares the nulls of the result with the nulls of the input to find the
    values that are present but not a date. Numeric dates are read in the order
    ``time_format.dayfirst`` gives (null when it is ``None``: the caller decides first,
    with :func:`day_order`).
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
    if time_format.format is not None:
        return _plausible(
            _parse_text(
                text,
                f"SELECT try_strptime(s, {_sql_text(time_format.format)})::TIMESTAMPTZ AS t "
                "FROM parcours_ts_input",
            )
        )
    numeric = pc.match_substring_regex(text, r"^[+-]?\d+(\.\d+)?$")
    numeric = pc.fill_null(numeric, NO)
    dates = pc.fill_null(pc.match_substring_regex(text, NUMERIC_DATE), NO)
    # an offset past ±18:00 (+99:99) is no offset; DuckDB would read it
    bad_offset = pc.fill_null(pc.match_substring_regex(text, BAD_OFFSET), NO)
    skip = pc.or_(pc.or_(numeric, dates), bad_offset)
    iso = pc.if_else(skip, arrays.scalar(None, pa.string()), text)
    parsed = _parse_text(
        iso,
        "SELECT CASE WHEN isfinite(t) AND t BETWEEN "
        f"{_sql_text(FIRST.isoformat())}::TIMESTAMPTZ AND {_sql_text(LAST.isoformat())}::TIMESTAMPTZ "
        "THEN t END AS t FROM (SELECT TRY_CAST(s AS TIMESTAMPTZ) AS t FROM parcours_ts_input)",
    )
    if time_format.dayfirst is not None and pc.any(dates).as_py():
        read = _numeric_dates(text, dates, time_format.dayfirst)
        parsed = pc.if_else(dates, read, parsed)
    if pc.any(numeric).as_py():
        nums = pc.cast(pc.if_else(numeric, text, arrays.scalar(None, pa.string())), pa.float64())
        parsed = pc.if_else(numeric, _numeric_to_utc(nums), parsed)
    return _plausible(parsed)
