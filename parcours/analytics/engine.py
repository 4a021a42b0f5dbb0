"""Engines: the Ibis backend that runs analytics, and what it can do.

An :class:`Engine` wraps an Ibis backend and declares its :class:`Capabilities`; the
analytics code asks the capabilities, never the engine's name. Engines are chosen by name
or URL with :func:`get_engine`:

- ``"duckdb"`` (default): an embedded in-memory DuckDB, time zone UTC;
- ``"duckdb:///path/to/file.db"``: a DuckDB database file;
- ``"spark"``: PySpark ``local[2]`` (extra ``parcours[spark]``, Java 17), one session per
  process, shared by every Spark engine;
- any other Ibis URL (``postgres://user@host/db``…): that backend, with the generic
  capabilities of SQL engines.
"""

from __future__ import annotations

import atexit
import gc
import os
import re
import shutil
import tempfile
import threading
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from parcours.analytics.ibisload import defer_sql_compilers
from parcours.errors import BadData, MissingExtra, TooLarge

SPARK_HINT = "pip install 'parcours[spark]' (PySpark and Java 17)"


@dataclass(frozen=True)
class Capabilities:
    """What an engine does well or at all; analytics code branches on these only.

    - ``ordered_collect``: ``collect(order_by=…)`` (ordered ``array_agg``) is supported;
      otherwise ordered lists are built by sorting collected structs;
    - ``dictionary_encode``: sorting and grouping on small integers instead of strings pays
      off (single-node columnar engines); distributed engines skip it;
    - ``file_row_numbers``: Parquet files are read with their exact row numbers (quoted
      in problems); otherwise with an increasing id that gives the source order only;
    - ``epoch_micros``: the engine's built-in function from a timestamp to integer
      microseconds since 1970 (``epoch_us`` in DuckDB, ``unix_micros`` in Spark). Time
      arithmetic on integers is ~100× cheaper than interval functions on zoned
      timestamps (measured: DuckDB ``date_diff`` on TIMESTAMPTZ, 5M rows, 6.6 s vs
      0.06 s). ``None``: portable ``delta`` arithmetic.
    - ``order_hash``: the engine's built-in 64-bit hash of an integer, with a
      ``bit_xor`` aggregate (``hash`` in DuckDB). Variants are then grouped by two
      order-aware hashes per case instead of ordered lists, checked for collisions
      (see :mod:`parcours.analytics.paths`). ``None``: exact ordered lists.
    """

    ordered_collect: bool = False
    dictionary_encode: bool = False
    file_row_numbers: bool = False
    epoch_micros: str | None = None
    order_hash: str | None = None


DUCKDB_CAPABILITIES = Capabilities(
    ordered_collect=True,
    dictionary_encode=True,
    file_row_numbers=True,
    epoch_micros="epoch_us",
    order_hash="hash",
)
# Spark numbers Parquet rows with monotonically increasing ids: an order, not row numbers
SPARK_CAPABILITIES = Capabilities(file_row_numbers=False, epoch_micros="unix_micros")
#: Capabilities by Ibis backend name; other backends get the portable defaults.
BACKEND_CAPABILITIES = {"duckdb": DUCKDB_CAPABILITIES, "pyspark": SPARK_CAPABILITIES}


class Engine:
    """An Ibis backend plus its declared capabilities."""

    name: str = "ibis"

    #: The most values one holistic aggregate (a median) may hold in a query, or ``None``
    #: when the engine bounds that memory itself. Medians over more values are computed a
    #: slice of the groups at a time (see :func:`parcours.analytics.analysis.analyze`).
    holistic_values: int | None = None

    def __init__(self, con: Any, capabilities: Capabilities | None = None) -> None:
        self.con = con
        self.capabilities = capabilities or Capabilities()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    def _fresh_name(self) -> str:
        return f"parcours_{uuid.uuid4().hex[:12]}"

    def from_arrow(self, data: pa.Table) -> Table:
        """Make an in-memory Arrow table an Ibis table of this engine."""
        return self.con.create_table(self._fresh_name(), data, temp=True)

    def read_parquet(self, path: Path) -> tuple[Table, str | None]:
        """Read a Parquet file; returns the table and the name of its row-number column
        (``None`` when the engine cannot number rows)."""
        return self.con.read_parquet(str(path)), None

    def cache(self, table: Table) -> Table:
        """Materialise an expression that several queries will read."""
        return table.cache()

    def to_arrow(self, expr: Any) -> pa.Table:
        if self.name == "duckdb":  # a DuckDB backend met through engine_of
            return _duckdb_arrow(self.con, expr)
        return expr.to_pyarrow()

    def close(self) -> None:
        """Let go of what the engine holds (a long-running server analyses many logs)."""


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)(i?)B", re.IGNORECASE)

#: Bytes a value held by a median is budgeted for (DuckDB 1.5, measured: 31 in one query
#: over 89M values, 14 in slices of 25M), and the fewest values a slice of medians holds
#: however small the budget.
HOLISTIC_BYTES = 32
MIN_HOLISTIC = 100_000


def size_bytes(text: str) -> int:
    """Bytes of a size written as DuckDB reads it: ``4GB`` (10^9), ``512MiB`` (2^20)…"""
    found = _SIZE.fullmatch(text.strip())
    if found is None:
        raise BadData(f"DuckDB memory limit {text!r} is not a size such as 4GB or 512MiB")
    number, unit, binary = found.groups()
    power = " KMGT".index(unit.upper() or " ")
    return int(float(number) * (1024 if binary else 1000) ** power)


class DuckDBEngine(Engine):
    name = "duckdb"
    #: The fix an over-budget error gives (the server names its own setting).
    raise_budget = "raise the budget, for example PARCOURS_DUCKDB_MEMORY_LIMIT=8GB"

    def __init__(
        self,
        path: str | None = None,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
    ) -> None:
        if path is None:
            con = ibis.duckdb.connect()
        else:
            con = ibis.duckdb.connect(path, read_only=read_only)
        con.raw_sql("SET TimeZone = 'UTC'")
        # DuckDB's default (80 % of RAM) lets one analysis take the machine; past the
        # limit it spills to disk, which is how 100M-event logs complete out of core
        limit = memory_limit or os.environ.get("PARCOURS_DUCKDB_MEMORY_LIMIT") or "4GB"
        budget = size_bytes(limit)
        # DuckDB's limit bounds its buffers, not the state of holistic aggregates (the
        # medians of 89M edge durations took 2.8 GB beyond it, 31 bytes a value): three
        # quarters of the budget go to the buffers, a quarter to medians, a slice at a time
        import duckdb

        try:
            con.raw_sql(f"SET memory_limit = '{budget * 3 // 4}B'")
        except duckdb.Error as exc:  # past what DuckDB can count
            reason = str(exc).splitlines()[0][:200]
            raise BadData(
                f"DuckDB memory limit {limit!r} is out of range ({reason}); "
                "use a size such as 4GB or 512MiB"
            ) from None
        self.budget = limit
        self.holistic_values = max(MIN_HOLISTIC, budget // 4 // HOLISTIC_BYTES)
        # spill big sorts to a private temporary folder, not to ./.tmp (DuckDB's default);
        # row order is carried by the position column, so DuckDB need not preserve it
        scratch = tempfile.mkdtemp(prefix="parcours-duckdb-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        self._scratch = scratch
        con.raw_sql(f"SET temp_directory = '{scratch}'")
        con.raw_sql("SET preserve_insertion_order = false")
        super().__init__(
            con,
            DUCKDB_CAPABILITIES,
        )

    def read_parquet(self, path: Path) -> tuple[Table, str | None]:
        with self._within_budget():
            table = self.con.read_parquet(
                str(path), table_name=self._fresh_name(), file_row_number=True
            )
        return table, "file_row_number"

    @contextmanager
    def _within_budget(self) -> Iterator[None]:
        """DuckDB running out of its share of the budget becomes :class:`TooLarge`
        saying how to raise it (not an engine error: a read would take it for a torn
        file, the command line for a bug)."""
        import duckdb

        try:
            yield
        except duckdb.OutOfMemoryException as exc:
            reason = str(exc).splitlines()[0][:160]
            raise TooLarge(
                f"the analysis needs more memory than its budget of {self.budget} "
                f"({reason}); {self.raise_budget}"
            ) from None

    def cache(self, table: Table) -> Table:
        with self._within_budget():
            return super().cache(table)

    def close(self) -> None:
        """Close the DuckDB connection (its memory) and remove its spill folder."""
        self.con.disconnect()
        shutil.rmtree(self._scratch, ignore_errors=True)

    def from_arrow(self, data: pa.Table) -> Table:
        """The table as a temporary table of the engine, loaded without pandas
        (:func:`~parcours.analytics.arrays.load_into`)."""
        from parcours.analytics.arrays import load_into

        name = self._fresh_name()
        with self._within_budget():
            load_into(self.con.con, name, data, self._scratch)
        return self.con.table(name)

    def to_arrow(self, expr: Any) -> pa.Table:
        """Execute with DuckDB's own Arrow fetch (:func:`_duckdb_arrow`)."""
        with self._within_budget():
            return _duckdb_arrow(self.con, expr)


def _duckdb_arrow(backend: Any, expr: Any) -> pa.Table:
    """Execute on Ibis' DuckDB ``backend`` with DuckDB's own Arrow fetch (Ibis' DuckDB
    result converter imports pandas, ~0.3 s, for a conversion Arrow results do not need)."""
    from ibis.formats.pyarrow import PyArrowData

    table = expr.as_table()
    backend._run_pre_execute_hooks(table)
    data = backend.con.sql(backend.compile(table)).to_arrow_table()
    result = PyArrowData.convert_table(data, table.schema())
    return expr.__pyarrow_result__(result)


_spark_lock = threading.Lock()
_spark_session: Any = None


def spark_session() -> Any:
    """The process-wide local Spark session, created on first use (10–12 s)."""
    global _spark_session
    with _spark_lock:
        if _spark_session is not None:
            return _spark_session
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise MissingExtra(f"the Spark engine needs PySpark: {SPARK_HINT}") from exc
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        scratch = Path(tempfile.gettempdir()) / "parcours-spark"
        builder = (
            SparkSession.builder.master(os.environ.get("PARCOURS_SPARK_MASTER", "local[2]"))
            .appName("parcours")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
            .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch}")
        )
        try:
            session = builder.getOrCreate()
        except Exception as exc:  # Java missing or broken: one clear sentence
            raise MissingExtra(f"cannot start Spark ({exc}); {SPARK_HINT}") from exc
        session.sparkContext.setLogLevel("ERROR")
        _spark_session = session
        return session


@contextmanager
def _spark_sockets() -> Iterator[None]:
    """PySpark leaves the local sockets it reads results from to the garbage collector,
    which then emits ResourceWarning (an error under ``-W error``). Collect them here,
    where the warning is known to be that one and harmless."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


class SparkEngine(Engine):
    name = "spark"

    def __init__(self, session: Any = None) -> None:
        session = session or spark_session()
        self.session = session
        super().__init__(
            ibis.pyspark.connect(session),
            SPARK_CAPABILITIES,
        )

    def from_arrow(self, data: pa.Table) -> Table:
        name = self._fresh_name()
        with _spark_sockets():
            if data.num_rows == 0:
                frame = self.session.createDataFrame([], schema=_spark_schema(data))
            else:
                frame = self.session.createDataFrame(data)
            frame.createOrReplaceTempView(name)
        return self.con.table(name)

    def cache(self, table: Table) -> Table:
        with _spark_sockets():
            return table.cache()

    def to_arrow(self, expr: Any) -> pa.Table:
        """Execute through Spark's own Arrow collection (not through pandas)."""
        from ibis.formats.pyarrow import PyArrowData

        table = expr.as_table()
        with _spark_sockets():
            frame = self.session.sql(self.con.compile(table))
            data = frame.toArrow()
        result = PyArrowData.convert_table(data, table.schema())
        return expr.__pyarrow_result__(result)

    def read_parquet(self, path: Path) -> tuple[Table, str | None]:
        from pyspark.sql import functions as F

        name = self._fresh_name()
        frame = self.session.read.parquet(str(path))
        # increasing with the file order (partition id in the high bits): a source order
        frame = frame.withColumn("__row", F.monotonically_increasing_id())
        frame.createOrReplaceTempView(name)
        return self.con.table(name), "__row"


def _spark_schema(data: pa.Table) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(data.schema)


ENGINE_NAMES = ("duckdb", "spark")


def get_engine(spec: str | Engine | None = None) -> Engine:
    """An engine from a name (``duckdb``, ``spark``), an Ibis URL, or an engine (returned)."""
    if isinstance(spec, Engine):
        return spec
    defer_sql_compilers()  # before a backend loads: only its own dialect's compiler
    if spec is None or spec == "duckdb":
        return DuckDBEngine()
    if spec == "spark":
        return SparkEngine()
    if spec.startswith("duckdb://"):
        path = spec.removeprefix("duckdb://")
        return DuckDBEngine(path or None)
    if "://" in spec:
        try:
            con = ibis.connect(spec)
        except ImportError as exc:
            scheme = spec.split("://")[0]
            raise MissingExtra(
                f"the {scheme!r} engine needs Ibis' {scheme.removesuffix('ql')} backend; "
                f"pip install 'ibis-framework[{scheme.removesuffix('ql')}]'"
            ) from exc
        return Engine(con)
    raise BadData(
        f"unknown engine {spec!r}; expected one of: {', '.join(ENGINE_NAMES)}, "
        "or an Ibis URL such as duckdb:///path.db or postgres://user@host/db"
    )


def engine_of(table: Table) -> Engine:
    """The engine an Ibis table belongs to (an Engine around its backend)."""
    backend = table._find_backend(use_default=True)
    name = getattr(backend, "name", "")
    engine: Engine
    if name == "pyspark":
        engine = SparkEngine(backend._session)
        engine.con = backend
        return engine
    engine = Engine(backend, BACKEND_CAPABILITIES.get(name))
    engine.name = name or "ibis"
    return engine
