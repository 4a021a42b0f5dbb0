"""Arrow arrays built, and read back, without importing pandas.

pyarrow imports pandas (0.3 s, when it is installed) the first time ``pa.array()``,
``pa.table()`` of a dict or ``pa.scalar()`` converts Python or numpy values, and when a
time-zone-aware timestamp becomes a Python ``datetime``. The command line's analyses need
neither: these helpers build arrays from their buffers and read timestamps as UTC, so that
a command pays only for what it uses (tested: no analysis command imports pandas).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pyarrow as pa

_NUMPY = {
    pa.int8(): np.int8,
    pa.int16(): np.int16,
    pa.int32(): np.int32,
    pa.int64(): np.int64,
    pa.uint64(): np.uint64,
    pa.float64(): np.float64,
}


def numbers(values: np.ndarray | Sequence[int] | Sequence[float], type: pa.DataType) -> pa.Array:
    """A numeric array of ``type`` (int8…int64, uint64, float64; no nulls) from numpy or
    Python numbers."""
    data = np.ascontiguousarray(values, dtype=_NUMPY[type])
    return pa.Array.from_buffers(type, len(data), [None, pa.py_buffer(data)])


def _validity(present: np.ndarray) -> pa.Buffer | None:
    if bool(present.all()):
        return None
    return pa.py_buffer(np.packbits(present, bitorder="little"))


def strings(texts: Sequence[str | None]) -> pa.Array:
    """A string array of ``texts`` (``None``: null), about as fast as ``pa.array()``."""
    n = len(texts)
    if None in texts:
        present = np.fromiter((t is not None for t in texts), dtype=bool, count=n)
        clean: Sequence[str] = [t or "" for t in texts]
    else:
        present, clean = np.ones(n, dtype=bool), texts  # type: ignore[assignment]
    text = "".join(clean)
    blob = text.encode("utf-8")
    ascii_only = len(blob) == len(text)  # then a byte a character
    lengths = map(len, clean) if ascii_only else map(len, map(str.encode, clean))
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(lengths, dtype=np.int64, count=n), out=offsets[1:])
    large = len(blob) >= 2**31
    buffers = [
        _validity(present),
        pa.py_buffer(offsets if large else offsets.astype(np.int32)),
        pa.py_buffer(blob),
    ]
    return pa.Array.from_buffers(pa.large_string() if large else pa.string(), n, buffers)


def table(columns: dict[str, pa.Array]) -> pa.Table:
    """A table of ready arrays (``pa.table()`` of a dict converts through pandas' checks)."""
    return pa.Table.from_arrays(list(columns.values()), names=list(columns))


def booleans(values: np.ndarray | Sequence[bool]) -> pa.Array:
    """A boolean array (no nulls)."""
    bits = np.asarray(values, dtype=bool)
    packed = np.packbits(bits, bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(bits), [None, pa.py_buffer(packed)])


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def scalar(value: Any, type: pa.DataType) -> pa.Scalar:
    """A scalar of ``type`` for ``value`` (``None``, a bool, a number, a text, or an aware
    ``datetime`` for a microsecond timestamp type): compute functions given Python values
    convert them through pyarrow's pandas checks."""
    if value is None:
        return pa.nulls(1, type)[0]
    if pa.types.is_boolean(type):
        return booleans([value])[0]
    if pa.types.is_string(type):
        return strings([value])[0]
    if pa.types.is_timestamp(type):
        assert type.unit == "us", type
        micros = numbers([(value - _EPOCH) // timedelta(microseconds=1)], pa.int64())
        return pa.Array.from_buffers(type, 1, micros.buffers())[0]
    return numbers([value], type)[0]


#: Up to this many rows, an Arrow table reaches DuckDB through a Parquet file: handing it
#: over as a Python object makes DuckDB import ``pyarrow.dataset``, which imports pandas
#: (0.3 s); past it, writing the file costs more than that (about 0.4 s a million rows).
THROUGH_FILE_ROWS = 250_000


def load_into(con: Any, name: str, data: pa.Table, folder: str | None = None) -> None:
    """``CREATE TEMP TABLE name`` on the DuckDB connection ``con`` holding ``data``
    (small tables through a Parquet file in ``folder``, removed at once)."""
    if data.num_rows > THROUGH_FILE_ROWS:
        view = f"{name}__arrow"
        con.register(view, data)
        try:
            con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM "{view}"')
        finally:
            con.unregister(view)
        return
    import pyarrow.parquet as pq

    handle, path = tempfile.mkstemp(suffix=".parquet", dir=folder)
    os.close(handle)
    try:
        pq.write_table(data, path, compression="none")
        # no parameters: DuckDB's client imports pandas to convert Python values
        literal = "'" + path.replace("'", "''") + "'"
        con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT * FROM read_parquet({literal})')
    finally:
        os.unlink(path)


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None else None


def column(values: pa.Array) -> list[Any]:
    """``values.to_pylist()``, a time-zone-aware timestamp read as a UTC ``datetime``."""
    if pa.types.is_timestamp(values.type) and values.type.tz is not None:
        return [_utc(v) for v in values.cast(pa.timestamp(values.type.unit)).to_pylist()]
    return values.to_pylist()


def rows(data: pa.Table) -> list[dict[str, Any]]:
    """``data.to_pylist()``, time-zone-aware timestamps read as UTC ``datetime`` values."""
    aware = [f.name for f in data.schema if pa.types.is_timestamp(f.type) and f.type.tz is not None]
    if not aware:
        return data.to_pylist()
    for name in aware:
        i = data.schema.get_field_index(name)
        naive = data.column(i).cast(pa.timestamp(data.schema.field(i).type.unit))
        data = data.set_column(i, name, naive)
    out = data.to_pylist()
    for row in out:
        for name in aware:
            row[name] = _utc(row[name])
    return out
