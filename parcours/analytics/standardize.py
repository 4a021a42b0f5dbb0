"""Typed standard columns from the raw text columns of CSV, XES and Excel logs.

:func:`standardize_arrow` turns the raw strings a file reader produced into the standard
event columns (case id, activity, UTC timestamp, position and the optional ones), finds the
bad rows (no case id, no activity, a timestamp that is not a date, a value that is not a
number) and writes the first ones in the :class:`~parcours.analytics.loadreport.LoadReport`
with their source lines. It also decides, and reports, how numeric dates are read.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from parcours.analytics import arrays
from parcours.analytics.loadreport import LoadReport
from parcours.analytics.mapping import STANDARD_COLUMNS
from parcours.analytics.timestamps import AUTO, EXPECTED, NO, TimeFormat, day_order, to_utc
from parcours.errors import BadData, Problem
from parcours.limits import Limits

# compute functions given Python values convert them through pyarrow's pandas checks
YES = arrays.scalar(True, pa.bool_())
ZERO = arrays.scalar(0, pa.int32())


def _blank(values: pa.Array) -> pa.Array:
    """True where a string value is null or only whitespace."""
    trimmed = pc.utf8_trim_whitespace(values)
    return pc.fill_null(pc.equal(pc.utf8_length(trimmed), ZERO), YES)


def _as_string(values: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_string(values.type):
        return values
    return pc.cast(values, pa.string())


def quote(value: object, limit: int = 60) -> str:
    text = str(value)
    return repr(text if len(text) <= limit else text[:limit] + "…")


def standardize_arrow(
    raw: pa.Table,
    resolved: dict[str, str],
    report: LoadReport,
    limits: Limits,
    lines: Any = None,
    time_format: TimeFormat = AUTO,
) -> tuple[pa.Table, int]:
    """Typed standard columns from a raw table; returns the good rows and the bad count.

    ``lines`` maps a list of positions to their source lines (``__line`` column when the
    raw table has one). Problems for the first bad rows are appended to ``report``.
    """
    line_of = lines if lines is not None else (lambda positions: {})
    n = raw.num_rows
    cols: dict[str, pa.Array] = {}
    bad = arrays.booleans(np.zeros(n, dtype=bool))
    reasons: list[tuple[pa.Array, Any]] = []

    case = _as_string(raw.column(resolved["case"]))
    activity = _as_string(raw.column(resolved["activity"]))
    ts_raw = raw.column(resolved["timestamp"])
    ts_raw = ts_raw.combine_chunks() if isinstance(ts_raw, pa.ChunkedArray) else ts_raw
    positions = raw.column("__position").combine_chunks()
    time_format = _decide_time_format(ts_raw, time_format, resolved, report, positions, line_of)
    timestamp = to_utc(ts_raw, time_format)
    if time_format.format is not None:
        expected = f"expected the format {time_format.format!r} (--timestamp-format)"
    else:
        expected = EXPECTED

    case_bad = _blank(case)
    act_bad = _blank(activity)
    if pa.types.is_string(ts_raw.type):
        ts_missing = _blank(ts_raw)
    else:
        ts_missing = pc.is_null(ts_raw)
    ts_bad = pc.and_(pc.is_null(timestamp), pc.invert(ts_missing))
    reasons += [
        (case_bad, lambda i: f"case id ({resolved['case']}) is empty"),
        (act_bad, lambda i: f"activity ({resolved['activity']}) is empty"),
        (ts_missing, lambda i: f"timestamp ({resolved['timestamp']}) is empty"),
        (ts_bad, lambda i: f"timestamp {quote(ts_raw[i].as_py())} is not a date; {expected}"),
    ]
    cols["case_id"] = case
    cols["activity"] = activity
    cols["timestamp"] = timestamp
    cols["position"] = positions
    for role, std in STANDARD_COLUMNS.items():
        if role in ("case", "activity", "timestamp") or role not in resolved:
            continue
        source = raw.column(resolved[role])
        if std == "value":
            text = _as_string(source)
            blank = _blank(text)
            number = _to_float(text, blank)
            value_bad = pc.and_(pc.is_null(number), pc.invert(blank))
            reasons.append(
                (
                    value_bad,
                    lambda i, text=text, col=resolved[role]: (
                        f"value {quote(text[i].as_py())} ({col}) is not a number"
                    ),
                )
            )
            cols[std] = number
        else:
            text = _as_string(source)
            cols[std] = pc.if_else(_blank(text), arrays.scalar(None, pa.string()), text)
    for mask, _ in reasons:
        bad = pc.or_(bad, mask)
    n_bad = pc.sum(bad).as_py() or 0
    report.n_rows += n
    if n_bad:
        bad_idx = pc.indices_nonzero(bad).to_pylist()[: limits.max_problems]
        bad_pos = [positions[i].as_py() for i in bad_idx]
        found = line_of(bad_pos)
        for i, pos in zip(bad_idx, bad_pos, strict=True):
            message = next(describe(i) for mask, describe in reasons if mask[i].as_py())
            line = found.get(pos)
            if line is None:
                message = f"row {pos + 1}: {message}"
            report.problems.append(Problem(message, file=report.source, line=line))
    table = pa.table(cols)
    if n_bad:
        table = table.filter(pc.invert(bad))
    return table, n_bad


def _decide_time_format(
    values: pa.Array,
    time_format: TimeFormat,
    resolved: dict[str, str],
    report: LoadReport,
    positions: pa.Array,
    line_of: Any,
) -> TimeFormat:
    """The time format to read ``values`` with: the one given, or the day order the
    numeric dates settle; written in ``report``. Raises :class:`BadData` when numeric
    dates are ambiguous (no value settles the order) or contradict each other."""
    column = resolved["timestamp"]
    if time_format.format is not None:
        report.timestamps = f"format {time_format.format!r} (given)"
        return time_format
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return time_format
    order = day_order(values)
    if not order.count:
        return time_format

    def where(index: int | None) -> str:
        assert index is not None
        pos = positions[index].as_py()
        line = line_of([pos]).get(pos)
        place = f"line {line}" if line is not None else f"row {pos + 1}"
        return f"{quote(values[index].as_py())} ({place})"

    if time_format.dayfirst is not None:
        order_text = "day-first" if time_format.dayfirst else "month-first"
        report.timestamps = f"numeric dates read {order_text} (given)"
        return time_format
    if order.dayfirst is None and order.conflict is not None:
        first, other = sorted((order.evidence or 0, order.conflict))
        raise BadData(
            f"{report.source}: the dates of column {column!r} disagree: {where(first)} "
            f"and {where(other)} cannot both be day-first or both month-first; "
            "correct the file, or give the format with --timestamp-format "
            "(e.g. '%d/%m/%Y %H:%M') and skip the others with --on-error skip"
        )
    if order.dayfirst is None:
        raise BadData(
            f"{report.source}: the dates of column {column!r} such as {where(order.example)} "
            "can be read day-first or month-first, and none of them decides (no day over "
            "12); say which with --dayfirst or --monthfirst (dayfirst=True/False), or give "
            "the format with --timestamp-format (e.g. '%d/%m/%Y %H:%M')"
        )
    decided = TimeFormat(dayfirst=order.dayfirst)
    assert order.evidence is not None
    evidence = str(values[order.evidence].as_py()).strip()
    numbers = re.findall(r"\d+", evidence)
    month = numbers[0] if order.dayfirst else numbers[1]
    report.timestamps = (  # no line number: finding it would cost a scan of the file
        f"numeric dates read {order.describe()}, as {quote(evidence)} says "
        f"(there is no month {int(month)})"
    )
    report.notes.append(f"{report.source}: {report.timestamps}")
    return decided


def _to_float(text: pa.Array, blank: pa.Array) -> pa.Array:
    """Numbers from text as spreadsheets export them; null where not a number.

    Accepts a decimal comma (``12,50``), thousands separated by spaces, no-break spaces,
    dots or commas (``1 234,50``, ``1.234,50``, ``1,234.50``) and a currency sign
    (``12,50 €``): the last of ``,`` and ``.`` is the decimal mark.
    """
    cleaned = pc.replace_substring_regex(text, r"[\s\x{a0}\x{202f}€$£]+|EUR|USD|GBP", "")
    comma_last = pc.fill_null(pc.match_substring_regex(cleaned, r"^[^,]*\.[^,]*,[^.]*$"), NO)
    dot_last = pc.fill_null(pc.match_substring_regex(cleaned, r"^[^.]*,[^.]*\.[^,]*$"), NO)
    cleaned = pc.if_else(
        comma_last,
        pc.replace_substring(cleaned, ".", ""),
        pc.if_else(dot_last, pc.replace_substring(cleaned, ",", ""), cleaned),
    )
    cleaned = pc.replace_substring(cleaned, ",", ".")
    ok = pc.fill_null(
        pc.match_substring_regex(cleaned, r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"), NO
    )
    ok = pc.and_(ok, pc.invert(blank))
    safe = pc.if_else(ok, cleaned, arrays.scalar("0", pa.string()))
    number = pc.cast(safe, pa.float64())
    ok = pc.and_(ok, pc.is_finite(number))  # 1e999 is not a value
    return pc.if_else(ok, number, arrays.scalar(None, pa.float64()))


def line_column(raw: pa.Table) -> Any:
    if "__line" not in raw.column_names:
        return None
    line = raw.column("__line").combine_chunks()
    return lambda positions: {p: line[p].as_py() for p in positions}
