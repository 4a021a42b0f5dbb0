"""Every budget an input may spend, in one place: :class:`Limits`.

A file read from outside (a map, a workspace folder, a theme, a workbook, an event log)
is checked against these budgets *while* it is read, before anything is materialised, so
a hostile or careless input is refused in bounded time and memory with a message that
names the budget, the value met and how to raise it.

Raising a limit
    Each field ``max_<name>`` can be raised (or lowered) for one run with the environment
    variable ``PARCOURS_LIMIT_<NAME>`` (upper case, without ``max_``), e.g.
    ``PARCOURS_LIMIT_FILE_BYTES=64MiB`` or ``PARCOURS_LIMIT_STEPS=20000``. Sizes accept the
    suffixes ``KiB``, ``MiB``, ``GiB`` (and ``K``, ``M``, ``G``); counts accept ``_`` as a
    thousands separator. From Python, pass ``Limits(max_steps=20_000)`` (or
    ``current_limits().replace(...)``) to the reader. :func:`current_limits` is the built-in
    defaults with the environment applied; ``docs/limits.md`` lists every limit.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from parcours.errors import InvalidArgument, TooLarge

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB
ENV_PREFIX = "PARCOURS_LIMIT_"


@dataclass(frozen=True)
class Limits:
    """Hard budgets for what reading one input may cost (``None``: no cap on that budget).

    Documents (maps, workspaces, themes, workbooks) are read whole; data files (event logs)
    are streamed. Each field's docstring-comment below is the text ``docs/limits.md`` shows.
    """

    # -- files ---------------------------------------------------------------------------
    #: Bytes of a document read whole (map, workspace file, journey file, theme, workbook),
    #: counted while reading (a FIFO or /dev/zero cannot fool it).
    max_file_bytes: int = 20 * MiB
    #: Bytes of a data file read as a stream (CSV, XES, Parquet event logs).
    max_bytes: int | None = 4 * GiB
    #: Bytes a compressed data file (``.csv.gz``, ``.xes.gz``) may expand to.
    max_decompressed_bytes: int | None = 16 * GiB
    #: Decompressed / compressed bytes, for a stream once ``ratio_after`` bytes came out and
    #: for a zip entry larger than ``ratio_floor_bytes`` (a deflate bomb reaches ~1000:1).
    max_ratio: float = 200.0
    #: Bytes a decompressed stream may produce before its ratio is checked.
    ratio_after: int = 4 * MiB
    #: Zip entries smaller than this are never ratio-checked (small XML parts compress well).
    ratio_floor_bytes: int = 1 * MiB
    # -- zip containers (XLSX, PPTX) ------------------------------------------------------
    #: Entries in a zip container.
    max_entries: int = 2_000
    #: Decompressed bytes of one zip entry.
    max_entry_bytes: int = 64 * MiB
    #: Decompressed bytes of all entries of a zip container together.
    max_total_bytes: int = 128 * MiB
    #: Refuse XML parts that declare a DTD or entities (XML bombs, external entities).
    refuse_dtd: bool = True
    # -- YAML and JSON documents ----------------------------------------------------------
    #: YAML aliases (``*name``) in one document.
    max_aliases: int = 100
    #: Nodes a document holds once its aliases are expanded (a "billion laughs" guard).
    max_nodes: int = 1_000_000
    #: Nesting depth of mappings and lists (a map needs about 10).
    max_depth: int = 64
    #: Characters of one text value (a step name, a card, a description).
    max_text_chars: int = 100_000
    #: Digits of one number.
    max_digits: int = 30
    # -- maps -----------------------------------------------------------------------------
    #: Steps of one journey.
    max_steps: int = 10_000
    #: Stages of one journey.
    max_stages: int = 1_000
    #: Lanes of one journey.
    max_lanes: int = 200
    #: Cards (pain points, ideas, KPI values…) of one journey, all lanes together.
    max_cards: int = 200_000
    #: Journeys of one workspace.
    max_journeys: int = 1_000
    #: Steps of a map ``render`` and ``export`` draw in one picture or document.
    max_rendered_steps: int = 2_000
    # -- spreadsheets (map workbooks read by ``parcours import``) --------------------------
    #: Rows a worksheet of a map workbook may declare (``<dimension>``) or use.
    max_sheet_rows: int = 100_000
    #: Columns a worksheet of a map workbook may declare or use.
    max_sheet_columns: int = 1_000
    #: Cells of one worksheet of a map workbook.
    max_sheet_cells: int = 2_000_000
    #: Shared strings of one map workbook.
    max_shared_strings: int = 1_000_000
    # -- columnar data --------------------------------------------------------------------
    #: Rows a Parquet file may declare per byte of file (a 1 MB file claiming 200M rows
    #: is refused before anything is read).
    max_parquet_rows_per_byte: float = 64.0
    # -- event logs (streamed: CSV, XES, Parquet, Excel) ----------------------------------
    #: Rows a Parquet event log may promise in its footer, whatever its size.
    max_log_rows: int | None = 2_000_000_000
    #: Rows a Parquet event log may promise before ``max_parquet_rows_per_byte`` applies.
    log_rows_floor: int = 1_000_000
    #: Columns of a Parquet event log.
    max_log_columns: int = 10_000
    #: Bytes of an Excel event log (read into memory to be checked before it is opened).
    max_log_xlsx_bytes: int = 200 * MiB
    #: Decompressed bytes of one part of an Excel event log (a sheet, the shared strings).
    max_log_xlsx_part_bytes: int = 1 * GiB
    #: Cells of the sheet an Excel event log is read from (missing cells cost nothing).
    max_log_cells: int = 100_000_000
    #: Characters of one attribute value of an XES event log (an id of 10 MB is no id).
    max_attribute_chars: int = 1_048_576
    # -- reporting ------------------------------------------------------------------------
    #: Bad rows quoted in an error or a report (all of them are counted).
    max_problems: int = 20
    #: Characters of an input quoted in a message (longer texts are cut with "…").
    max_quote_chars: int = 80

    def replace(self, **changes: Any) -> Limits:
        """A copy with some budgets changed: ``limits.replace(max_steps=20_000)``."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise InvalidArgument(
                f"unknown limit {', '.join(unknown)}; the limits are: {', '.join(limit_names())}"
            )
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults with every ``PARCOURS_LIMIT_*`` variable of ``environ`` applied."""
        environ = os.environ if environ is None else environ
        known = {env_name(f.name): f for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, text in environ.items():
            if not key.startswith(ENV_PREFIX):
                continue
            field = known.get(key)
            if field is None:
                names = ", ".join(sorted(known))
                raise InvalidArgument(
                    f"unknown limit {key}; the variables are: {names} (see docs/limits.md)"
                )
            default = getattr(BUILTIN_LIMITS, field.name)
            kind = type(default) if default is not None else int
            changes[field.name] = _parse(key, text, kind)
        return dataclasses.replace(BUILTIN_LIMITS, **changes) if changes else BUILTIN_LIMITS


def env_name(field: str) -> str:
    """``max_file_bytes`` → ``PARCOURS_LIMIT_FILE_BYTES``."""
    return ENV_PREFIX + field.removeprefix("max_").upper()


def limit_names() -> list[str]:
    return [f.name for f in fields(Limits)]


_SIZE = re.compile(r"^\s*([0-9][0-9_]*(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "K": KiB, "M": MiB, "G": GiB, "T": 1024 * GiB}


def _parse(key: str, text: str, kind: type) -> Any:
    cleaned = text.strip()
    if kind is bool:
        if cleaned.lower() in ("1", "true", "yes", "on"):
            return True
        if cleaned.lower() in ("0", "false", "no", "off"):
            return False
        raise InvalidArgument(f"{key}={text!r} should be true or false")
    if cleaned.lower() in ("none", "off", "unlimited") and key in _OPTIONAL:
        return None
    match = _SIZE.match(cleaned)
    if match is None:
        raise InvalidArgument(
            f"{key}={quote(text)} is not a number; write e.g. {key}=64MiB or {key}=20000"
        )
    number = float(match.group(1).replace("_", "")) * _FACTORS[match.group(2).upper()]
    if not math.isfinite(number) or number <= 0:
        raise InvalidArgument(f"{key}={quote(text)} should be a positive number")
    return number if kind is float else int(number)


def quote(text: object, limit: int = 80) -> str:
    """``text`` in quotes, cut to ``limit`` characters: never echo a whole input."""
    shown = str(text)
    if len(shown) > limit:
        shown = shown[: max(limit - 1, 1)] + "…"
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r") + "'"


def size_text(n: float) -> str:
    """``20971520`` → ``20.0 MiB``."""
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def _shown(field: str, value: float) -> str:
    if field.endswith("bytes"):
        return size_text(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}"
    return f"{int(value):,}"


def refusal(field: str, value: float | None, subject: str, limits: Limits | None = None) -> str:
    """One sentence refusing ``subject``: the limit, the value met, how to raise it.

    ``refusal("max_steps", 12000, "journey 'x'")`` →
    ``journey 'x' has 12,000 steps, over the limit of 10,000 (max_steps); raise it with
    PARCOURS_LIMIT_STEPS=… (see docs/limits.md)``.
    """
    limits = limits or current_limits()
    cap = getattr(limits, field)
    what = _WHAT.get(field, field.removeprefix("max_").replace("_", " "))
    verb = "is" if field.endswith("bytes") else "has"
    if value is None:
        met = "is larger" if verb == "is" else f"has more {what}"
    else:
        met = f"{verb} {_shown(field, value)}{' ' + what if what else ''}"
    return (
        f"{subject} {met}, over the limit of {_shown(field, cap)} ({field}); "
        f"raise it with {env_name(field)}=… if the input is genuine (see docs/limits.md)"
    )


def hint(field: str) -> str:
    """``(max_entries; raise it with PARCOURS_LIMIT_ENTRIES=…)``: the tail of a refusal."""
    return f"({field}; raise it with {env_name(field)}=… if the input is genuine)"


def too_large(
    field: str, value: float | None, subject: str, limits: Limits | None = None
) -> TooLarge:
    """The :class:`TooLarge` error carrying :func:`refusal`'s sentence."""
    return TooLarge(refusal(field, value, subject, limits))


_WHAT = {
    "max_file_bytes": "",
    "max_bytes": "",
    "max_decompressed_bytes": "once decompressed",
    "max_entries": "zip entries",
    "max_entry_bytes": "in one zip entry",
    "max_total_bytes": "once decompressed",
    "max_aliases": "YAML aliases",
    "max_nodes": "nodes once its aliases are expanded",
    "max_depth": "levels of nesting",
    "max_text_chars": "characters",
    "max_digits": "digits",
    "max_sheet_rows": "rows",
    "max_sheet_columns": "columns",
    "max_sheet_cells": "cells",
    "max_rendered_steps": "steps",
    "max_parquet_rows_per_byte": "rows per byte",
    "max_log_rows": "rows",
    "max_log_columns": "columns",
    "max_log_xlsx_bytes": "",
    "max_log_xlsx_part_bytes": "in one part",
    "max_log_cells": "cells",
    "max_attribute_chars": "characters",
}
_OPTIONAL = {env_name("max_bytes"), env_name("max_decompressed_bytes"), env_name("max_log_rows")}

#: The limits as built in, whatever the environment says.
BUILTIN_LIMITS = Limits()


def _at_import() -> Limits:
    try:
        return Limits.from_env()
    except InvalidArgument:  # said clearly by current_limits(), where it is caught
        return BUILTIN_LIMITS


#: The limits of this process: the built-in ones with the ``PARCOURS_LIMIT_*`` variables
#: set when parcours was imported (readers that take ``limits=None`` read them again).
DEFAULT_LIMITS = _at_import()


def described() -> list[tuple[str, str, str, str]]:
    """``(field, environment variable, default, meaning)`` of every limit, in order: the
    rows of the table in ``docs/limits.md`` (the meaning is the field's ``#:`` comment)."""
    import inspect

    lines = inspect.getsource(Limits).splitlines()
    rows = []
    for field in fields(Limits):
        at = next(n for n, line in enumerate(lines) if line.strip().startswith(f"{field.name}:"))
        comment: list[str] = []
        n = at - 1
        while n >= 0 and lines[n].strip().startswith("#:"):
            comment.insert(0, lines[n].strip()[2:].strip())
            n -= 1
        default = getattr(BUILTIN_LIMITS, field.name)
        shown = "none" if default is None else _shown(field.name, default)
        if isinstance(default, bool):
            shown = "yes" if default else "no"
        rows.append((field.name, env_name(field.name), shown, " ".join(comment)))
    return rows


_ENV_NAMES = tuple(env_name(f.name) for f in fields(Limits))
_cache: dict[tuple[str | None, ...], Limits] = {}


def current_limits() -> Limits:
    """The limits of this run: the defaults with ``PARCOURS_LIMIT_*`` variables applied."""
    key = tuple(os.environ.get(name) for name in _ENV_NAMES)
    limits = _cache.get(key)
    if limits is None:
        limits = Limits.from_env()
        _cache.clear()
        _cache[key] = limits
    return limits


def resolve(limits: Limits | None) -> Limits:
    """``limits`` when given, else :func:`current_limits`."""
    return limits if limits is not None else current_limits()
