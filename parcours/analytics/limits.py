"""Caps on what an input may cost: file size, decompressed size, compression ratio.

Every file source opens its input through :func:`open_capped`, which refuses anything but
a regular file (a FIFO, a device, ``/dev/zero`` behind a symlink), refuses a file over the
size cap before reading it and counts the bytes read (a file that grows while read is
stopped at the cap), and counts decompressed bytes of a gzip stream as they are produced:
past the byte cap, or past the ratio cap once a few MiB came out, it raises
:class:`~parcours.errors.TooLarge` — memory stays bounded by one read buffer. A truncated
or corrupt gzip stream is a :class:`~parcours.errors.BadData` naming the file.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from parcours.errors import BadData, TooLarge

MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True)
class Limits:
    """Caps applied while reading an input file.

    - ``max_bytes``: size of the file on disk (``None``: no cap);
    - ``max_decompressed_bytes``: bytes a compressed file may expand to;
    - ``max_ratio``: decompressed / compressed bytes, checked once ``ratio_after`` bytes
      came out (XES and CSV compress 10–50×; a deflate bomb reaches ~1000×);
    - ``max_problems``: bad rows quoted in an error or a report (all are counted);
    - ``max_rows``, ``max_rows_per_byte``, ``rows_floor``: rows a Parquet footer may
      promise: at most ``max_rows``, and at most ``max_rows_per_byte`` per byte of file
      once over ``rows_floor`` (run-length encoding lets 1 MB promise 200M rows);
    - ``max_columns``: columns of a Parquet or Excel log;
    - ``max_xlsx_bytes``: size of an Excel log (read into memory to be checked);
      ``max_xlsx_part_bytes``: decompressed size of one part of it (a sheet, the shared
      strings); ``max_cells``: cells of the sheet read;
    - ``max_attribute_bytes``: one attribute value of an XES log (a case id of 10 MB is
      an attack, not an id); XML nesting is capped at 256 levels by the parser.
    """

    max_bytes: int | None = 4 * GiB
    max_decompressed_bytes: int | None = 16 * GiB
    max_ratio: float = 200.0
    ratio_after: int = 4 * MiB
    max_problems: int = 20
    max_rows: int | None = 2_000_000_000
    max_rows_per_byte: float = 2.0
    rows_floor: int = 1_000_000
    max_columns: int = 10_000
    max_xlsx_bytes: int = 200 * MiB
    max_xlsx_part_bytes: int = 1 * GiB
    max_cells: int = 100_000_000
    max_attribute_bytes: int = 1 * MiB


DEFAULT_LIMITS = Limits()


def _size_text(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def check_size(path: Path, limits: Limits) -> int:
    """Return the size of ``path``; raise :class:`TooLarge` if over the cap and
    :class:`BadData` if it is not a regular file (symlinks are followed)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadData(f"{path}: no such file") from None
    except OSError as exc:
        raise BadData(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise BadData(
            f"{path.name}: {kind} (a pipe, a device or a socket is never read); "
            "give the path of an event log file"
        )
    size = info.st_size
    if limits.max_bytes is not None and size > limits.max_bytes:
        raise TooLarge(
            f"{path.name}: file is {_size_text(size)}, over the {_size_text(limits.max_bytes)} "
            "cap; raise the cap (Limits(max_bytes=...)) or convert the log to Parquet"
        )
    return size


class CappedReader(io.RawIOBase):
    """A read-only stream over a file or a decompressing stream that counts what comes
    out; ``inner is raw`` for a plain file (then only the file size cap applies)."""

    def __init__(self, inner: Any, raw: IO[bytes], name: str, limits: Limits) -> None:
        super().__init__()
        self._inner = inner
        self._raw = raw  # the compressed file, to measure the ratio
        self._name = name
        self._limits = limits
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._inner.read(len(view))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise BadData(
                f"{self._name}: the gzip stream is truncated or corrupt after "
                f"{_size_text(self.produced)} ({exc}); compress the log again"
            ) from None
        except OSError as exc:
            raise BadData(f"{self._name}: cannot be read ({exc.strerror or exc})") from None
        n = len(data)
        view[:n] = data
        self.produced += n
        self._check()
        return n

    def _check(self) -> None:
        limits = self._limits
        if self._inner is self._raw:  # a plain file: its size, counted
            cap = limits.max_bytes
            if cap is not None and self.produced > cap:
                raise TooLarge(
                    f"{self._name}: more than {_size_text(cap)} read (the file grew while "
                    "read?), over the cap; raise the cap (Limits(max_bytes=...))"
                )
            return
        cap = limits.max_decompressed_bytes
        if cap is not None and self.produced > cap:
            raise TooLarge(
                f"{self._name}: expands to more than {_size_text(cap)} when decompressed; "
                "refusing it (raise Limits(max_decompressed_bytes=...) if it is genuine)"
            )
        if self.produced >= limits.ratio_after:
            consumed = max(self._raw.tell(), 1)
            ratio = self.produced / consumed
            if ratio > limits.max_ratio:
                raise TooLarge(
                    f"{self._name}: compression ratio over {limits.max_ratio:.0f}:1 "
                    f"({_size_text(self.produced)} from {_size_text(consumed)}); "
                    "refusing a likely decompression bomb"
                )

    def close(self) -> None:
        try:
            self._inner.close()
            self._raw.close()
        finally:
            super().close()


GZIP_MAGIC = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_capped(path: Path, limits: Limits) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip (by magic bytes) under caps."""
    check_size(path, limits)
    raw = path.open("rb")
    inner: Any = raw
    if raw.read(2) == GZIP_MAGIC:
        inner = gzip.GzipFile(fileobj=raw, mode="rb")
    raw.seek(0)
    return io.BufferedReader(CappedReader(inner, raw, path.name, limits), 1 * MiB)


def check_zip(path: Path, limits: Limits, *, max_entries: int = 10_000) -> None:
    """Refuse a zip container (XLSX) whose central directory promises a bomb."""
    check_size(path, limits)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise BadData(f"{path.name}: not a valid XLSX (zip) file") from None
    if len(infos) > max_entries:
        raise TooLarge(f"{path.name}: {len(infos)} zip entries, over the {max_entries} cap")
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    cap = limits.max_decompressed_bytes
    if cap is not None and total > cap:
        raise TooLarge(
            f"{path.name}: expands to {_size_text(total)}, over the {_size_text(cap)} cap"
        )
    if total >= limits.ratio_after and total / packed > limits.max_ratio:
        raise TooLarge(
            f"{path.name}: compression ratio {total / packed:.0f}:1 is over "
            f"{limits.max_ratio:.0f}:1; refusing a likely zip bomb"
        )


def display_name(path: str | os.PathLike[str]) -> str:
    """The name a problem report shows for a file: its base name."""
    return Path(path).name
