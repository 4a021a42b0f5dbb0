"""What the operation log is made of: the kinds of stored documents, operations as JSON,
envelope ids, the revision hash chain, and the cache of recent states (see ``oplog``)."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from parcours.errors import InvalidOperation
from parcours.model.operations import Operation, operation_from_json, operation_to_json

MAX_ENVELOPE_ID = 100


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document is stored and edited."""

    name: str  # "journey" | "workspace"
    table: sa.Table
    revisions: sa.Table
    snapshots: sa.Table
    key: str  # the revision table's column naming the document
    workspace_column: str  # the document table's column holding the workspace id
    load: Callable[[str], Any]
    dump: Callable[[Any], str]


def operations_json(ops: Sequence[Operation]) -> str:
    """The operations as one JSON array, each as ``operation_to_json`` writes it."""
    return "[" + ",".join(operation_to_json(op) for op in ops) + "]"


def parse_operations(ops: Sequence[Operation | dict[str, Any] | str]) -> list[Operation]:
    """Operations from models, dicts or JSON text; a bad one raises ``InvalidOperation``."""
    out: list[Operation] = []
    for i, op in enumerate(ops):
        if isinstance(op, dict | str | bytes):
            try:
                out.append(operation_from_json(op))
            except InvalidOperation as exc:
                raise InvalidOperation(f"operation {i + 1}: {exc}") from None
        else:
            out.append(op)
    return out


def check_envelope_id(envelope_id: str) -> None:
    if not isinstance(envelope_id, str) or not 1 <= len(envelope_id) <= MAX_ENVELOPE_ID:
        raise InvalidOperation(
            f"envelope id {envelope_id!r} must be a text of 1 to {MAX_ENVELOPE_ID} characters "
            "(a UUID made by the client)"
        )
    if not envelope_id.isprintable():
        raise InvalidOperation(f"envelope id {envelope_id!r} has control characters")


def chain_hash(parent_hash: str, version: int, kind: str, operations: str, state: str) -> str:
    """The hash of a revision: its parent's hash, what it did, and the state it produced."""
    digest = hashlib.sha256(state.encode("utf-8")).hexdigest()
    text = json.dumps([parent_hash, version, kind, operations, digest], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StateCache:
    """Recent states by revision hash (a hash names one state of one history), so that a
    rebase or an edit does not parse or replay what this process has just seen."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._states: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            state = self._states.get(key)
            if state is not None:
                self._states.move_to_end(key)
            return state

    def put(self, key: str, state: Any) -> None:
        with self._lock:
            self._states[key] = state
            self._states.move_to_end(key)
            while len(self._states) > self._size:
                self._states.popitem(last=False)
