"""Read back the tables the analytics commands print, to compare them with their JSON.

Written apart from the code that prints them: a parser of the box-drawn text and the
inverse of each human unit (``1,234``, ``66.7%``, ``+5.2 pts``, ``5 h 26 min``), each
with the tolerance of its display rounding.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import pytest

NNBSP = "\u202f"


@dataclass
class Block:
    title: str
    header: list[str] | None = None
    rows: list[list[str]] = field(default_factory=list)

    def records(self) -> list[dict[str, str]]:
        assert self.header is not None, self.title
        return [dict(zip(self.header, r, strict=True)) for r in self.rows]

    def facts(self) -> dict[str, str]:
        assert self.header is None, self.title
        return {r[0]: r[1] for r in self.rows}


def parse_tables(text: str) -> tuple[list[Block], list[str]]:
    """The tables (title above the box, optional header) and the other lines (notes)."""
    blocks: list[Block] = []
    notes: list[str] = []
    current: Block | None = None
    pending: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("┌"):
            current = Block(previous)
            if notes and notes[-1] == previous:
                notes.pop()
            pending = []
        elif current is not None and s.startswith("├"):
            current.header = pending[0]
            pending = []
        elif current is not None and s.startswith("│"):
            pending.append([c.strip() for c in s.strip("│").split("│")])
        elif current is not None and s.startswith("└"):
            current.rows = pending
            blocks.append(current)
            current = None
        elif s:
            notes.append(s)
        previous = s
    return blocks, notes


def block(blocks: list[Block], title_start: str) -> Block:
    found = [b for b in blocks if b.title.startswith(title_start)]
    assert len(found) == 1, (title_start, [b.title for b in blocks])
    return found[0]


# ---------------------------------------------------------------------- human units
def _plain(text: str, lang: str) -> str:
    text = text.replace(NNBSP, "")
    if lang == "fr":
        return text.replace(" ", "").replace(",", ".")
    return text.replace(",", "")


def _decimals(text: str, lang: str = "en") -> int:
    m = re.search(r"\.(\d+)" if lang == "en" else r",(\d+)", text)
    return len(m.group(1)) if m else 0


UNITS = {"s": 1, "min": 60, "h": 3600, "d": 86400, "j": 86400}


def read_duration(text: str, lang: str = "en") -> tuple[float, float]:
    """``"1 d 3 h"`` → (seconds, tolerance: half the smallest unit shown)."""
    parts = re.findall(r"(-?[\d.,\u202f ]+?)\s*(min|s|h|d|j)\b", text)
    assert parts and re.fullmatch(r"-?[\d.,\u202f ]+\s*(min|s|h|d|j)(\s+\d+\s*(min|s|h))?", text), (
        text
    )
    total = 0.0
    smallest = 1.0
    for number, unit in parts:
        total += float(_plain(number.strip(), lang)) * UNITS[unit]
        smallest = UNITS[unit] * (10 ** -_decimals(number, lang))
    return total, smallest / 2


def assert_figure(cell: str, value: Any, kind: str, lang: str = "en") -> None:
    """The table's ``cell`` shows ``value`` (the JSON's), up to the display rounding."""
    where = f"{cell!r} vs {value!r} ({kind})"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        assert cell == "—", where
        return
    if kind == "text":
        assert cell == str(value), where
        return
    if kind == "count":
        if "." in _plain(cell, lang):
            assert float(_plain(cell, lang)) == pytest.approx(value, abs=0.005 + 1e-9), where
        else:
            assert int(_plain(cell, lang)) == value, where
        return
    if kind in ("number", "money"):
        number = _plain(cell.removesuffix("€").strip(), lang)
        tol = 0.5 * 10 ** -_decimals(cell, lang) + 1e-9
        assert float(number) == pytest.approx(value, abs=tol), where
        return
    if kind == "share":
        assert cell.endswith("%"), where
        number = _plain(cell[:-1].strip(), lang)
        tol = 0.5 * 10 ** -_decimals(cell, lang) / 100 + 1e-9
        assert float(number) / 100 == pytest.approx(value, abs=tol), where
        return
    if kind == "points":
        assert cell.endswith("pts"), where
        number = _plain(cell[:-3].strip(), lang)
        tol = 0.5 * 10 ** -_decimals(cell, lang) / 100 + 1e-9
        assert float(number) / 100 == pytest.approx(value, abs=tol), where
        return
    if kind == "seconds":
        seconds, tol = read_duration(cell, lang)
        assert seconds == pytest.approx(value, abs=tol + 1e-6), where
        return
    raise AssertionError(f"unknown kind {kind}")
