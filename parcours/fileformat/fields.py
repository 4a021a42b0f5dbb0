"""Reading a mapping node field by field, from a declared spec, reporting every problem."""

from __future__ import annotations

import functools
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
    fold,
    suggest,
)
from parcours.model.words import LANGUAGES

Reader = Callable[[Node, Problems, str], Any]


#: The sections of the words of the map that name the values of an enumeration.
WORD_SECTIONS = ("severity", "priority", "status", "state", "evidence")
#: French words in use that the labels do not show (a "bloquant" pain point is a blocker).
MORE_WORDS: dict[str, tuple[str, ...]] = {"blocker": ("bloquant", "bloquante", "bloquants")}


@functools.cache
def choice_words(enum: type[StrEnum]) -> dict[str, str]:
    """Every word the outputs use for a value of ``enum``, in every language, folded
    (``haute`` → ``high``, ``en cours`` → ``in_progress``, ``rupture`` → ``rupture``)."""
    out: dict[str, str] = {}
    for member in enum:
        value = str(member.value)
        names = [value, value.replace("_", " ")]
        for module in LANGUAGES.values():
            table: dict[str, str] = module.MAP
            names += [table[f"{s}.{value}"] for s in WORD_SECTIONS if f"{s}.{value}" in table]
        names += list(MORE_WORDS.get(value, ()))
        for name in names:
            folded = fold(name)
            out.setdefault(folded, value)
            if len(folded) > 3 and folded.endswith("e"):  # validée / validé
                out.setdefault(folded[:-1], value)
    return out


def choice(enum: type[StrEnum]) -> Reader:
    def read(node: Node, problems: Problems, what: str) -> Any:
        return as_choice(node, problems, what, [e.value for e in enum], choice_words(enum))

    return read


def integer(node: Node, problems: Problems, what: str) -> Any:
    value = as_number(node, problems, what, percent_ok=False)
    if value is None:
        return None
    if value != int(value):
        problems.add(node, f"{what} should be a whole number, not {node.kind()}")
        return None
    return int(value)


#: Currency symbols and words people write, with their ISO 4217 code.
CURRENCY_WORDS = {"€": "EUR", "euro": "EUR", "euros": "EUR", "$": "USD", "us$": "USD",
                  "dollar": "USD", "dollars": "USD", "£": "GBP", "chf": "CHF", "ca$": "CAD",
                  "fr.": "CHF"}  # fmt: skip


def currency(node: Node, problems: Problems, what: str) -> Any:
    """An ISO 4217 code (``EUR``, ``CHF``…); ``€``, ``euros``, ``$``, ``£`` are understood."""
    text = as_text(node, problems, what)
    if text is None:
        return None
    word = CURRENCY_WORDS.get(text.strip().lower())
    code = word or text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        problems.add(
            node,
            f"{what} should be a currency code (ISO 4217: EUR, USD, GBP, CHF, CAD…), not '{text}'",
        )
        return None
    return code


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
CURRENCY: Reader = currency


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
