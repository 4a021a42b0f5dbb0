"""YAML and JSON text read into nodes that remember their line and column.

The readers walk these nodes, so that every problem names ``FILE:LINE:COL``. Texts are
taken as written (``Non``, ``yes`` or ``1.0`` in a card stay text): only fields that expect
numbers, booleans or dates use YAML's typed reading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from parcours.errors import Problem
from parcours.limits import Limits, current_limits, quote, refusal, resolve

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
        """The typed value of a scalar (its text when YAML cannot type it: a date in month
        13, an integer of 5,000 digits), or the plain data of a collection."""
        raw = self.raw
        if (
            isinstance(raw, yaml.ScalarNode)
            and raw.tag == "tag:yaml.org,2002:int"
            and len(str(raw.value)) > _MAX_INT_CHARS
        ):
            return str(raw.value)
        try:
            return _CONSTRUCTOR.construct_object(raw, deep=True)
        except Exception:  # any value YAML cannot build (a tag on the wrong text, a date
            # in month 13) is read as its text, and the field reader says what it expects
            return str(raw.value) if isinstance(raw, yaml.ScalarNode) else None
        finally:
            _CONSTRUCTOR.constructed_objects.clear()
            _CONSTRUCTOR.recursive_objects.clear()

    def kind(self) -> str:
        if self.is_map:
            return "a mapping"
        if self.is_seq:
            return "a list"
        return quote(self.text())


_MAX_MESSAGE = 600
_MAX_REPARSE = 256 * 1024  # characters the pure-Python parser re-reads to word an error
_MAX_INT_CHARS = 4000  # Python refuses to read longer integers; as_number says why


@dataclass
class Problems:
    """Collects every problem of a read, with positions."""

    file: str
    found: list[Problem] = field(default_factory=list)
    limits: Limits = field(default_factory=current_limits)

    def add(self, node: Node | None, message: str, severity: str = "error") -> None:
        self.add_problem(node, Problem(message, severity=severity))

    def add_problem(self, node: Node | None, problem: Problem) -> None:
        """A problem of the model (with its code, to be said in every language), placed at
        ``node``."""
        message = problem.message
        if len(message) > _MAX_MESSAGE:  # never echo a whole input, whatever the caller quoted
            # said as cut, in English: its values may be the long part
            problem = Problem(message[: _MAX_MESSAGE - 1] + "…", severity=problem.severity)
        if node is None:
            self.found.append(replace(problem, file=self.file, where=()))
        else:
            self.found.append(
                replace(problem, file=node.file, line=node.line, column=node.column, where=())
            )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.found if p.severity == "error"]


#: libyaml when the machine has it (60 times faster on long texts); the marks are the same.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str, file: str, limits: Limits | None = None) -> tuple[Node | None, list[Problem]]:
    """Parse YAML (or JSON, which YAML reads too) into a node, or say where it breaks.

    The events are walked once first, without recursion, against the budgets of
    :class:`~parcours.limits.Limits` (aliases, nodes once aliases are expanded, nesting
    depth, text length), so a bomb is refused before any node is built.
    """
    limits = resolve(limits)
    _SUGGESTIONS.set([MAX_SUGGESTIONS])  # the "did you mean" budget of reading this document
    try:
        refused = _guard(text, file, limits)
        if refused:
            return None, refused
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, text, file)]
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, controls)
        before = text[: max(exc.position, 0)]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        what = (
            f"character U+{exc.character:04X} is not allowed in YAML"
            if isinstance(exc.character, int)
            else "a character is not allowed in YAML"
        )
        return None, [Problem(f"cannot read this file: {what}; remove it", file, line, column)]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        return None, [Problem(f"cannot read this file: {quote(exc, 200)}", file)]
    if root is None:
        return None, [Problem("the file is empty; start it with 'parcours: 1'", file, 1, 1)]
    problems = Problems(file)
    _check_duplicates(Node(root, file), problems)
    return Node(root, file), problems.found


def _python_error(exc: yaml.MarkedYAMLError, text: str) -> yaml.MarkedYAMLError:
    """The pure-Python parser's wording of a syntax error libyaml found (it says more, e.g.
    "found character '\\t'"), read on the lines up to the error only, so it stays cheap."""
    mark = exc.problem_mark or exc.context_mark
    if _LOADER is yaml.SafeLoader or mark is None or "nesting depth" in str(exc.problem):
        return exc
    head = "".join(text.splitlines(keepends=True)[: mark.line + 3])
    if len(head) > _MAX_REPARSE:
        return exc
    try:
        for _ in yaml.parse(head, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as pyexc:
        pymark = pyexc.problem_mark or pyexc.context_mark
        if pymark is not None and pymark.line <= mark.line + 1:
            return pyexc
    except (yaml.YAMLError, RecursionError, ValueError):
        pass
    return exc


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    if "nesting depth" in str(exc.problem):
        mark = exc.problem_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        return Problem(refusal("max_depth", None, "the file"), file, line, column)
    exc = _python_error(exc, text)
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or "the text is not valid YAML"
    if exc.context:
        what = f"{exc.context}, {what}"
    hint = _hint(what)
    if file.endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as jexc:
            return Problem(f"not valid JSON: {jexc.msg}", file, jexc.lineno, jexc.colno)
        except (RecursionError, ValueError):
            pass
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return Problem(f"cannot read this file: {what}{hint}", file, line, column)


_OPEN = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _guard(text: str, file: str, limits: Limits) -> list[Problem]:
    """Walk the events once: refuse too many aliases, nodes, levels or characters."""
    depth = 0
    nodes = 0
    aliases = 0
    sizes: dict[str, int] = {}  # anchor -> nodes of its value, aliases expanded
    open_anchors: list[tuple[str | None, int]] = []
    found: list[Problem] = []

    def refuse(event: yaml.Event, field: str, value: int | None, subject: str) -> None:
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
        found.append(Problem(refusal(field, value, subject, limits), file, line, column))

    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > limits.max_aliases:
                refuse(event, "max_aliases", None, "the file")
                return found
            nodes += sizes.get(str(event.anchor), 1)
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor is not None:
                sizes[event.anchor] = 1
            if len(event.value) > limits.max_text_chars:
                refuse(event, "max_text_chars", len(event.value), "this text")
                if len(found) >= limits.max_problems:
                    return found
        elif isinstance(event, _OPEN):
            nodes += 1
            depth += 1
            open_anchors.append((event.anchor, nodes))
            if depth > limits.max_depth:
                refuse(event, "max_depth", None, "the file")
                return found
        elif isinstance(event, _CLOSE):
            depth -= 1
            anchor, start = open_anchors.pop()
            if anchor is not None:
                sizes[anchor] = nodes - start + 1
        else:
            continue
        if nodes > limits.max_nodes:
            refuse(event, "max_nodes", None, "the file")
            return found
    return found


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


def _check_duplicates(root: Node, problems: Problems) -> None:
    """Report keys written twice in a mapping; each node is visited once, aliases included."""
    seen_nodes: set[int] = set()
    todo = [root.raw]
    while todo:
        raw = todo.pop()
        if id(raw) in seen_nodes:
            continue
        seen_nodes.add(id(raw))
        if isinstance(raw, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_raw, value_raw in raw.value:
                if isinstance(key_raw, yaml.ScalarNode):
                    key = str(key_raw.value)
                    if key in seen:
                        problems.add(
                            Node(key_raw, root.file),
                            f"key {quote(key)} appears twice here (first on line {seen[key]}); "
                            "keep one",
                        )
                    else:
                        seen[key] = int(key_raw.start_mark.line) + 1
                todo.append(value_raw)
        elif isinstance(raw, yaml.SequenceNode):
            todo.extend(raw.value)


#: "Did you mean" suggestions made while reading one document: each costs a fuzzy match
#: against every choice, so a document of 100,000 unknown keys or links would otherwise
#: cost seconds; the problems past this many come without one.
MAX_SUGGESTIONS = 100
_SUGGESTIONS: ContextVar[list[int] | None] = ContextVar("parcours_suggestions", default=None)


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` (bounded: long words and long lists get no suggestion, nor
    the problems of a document past its first ``MAX_SUGGESTIONS``)."""
    options = list(choices)
    if len(word) > 200 or len(options) > 2_000:
        return ""
    budget = _SUGGESTIONS.get()
    if budget is not None:
        if budget[0] <= 0:
            return ""
        budget[0] -= 1
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
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
        digits = sum(c.isdigit() for c in node.text())
        if digits > problems.limits.max_digits:
            problems.add(
                node, f"{what}: " + refusal("max_digits", digits, "this number", problems.limits)
            )
            return None
        if isinstance(value, bool):
            pass
        elif isinstance(value, int | float):
            try:
                return _finite(float(value), node, problems, what)
            except OverflowError:
                return _finite(math.inf, node, problems, what)
        else:
            text = node.text().strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            if percent_ok and text.endswith("%"):
                text = text[:-1]
            text = text.replace(",", ".")
            try:
                return _finite(float(text), node, problems, what)
            except ValueError:
                pass
    problems.add(node, f"{what} should be a number, not {node.kind()}")
    return None


def _finite(value: float, node: Node, problems: Problems, what: str) -> float | None:
    if math.isfinite(value):
        return value
    problems.add(node, f"{what} should be a finite number, not {node.kind()}")
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


def as_choice(
    node: Node,
    problems: Problems,
    what: str,
    choices: Iterable[str],
    aliases: Mapping[str, str] | None = None,
) -> str | None:
    """One of ``choices``; ``aliases`` maps other words (``haute``, ``en cours``), compared
    by :func:`fold`, to a choice."""
    options = list(choices)
    text = as_text(node, problems, what)
    if text is None:
        return None
    if text in options:
        return text
    if aliases:
        folded = fold(text)
        if folded in aliases:
            return aliases[folded]
    problems.add(
        node,
        f"{what} is {quote(text)}; expected one of: {expected(options)}{suggest(text, options)}",
    )
    return None


def fold(word: str) -> str:
    """A word compared loosely: case, accents, spaces, ``-`` and ``_`` ignored
    (``En cours`` → ``encours``, ``Validée`` → ``validee``)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))
