"""Check a Parquet event log from its footer before any engine reads a row.

A Parquet file says in its footer how many rows and columns it holds; run-length encoding
lets 1 MB describe 200 million rows, which an engine would then materialise. The footer is
read (bounded by the file size, which is capped) and the file is refused when it promises
more rows than :class:`~parcours.analytics.limits.Limits` allow for its size, more columns
than a log has, or when it is not Parquet at all (only the magic bytes, a torn footer).

Parquet files may carry Arrow extension types; pyarrow before 14.0.1 unpickled some of them
while reading a schema (CVE-2023-47248, code execution). This module refuses to run on such
a pyarrow and turns the legacy auto-loading off where it still exists.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from parcours.analytics.capped import display_name
from parcours.errors import BadData, TooLarge
from parcours.limits import Limits, hint

#: The first pyarrow that does not unpickle extension types from files (CVE-2023-47248).
SAFE_PYARROW = (14, 0, 1)


def pyarrow_version() -> tuple[int, int, int]:
    parts = [*pa.__version__.split("+")[0].split("."), "0", "0"]
    major, minor, patch = (int("".join(c for c in p if c.isdigit()) or 0) for p in parts[:3])
    return major, minor, patch


def check_pyarrow() -> None:
    """Refuse an unsafe pyarrow; disable extension-type auto-loading where it exists."""
    if pyarrow_version() < SAFE_PYARROW:
        raise ImportError(
            f"pyarrow {pa.__version__} unpickles data from Parquet files (CVE-2023-47248); "
            "install pyarrow>=14.0.1"
        )
    legacy = getattr(pa, "PyExtensionType", None)
    if legacy is not None and hasattr(legacy, "set_auto_load"):
        legacy.set_auto_load(False)


check_pyarrow()


def check_parquet(path: Path, limits: Limits, size: int) -> int:
    """The row count of the Parquet file ``path`` (``size`` bytes), from its footer.

    Raises :class:`BadData` when the footer cannot be read and :class:`TooLarge` when it
    promises more rows or columns than the limits allow.
    """
    name = display_name(path)
    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise BadData(
            f"{name}: not a readable Parquet file ({reason}); write it again, "
            "or export the log as CSV"
        ) from None
    rows = meta.num_rows
    if rows < 0 or sum(meta.row_group(i).num_rows for i in range(meta.num_row_groups)) != rows:
        raise BadData(f"{name}: the Parquet footer's row counts disagree; write the file again")
    if meta.num_columns > limits.max_log_columns:
        raise TooLarge(
            f"{name}: {meta.num_columns:,} columns, over the {limits.max_log_columns:,} an event "
            f"log may have; keep the columns the log needs {hint('max_log_columns')}"
        )
    allowed = max(limits.log_rows_floor, int(size * limits.max_parquet_rows_per_byte))
    if limits.max_log_rows is not None:
        allowed = min(allowed, limits.max_log_rows)
    if rows > allowed:
        raise TooLarge(
            f"{name}: the footer promises {rows:,} rows in {size:,} bytes, over the "
            f"{allowed:,} allowed for that size (max_parquet_rows_per_byte "
            f"{limits.max_parquet_rows_per_byte:g} beyond log_rows_floor "
            f"{limits.log_rows_floor:,}); refusing a likely decompression bomb "
            f"{hint('max_parquet_rows_per_byte')}"
        )
    return rows
