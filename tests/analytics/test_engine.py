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
