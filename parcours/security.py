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
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from parcours.atomic import file_kind
from parcours.errors import BadData, TooLarge
from parcours.limits import DEFAULT_LIMITS, Limits, hint, quote, resolve, size_text, too_large

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


#: The caps of archives are fields of the one :class:`~parcours.limits.Limits` type;
#: these names stay importable from here.
ZipCaps = Limits
DEFAULT_CAPS = DEFAULT_LIMITS
_CHUNK = 64 * 1024
#: What a broken or lying archive raises while an entry is read.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
    OSError,
)
_DTD_MARKERS = tuple(
    word.encode(codec)
    for word in ("<!doctype", "<!entity")
    for codec in ("ascii", "utf-16-le", "utf-16-be")
)


def read_capped(
    path: str | Path, caps: Limits | None = None, *, what: str = "file", display: str | None = None
) -> bytes:
    """The bytes of a regular file, counted while reading, refused over ``max_file_bytes``.

    The size on disk is not trusted (``/proc`` files and devices report 0): the file is read
    in chunks and refused as soon as it crosses the cap. Anything but a regular file (a
    FIFO that would wait forever, ``/dev/zero`` behind a symlink, a socket) is refused
    before it is opened for reading.
    """
    caps = resolve(caps)
    path = Path(path)
    shown = display if display is not None else str(path)
    try:
        before = path.stat()
    except FileNotFoundError:
        raise BadData(f"cannot read {shown}: no such file; check the path") from None
    except OSError as exc:
        raise BadData(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    if not stat.S_ISREG(before.st_mode):
        raise BadData(f"{shown} is {file_kind(before.st_mode)}, not a regular file; give a {what}")
    cap = caps.max_file_bytes
    if before.st_size > cap:
        raise too_large("max_file_bytes", before.st_size, shown, caps)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise BadData(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    with os.fdopen(fd, "rb") as handle:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):  # swapped between the check and the open
            raise BadData(
                f"{shown} is {file_kind(opened.st_mode)}, not a regular file; give a {what}"
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = handle.read(min(_CHUNK * 16, cap + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            chunks.append(chunk)
            if size > cap:
                raise too_large("max_file_bytes", None, shown, caps)
    return b"".join(chunks)


def check_zip(data: bytes, name: str = "archive", caps: Limits | None = None) -> None:
    """Refuse a zip archive that is too big, too many, too compressed, or has XML with a DTD.

    The central directory is checked first (entry count, declared sizes and ratios); then
    every entry is decompressed in chunks and its actual bytes counted against the same
    caps, so an archive that lies about its sizes is stopped as soon as it crosses one.
    Nothing decompressed is kept: memory stays at one chunk.
    """
    caps = resolve(caps)
    if len(data) > caps.max_file_bytes:
        raise too_large("max_file_bytes", len(data), name, caps)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise BadData(f"{name}: not a valid zip archive ({exc}); save it again as .xlsx") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > caps.max_entries:
            raise TooLarge(
                f"{name} holds {len(infos)} entries, over the {caps.max_entries} allowed "
                + hint("max_entries")
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
    name: str, entry: str, size: int, compressed: int, total: int, caps: Limits
) -> None:
    if size > caps.max_entry_bytes:
        raise TooLarge(
            f"{name}: entry {quote(entry)} decompresses to {size_text(size)}, over the "
            f"{size_text(caps.max_entry_bytes)} cap " + hint("max_entry_bytes")
        )
    if total > caps.max_total_bytes:
        raise TooLarge(
            f"{name} decompresses to over {size_text(caps.max_total_bytes)}, over the cap; "
            "is it a zip bomb? " + hint("max_total_bytes")
        )
    if size > caps.ratio_floor_bytes and size > caps.max_ratio * max(compressed, 1):
        raise TooLarge(
            f"{name}: entry {quote(entry)} is compressed {size / max(compressed, 1):.0f} to 1, "
            f"over the {caps.max_ratio:.0f} to 1 cap; is it a zip bomb? " + hint("max_ratio")
        )


def _count_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, total: int, caps: Limits
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
                        raise BadData(
                            f"{name}: {quote(info.filename)} declares a DTD or entities; office "
                            "files never do, so it is refused (XML bomb or XXE)"
                        )
                    tail = chunk[-32:]
    except _ZIP_ERRORS as exc:
        raise BadData(f"{name}: entry {quote(info.filename)} cannot be read ({exc})") from None
    return total


# -- worksheets: rows, columns, cells, shared strings ----------------------------------------
# Places of any length are matched (a row number of 400 digits is a place too: openpyxl
# reads it, and a loop up to it never ends); :func:`_number` caps what is converted.
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([^"]{1,4000})"')
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Za-z]+)([0-9]+)"')
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="([0-9]+)"')
_SHARED = re.compile(rb"<(?:\w+:)?si\b")
_REF = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)")
#: Digits and letters past these are over every limit: not converted, only said to be huge.
_HUGE = 10**15


def _number(digits: bytes | str) -> int:
    return int(digits) if len(digits) < 16 else _HUGE


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384 (ten letters or more: over every limit)."""
    if len(letters) > 10:
        return _HUGE
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def check_sheets(data: bytes, name: str = "workbook", caps: Limits | None = None) -> None:
    """Refuse a workbook whose sheets declare or use too many rows, columns or cells, or
    that holds too many shared strings — read from the XML as a stream, before openpyxl
    (which would build every cell up to the farthest one: a single cell at XFD1048576 in a
    30 KB file costs minutes and gigabytes). Run :func:`check_zip` first."""
    caps = resolve(caps)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as exc:
        raise BadData(f"{name}: not a valid zip archive ({exc}); save it again as .xlsx") from None
    with archive:
        for info in archive.infolist():
            entry = info.filename
            if entry.startswith("xl/worksheets/") and entry.endswith(".xml"):
                _check_sheet(archive, info, name, caps)
            elif entry == "xl/sharedStrings.xml":
                count = _count(archive, info, _SHARED)
                if count > caps.max_shared_strings:
                    raise too_large("max_shared_strings", count, name, caps)


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, caps: Limits) -> None:
    where = f"{name} ({info.filename.rsplit('/', 1)[-1]})"
    cells = 0
    for chunk in _windows(archive, info):
        for match in _DIMENSION.finditer(chunk):
            for letters, digits in _REF.findall(match.group(1).decode("ascii", "replace")):
                _check_place(where, column_number(letters), _number(digits), caps, "declares")
        for match in _ROW.finditer(chunk):
            _check_place(where, 1, _number(match.group(1)), caps, "uses")
        for match in _CELL.finditer(chunk):
            cells += 1
            _check_place(
                where,
                column_number(match.group(1).decode()),
                _number(match.group(2)),
                caps,
                "uses",
            )
        if cells > caps.max_sheet_cells:
            raise too_large("max_sheet_cells", cells, where, caps)


def _check_place(where: str, column: int, row: int, caps: Limits, verb: str) -> None:
    if row > caps.max_sheet_rows:
        shown = f"{row:,}" if row < _HUGE else f"number {_HUGE:,} or more"
        raise TooLarge(
            f"{where} {verb} row {shown}, over the limit of {caps.max_sheet_rows:,} rows "
            + hint("max_sheet_rows")
        )
    if column > caps.max_sheet_columns:
        shown = f"{column:,}" if column < _HUGE else f"number {_HUGE:,} or more"
        raise TooLarge(
            f"{where} {verb} column {shown}, over the limit of {caps.max_sheet_columns:,} "
            "columns " + hint("max_sheet_columns")
        )


def _windows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes in chunks; each chunk starts with the tail of the one before, cut
    at a tag boundary, so that no tag is split (a tag is cut only past 4 KiB)."""
    tail = b""
    try:
        with archive.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK * 4)
                if not chunk:
                    break
                window = tail + chunk
                cut = window.rfind(b"<")
                if cut == -1 or len(window) - cut > 4096:
                    cut = len(window)
                yield window[:cut]
                tail = window[cut:]
            if tail:
                yield tail
    except _ZIP_ERRORS as exc:
        raise BadData(f"entry {quote(info.filename)} cannot be read ({exc})") from None


def _count(archive: zipfile.ZipFile, info: zipfile.ZipInfo, pattern: re.Pattern[bytes]) -> int:
    return sum(len(pattern.findall(chunk)) for chunk in _windows(archive, info))
