"""Fixtures of the analytics tests: one suite, run on every engine.

``engine`` is parametrised over DuckDB and Spark. Spark tests carry the ``spark`` marker;
when PySpark is missing they fail (they do not skip): CI must notice a missing part.
The Spark session starts once per test session (10–12 s) and is shared.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parcours.analytics.engine import DuckDBEngine, Engine, SparkEngine

ENGINE_PARAMS = [
    pytest.param("duckdb", id="duckdb"),
    pytest.param("spark", id="spark", marks=pytest.mark.spark),
]


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[Engine]:
    """The shared Spark engine; an ImportError here fails every Spark test."""
    import pyspark  # noqa: F401  (fail, not skip, when the extra is missing)

    yield SparkEngine()


@pytest.fixture(params=ENGINE_PARAMS)
def engine(request: pytest.FixtureRequest) -> Engine:
    if request.param == "spark":
        spark: Engine = request.getfixturevalue("spark_engine")
        return spark
    return DuckDBEngine()


@pytest.fixture
def write(tmp_path: Path) -> Any:
    """Write a text or bytes file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding=encoding, newline="")
        return path

    return _write
