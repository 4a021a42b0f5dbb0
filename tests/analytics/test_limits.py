"""Oversized inputs and compression bombs are refused early, in bounded memory."""

from __future__ import annotations

import gzip
import io
import resource
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

from parcours.analytics import Limits, read_events
from parcours.errors import BadData, TooLarge


def _gzip_bomb(path: Path, head: bytes, unit: bytes, size: int) -> None:
    """``head`` then ``unit`` repeated to ``size`` bytes, as concatenated gzip members
    (a valid gzip stream) so that writing it is fast."""
    chunk = unit * ((1 << 20) // len(unit))
    member = gzip.compress(chunk, compresslevel=9)
    with path.open("wb") as f:
        f.write(gzip.compress(head))
        for _ in range(size // len(chunk)):
            f.write(member)


BOMBS = {
    "bomb.csv.gz": (b"case,activity,timestamp\n", b"c,A,2026-01-31T10:00:00Z\n"),
    "bomb.xes.gz": (
        b'<?xml version="1.0"?><log><trace><string key="concept:name" value="c"/>',
        b'<event><string key="concept:name" value="A"/></event>',
    ),
}


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_file_over_the_size_cap_is_refused_before_reading(write: Any) -> None:
    path = write("events.csv", "case,activity,timestamp\n" + "c,A,2026-01-31T10:00:00Z\n" * 100)
    with pytest.raises(TooLarge, match=r"events.csv: file is 2.5 KiB, over the 1.0 KiB cap"):
        read_events(path, limits=Limits(max_bytes=1024))


@pytest.mark.parametrize("name", ["bomb.xes.gz", "bomb.csv.gz"])
def test_gzip_bomb_refused_fast_in_bounded_memory(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    _gzip_bomb(path, *BOMBS[name], 1 << 30)  # 1 GiB of text in a few MiB
    before = _rss_mib()
    start = time.perf_counter()
    with pytest.raises(TooLarge, match="compression ratio over 200:1"):
        read_events(path)
    assert time.perf_counter() - start < 3
    assert _rss_mib() - before < 128


def test_decompressed_bytes_capped(tmp_path: Path) -> None:
    path = tmp_path / "events.csv.gz"
    lines = "".join(f"case{i},A{i % 7},2026-01-31T10:00:{i % 60:02d}Z\n" for i in range(20000))
    path.write_bytes(gzip.compress(("case,activity,timestamp\n" + lines).encode()))
    limits = Limits(max_decompressed_bytes=64 * 1024, ratio_after=1 << 40)
    with pytest.raises(TooLarge, match=r"expands to more than 64\.0 KiB"):
        read_events(path, limits=limits)


def test_xlsx_zip_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w") as f:
            for _ in range(64):
                f.write(b" " * (1 << 20))
    with pytest.raises(TooLarge, match="zip bomb"):
        read_events(path)


def test_content_must_match_the_name(write: Any) -> None:
    with pytest.raises(BadData, match="the name says parquet but the content is not"):
        read_events(write("events.parquet", "case,activity,timestamp\n"))
    with pytest.raises(BadData, match="the name says xlsx"):
        read_events(write("events.xlsx", b"PAR1 not a workbook"))
    with pytest.raises(BadData, match=r"save it as \.xlsx"):
        read_events(write("events.xls", b"\xd0\xcf\x11\xe0"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadData, match="no such file"):
        read_events(tmp_path / "nope.csv")


def test_gzip_stream_reads_whole_small_file() -> None:
    # the capped reader gives back every byte of a legitimate stream
    from parcours.analytics.limits import open_capped

    data = b"x" * 100_000
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as g:
        g.write(data)
    path = Path("/tmp") / f"parcours-capped-{time.time_ns()}.gz"
    try:
        path.write_bytes(buf.getvalue())
        with open_capped(path, Limits()) as f:
            assert f.read() == data
    finally:
        path.unlink()


def test_truncated_gzip_is_a_located_message(tmp_path: Path) -> None:
    body = "".join(f"c{i},A{i % 7},2026-01-31T10:{i % 60:02d}:00Z\n" for i in range(50_000))
    data = gzip.compress(("case,activity,timestamp\n" + body).encode())
    path = tmp_path / "events.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadData, match=r"^events.csv.gz: the gzip stream is truncated or corrupt"):
        read_events(path)


def test_a_late_byte_that_is_not_utf8_decides_the_encoding(tmp_path: Path) -> None:
    body = "".join(f"c{i},A,2026-01-31T10:00:00Z\n" for i in range(10_000))  # > 64 KiB
    path = tmp_path / "events.csv"
    path.write_bytes(("case,activity,timestamp\n" + body).encode() + b"c9,Caf\xe9,2026-02-01\n")
    log = read_events(path)
    assert log.report.encoding == "cp1252"
    assert log.report.notes == [
        "events.csv: read as cp1252 text (byte 0xE9 on line 10,002 is not UTF-8)"
    ]
    last = log.table.order_by("position").to_pyarrow().to_pylist()[-1]
    assert last["activity"] == "Café"
    # a byte Windows-1252 leaves undefined: Latin-1, which reads every byte
    path.write_bytes(path.read_bytes() + b"c9,\x81,2026-02-01\n")
    assert read_events(path).report.encoding == "latin-1"


def test_only_regular_files_are_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    start = time.perf_counter()
    with pytest.raises(BadData, match=r"events.csv: not a regular file"):
        read_events(fifo)
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(BadData, match=r"zero.csv: not a regular file"):
        read_events(link)
    assert time.perf_counter() - start < 1
