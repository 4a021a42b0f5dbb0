"""Stream an XES event log (plain or gzipped) into a raw Arrow table of strings.

XES is the IEEE 1849 process-mining format: ``<log>`` holds ``<trace>`` elements, each
with attributes (``<string key="concept:name" value="case 7"/>``) and ``<event>``
elements with their own attributes. As PM4Py does, trace attributes are named with a
``case:`` prefix (``case:concept:name``) and each event is one row, whatever its
``lifecycle:transition`` (start and complete are two events).

The file is read with ``lxml.etree.iterparse`` and each trace is cleared once read, so
memory holds one trace and one batch of rows, never the document. The parser resolves no
entity, loads no DTD and uses no network; a document with a DOCTYPE is refused outright
(XES has none, and entity declarations are how XML bombs work).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
from lxml import etree

from parcours.analytics import arrays
from parcours.analytics.capped import display_name, open_capped
from parcours.analytics.mapping import USUAL_NAMES, ColumnMapping, _norm
from parcours.errors import BadData, TooLarge
from parcours.limits import Limits, hint

ATTRIBUTE_TAGS = frozenset({"string", "date", "int", "float", "boolean", "id"})
BATCH_ROWS = 100_000
PROLOG_BYTES = 64 * 1024


class _Prefixed:
    """A read-only stream: ``head`` bytes already read, then the rest of ``tail``."""

    def __init__(self, head: bytes, tail: IO[bytes]) -> None:
        self._head = head
        self._tail = tail

    def read(self, n: int = -1) -> bytes:
        if self._head:
            if n is None or n < 0:
                data, self._head = self._head + self._tail.read(), b""
                return data
            data, self._head = self._head[:n], self._head[n:]
            return data
        return self._tail.read(n)


def _check_prolog(head: bytes, name: str) -> None:
    root = re.search(rb"<(?![?!])", head)
    prolog = head[: root.start()] if root else head
    if re.search(rb"<!(DOCTYPE|ENTITY)", prolog, re.IGNORECASE):
        raise BadData(
            f"{name}: the XML declares a DOCTYPE or entities, which XES never needs; "
            "refusing it (XML entity expansion and external entities are attack vectors)"
        )
    if root is None and len(head) >= PROLOG_BYTES:
        raise BadData(f"{name}: no XML element in the first {PROLOG_BYTES // 1024} KiB")


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return tag.rpartition("}")[2]


def _wanted_keys(mapping: ColumnMapping) -> set[str]:
    """Normalised attribute names whose values are kept (the rest are only listed)."""
    keys = {_norm(v) for v in vars(mapping).values() if v is not None}
    for names in USUAL_NAMES.values():
        keys.update(names)
    return keys | {f"case:{k}" for k in keys}


class XesRows:
    """Accumulates rows column by column and cuts them into Arrow batches."""

    def __init__(self) -> None:
        self.columns: dict[str, list[str | None]] = {}
        self.lines: list[int] = []
        self.batches: list[pa.Table] = []
        self.count = 0

    def add(self, values: dict[str, str], line: int) -> None:
        n = len(self.lines)
        for key, value in values.items():
            column = self.columns.get(key)
            if column is None:
                column = self.columns[key] = [None] * n
            column.append(value)
        self.lines.append(line)
        for column in self.columns.values():
            if len(column) < n + 1:
                column.append(None)
        if len(self.lines) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.lines:
            return
        data = {key: arrays.strings(values) for key, values in self.columns.items()}
        data["__line"] = arrays.numbers(self.lines, pa.int64())
        data["__position"] = arrays.numbers(
            np.arange(self.count, self.count + len(self.lines)), pa.int64()
        )
        self.count += len(self.lines)
        self.batches.append(arrays.table(data))
        self.columns = {}
        self.lines = []

    def table(self) -> pa.Table:
        self.flush()
        if not self.batches:
            empty = arrays.numbers([], pa.int64())
            return arrays.table({"__line": empty, "__position": empty})
        return pa.concat_tables(self.batches, promote_options="permissive")


def _ends(stream: Any, name: str) -> Iterator[Any]:
    """The ``<event>`` and ``<trace>`` elements as each ends (filtered in C by lxml)."""
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=("{*}event", "{*}trace"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _, elem in parser:
            yield elem
    except etree.XMLSyntaxError as exc:
        line: object = exc.lineno
        message = str(exc.msg or exc).splitlines()[0][:200]
        last = exc.error_log.last_error if exc.error_log else None
        if not line and last is not None:  # iterparse lost it: the parser's log has it
            line, message = last.line, str(last.message).strip()[:200]
        if "depth" in message.lower():
            message = (
                "elements nested deeper than 256 levels; an XES log nests a few "
                "(log, trace, event, attribute lists)"
            )
        elif "XML_PARSE_HUGE" in message or "limit exceeded" in message.lower():
            message = "a value or a name over the parser's 10 MB limit; XES values are short"
        raise BadData(f"{name}:{line}: not well-formed XML: {message}") from None


class _Attributes:
    """Reads the direct attribute children of an element (nested ones are ignored),
    keeping the values of wanted names; decisions are cached per tag and per key."""

    def __init__(self, keep: set[str], name: str, max_bytes: int) -> None:
        self.keep = keep
        self.name = name
        self.max_bytes = max_bytes
        self.seen: dict[str, None] = {}
        self._is_attr: dict[str, bool] = {}
        self._column: dict[tuple[str, str], str | None] = {}

    def __call__(self, elem: Any, prefix: str) -> dict[str, str]:
        found: dict[str, str] = {}
        is_attr = self._is_attr
        columns = self._column
        for child in elem:
            tag = child.tag
            ok = is_attr.get(tag)
            if ok is None:
                ok = is_attr[tag] = _local(tag) in ATTRIBUTE_TAGS
            if not ok:
                continue
            key = child.get("key")
            if key is None:
                continue
            column = columns.get((prefix, key), "")
            if column == "":
                name = prefix + key
                self.seen.setdefault(name, None)
                column = columns[(prefix, key)] = name if _norm(name) in self.keep else None
            if column is not None:
                value = child.get("value")
                if value is not None:
                    if len(value) > self.max_bytes:
                        raise TooLarge(
                            f"{self.name}:{child.sourceline}: attribute {key[:60]!r} holds "
                            f"{len(value):,} characters, over the {self.max_bytes:,} a value "
                            f"may have {hint('max_attribute_chars')}"
                        )
                    found[column] = value
        return found


def read_xes_raw(path: Path, mapping: ColumnMapping, limits: Limits) -> tuple[pa.Table, list[str]]:
    """Parse ``path`` into a table with one string column per attribute of interest,
    ``__line`` (the event's line) and ``__position`` (its order in the file).

    Returns the table and every attribute name seen (for the column-mapping messages).
    """
    name = display_name(path)
    attributes = _Attributes(_wanted_keys(mapping), name, limits.max_attribute_chars)
    rows = XesRows()
    pending: list[tuple[dict[str, str], int]] = []
    n_traces = 0
    with open_capped(path, limits) as raw:
        head = raw.read(PROLOG_BYTES)
        _check_prolog(head, name)
        for elem in _ends(_Prefixed(head, raw), name):
            parent = elem.getparent()
            if elem.tag.endswith("event"):
                if parent is None or not parent.tag.endswith("trace"):
                    continue  # an event outside a trace is not part of any case
                pending.append((attributes(elem, ""), elem.sourceline or 0))
                elem.clear(keep_tail=False)
                continue
            # a trace: its own attributes apply to the events read inside it
            n_traces += 1
            case = attributes(elem, "case:")
            for attrs, line in pending:
                rows.add({**case, **attrs}, line)
            pending = []
            elem.clear(keep_tail=False)
            if parent is not None:
                while elem.getprevious() is not None:
                    del parent[0]
    if n_traces == 0:
        raise BadData(f"{name}: no <trace> with <event> elements; is it an XES log?")
    return rows.table(), list(attributes.seen)
