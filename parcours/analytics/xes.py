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

import pyarrow as pa
from lxml import etree

from parcours.analytics.limits import Limits, display_name, open_capped
from parcours.analytics.mapping import USUAL_NAMES, ColumnMapping, _norm
from parcours.errors import BadData

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
    keys = {_norm(v) for v in mapping.model_dump().values() if v is not None}
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
        data: dict[str, pa.Array] = {
            key: pa.array(values, pa.string()) for key, values in self.columns.items()
        }
        data["__line"] = pa.array(self.lines, pa.int64())
        data["__position"] = pa.array(range(self.count, self.count + len(self.lines)), pa.int64())
        self.count += len(self.lines)
        self.batches.append(pa.table(data))
        self.columns = {}
        self.lines = []

    def table(self) -> pa.Table:
        self.flush()
        if not self.batches:
            return pa.table(
                {"__line": pa.array([], pa.int64()), "__position": pa.array([], pa.int64())}
            )
        return pa.concat_tables(self.batches, promote_options="permissive")


def _events(stream: Any, name: str) -> Iterator[tuple[str, Any]]:
    parser = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        yield from parser
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise BadData(f"{name}:{line}: not well-formed XML: {exc.msg}") from None


def read_xes_raw(path: Path, mapping: ColumnMapping, limits: Limits) -> tuple[pa.Table, list[str]]:
    """Parse ``path`` into a table with one string column per attribute of interest,
    ``__line`` (the event's line) and ``__position`` (its order in the file).

    Returns the table and every attribute name seen (for the column-mapping messages).
    """
    name = display_name(path)
    keep = _wanted_keys(mapping)
    seen: dict[str, None] = {}
    rows = XesRows()
    with open_capped(path, limits) as raw:
        head = raw.read(PROLOG_BYTES)
        _check_prolog(head, name)
        trace_attrs: dict[str, str] = {}
        pending: list[tuple[dict[str, str], int]] = []
        event_attrs: dict[str, str] | None = None
        event_line = 0
        in_trace = False
        depth_in_attr = 0  # nesting inside attribute elements (lists, containers)
        for kind, elem in _events(_Prefixed(head, raw), name):
            tag = _local(elem.tag)
            if kind == "start":
                if tag in ATTRIBUTE_TAGS or tag in ("list", "container", "values"):
                    depth_in_attr += 1
                elif tag == "trace":
                    in_trace, trace_attrs, pending = True, {}, []
                elif tag == "event" and in_trace and depth_in_attr == 0:
                    event_attrs, event_line = {}, elem.sourceline or 0
                continue
            # end events
            if tag in ATTRIBUTE_TAGS or tag in ("list", "container", "values"):
                depth_in_attr -= 1
                if depth_in_attr == 0 and tag in ATTRIBUTE_TAGS:
                    key = elem.get("key")
                    value = elem.get("value")
                    if key is not None:
                        column = key if event_attrs is not None else f"case:{key}"
                        if in_trace:
                            seen.setdefault(column, None)
                            if _norm(column) in keep and value is not None:
                                target = event_attrs if event_attrs is not None else trace_attrs
                                target[column] = value
                if depth_in_attr == 0:
                    elem.clear()
            elif tag == "event" and event_attrs is not None:
                pending.append((event_attrs, event_line))
                event_attrs = None
                elem.clear()
            elif tag == "trace":
                for attrs, line in pending:
                    rows.add({**trace_attrs, **attrs}, line)
                in_trace, pending = False, []
                elem.clear()
                parent = elem.getparent()
                if parent is not None:
                    while elem.getprevious() is not None:
                        del parent[0]
            elif tag in ("global", "extension", "classifier") and depth_in_attr == 0:
                elem.clear()
    if rows.count + len(rows.lines) == 0 and not seen:
        raise BadData(f"{name}: no <trace> with <event> elements; is it an XES log?")
    return rows.table(), list(seen)
