"""Open a data file under the caps of :class:`~parcours.limits.Limits`.

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
from pathlib import Path
from typing import IO, Any

from parcours.errors import BadData, TooLarge
from parcours.limits import GiB as _GiB
from parcours.limits import Limits, hint
from parcours.limits import MiB as _MiB

#: Kept for the callers that import them from here.
MiB, GiB = _MiB, _GiB


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
            f"cap {hint('max_bytes')}, or convert the log to Parquet"
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
                    f"read?), over the cap {hint('max_bytes')}"
                )
            return
        cap = limits.max_decompressed_bytes
        if cap is not None and self.produced > cap:
            raise TooLarge(
                f"{self._name}: expands to more than {_size_text(cap)} when decompressed "
                f"{hint('max_decompressed_bytes')}"
            )
        if self.produced >= limits.ratio_after:
            consumed = max(self._raw.tell(), 1)
            ratio = self.produced / consumed
            if ratio > limits.max_ratio:
                raise TooLarge(
                    f"{self._name}: compression ratio over {limits.max_ratio:.0f}:1 "
                    f"({_size_text(self.produced)} from {_size_text(consumed)}); "
                    f"refusing a likely decompression bomb {hint('max_ratio')}"
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
            f"{path.name}: expands to {_size_text(total)}, over the {_size_text(cap)} cap "
            f"{hint('max_decompressed_bytes')}"
        )
    if total >= limits.ratio_after and total / packed > limits.max_ratio:
        raise TooLarge(
            f"{path.name}: compression ratio {total / packed:.0f}:1 is over "
            f"{limits.max_ratio:.0f}:1; refusing a likely zip bomb {hint('max_ratio')}"
        )


def display_name(path: str | os.PathLike[str]) -> str:
    """The name a problem report shows for a file: its base name."""
    return Path(path).name
