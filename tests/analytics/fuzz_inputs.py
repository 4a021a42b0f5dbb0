"""Generators of plausible and hostile event logs for the reader fuzzers.

Shared by the short Hypothesis runs of the test suite and by ``bench/fuzz_readers.py``
(hundreds of thousands of inputs): each reader gets *seeds* (valid logs of its format,
with the odd things real exports contain) and byte-level *mutations* of them (bit flips,
cut, repeated, spliced or inserted pieces, hostile fragments such as a DOCTYPE, a NUL, a
lone surrogate byte). :func:`attempt` is the property: reading an input either gives an
event table or raises a :class:`~parcours.errors.ParcoursError` — anything else is a bug.
"""

from __future__ import annotations

import gzip
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parcours.analytics import Limits, read_events
from parcours.errors import ParcoursError

#: Small caps so that a fuzzed input can never take long, whatever it claims.
FUZZ_LIMITS = Limits(
    max_bytes=4 * 1024 * 1024,
    max_decompressed_bytes=16 * 1024 * 1024,
    max_log_cells=200_000,
    max_log_xlsx_bytes=4 * 1024 * 1024,
    max_log_xlsx_part_bytes=16 * 1024 * 1024,
)

TIMESTAMPS = [
    "2026-01-31T10:00:00Z",
    "2026-01-31 10:00:00+01:00",
    "31/01/2026 10:00",
    "01/31/2026",
    "1769853600",
    "1769853600000",
    "NaN",
    "1e300",
    "0000-01-01",
    "2026-13-45",
    "",
    "yesterday",
    "9" * 40,
]
VALUES = ["c1", "c2", "Visite", "Café", "a;b", 'quote"d', "multi\nline", " ", "\x00", "=1+1"]
HOSTILE = [
    b"\x00",
    b"\xff\xfe",
    b"\xe9",
    b"\x81",
    b"\r",
    b'"',
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
    b"&a;",
    b"<trace>" * 40,
    b"PAR1",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"9" * 400,
]


def csv_seed(rng: random.Random) -> bytes:
    delimiter = rng.choice([",", ";", "\t", "|"])
    header = rng.choice(
        [
            ["case_id", "activity", "timestamp"],
            ["id_client", "événement", "horodatage", "montant"],
            ["case", "activity", "timestamp", "channel", "value"],
        ]
    )
    lines = [delimiter.join(header)]
    for _ in range(rng.randint(0, 12)):
        row = [rng.choice(VALUES) for _ in header]
        row[min(2, len(row) - 1)] = rng.choice(TIMESTAMPS)
        lines.append(delimiter.join(f'"{v}"' if rng.random() < 0.2 else v for v in row))
    text = "\r\n".join(lines) if rng.random() < 0.3 else "\n".join(lines)
    data = text.encode(rng.choice(["utf-8", "utf-8-sig", "cp1252"]), errors="replace")
    return gzip.compress(data, mtime=0) if rng.random() < 0.1 else data


def xes_seed(rng: random.Random) -> bytes:
    traces = []
    for t in range(rng.randint(0, 4)):
        events = "".join(
            f'<event><string key="concept:name" value="{rng.choice(["A", "B", "&amp;"])}"/>'
            f'<date key="time:timestamp" value="{rng.choice(TIMESTAMPS)}"/></event>'
            for _ in range(rng.randint(0, 4))
        )
        traces.append(f'<trace><string key="concept:name" value="c{t}"/>{events}</trace>')
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">' + "".join(traces)
    return (body + "</log>").encode()


def parquet_seed(rng: random.Random) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = rng.randint(0, 8)
    kind = rng.choice(["float", "int", "text", "timestamp"])
    if kind == "float":
        ts: object = [
            rng.choice([1.7e9, float("nan"), 1e300, -1.0, float("inf")]) for _ in range(n)
        ]
    elif kind == "int":
        ts = [rng.choice([0, 1_769_853_600, 2**62, -(2**62)]) for _ in range(n)]
    elif kind == "text":
        ts = [rng.choice(TIMESTAMPS) for _ in range(n)]
    else:
        ts = pa.array([rng.randint(-(2**40), 2**40) for _ in range(n)], pa.timestamp("us"))
    table = pa.table(
        {
            "case_id": [rng.choice(VALUES) for _ in range(n)],
            "activity": [rng.choice(VALUES) for _ in range(n)],
            "timestamp": ts,
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink, compression=rng.choice(["snappy", "gzip", "none"]))
    return sink.getvalue()


def xlsx_seed(rng: random.Random) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(rng.choice([["case", "activity", "timestamp"], ["client", "étape", "date"]]))
    for _ in range(rng.randint(0, 6)):
        cells = [rng.choice(VALUES), rng.choice(VALUES), rng.choice([*TIMESTAMPS, 45000.5])]
        ws.append([c.replace("\x00", "") if isinstance(c, str) else c for c in cells])
    if rng.random() < 0.2:
        ws.cell(row=rng.choice([100, 1_048_576]), column=rng.choice([1, 16_384]), value="x")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four random byte-level edits of ``data``."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(6)
        at = rng.randint(0, len(out))
        if op == 0 and out:  # flip a byte
            i = rng.randrange(len(out))
            out[i] = rng.randrange(256)
        elif op == 1:  # cut
            del out[at : at + rng.randint(1, 64)]
        elif op == 2:  # insert a hostile fragment
            out[at:at] = rng.choice(HOSTILE)
        elif op == 3 and out:  # repeat a piece
            piece = out[at : at + rng.randint(1, 32)]
            out[at:at] = piece * rng.randint(2, 50)
        elif op == 4:  # truncate
            del out[at:]
        else:  # splice a piece from elsewhere
            j = rng.randint(0, len(out))
            out[at:at] = out[j : j + rng.randint(1, 64)]
    return bytes(out)


def mutate_zip_part(data: bytes, rng: random.Random) -> bytes:
    """Mutate one XML part of a workbook at the XML level and zip it again."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zin:
            parts = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    except zipfile.BadZipFile:
        return mutate(data, rng)
    name = rng.choice(sorted(parts))
    parts[name] = mutate(parts[name], rng)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for part, content in parts.items():
            zout.writestr(part, content)
    return out.getvalue()


SEEDS: dict[str, tuple[str, Callable[[random.Random], bytes]]] = {
    "csv": ("log.csv", csv_seed),
    "xes": ("log.xes", xes_seed),
    "parquet": ("log.parquet", parquet_seed),
    "xlsx": ("log.xlsx", xlsx_seed),
}


def generate(reader: str, rng: random.Random) -> bytes:
    """A seed of ``reader``'s format, mutated three times in four."""
    seed = SEEDS[reader][1](rng)
    if rng.random() < 0.25:
        return seed
    if reader == "xlsx" and rng.random() < 0.7:
        return mutate_zip_part(seed, rng)
    return mutate(seed, rng)


_engine: Any = None  # one engine for every input: connecting is the slow part


def attempt(path: Path) -> str:
    """Read ``path`` as an event log: ``"ok"`` or ``"refused"``; any other exception
    escapes (that is a bug)."""
    global _engine
    if _engine is None:
        from parcours.analytics.engine import get_engine

        _engine = get_engine("duckdb")
    try:
        log = read_events(path, on_error="skip", limits=FUZZ_LIMITS, engine=_engine)
        log.table.to_pyarrow()
    except ParcoursError:
        return "refused"
    return "ok"
