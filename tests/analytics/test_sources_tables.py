"""Parquet, Excel, DuckDB database tables and Ibis tables as event logs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parcours.analytics import ColumnMapping, analyze, read_events
from parcours.analytics.engine import Engine
from parcours.errors import BadData

UTC = dt.UTC
T0 = dt.datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


def events_table(n_cases: int = 3) -> pa.Table:
    cases, acts, times = [], [], []
    for c in range(n_cases):
        for i, act in enumerate(["Visit", "Cart", "Pay"][: c + 1]):
            cases.append(f"c{c}")
            acts.append(act)
            times.append(T0 + dt.timedelta(minutes=i * (c + 1)))
    return pa.table(
        {
            "case_id": cases,
            "activity": acts,
            "timestamp": pa.array(times, pa.timestamp("us", tz="UTC")),
            "channel": ["web"] * len(cases),
        }
    )


def rows(log: Any) -> list[dict[str, Any]]:
    return log.engine.to_arrow(log.table.order_by("position")).to_pylist()


def test_parquet_on_every_engine(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "events.parquet"
    pq.write_table(events_table(), path)
    log = read_events(path, engine=engine)
    got = rows(log)
    assert [(r["case_id"], r["activity"]) for r in got] == [
        ("c0", "Visit"), ("c1", "Visit"), ("c1", "Cart"),
        ("c2", "Visit"), ("c2", "Cart"), ("c2", "Pay"),
    ]  # fmt: skip
    assert got[0]["timestamp"] == T0
    result = analyze(log)
    assert result["dfg"] == [["Visit", "Cart", 2], ["Cart", "Pay", 1]]


def test_parquet_naive_timestamps_epoch_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "events.parquet"
    table = pa.table(
        {
            "case": ["a", "a", None, "b"],
            "event": ["X", "Y", "Z", ""],
            "ts": pa.array([1769853600, 1769853660, 1769853720, 1769853780], pa.int64()),
        }
    )
    pq.write_table(table, path)
    with pytest.raises(BadData, match=r"events.parquet: row 3: case id \(case\) is empty"):
        read_events(path)
    log = read_events(path, on_error="skip")
    assert log.report.n_skipped == 2
    got = rows(log)
    assert [r["timestamp"] for r in got] == [T0, T0 + dt.timedelta(minutes=1)]


def test_parquet_blank_ids_are_bad_rows_and_leading_spaces_are_not(tmp_path: Path) -> None:
    """The bad-row check trims only ids that sort below "!": blank ones are still caught,
    an id that merely starts with a space or a tab is kept."""
    path = tmp_path / "events.parquet"
    table = pa.table(
        {
            "case": ["a", " \t", " b", "\tc", "d", "e"],
            "event": ["X", "Y", " Z", "Z", " \t\n", ""],
            "ts": pa.array([1769853600 + i for i in range(6)], pa.int64()),
        }
    )
    pq.write_table(table, path)
    with pytest.raises(BadData, match=r"events.parquet: row 2: case id \(case\) is empty"):
        read_events(path)
    log = read_events(path, on_error="skip")
    assert (log.report.n_rows, log.report.n_skipped) == (6, 3)
    messages = [p.message for p in log.report.problems]
    assert [m.split(":")[0] for m in messages] == ["row 2", "row 5", "row 6"]
    assert [(r["case_id"], r["activity"]) for r in rows(log)] == [
        ("a", "X"),
        (" b", " Z"),
        ("\tc", "Z"),
    ]


def test_xlsx(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "events.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Case ID", "Activity", "Timestamp", "Value"])
    ws.append([1, "Visite", dt.datetime(2026, 1, 31, 10, 0), 10])
    ws.append([1, "Achat", "2026-01-31T11:00:00+01:00", "12,5"])
    ws.append([None, None, None, None])
    ws.append([2, "Visite", "pas une date", None])
    wb.save(path)
    with pytest.raises(BadData, match=r"events.xlsx:5: timestamp 'pas une date' is not a date"):
        read_events(path)
    log = read_events(path, on_error="skip")
    got = rows(log)
    assert [(r["case_id"], r["activity"], r["value"]) for r in got] == [
        ("1", "Visite", 10.0),
        ("1", "Achat", 12.5),
    ]
    assert got[1]["timestamp"] == T0


def test_duckdb_database_table(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.db"
    con = ibis.duckdb.connect(str(db))
    con.create_table("events", events_table())
    con.disconnect()
    log = read_events(f"duckdb:///{db}::events")
    assert analyze(log)["n_events"] == 6
    with pytest.raises(BadData, match="no table 'nope'"):
        read_events(f"duckdb:///{db}::nope")
    with pytest.raises(BadData, match="no such DuckDB database file"):
        read_events(f"duckdb:///{tmp_path / 'missing.db'}::events")


def test_ibis_table_with_mapping() -> None:
    data = events_table().rename_columns(["who", "what", "when", "via"])
    table = ibis.memtable(data)
    mapping = ColumnMapping(case="who", activity="what", timestamp="when", channel="via")
    log = read_events(table, mapping)
    assert log.report.columns == {
        "case": "who",
        "activity": "what",
        "timestamp": "when",
        "channel": "via",
    }
    assert analyze(log)["n_cases"] == 3


def test_nan_and_huge_epoch_numbers_are_bad_rows_on_every_engine(
    tmp_path: Path, engine: Engine
) -> None:
    import math

    import pyarrow.parquet as pq

    path = tmp_path / "events.parquet"
    ts = [1.7e9, math.nan, 1e300, -math.inf, 1.7e9 + 60]
    pq.write_table(
        pa.table({"case_id": ["c"] * 5, "activity": list("ABCDE"), "timestamp": ts}), path
    )
    log = read_events(path, engine=engine, on_error="skip")
    assert log.report.n_skipped == 3
    got = log.engine.to_arrow(log.table.order_by("timestamp")).column("activity").to_pylist()
    assert got == ["A", "E"]


def test_typed_instants_outside_years_1_to_9999_are_bad_rows_on_every_engine(
    tmp_path: Path, engine: Engine
) -> None:
    path = tmp_path / "events.parquet"
    ts = pa.array([2**62, 1_769_853_600_000_000, -(2**62)], pa.timestamp("us"))
    pq.write_table(pa.table({"case_id": ["c"] * 3, "activity": list("ABC"), "timestamp": ts}), path)
    with pytest.raises(BadData, match=r"events.parquet: 2 bad rows of 3"):
        read_events(path, engine=engine)
    log = read_events(path, engine=engine, on_error="skip")
    assert log.engine.to_arrow(log.table).column("activity").to_pylist() == ["B"]
