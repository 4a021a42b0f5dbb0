"""YAML and JSON text read into nodes that remember their line and column.

The readers walk these nodes, so that every problem names ``FILE:LINE:COL``. Texts are
taken as written (``Non``, ``yes`` or ``1.0`` in a card stay text): only fields that expect
numbers, booleans or dates use YAML's typed reading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from parcours.errors import Problem

_CONSTRUCTOR = yaml.SafeLoader("")  # only used to turn scalar nodes into values


@dataclass
class Node:
    """A YAML node with its position (1-based line and column)."""

    raw: yaml.Node
    file: str

    @property
    def line(self) -> int:
        return int(self.raw.start_mark.line) + 1

    @property
    def column(self) -> int:
        return int(self.raw.start_mark.column) + 1

    @property
    def is_map(self) -> bool:
        return isinstance(self.raw, yaml.MappingNode)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.raw, yaml.SequenceNode)

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.raw, yaml.ScalarNode)

    @property
    def is_null(self) -> bool:
        return self.is_scalar and self.raw.tag == "tag:yaml.org,2002:null"

    def pairs(self) -> list[tuple[str, Node, Node]]:
        """(key text, key node, value node) of a mapping."""
        return [
            (
                str(k.value) if isinstance(k, yaml.ScalarNode) else "?",
                Node(k, self.file),
                Node(v, self.file),
            )
            for k, v in self.raw.value
        ]

    def items(self) -> list[Node]:
        return [Node(v, self.file) for v in self.raw.value]

    def text(self) -> str:
        """A scalar as it was written (no YAML 1.1 typing)."""
        return str(self.raw.value)

    def value(self) -> Any:
        """The typed value of a scalar, or the plain data of a collection."""
        return _CONSTRUCTOR.construct_object(self.raw, deep=True)

    def kind(self) -> str:
        if self.is_map:
            return "a mapping"
        if self.is_seq:
            return "a list"
        return f"'{self.text()}'"


@dataclass
class Problems:
    """Collects every problem of a read, with positions."""

    file: str
    found: list[Problem] = field(default_factory=list)

    def add(self, node: Node | None, message: str, severity: str = "error") -> None:
        if node is None:
            self.found.append(Problem(message, file=self.file, severity=severity))
        else:
            self.found.append(
                Problem(
                    message, file=node.file, line=node.line, column=node.column, severity=severity
                )
            )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.found if p.severity == "error"]


def parse(text: str, file: str) -> tuple[Node | None, list[Problem]]:
    """Parse YAML (or JSON, which YAML reads too) into a node, or say where it breaks."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or "the text is not valid YAML"
        if exc.context:
            what = f"{exc.context}, {what}"
        hint = _hint(what)
        if file.endswith(".json"):
            try:
                json.loads(text)
            except json.JSONDecodeError as jexc:
                return None, [Problem(f"not valid JSON: {jexc.msg}", file, jexc.lineno, jexc.colno)]
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        return None, [Problem(f"cannot read this file: {what}{hint}", file, line, column)]
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks nearly everything
        return None, [Problem(f"cannot read this file: {exc}", file)]
    if root is None:
        return None, [Problem("the file is empty; start it with 'parcours: 1'", file, 1, 1)]
    problems = Problems(file)
    _check_duplicates(Node(root, file), problems)
    return Node(root, file), problems.found


def _hint(what: str) -> str:
    if "mapping values are not allowed" in what:
        return " (a text containing ': ' must be quoted)"
    if "found character '\\t'" in what:
        return " (indent with spaces, not tabs)"
    if "could not find expected ':'" in what or "expected <block end>" in what:
        return " (check the indentation of this line and the one before; the file may be cut short)"
    if "found unexpected end of stream" in what:
        return " (a quote or bracket is not closed; the file may be cut short)"
    return ""


def _check_duplicates(node: Node, problems: Problems) -> None:
    if node.is_map:
        seen: dict[str, int] = {}
        for key, key_node, value in node.pairs():
            if key in seen:
                problems.add(
                    key_node,
                    f"key '{key}' appears twice here (first on line {seen[key]}); keep one",
                )
            else:
                seen[key] = key_node.line
            _check_duplicates(value, problems)
    elif node.is_seq:
        for item in node.items():
            _check_duplicates(item, problems)


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def expected(choices: Iterable[str]) -> str:
    return ", ".join(choices)


# -- typed readers that report instead of raising ---------------------------------------------
def as_text(node: Node, problems: Problems, what: str) -> str | None:
    if node.is_null:
        return None
    if not node.is_scalar:
        problems.add(node, f"{what} should be a text, not {node.kind()}")
        return None
    return node.text()


def as_texts(node: Node, problems: Problems, what: str) -> list[str]:
    """A list of texts; a single text stands for a list of one."""
    if node.is_null:
        return []
    if node.is_scalar:
        return [node.text()]
    if not node.is_seq:
        problems.add(node, f"{what} should be a list of texts, not {node.kind()}")
        return []
    out = []
    for item in node.items():
        text = as_text(item, problems, f"each of {what}")
        if text is not None:
            out.append(text)
    return out


def as_bool(node: Node, problems: Problems, what: str) -> bool | None:
    value = node.value() if node.is_scalar else None
    if isinstance(value, bool):
        return value
    problems.add(node, f"{what} should be true or false, not {node.kind()}")
    return None


def as_number(
    node: Node, problems: Problems, what: str, *, percent_ok: bool = True
) -> float | None:
    """A number; ``38%`` reads as 38 (the unit belongs to the KPI definition)."""
    if node.is_null:
        return None
    if node.is_scalar:
        value = node.value()
        if isinstance(value, bool):
            pass
        elif isinstance(value, int | float):
            return float(value)
        else:
            text = node.text().strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            if percent_ok and text.endswith("%"):
                text = text[:-1]
            text = text.replace(",", ".")
            try:
                return float(text)
            except ValueError:
                pass
    problems.add(node, f"{what} should be a number, not {node.kind()}")
    return None


def as_date(node: Node, problems: Problems, what: str) -> dt.date | None:
    if node.is_null:
        return None
    value = node.value() if node.is_scalar else None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(node, f"{what} should be a date written YYYY-MM-DD, not {node.kind()}")
    return None


def as_datetime(node: Node, problems: Problems, what: str) -> dt.datetime | None:
    if node.is_null:
        return None
    value = node.value() if node.is_scalar else None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    problems.add(node, f"{what} should be a date and time (2026-10-02T14:30:00), not {node.kind()}")
    return None


def as_choice(node: Node, problems: Problems, what: str, choices: Iterable[str]) -> str | None:
    options = list(choices)
    text = as_text(node, problems, what)
    if text is None:
        return None
    if text not in options:
        problems.add(
            node,
            f"{what} is '{text}'; expected one of: {expected(options)}{suggest(text, options)}",
        )
        return None
    return text
