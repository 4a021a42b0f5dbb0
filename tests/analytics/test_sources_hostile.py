"""Hostile event logs: each is refused (or read) with a located message, fast."""

from __future__ import annotations

import datetime as dt
import math
import time
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from parcours.analytics import Limits, read_events
from parcours.analytics.parquetfile import SAFE_PYARROW, pyarrow_version
from parcours.errors import BadData, TooLarge


def log_table(n: int, ts: list[object] | None = None) -> pa.Table:
    return pa.table(
        {
            "case_id": [f"c{i // 3}" for i in range(n)],
            "activity": [f"A{i % 4}" for i in range(n)],
            "timestamp": ts if ts is not None else [1.7e9 + i for i in range(n)],
        }
    )


def test_pyarrow_is_safe_from_pickled_extension_types() -> None:
    assert pyarrow_version() >= SAFE_PYARROW
    legacy = getattr(pa, "PyExtensionType", None)  # gone from recent pyarrow
    assert legacy is None or not getattr(legacy, "_auto_load", False)


def test_a_parquet_footer_promising_too_many_rows_is_refused(tmp_path: Path) -> None:
    n = 3_000_000  # constant columns: run-length encoded to a few KiB
    table = pa.table(
        {
            "case_id": pa.array(["a"]).take(pa.array([0] * n)),
            "activity": pa.array(["x"]).take(pa.array([0] * n)),
            "timestamp": pa.array([1.7e9]).take(pa.array([0] * n)),
        }
    )
    path = tmp_path / "rows.parquet"
    pq.write_table(table, path, row_group_size=n)
    start = time.perf_counter()
    with pytest.raises(TooLarge, match=r"rows.parquet: the footer promises 3,000,000 rows in"):
        read_events(path)
    assert time.perf_counter() - start < 1
    # a genuine log of that shape is read once the limit is raised
    assert read_events(path, limits=Limits(log_rows_floor=n)).report.n_rows == n


@pytest.mark.parametrize("content", [b"PAR1", b"PAR1PAR1", b"PAR1\0\0\0\0PAR1", b"PAR1" * 64])
def test_a_torn_parquet_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "torn.parquet"
    path.write_bytes(content)
    with pytest.raises(BadData, match=r"^torn.parquet: not a readable Parquet file"):
        read_events(path)


def test_nan_and_huge_parquet_timestamps_are_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "nan.parquet"
    ts = [1.7e9, math.nan, 1e300, -math.inf, 1.7e9 + 60, 1.7e9 + 120]
    pq.write_table(log_table(6, ts), path)
    with pytest.raises(BadData) as err:
        read_events(path)
    assert "nan.parquet: 3 bad rows of 6" in str(err.value)
    assert "row 2: timestamp 'nan' is not a date" in str(err.value)
    log = read_events(path, on_error="skip")
    assert log.report.n_skipped == 3
    got = log.table.to_pyarrow().column("timestamp").to_pylist()
    assert min(got) == dt.datetime.fromtimestamp(1.7e9, dt.UTC)


def _workbook(path: Path, stray: tuple[int, int] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["case", "activity", "timestamp"])
    for i in range(6):
        ws.append([f"c{i // 3}", f"A{i}", f"2026-01-31T10:0{i}:00Z"])
    if stray is not None:
        ws.cell(row=stray[0], column=stray[1], value="x")
    wb.save(path)
    return path


def test_a_stray_cell_at_the_end_of_the_grid_costs_one_cell(tmp_path: Path) -> None:
    start = time.perf_counter()
    far_column = read_events(_workbook(tmp_path / "col.xlsx", (4, 16_384)))
    assert far_column.report.n_rows == 6
    with pytest.raises(BadData, match=r"row.xlsx:1048576: activity \(activity\) is empty"):
        read_events(_workbook(tmp_path / "row.xlsx", (1_048_576, 1)))
    assert time.perf_counter() - start < 2


def test_an_excel_log_with_an_entity_bomb_is_refused(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "plain.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<worksheet",
                    b'<!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
                    1,
                )
            zout.writestr(item, data)
    with pytest.raises(BadData, match=r"bomb.xlsx: 'xl/worksheets/sheet1.xml' declares a DTD"):
        read_events(bomb)


def test_the_cells_of_an_excel_log_are_counted(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "e.xlsx")
    with pytest.raises(TooLarge, match=r"e.xlsx: sheet 'Sheet' holds more than 10 cells"):
        read_events(path, limits=Limits(max_log_cells=10))


def test_xes_attribute_values_are_capped(tmp_path: Path) -> None:
    path = tmp_path / "big.xes"
    path.write_text(
        '<?xml version="1.0"?>\n<log><trace>\n<string key="concept:name" value="'
        + "a" * 2_000_000
        + '"/><event><string key="concept:name" value="x"/>'
        '<date key="time:timestamp" value="2026-01-01T00:00:00Z"/></event></trace></log>'
    )
    with pytest.raises(TooLarge, match=r"big.xes:3: attribute 'concept:name' holds 2,000,000"):
        read_events(path)


def test_deep_xes_nesting_is_a_located_message(tmp_path: Path) -> None:
    path = tmp_path / "deep.xes"
    path.write_text("<log>\n<trace>\n" + '<list key="l">' * 10_000 + "</list>" * 10_000)
    with pytest.raises(BadData, match=r"deep.xes:3: not well-formed XML: elements nested deeper"):
        read_events(path)


@pytest.mark.slow
def test_a_refused_gzip_bomb_never_aborts_the_process(tmp_path: Path) -> None:
    import gzip
    import os
    import subprocess
    import sys

    path = tmp_path / "bomb.csv.gz"
    member = gzip.compress(b"c1,A,2026-01-31T10:00:00Z\n" * 40_000, compresslevel=9, mtime=0)
    with path.open("wb") as f:
        f.write(gzip.compress(b"case,activity,timestamp\n", mtime=0))
        for _ in range(400):
            f.write(member)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    for _ in range(4):  # it aborted about one run in nine, in every run on a loaded machine
        done = subprocess.run(
            [sys.executable, "-m", "parcours", "analyze", str(path)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("error: bomb.csv.gz: compression ratio over 200:1")
        assert "terminate called" not in done.stderr
