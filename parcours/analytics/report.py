"""A report: the JSON document of an analysis and the tables people read, built together.

Every analytics command prints a :class:`Report`. Its ``data`` is the JSON document
(machine values, stable keys); its ``tables`` are views of the same figures with a
*kind* per value (a count, a duration in seconds, a share…), so that a table and the
JSON can never disagree: both are written from this one structure, the table through
:mod:`parcours.analytics.formatting`. Titles, headers and sentences are words keys,
written in English or French by :func:`render_text` (the JSON never changes with the
language).
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from typing import Any, Literal, TextIO

from parcours.analytics import formatting as f
from parcours.analytics.formatting import Lang
from parcours.analytics.report_words import WORDS
from parcours.escape.terminal import for_terminal

Kind = Literal["text", "word", "path", "count", "number", "seconds", "share", "points", "money"]


@dataclass(frozen=True)
class Typed:
    """A value whose kind differs from its column's (rows of mixed measures)."""

    value: Any
    kind: Kind


@dataclass(frozen=True)
class Column:
    key: str  # a words key (its header) and the name tests and code use
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """Rows of values under typed columns; ``args`` fill the title (``{name}``)."""

    key: str
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]]
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Facts:
    """One measure per line, without a header: ``(words key, value, kind)``."""

    key: str
    items: tuple[tuple[str, Any, Kind], ...]
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Matrix:
    """A square-ish matrix: ``cells[(row, column)]``; rows and columns are data labels."""

    key: str
    corner: str  # words key of the top-left header, e.g. "from \\ to"
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: Mapping[tuple[str, str], Any]
    kind: Kind = "count"
    args: Mapping[str, Typed] = field(default_factory=dict)


View = Table | Facts | Matrix


@dataclass(frozen=True)
class Note:
    """A sentence under the tables (words key and its arguments)."""

    key: str
    args: Mapping[str, Typed] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """What a command prints: ``data`` as JSON, ``views`` and ``notes`` as tables."""

    command: str
    data: dict[str, Any]
    views: tuple[View, ...]
    notes: tuple[Note, ...] = ()
    lang: Lang | None = None  # the language the data suggests, when it says so

    def to_json(self) -> str:
        return json.dumps(clean(self.data), ensure_ascii=False, indent=2) + "\n"

    def write_json(self, out: TextIO) -> None:
        """Write :meth:`to_json`'s text to ``out``, a top-level value that is a lazy
        sequence (not a list: the variants of ``analyze``) written an item at a time."""
        lazy = {
            k: v
            for k, v in self.data.items()
            if isinstance(v, Sequence) and not isinstance(v, str | list | tuple)
        }
        if not lazy:
            out.write(self.to_json())
            return
        marks = {k: f"\x00lazy:{k}\x00" for k in lazy}
        head = json.dumps(
            clean({k: marks.get(k, v) for k, v in self.data.items()}),
            ensure_ascii=False,
            indent=2,
        )
        for key, value in lazy.items():
            before, _, head = head.partition(json.dumps(marks[key]))
            out.write(before)
            first = True
            strings: dict[str, str] = {}  # names repeat: each is escaped once
            # a sequence may write its own items' text (the variants: joined by Arrow)
            own = getattr(value, "json_texts", None)
            texts = own("\n    ") if own is not None else None
            if texts is None:
                texts = (_json_text(item, "\n    ", strings) for item in value)
            for text in texts:
                out.write("[\n    " if first else ",\n    ")
                out.write(text)
                first = False
            out.write("[]" if first else "\n  ]")
        out.write(head + "\n")


def _json_text(value: Any, newline: str, strings: dict[str, str]) -> str:
    """``json.dumps(clean(value), ensure_ascii=False, indent=2)`` where every line after
    the first starts with ``newline``: the text :meth:`Report.to_json` writes (its
    pure-Python indenting encoder made writing 200k variants take 10 s)."""
    kind = type(value)
    if kind is str:
        text = strings.get(value)
        if text is None:
            text = strings[value] = encode_basestring(value)
        return text
    if kind is int:
        return int.__repr__(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + "  "
        parts = [
            encode_basestring(str(k)) + ": " + _json_text(v, inner, strings)
            for k, v in value.items()
        ]
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + "  "
        parts = [_json_text(v, inner, strings) for v in value]
        return "[" + inner + ("," + inner).join(parts) + newline + "]"
    return json.dumps(clean(value), ensure_ascii=False, indent=2).replace("\n", newline)


def clean(obj: Any) -> Any:
    """JSON-safe: NaN and infinities → null, numpy scalars → Python, tuples → lists."""
    if isinstance(obj, dict):
        return {str(k): clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


# ------------------------------------------------------------------------------ words
def word(key: str, lang: Lang) -> str:
    en, fr = WORDS.get(key, (key, key))
    return fr if lang == "fr" else en


def show(value: Any, kind: Kind, lang: Lang) -> str:
    """``value`` written for people, by its kind."""
    if isinstance(value, Typed):
        value, kind = value.value, value.kind
    if kind == "count":
        return f.count(value, lang)
    if kind == "number":
        return f.number(value, lang)
    if kind == "money":
        return f.money(value, lang)
    if kind == "seconds":
        return f.duration(value, lang)
    if kind == "share":
        return f.share(value, lang)
    if kind == "points":
        return f.points(value, lang)
    if value is None:
        return f.MISSING
    if kind == "word":
        return word(str(value), lang)
    if kind == "path":
        return " → ".join(for_terminal(x) for x in value) if value else word("start", lang)
    return for_terminal(value)  # names from the data: escape sequences shown, never run


def title(key: str, args: Mapping[str, Typed], lang: Lang) -> str:
    """The sentence ``key`` with its arguments; ``key_one`` when ``n`` is 1 (singular)."""
    n = args.get("n")
    if n is not None and n.value == 1 and f"{key}_one" in WORDS:
        key = f"{key}_one"
    return word(key, lang).format(**{k: show(v, v.kind, lang) for k, v in args.items()})


def table_and_load(events: Any) -> tuple[Any, dict[str, Any] | None]:
    """The Ibis table of an :class:`~parcours.analytics.sources.EventLog` (or a table)
    and how it was read (``None`` for a table)."""
    report = getattr(events, "report", None)
    if report is not None:
        return events.table, report.to_dict()
    return events, None


# --------------------------------------------------------------------------- language
#: Usual French column names: a log whose columns are named so is shown in French.
FRENCH_COLUMNS = frozenset(
    {
        "client",
        "idclient",
        "numeroclient",
        "etape",
        "evenement",
        "canal",
        "horodatage",
        "dateheure",
        "montant",
        "valeur",
        "resultat",
        "parcours",
        "idparcours",
        "activite",
        "pointdecontact",
    }
)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\s_\-:.]+", "", text)


def guess_lang(columns: Sequence[str]) -> Lang | None:
    """``"fr"`` when the source's column names are French words, else ``None``."""
    return "fr" if any(_plain(c) in FRENCH_COLUMNS for c in columns) else None


# ---------------------------------------------------------------------------- writing
def render_text(report: Report, lang: Lang = "en") -> str:
    """The tables and notes of ``report`` as plain text (Unicode box drawing). Tables
    take their natural width: a cell is never cut or folded (a narrow terminal wraps
    the lines, the figures stay whole)."""
    from io import StringIO

    from rich import box
    from rich.console import Console
    from rich.table import Table as RichTable

    buffer = StringIO()
    console = Console(
        file=buffer,
        width=100_000,
        force_terminal=False,
        color_system=None,
        highlight=False,
        markup=False,
        emoji=False,
    )

    def numeric(kind: Kind) -> bool:
        return kind not in ("text", "path")

    for v in report.views:
        console.print(title(v.key, v.args, lang))
        if isinstance(v, Facts):
            t = RichTable(show_header=False, box=box.SQUARE)
            t.add_column(no_wrap=True)
            t.add_column(justify="right", no_wrap=True)
            for key, value, kind in v.items:
                t.add_row(word(key, lang), show(value, kind, lang))
        elif isinstance(v, Matrix):
            t = RichTable(box=box.SQUARE)
            t.add_column(word(v.corner, lang), no_wrap=True)
            for name in v.columns:
                t.add_column(for_terminal(name), justify="right", no_wrap=True)
            for r in v.rows:
                t.add_row(
                    for_terminal(r),
                    *(show(v.cells.get((r, n), 0), v.kind, lang) for n in v.columns),
                )
        else:
            t = RichTable(box=box.SQUARE)
            for c in v.columns:
                t.add_column(
                    word(c.key, lang),
                    justify="right" if numeric(c.kind) else "left",
                    no_wrap=True,
                )
            for row in v.rows:
                t.add_row(*(show(x, c.kind, lang) for x, c in zip(row, v.columns, strict=True)))
        console.print(t)
    for note in report.notes:
        console.print(title(note.key, note.args, lang))
    return buffer.getvalue()


# ------------------------------------------------------------------ parts of reports
def load_lang(load: dict[str, Any] | None) -> Any:
    """The language of a report on a log read as ``load`` says (its column names)."""
    return guess_lang(list((load or {}).get("columns", {}).values()))


def skipped_notes(load: dict[str, Any] | None) -> tuple[Note, ...]:
    """The note saying how many bad rows of the log were skipped, and the first of them."""
    if not load or not load.get("n_skipped"):
        return ()
    p = load["problems"][0] if load.get("problems") else None
    first = (
        f"line {p['line']}: {p['message']}"
        if p and p.get("line")
        else (p or {}).get("message", "—")
    )
    args = {
        "n": Typed(load["n_skipped"], "count"),
        "source": Typed(load["source"], "text"),
        "first": Typed(first, "text"),
    }
    return (Note("skipped", args),)
