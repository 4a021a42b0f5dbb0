"""Defences shared by every reader and writer of untrusted files.

* **Formula injection** (RELIABILITY S5): a text that starts with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return is a formula to a spreadsheet. :func:`is_formula_like` says
  which texts are; the XLSX writer stores them as text cells (never formulas) and the CSV
  writer prefixes them with :data:`FORMULA_GUARD` (OWASP's advice) through
  :func:`escape_formula`.
* **Zip bombs** (S7): :func:`check_zip` reads a zip archive (XLSX, PPTX…) under hard caps
  on file size, entry count, declared and *actual* decompressed bytes and compression
  ratio, and refuses XML with a DTD (entity bombs and external entities, S8), before any
  parser sees the file.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from parcours.errors import BadData, TooLarge

#: The first characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: What the CSV writer puts before a formula-like text.
FORMULA_GUARD = "'"


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def escape_formula(text: str) -> str:
    """``text`` made inert for spreadsheets that open CSV files: ``=1+1`` → ``'=1+1``."""
    return FORMULA_GUARD + text if is_formula_like(text) else text


@dataclass(frozen=True)
class ZipCaps:
    """Hard caps for an archive read from outside."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_entries: int = 2_000
    max_entry_bytes: int = 64 * 1024 * 1024
    max_total_bytes: int = 128 * 1024 * 1024
    max_ratio: float = 200.0  # decompressed / compressed, per entry (small entries exempt)
    ratio_floor_bytes: int = 1024 * 1024  # entries smaller than this are never ratio-checked
    refuse_dtd: bool = True


DEFAULT_CAPS = ZipCaps()
_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!doctype", b"<!entity", "<!doctype".encode("utf-16-le"),
                "<!entity".encode("utf-16-le"), "<!doctype".encode("utf-16-be"),
                "<!entity".encode("utf-16-be"))  # fmt: skip


def read_capped(path: str | Path, caps: ZipCaps = DEFAULT_CAPS, *, what: str = "file") -> bytes:
    """The bytes of a file, refused with :class:`TooLarge` over ``caps.max_file_bytes``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise BadData(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > caps.max_file_bytes:
        raise TooLarge(f"{path} is {size / 1_048_576:.1f} MiB, over the "
                       f"{caps.max_file_bytes // 1_048_576} MiB a {what} may be")  # fmt: skip
    with path.open("rb") as handle:
        data = handle.read(caps.max_file_bytes + 1)
    if len(data) > caps.max_file_bytes:
        raise TooLarge(f"{path} grew over {caps.max_file_bytes // 1_048_576} MiB while reading")
    return data


def check_zip(data: bytes, name: str = "archive", caps: ZipCaps = DEFAULT_CAPS) -> None:
    """Refuse a zip archive that is too big, too many, too compressed, or has XML with a DTD.

    The central directory is checked first (entry count, declared sizes and ratios); then
    every entry is decompressed in chunks and its actual bytes counted against the same
    caps, so an archive that lies about its sizes is stopped as soon as it crosses one.
    Nothing decompressed is kept: memory stays at one chunk.
    """
    if len(data) > caps.max_file_bytes:
        raise TooLarge(f"{name} is {len(data) / 1_048_576:.1f} MiB, over the "
                       f"{caps.max_file_bytes // 1_048_576} MiB cap")  # fmt: skip
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadData(
            f"{name} is not a valid zip archive ({exc}); save it again as .xlsx"
        ) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > caps.max_entries:
            raise TooLarge(
                f"{name} holds {len(infos)} entries, over the {caps.max_entries} allowed"
            )
        declared = 0
        for info in infos:
            declared += info.file_size
            _check_sizes(name, info.filename, info.file_size, info.compress_size, declared, caps)
        total = 0
        for info in infos:
            if info.is_dir():
                continue
            total = _count_entry(archive, info, name, total, caps)


def _check_sizes(
    name: str, entry: str, size: int, compressed: int, total: int, caps: ZipCaps
) -> None:
    if size > caps.max_entry_bytes:
        raise TooLarge(f"{name}: entry '{entry}' decompresses to {size / 1_048_576:.0f} MiB, over "
                       f"the {caps.max_entry_bytes // 1_048_576} MiB cap")  # fmt: skip
    if total > caps.max_total_bytes:
        raise TooLarge(f"{name} decompresses to over {caps.max_total_bytes // 1_048_576} MiB, "
                       "over the cap; is it a zip bomb?")  # fmt: skip
    if size > caps.ratio_floor_bytes and size > caps.max_ratio * max(compressed, 1):
        raise TooLarge(f"{name}: entry '{entry}' is compressed {size / max(compressed, 1):.0f} to 1, "
                       f"over the {caps.max_ratio:.0f} to 1 cap; is it a zip bomb?")  # fmt: skip


def _count_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, total: int, caps: ZipCaps
) -> int:
    size = 0
    scan = caps.refuse_dtd and info.filename.lower().endswith((".xml", ".rels", ".vml"))
    tail = b""
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                total += len(chunk)
                _check_sizes(name, info.filename, size, info.compress_size, total, caps)
                if scan:
                    window = (tail + chunk).lower()
                    if any(marker in window for marker in _DTD_MARKERS):
                        raise BadData(f"{name}: '{info.filename}' declares a DTD or entities; "
                                      "office files never do, so it is refused (XML bomb or XXE)")  # fmt: skip
                    tail = chunk[-32:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise BadData(f"{name}: entry '{info.filename}' cannot be read ({exc})") from None
    return total
