"""Engines chosen by name or URL; a missing extra is one clear error."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from parcours.analytics import engine as engine_module
from parcours.analytics import get_engine
from parcours.analytics.engine import DUCKDB_CAPABILITIES, DuckDBEngine
from parcours.errors import BadData, MissingExtra


def test_engines_by_name_and_url(tmp_path: Path) -> None:
    duck = get_engine("duckdb")
    assert isinstance(duck, DuckDBEngine)
    assert duck.capabilities == DUCKDB_CAPABILITIES
    assert get_engine(duck) is duck
    assert get_engine(f"duckdb://{tmp_path / 'x.db'}").name == "duckdb"
    with pytest.raises(BadData, match="unknown engine 'oracle'; expected one of: duckdb, spark"):
        get_engine("oracle")


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_spark_session", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if not installed
    with pytest.raises(MissingExtra, match=r"pip install 'parcours\[spark\]'"):
        get_engine("spark")


def test_csv_that_turns_cp1252_after_the_sample(write: object) -> None:
    from parcours.analytics import read_events

    head = "case,activity,timestamp\n" + "c,A,2026-01-31T10:00:00Z\n" * 4000  # > 64 KiB
    path = Path(str(write("e.csv", b"")))
    path.write_bytes(head.encode() + "c,Réglé,2026-01-31T10:00:01Z\n".encode("cp1252"))
    log = read_events(path)
    last = log.table.order_by(log.table.position.desc()).limit(1).to_pyarrow().to_pylist()[0]
    assert last["activity"] == "Réglé"


def test_an_analysis_loads_only_what_it_uses(tmp_path: Path) -> None:
    """Analysing a Parquet log on DuckDB loads one SQL compiler (DuckDB's), not Ibis'
    twenty, and neither pydantic nor the readers of other formats; every compiler is
    still there when asked for."""
    import subprocess

    import pyarrow as pa
    import pyarrow.parquet as pq

    log = tmp_path / "log.parquet"
    pq.write_table(
        pa.table(
            {
                "case_id": ["a", "a", "b"],
                "activity": ["x", "y", "x"],
                "timestamp": pa.array([1, 2, 3], pa.timestamp("s", tz="UTC")),
            }
        ),
        log,
    )
    code = f"""
import sys
from parcours.analytics import analyze, read_events
result = analyze(read_events({str(log)!r}))
assert result["dfg"] == [["x", "y", 1]], result["dfg"]
loaded = sorted(m.rpartition(".")[2] for m in sys.modules
                if m.startswith("ibis.backends.sql.compilers."))
heavy = [m for m in ("pydantic", "lxml", "openpyxl", "pandas") if m in sys.modules]
import ibis
from ibis.backends.sql.compilers import PostgresCompiler
import ibis.backends.sql.compilers as sc
assert sc.trino.compiler.dialect.__name__ == "Trino"
sql = ibis.to_sql(ibis.table({{"a": "int64"}}, name="t").a.sum(), dialect="postgres")
print(loaded, heavy, PostgresCompiler.__name__, "SUM" in sql)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "['_compat',",
        "'base',",
        "'duckdb']",
        "[]",
        "PostgresCompiler",
        "True",
    ]
