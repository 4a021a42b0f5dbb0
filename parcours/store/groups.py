"""Group commit: the edits of one document that queue for it are written in one transaction.

Edits of one document are serialised (one row, one version). When many people edit one map,
each edit used to take the document's lock, open its own write transaction, load the
workspace's library, commit, and hand the lock to the next thread, which then had to win the
interpreter back from every other request before it could go on: the lock was held three to
four times as long as the edit's own work. Here the thread that gets the lock takes every
edit queued for the document at that moment and applies them one after the other in one
transaction, each in its own savepoint (a refused edit rolls back alone and the others go
on), then commits once. The others sleep until their edit is written, or until the writer
hands them the queue of the edits that came while it wrote.

Nothing is acknowledged before the commit: a failed commit fails every edit of the group,
and none of them is stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy.engine import Connection, Engine

from parcours.store.database import KeyedLocks, write

T = TypeVar("T")
C = TypeVar("C")

#: At most this many edits in one transaction (a bound on how long the lock is held).
MAX_GROUP = 32


@dataclass
class _Pending(Generic[T]):
    work: Callable[[Connection, Any], T]
    done: bool = False
    lead: bool = False
    result: T | None = None
    error: BaseException | None = None
    woken: threading.Event = field(default_factory=threading.Event)


class GroupCommit:
    """Queues of pending edits, one per document key (see the module docstring)."""

    def __init__(self, engine: Engine, locks: KeyedLocks) -> None:
        self._engine = engine
        self._locks = locks
        self._queues: dict[object, list[_Pending[Any]]] = {}
        self._leading: set[object] = set()  # documents whose queue a thread is writing
        self._guard = threading.Lock()

    def run(
        self,
        key: object,
        work: Callable[[Connection, C], T],
        prepare: Callable[[Connection], C],
        committed: Callable[[list[Any]], None] | None = None,
    ) -> T:
        """``work(conn, prepare(conn))`` in a write transaction shared with the edits of ``key``
        that wait at the same time; its result, or the error it raised, once committed.

        ``prepare`` runs once per transaction (what every edit of the document needs, read
        once); ``committed(results)`` runs after the commit with the group's results in the
        order they were applied, still under the document's lock (to publish them in order).

        One thread at a time writes a document's queue (the leader); the others sleep until
        their edit is written, or until the leader hands them the queue of the edits that
        came while it wrote. Waking each of them directly, rather than letting them take the
        document's lock one after the other only to find their answer ready, spares a
        convoy of lock hand-offs, each of which had to win the interpreter back.
        """
        pending: _Pending[T] = _Pending(work)
        with self._guard:
            self._queues.setdefault(key, []).append(pending)
            if key not in self._leading:
                self._leading.add(key)
                pending.lead = True
        if not pending.lead:
            pending.woken.wait()
        if not pending.done:  # this thread leads: write the queue as it is now
            try:
                with self._locks.hold(key):
                    with self._guard:
                        queue = self._queues.get(key, [])
                        group, rest = queue[:MAX_GROUP], queue[MAX_GROUP:]
                        self._queues[key] = rest
                    self._write(group, prepare, committed)
            finally:
                self._hand_over(key)
        if pending.error is not None:
            raise pending.error
        return pending.result  # type: ignore[return-value]

    def _hand_over(self, key: object) -> None:
        """The next waiting edit of ``key`` leads, or nobody when none waits."""
        with self._guard:
            queue = self._queues.get(key)
            if queue:
                queue[0].lead = True
                queue[0].woken.set()
            else:
                self._queues.pop(key, None)
                self._leading.discard(key)

    def _write(
        self,
        group: list[_Pending[Any]],
        prepare: Callable[[Connection], Any],
        committed: Callable[[list[Any]], None] | None,
    ) -> None:
        try:
            with write(self._engine) as conn:
                context = prepare(conn)
                if len(group) == 1:  # alone: its error rolls the whole transaction back
                    group[0].result = group[0].work(conn, context)
                else:
                    for p in group:
                        try:
                            with conn.begin_nested():
                                p.result = p.work(conn, context)
                        except Exception as exc:  # this edit alone is refused
                            p.error = exc
                            p.result = None
        except BaseException as exc:
            for p in group:  # nothing of the group is stored
                if p.error is None:
                    p.error = exc
                    p.result = None
        if committed is not None:
            done = [p.result for p in group if p.error is None]
            if done:
                try:
                    committed(done)
                finally:
                    self._finish(group)
                return
        self._finish(group)

    @staticmethod
    def _finish(group: list[_Pending[Any]]) -> None:
        for p in group:
            p.done = True
            p.woken.set()
