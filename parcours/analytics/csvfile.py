"""Read a delimited text event log (CSV, TSV…) into a raw Arrow table of strings.

The encoding (UTF-8 with or without BOM, else Windows-1252, else Latin-1) and the
delimiter (``,`` ``;`` tab ``|``) are detected from the first 64 KiB. Arrow's multithreaded
reader parses the file; the exact source line of a row (1-based, the header is line 1,
quoted values may span lines) is found by a second, Python-level scan only when some rows
are bad, so a clean file is read at full speed.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from parcours.analytics.limits import Limits, display_name, open_capped
from parcours.analytics.mapping import ColumnMapping, needed_columns
from parcours.errors import BadData, Problem

SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class CsvDialect:
    encoding: str  # a Python codec name
    delimiter: str


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
        rows = [r for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter) if r]
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
    header = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    return CsvDialect(encoding, delimiter), [h.strip() for h in header]


def read_csv_raw(
    path: Path, mapping: ColumnMapping, limits: Limits, *, encoding: str | None = None
) -> RawCsv:
    """Parse ``path`` into a table of the mapped columns (strings) plus ``__position``."""
    name = display_name(path)
    dialect, header = _sniff(path, limits)
    if encoding is not None:
        dialect.encoding = encoding
    resolved = mapping.resolve(header, name)
    wanted = needed_columns(resolved)
    bad_shape = 0

    def on_invalid(row: object) -> str:
        nonlocal bad_shape
        bad_shape += 1
        return "skip"

    arrow_encoding = "utf8" if dialect.encoding in ("utf-8", "utf-8-sig") else dialect.encoding
    try:
        with open_capped(path, limits) as stream:
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
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) and encoding is None and dialect.encoding.startswith("utf-8"):
            # a Windows-1252 byte after the sample: read again as such
            return read_csv_raw(path, mapping, limits, encoding="cp1252")
        raise BadData(f"{name}: cannot be read as {dialect.encoding} text: {exc}") from None
    table = table.append_column("__position", pa.array(np.arange(table.num_rows, dtype=np.int64)))
    return RawCsv(table, resolved, dialect, bad_shape)


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
        for row in reader:
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
