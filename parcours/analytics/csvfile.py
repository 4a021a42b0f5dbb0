"""Read a delimited text event log (CSV, TSV…) into a raw Arrow table of strings.

The delimiter (``,`` ``;`` tab ``|``) is detected from the first 64 KiB, the encoding
(UTF-8 with or without BOM, else Windows-1252, else Latin-1) from the first 64 KiB and then
checked over the whole file by one streaming pass, which also enforces the size and
decompression caps and finds a truncated gzip stream: a byte that is not UTF-8 on line
400,000 makes the file Windows-1252 (and the report says which line decided it), never an
error half-way through parsing.

Arrow's multithreaded reader then parses the file from a native stream (the file, or
Arrow's own gzip decompressor): no Python code runs on its threads, so an error can never
leave one of them reading while the process exits. The exact source line of a row (1-based,
the header is line 1, quoted values may span lines) is found by a second, Python-level scan
only when some rows are bad, so a clean file is read at full speed.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from parcours.analytics import arrays
from parcours.analytics.capped import GZIP_MAGIC, display_name, open_capped
from parcours.analytics.mapping import ColumnMapping, needed_columns
from parcours.errors import BadData, Problem
from parcours.limits import Limits

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class CsvDialect:
    encoding: str  # a Python codec name
    delimiter: str
    why: str | None = None  # what decided a legacy encoding (first byte that is not UTF-8)


@dataclass
class RawCsv:
    """Rows of the needed columns as strings, in file order, plus what went wrong."""

    table: pa.Table
    resolved: dict[str, str]
    dialect: CsvDialect
    bad_shape: int = 0  # rows with a wrong number of fields (skipped by the parser)
    shape_problems: list[Problem] = field(default_factory=list)


def detect_encoding(sample: bytes, truncated: bool) -> str:
    """``utf-8-sig`` if a UTF-8 BOM, else ``utf-8`` if the sample decodes, else cp1252,
    else latin-1 (which decodes anything)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if truncated:  # do not judge a multi-byte character cut by the sample's end
        cut = sample.rfind(b"\n")
        sample = sample[: cut + 1] if cut > 0 else sample
    for encoding in ("utf-8", "cp1252"):
        try:
            sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def detect_delimiter(text: str) -> str:
    """The candidate that splits the first lines into the most consistent, widest rows."""
    lines = text.splitlines()[:50]
    if len(lines) > 1:
        lines = lines[:-1] if not text.endswith(("\n", "\r")) else lines
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        rows = [
            r
            for r in csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter)
            if r
        ]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        score = (sum(len(r) == width for r in rows) / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sniff(path: Path, limits: Limits) -> tuple[CsvDialect, list[str]]:
    with open_capped(path, limits) as stream:
        sample = stream.read(SAMPLE_BYTES)
        truncated = len(sample) == SAMPLE_BYTES
    if not sample.strip():
        raise BadData(f"{display_name(path)}: the file is empty; expected a header line")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BadData(f"{display_name(path)}: binary data, not a delimited text file")
    encoding = detect_encoding(sample, truncated)
    text = sample.decode(encoding, errors="replace")
    delimiter = detect_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        raise BadData(f"{display_name(path)}:1: the header cannot be read ({exc})") from None
    return CsvDialect(encoding, delimiter), [h.strip() for h in header]


CHUNK = 1024 * 1024
#: Bytes Windows-1252 leaves undefined: a file holding one is read as Latin-1.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


def check_encoding(path: Path, limits: Limits, dialect: CsvDialect) -> None:
    """Stream the whole file once under the caps and settle its encoding.

    A UTF-8 guess that meets an invalid byte becomes Windows-1252 (``dialect.why`` says
    where), and Windows-1252 becomes Latin-1 if a byte it leaves undefined shows up.
    """
    utf8 = dialect.encoding in ("utf-8", "utf-8-sig")
    single_byte = dialect.encoding in ("cp1252", "latin-1")
    decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
    cp1252_ok = dialect.encoding != "latin-1"
    line = 1
    with open_capped(path, limits) as stream:
        while chunk := stream.read(CHUNK):
            if decoder is not None and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    where = line + chunk.count(b"\n", 0, exc.start)
                    byte = chunk[exc.start : exc.start + 1]
                    dialect.why = f"byte 0x{byte.hex().upper()} on line {where:,} is not UTF-8"
                    decoder = None
                    single_byte = True
            if single_byte and cp1252_ok and _CP1252_UNDEFINED.search(chunk):
                cp1252_ok = False
            if decoder is not None or dialect.why is None:
                line += chunk.count(b"\n")
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            dialect.why = "the file ends in the middle of a UTF-8 character"
            single_byte = True
    if single_byte:
        dialect.encoding = "cp1252" if cp1252_ok else "latin-1"


def _native_input(path: Path) -> pa.NativeFile:
    """The file as Arrow reads it without calling Python: plain, or through Arrow's own
    gzip decompressor (the caps were enforced by :func:`check_encoding`)."""
    with path.open("rb") as f:
        gz = f.read(2) == GZIP_MAGIC
    source = pa.OSFile(str(path), "rb")
    return pa.CompressedInputStream(source, "gzip") if gz else source


def read_csv_raw(
    path: Path, mapping: ColumnMapping, limits: Limits, *, encoding: str | None = None
) -> RawCsv:
    """Parse ``path`` into a table of the mapped columns (strings) plus ``__position``."""
    name = display_name(path)
    dialect, header = _sniff(path, limits)
    if encoding is not None:
        dialect.encoding = encoding
    elif dialect.encoding != "utf-16":
        check_encoding(path, limits, dialect)
    resolved = mapping.resolve(header, name)
    wanted = needed_columns(resolved)
    bad_shape = 0

    def on_invalid(row: object) -> str:
        nonlocal bad_shape
        bad_shape += 1
        return "skip"

    arrow_encoding = "utf8" if dialect.encoding in ("utf-8", "utf-8-sig") else dialect.encoding
    try:
        with _native_input(path) as stream:
            table = pacsv.read_csv(
                stream,
                read_options=pacsv.ReadOptions(
                    encoding=arrow_encoding,
                    column_names=header,
                    skip_rows=1,
                    block_size=4 * 1024 * 1024,
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=dialect.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(header, pa.string()),
                    include_columns=wanted,
                    strings_can_be_null=False,
                ),
            )
    except OSError as exc:  # Arrow's gzip reader refusing what Python's took (padding)
        reason = str(exc).splitlines()[0][:300]
        raise BadData(
            f"{name}: the gzip stream cannot be read ({reason}); compress the log again"
        ) from None
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0][:300]
        raise BadData(f"{name}: cannot be read as {dialect.encoding} text: {reason}") from None
    table = table.append_column("__position", arrays.numbers(np.arange(table.num_rows), pa.int64()))
    return RawCsv(table, resolved, dialect, bad_shape)


def _rows(reader: Any, name: str) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise BadData(f"{name}:{reader.line_num}: this line cannot be read ({exc})") from None


def scan_lines(
    path: Path, dialect: CsvDialect, positions: Iterable[int], limits: Limits, max_shape: int
) -> tuple[dict[int, int], list[Problem]]:
    """Source line (1-based) of the rows at ``positions``, and the rows of a wrong width.

    Walks the file with Python's csv reader, which counts physical lines; rows of a wrong
    width are not given a position, as the Arrow reader skipped them.
    """
    name = display_name(path)
    wanted = set(positions)
    lines: dict[int, int] = {}
    shape: list[Problem] = []
    with open_capped(path, limits) as raw:
        text = io.TextIOWrapper(raw, encoding=dialect.encoding, errors="replace", newline="")
        reader = csv.reader(text, delimiter=dialect.delimiter)
        width = None
        position = 0
        previous = 0
        for row in _rows(reader, name):
            start = previous + 1
            previous = reader.line_num
            if not row:
                continue
            if width is None:
                width = len(row)
                continue
            if len(row) != width:
                if len(shape) < max_shape:
                    shape.append(
                        Problem(
                            f"expected {width} fields separated by {dialect.delimiter!r}, "
                            f"found {len(row)}",
                            file=name,
                            line=start,
                        )
                    )
                continue
            if position in wanted:
                lines[position] = start
                if len(lines) == len(wanted) and len(shape) >= max_shape:
                    break
            position += 1
    return lines, shape
