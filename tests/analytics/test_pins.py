"""The versions ibis 12 needs, guarded by creating a table through Ibis on DuckDB.

ibis-framework 12 breaks with duckdb >= 2 (``fetch_arrow_table`` removed: most queries
after the first fail) and with sqlglot >= 30.18 (``create_table``, ``insert`` and memtables
fail to parse). pyarrow must be >= 14.0.1 (CVE-2023-47248, arbitrary code execution when
reading a crafted IPC or Parquet file).
"""

from __future__ import annotations

from importlib.metadata import version

import ibis
import pyarrow as pa


def _v(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version(name).split(".")[:3] if p.isdigit())


def test_pinned_versions() -> None:
    assert (12,) <= _v("ibis-framework") < (13,)
    assert (1, 5, 6) <= _v("duckdb") < (2,)
    assert (28,) <= _v("sqlglot") < (30, 18)
    assert _v("pyarrow") >= (14, 0, 1)


def test_ibis_creates_inserts_and_queries_on_duckdb() -> None:
    con = ibis.duckdb.connect()
    table = con.create_table("t", pa.table({"a": [1, 2, 3], "b": ["x", "y", "x"]}))
    con.insert("t", pa.table({"a": [4], "b": ["y"]}))
    # a memtable from Arrow (from a dict it goes through pandas, which warns on pandas 3)
    mem = ibis.memtable(pa.table({"b": ["x", "y"], "label": ["ex", "why"]}))
    j = table.join(mem, "b")
    joined = j.group_by("label").agg(n=j.count(), s=j.a.sum())
    first = joined.order_by("label").to_pyarrow().to_pylist()
    second = joined.order_by("label").to_pyarrow().to_pylist()  # the second query too
    assert first == second == [{"label": "ex", "n": 2, "s": 4}, {"label": "why", "n": 2, "s": 6}]


def test_spark_extra_pins() -> None:
    # the extra ``parcours[spark]``: ibis' pyspark backend caps pyspark < 4.1
    assert (3, 5) <= _v("pyspark") < (4, 1)
