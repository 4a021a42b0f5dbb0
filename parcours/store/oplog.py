"""The operation log: apply a batch of operations to a stored document, all or nothing.

A document (a journey, or a workspace's own part of the atlas) is a row holding its state as
model JSON and its version. Every change is one revision: the operation envelope with the
client's id (a retried request applies once), ``base_version`` → ``version``, the author, the
time, the operations and their inverse, and a SHA-256 chained to the previous revision.

Concurrency: the caller holds a write transaction (``BEGIN IMMEDIATE`` on SQLite); the row is
locked with ``SELECT … FOR UPDATE`` on PostgreSQL and written with ``WHERE version = :read``.
A stale ``base_version`` is rebased when every operation commutes with every operation applied
since (the model's ``commute``), else :class:`VersionConflict` carries the current version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parcours.errors import InvalidOperation, NotFound
from parcours.model.footprint import Footprint, commute, footprint
from parcours.model.operations import Operation
from parcours.store.documents import (
    DocumentKind,
    StateCache,
    chain_hash,
    check_envelope_id,
    operations_json,
    parse_operations,
)
from parcours.store.errors import EnvelopeReused, VersionConflict
from parcours.store.notify import origin
from parcours.store.records import Applied, Envelope, Revision, aware, now

#: A whole state is kept every this many versions, so that an old one is rebuilt quickly.
SNAPSHOT_EVERY = 64
ROOT_HASH = "0" * 64
NOTIFY_CHANNEL = "parcours_envelopes"


Step = Callable[[Any, Operation], tuple[Any, Operation]]


def _envelope(kind: DocumentKind, row: Any, workspace_id: int) -> Envelope:
    return Envelope(
        document=kind.name,  # type: ignore[arg-type]
        document_id=row[kind.key],
        workspace_id=workspace_id,
        id=row.envelope_id,
        base_version=row.base_version,
        version=row.version,
        kind=row.kind,
        author_id=row.author_id,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        operations=json.loads(row.operations),
        inverse=json.loads(row.inverse),
        parent_hash=row.parent_hash,
        hash=row.hash,
    )


def _workspace_of(conn: Connection, kind: DocumentKind, doc_id: int) -> int:
    col = kind.table.c[kind.workspace_column]
    value = conn.execute(sa.select(col).where(kind.table.c.id == doc_id)).scalar()
    if value is None:
        raise NotFound(f"no {kind.name} with id {doc_id}")
    return int(value)


def record_creation(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    state: str,
    author_id: int | None,
    envelope_id: str,
    ops: Sequence[Operation] = (),
) -> Envelope:
    """Write revision 1 of a document whose row was just inserted at version 1."""
    ops_text = operations_json(ops)
    values = {
        kind.key: doc_id,
        "envelope_id": envelope_id,
        "base_version": 0,
        "version": 1,
        "kind": "create",
        "author_id": author_id,
        "created_at": now(),
        "operations": ops_text,
        "inverse": "[]",
        "parent_hash": ROOT_HASH,
        "hash": chain_hash(ROOT_HASH, 1, "create", ops_text, state),
    }
    conn.execute(kind.revisions.insert().values(**values))
    conn.execute(kind.snapshots.insert().values({kind.key: doc_id, "version": 1, "state": state}))
    row = conn.execute(
        sa.select(kind.revisions).where(
            kind.revisions.c[kind.key] == doc_id, kind.revisions.c.version == 1
        )
    ).one()
    return _envelope(kind, row._mapping, _workspace_of(conn, kind, doc_id))


def apply(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    ops: Sequence[Operation],
    base_version: int,
    envelope_id: str,
    author_id: int | None,
    step: Step,
    *,
    revision_kind: str = "edit",
    cache: StateCache | None = None,
    load: Callable[[str], Any] | None = None,
    dump: Callable[[Any], str] | None = None,
    checked: int | None = None,
) -> Applied:
    """Apply ``ops`` inside the caller's write transaction (see the module docstring).

    ``step(state, op)`` returns the new state and the inverse of ``op`` on the old one, or
    raises the model's ``InvalidOperation``; the transaction is then rolled back by the caller.
    ``load`` / ``dump`` replace the kind's own (a workspace is checked with its journeys).
    ``checked``: the version up to which :func:`precheck` found that ``ops`` commute with
    everything since ``base_version`` (only the revisions after it are checked again).
    """
    check_envelope_id(envelope_id)
    if not ops:
        raise InvalidOperation("the batch has no operations; send at least one")
    load = load or kind.load
    dump = dump or kind.dump
    ops_text = operations_json(ops)
    doc, rev = kind.table, kind.revisions
    query = sa.select(doc.c.version, doc.c.state, doc.c[kind.workspace_column]).where(
        doc.c.id == doc_id
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no {kind.name} with id {doc_id}")
    current, state_text, workspace_id = row
    done = conn.execute(
        sa.select(rev).where(rev.c[kind.key] == doc_id, rev.c.envelope_id == envelope_id)
    ).first()
    if done is not None:
        if done.operations != ops_text:
            raise EnvelopeReused(
                f"envelope id '{envelope_id}' was already used for other operations "
                f"(version {done.version}); send a new id for a new edit"
            )
        envelope = _envelope(kind, done._mapping, workspace_id)
        return Applied(envelope, replayed=True, requested_base=base_version)
    if not isinstance(base_version, int) or base_version < 1 or base_version > current:
        raise VersionConflict(
            f"base version {base_version} does not exist; the {kind.name} is at version "
            f"{current}: reload it and send the edit again",
            current_version=current,
            base_version=base_version,
        )
    parent = conn.execute(
        sa.select(rev.c.hash).where(rev.c[kind.key] == doc_id, rev.c.version == current)
    ).scalar_one()
    rebased = base_version < current
    if rebased:
        _check_commutes(conn, kind, doc_id, ops, base_version, current, step, cache, checked)
    state = cache.get(parent) if cache is not None else None
    if state is None:
        state = load(state_text)
    inverses: list[Operation] = []
    for op in ops:
        state, undo = step(state, op)
        inverses.append(undo)
    new_text = dump(state)
    version = current + 1
    stamp = now()
    done_update = conn.execute(
        doc.update()
        .where(doc.c.id == doc_id, doc.c.version == current)
        .values(state=new_text, version=version, updated_at=stamp)
    )
    if done_update.rowcount != 1:  # cannot happen under the lock; never write blind
        raise VersionConflict(
            f"the {kind.name} changed while the edit was applied; send it again",
            current_version=current,
            base_version=base_version,
        )
    inverse_text = operations_json(list(reversed(inverses)))
    values = {
        kind.key: doc_id,
        "envelope_id": envelope_id,
        "base_version": current,
        "version": version,
        "kind": revision_kind,
        "author_id": author_id,
        "created_at": stamp,
        "operations": ops_text,
        "inverse": inverse_text,
        "parent_hash": parent,
        "hash": chain_hash(parent, version, revision_kind, ops_text, new_text),
    }
    conn.execute(rev.insert().values(**values))
    if version % SNAPSHOT_EVERY == 0:
        conn.execute(
            kind.snapshots.insert().values(
                {kind.key: doc_id, "version": version, "state": new_text}
            )
        )
    if conn.dialect.name == "postgresql":  # delivered to other servers at commit
        conn.execute(
            sa.select(
                sa.func.pg_notify(NOTIFY_CHANNEL, f"{origin()}:{kind.name}:{doc_id}:{version}")
            )
        )
    if cache is not None:  # a hash names one state, so an entry of a rolled-back edit is harmless
        cache.put(values["hash"], state)
    envelope = Envelope(
        document=kind.name,  # type: ignore[arg-type]
        document_id=doc_id,
        workspace_id=workspace_id,
        id=envelope_id,
        base_version=current,
        version=version,
        kind=revision_kind,
        author_id=author_id,
        created_at=stamp,
        operations=json.loads(ops_text),
        inverse=json.loads(inverse_text),
        parent_hash=parent,
        hash=values["hash"],
    )
    return Applied(envelope, rebased=rebased, requested_base=base_version)


def precheck(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    ops: Sequence[Operation],
    base_version: int,
    envelope_id: str,
    step: Step,
    cache: StateCache | None,
) -> int | None:
    """Refuse a stale edit that cannot rebase before queueing for the write lock.

    Read-only: the revisions after ``base_version`` only ever grow, so a conflict found now
    stands. A known envelope id is left to :func:`apply` (it answers with the first result).
    Returns the version up to which the edit was found to commute (for ``apply(checked=…)``),
    or ``None`` when nothing was checked.
    """
    doc, rev = kind.table, kind.revisions
    current = conn.execute(sa.select(doc.c.version).where(doc.c.id == doc_id)).scalar()
    if current is None or not isinstance(base_version, int) or not 1 <= base_version < current:
        return None
    known = conn.execute(
        sa.select(rev.c.id).where(rev.c[kind.key] == doc_id, rev.c.envelope_id == envelope_id)
    ).first()
    if known is not None:
        return None
    _check_commutes(conn, kind, doc_id, ops, base_version, current, step, cache)
    return int(current)


def _check_commutes(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    ops: Sequence[Operation],
    base_version: int,
    current: int,
    step: Step,
    cache: StateCache | None,
    checked: int | None = None,
) -> None:
    """Refuse unless every operation since ``base_version`` commutes with each of ``ops``.

    Footprints are taken on the states the operations apply to: ours on the base version
    (where the client made them), theirs on the states the log passed through. The revisions
    up to ``checked`` are known to commute already (found so by :func:`precheck`).
    """
    rev = kind.revisions
    start = base_version if checked is None else max(base_version, checked)
    rows = conn.execute(
        sa.select(rev.c.version, rev.c.operations, rev.c.kind, rev.c.hash)
        .where(rev.c[kind.key] == doc_id, rev.c.version > start)
        .order_by(rev.c.version)
    ).all()
    if not rows:
        return

    def refuse(version: int) -> VersionConflict:
        return VersionConflict(
            f"the {kind.name} changed since version {base_version} (now {current}) and "
            f"version {version} touched what this edit changes; reload it, redo the edit "
            "and send it again",
            current_version=current,
            base_version=base_version,
        )

    if any(row.kind != "edit" for row in rows):
        raise refuse(next(row.version for row in rows if row.kind != "edit"))
    base = state_at(conn, kind, doc_id, base_version, step, cache)
    mine = Footprint()
    state = base
    for i, op in enumerate(ops):
        mine = mine | footprint(op, state)
        if i < len(ops) - 1:  # the last one's result is not needed
            state, _ = step(state, op)
    # the state each of their revisions applied to
    state = base if start == base_version else state_at(conn, kind, doc_id, start, step, cache)
    for row in rows:
        theirs = parse_operations(json.loads(row.operations))
        current_state = state
        for i, op in enumerate(theirs):
            if not commute(footprint(op, current_state), mine):
                raise refuse(row.version)
            if i < len(theirs) - 1:
                current_state, _ = step(current_state, op)
        after = cache.get(row.hash) if cache is not None else None
        if after is None:  # not seen by this process: replay it
            after, _ = step(current_state, theirs[-1])
        state = after


def envelopes_since(
    conn: Connection, kind: DocumentKind, doc_id: int, version: int, limit: int | None = None
) -> list[Envelope]:
    """Every envelope after ``version``, oldest first (for resuming a live stream)."""
    workspace_id = _workspace_of(conn, kind, doc_id)
    rev = kind.revisions
    query = (
        sa.select(rev)
        .where(rev.c[kind.key] == doc_id, rev.c.version > version)
        .order_by(rev.c.version)
    )
    if limit is not None:
        query = query.limit(limit)
    return [_envelope(kind, row._mapping, workspace_id) for row in conn.execute(query)]


def revisions(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    *,
    before: int | None = None,
    limit: int = 100,
) -> list[Revision]:
    """The history of a document, newest first, ``limit`` at a time (``before`` pages)."""
    _workspace_of(conn, kind, doc_id)
    rev = kind.revisions
    query = sa.select(rev).where(rev.c[kind.key] == doc_id)
    if before is not None:
        query = query.where(rev.c.version < before)
    rows = conn.execute(query.order_by(rev.c.version.desc()).limit(limit))
    return [
        Revision(
            version=r.version,
            base_version=r.base_version,
            kind=r.kind,
            envelope_id=r.envelope_id,
            author_id=r.author_id,
            created_at=aware(r.created_at),  # type: ignore[arg-type]
            operations=json.loads(r.operations),
            hash=r.hash,
            parent_hash=r.parent_hash,
        )
        for r in rows
    ]


def state_at(
    conn: Connection,
    kind: DocumentKind,
    doc_id: int,
    version: int,
    step: Step,
    cache: StateCache | None = None,
) -> Any:
    """The document as it was at ``version``: the nearest snapshot, then the log replayed."""
    current = conn.execute(
        sa.select(kind.table.c.version).where(kind.table.c.id == doc_id)
    ).scalar()
    if current is None:
        raise NotFound(f"no {kind.name} with id {doc_id}")
    if not isinstance(version, int) or not 1 <= version <= current:
        raise NotFound(f"{kind.name} {doc_id} has no version {version}; expected 1…{current}")
    rev = kind.revisions
    key = None
    if cache is not None:
        key = conn.execute(
            sa.select(rev.c.hash).where(rev.c[kind.key] == doc_id, rev.c.version == version)
        ).scalar_one()
        found = cache.get(key)
        if found is not None:
            return found
    snap = kind.snapshots
    base = conn.execute(
        sa.select(snap.c.version, snap.c.state)
        .where(snap.c[kind.key] == doc_id, snap.c.version <= version)
        .order_by(snap.c.version.desc())
        .limit(1)
    ).one()
    state = kind.load(base.state)
    rows = conn.execute(
        sa.select(rev.c.operations)
        .where(rev.c[kind.key] == doc_id, rev.c.version > base.version, rev.c.version <= version)
        .order_by(rev.c.version)
    )
    for (text,) in rows:
        for op in parse_operations(json.loads(text)):
            state, _ = step(state, op)
    if cache is not None and key is not None:
        cache.put(key, state)
    return state


def verify_chain(conn: Connection, kind: DocumentKind, doc_id: int) -> list[str]:
    """Problems in a document's history (broken hash chain, gaps); empty when sound."""
    rev = kind.revisions
    rows = conn.execute(
        sa.select(rev.c.version, rev.c.parent_hash, rev.c.hash)
        .where(rev.c[kind.key] == doc_id)
        .order_by(rev.c.version)
    ).all()
    problems = []
    parent = ROOT_HASH
    for expected, (version, parent_hash, _hash) in enumerate(rows, start=1):
        if version != expected:
            problems.append(f"version {expected} is missing (found {version})")
            break
        if parent_hash != parent:
            problems.append(f"version {version} does not follow version {version - 1}")
        parent = _hash
    return problems
