"""Reading a mapping node field by field, from a declared spec, reporting every problem."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ValidationError

from parcours.fileformat.source import (
    Node,
    Problems,
    as_bool,
    as_choice,
    as_date,
    as_datetime,
    as_number,
    as_text,
    as_texts,
    suggest,
)

Reader = Callable[[Node, Problems, str], Any]


def choice(enum: type[StrEnum]) -> Reader:
    def read(node: Node, problems: Problems, what: str) -> Any:
        return as_choice(node, problems, what, [e.value for e in enum])

    return read


def integer(node: Node, problems: Problems, what: str) -> Any:
    value = as_number(node, problems, what, percent_ok=False)
    if value is None:
        return None
    if value != int(value):
        problems.add(node, f"{what} should be a whole number, not {node.kind()}")
        return None
    return int(value)


def text_map(node: Node, problems: Problems, what: str) -> dict[str, str]:
    if node.is_null:
        return {}
    if not node.is_map:
        problems.add(node, f"{what} should be a mapping of names to texts, not {node.kind()}")
        return {}
    out = {}
    for key, _, value in node.pairs():
        text = as_text(value, problems, f"{what} '{key}'")
        if text is not None:
            out[key] = text
    return out


def keep(node: Node, problems: Problems, what: str) -> Node:
    """Keep the node itself, to be resolved later (a reference to a step, a KPI…)."""
    return node


KEEP: Reader = keep
TEXT: Reader = as_text
TEXTS: Reader = as_texts
BOOL: Reader = as_bool
NUMBER: Reader = as_number
DATE: Reader = as_date
DATETIME: Reader = as_datetime
INT: Reader = integer
TEXT_MAP: Reader = text_map


def read_mapping(
    node: Node,
    problems: Problems,
    spec: dict[str, Reader],
    what: str,
    *,
    required: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
) -> tuple[dict[str, Any], dict[str, Node]]:
    """Read the keys of ``spec`` from a mapping; unknown keys are reported with a suggestion.

    Returns the values read and the node of each key's value (for later problems).
    """
    values: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    if not node.is_map:
        problems.add(node, f"{what} should be a mapping (key: value), not {node.kind()}")
        return values, nodes
    for key, key_node, value_node in node.pairs():
        if key in ignore:
            nodes[key] = value_node
            continue
        reader = spec.get(key)
        if reader is None:
            problems.add(
                key_node,
                f"unknown key '{key}' in {what}; expected one of: "
                f"{', '.join(spec)}{suggest(key, spec)}",
            )
            continue
        nodes[key] = value_node
        value = reader(value_node, problems, f"'{key}' of {what}")
        if value is not None:
            values[key] = value
    for key in required:
        if key not in nodes:
            problems.add(node, f"{what} has no '{key}'; add '{key}: …'")
    return values, nodes


def build(
    model: type[BaseModel],
    values: dict[str, Any],
    nodes: dict[str, Node],
    node: Node,
    problems: Problems,
    what: str,
) -> Any:
    """Validate ``values`` as ``model``; problems point at the offending key's node."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            where = nodes.get(key, node)
            bad = err.get("input")
            msg = err["msg"]
            if err["type"] in ("greater_than_equal", "less_than_equal", "string_pattern_mismatch",
                               "string_too_long", "string_too_short"):  # fmt: skip
                shown = bad if not isinstance(bad, dict) else "…"
                problems.add(where, f"'{key}' of {what} is {shown!r}: {msg.lower()}")
            else:
                problems.add(where, f"'{key}' of {what}: {msg}" if key else f"{what}: {msg}")
        return None
