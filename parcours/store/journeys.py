"""Journeys of a workspace: create, read, list, delete, edit by operations, history.

Each journey has a server id (an integer unique across workspaces, used in URLs) and keeps its
own id as its slug (unique within the workspace). Its state is the model JSON of the
:class:`~parcours.model.journey.Journey`; every edit goes through :func:`apply_operations`.
"""

from __future__ import annotations

import builtins
import importlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parcours.errors import InvalidJourney, NotFound
from parcours.model.apply import apply_with_inverse
from parcours.model.diff import Change, diff
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.operations import Operation
from parcours.model.validation import journey_problems
from parcours.store import oplog
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.errors import AlreadyExists, StoreError
from parcours.store.records import Applied, Envelope, JourneyInfo, Revision, aware, now

if TYPE_CHECKING:
    from parcours.store.store import Store


def _load(text: str) -> Journey:
    # stored states were checked when written: skip the invariant checks on the way back
    return Journey.model_validate_json(text, context={"defer_checks": True})


def _dump(journey: Journey) -> str:
    return journey.model_dump_json()


KIND = oplog.DocumentKind(
    name="journey",
    table=t.journeys,
    revisions=t.journey_revisions,
    snapshots=t.journey_snapshots,
    key="journey_id",
    workspace_column="workspace_id",
    load=_load,
    dump=_dump,
)


def _stepper(library: Library | None, personas: list[str] | None = None) -> Any:
    def step(state: Journey, op: Operation) -> tuple[Journey, Operation]:
        return apply_with_inverse(state, op, library=library, personas=personas, shared=True)

    return step


def check_in_workspace(journey: Journey, library: Library) -> None:
    """Refuse a journey whose touchpoints, channels or KPIs neither it nor the workspace
    defines (it could not be edited). Personas it names that the workspace lacks are left to
    the caller: edits then refuse only personas newly added to the journey."""
    problems = [p for p in journey_problems(journey, library=library) if p.severity == "error"]
    if problems:
        raise InvalidJourney(problems)


Listed = dict[tuple[int, int, Any], tuple[str, str | None, tuple[str, ...]]]
_LISTED_MAX = 4096


def _listed(row: Any, cache: Listed) -> tuple[str, str | None, tuple[str, ...]]:
    """Title, language and personas of a stored state, read once per version.

    Every request about a journey checks its listing (who may see it, which version is
    current); parsing the whole state for three fields each time cost more than the rest
    of the check. A (journey, version, creation time) names one state for good.
    """
    key = (row.id, row.version, row.created_at)
    found = cache.get(key)
    if found is None:
        data = json.loads(row.state)
        found = (data.get("title", row.slug), data.get("lang"), tuple(data.get("personas") or ()))
        if len(cache) >= _LISTED_MAX:
            cache.clear()
        cache[key] = found
    return found


def _info(row: Any, cache: Listed | None = None) -> JourneyInfo:
    title, lang, personas = _listed(row, {} if cache is None else cache)
    return JourneyInfo(
        id=row.id,
        workspace_id=row.workspace_id,
        slug=row.slug,
        title=title,
        lang=lang,
        personas=list(personas),
        version=row.version,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        updated_at=aware(row.updated_at),  # type: ignore[arg-type]
    )


def replace_operation(journey: Journey) -> Operation | None:
    """``ReplaceJourney(journey)`` when the model has it (restores are recorded with it)."""
    ops = importlib.import_module("parcours.model.operations")
    cls = getattr(ops, "ReplaceJourney", None)
    return cls(journey=journey) if cls is not None else None


class Journeys:
    """``store.journeys``: the journeys of every workspace."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._listed: Listed = {}  # see _listed

    # -- reading ---------------------------------------------------------------------------
    def list(self, workspace_id: int) -> builtins.list[JourneyInfo]:
        """The journeys of a workspace, in the order they were created."""
        with read(self._store.engine) as conn:
            rows = conn.execute(
                sa.select(t.journeys)
                .where(t.journeys.c.workspace_id == workspace_id)
                .order_by(t.journeys.c.id)
            ).all()
        return [_info(row, self._listed) for row in rows]

    def info(self, journey_id: int) -> JourneyInfo:
        with read(self._store.engine) as conn:
            return _info(self._row(conn, journey_id), self._listed)

    def get(self, journey_id: int) -> tuple[Journey, JourneyInfo]:
        """The journey and its listing (version included), read in one transaction."""
        with read(self._store.engine) as conn:
            row = self._row(conn, journey_id)
        return _load(row.state), _info(row, self._listed)

    def get_json(self, journey_id: int) -> tuple[str, JourneyInfo]:
        """The journey's model JSON as stored (what ``get`` parses) and its listing."""
        with read(self._store.engine) as conn:
            row = self._row(conn, journey_id)
        return row.state, _info(row, self._listed)

    def by_slug(self, workspace_id: int, slug: str) -> JourneyInfo:
        with read(self._store.engine) as conn:
            row = conn.execute(
                sa.select(t.journeys).where(
                    t.journeys.c.workspace_id == workspace_id, t.journeys.c.slug == slug
                )
            ).first()
        if row is None:
            raise NotFound(f"no journey '{slug}' in workspace {workspace_id}")
        return _info(row)

    def _row(self, conn: Connection, journey_id: int) -> Any:
        row = conn.execute(sa.select(t.journeys).where(t.journeys.c.id == journey_id)).first()
        if row is None:
            raise NotFound(f"no journey with id {journey_id}")
        return row

    # -- creating and deleting ---------------------------------------------------------------
    def create(
        self,
        workspace_id: int,
        journey: Journey,
        *,
        author_id: int | None = None,
        envelope_id: str | None = None,
    ) -> JourneyInfo:
        """Store a new journey (version 1); its id must be free in the workspace."""
        import uuid

        state = _dump(journey)
        with write(self._store.engine) as conn:
            if (
                conn.execute(
                    sa.select(t.workspaces.c.id).where(t.workspaces.c.id == workspace_id)
                ).first()
                is None
            ):
                raise NotFound(f"no workspace with id {workspace_id}")
            library, _personas = self._store.workspaces.library_of(conn, workspace_id)
            check_in_workspace(journey, library)
            taken = conn.execute(
                sa.select(t.journeys.c.id).where(
                    t.journeys.c.workspace_id == workspace_id, t.journeys.c.slug == journey.id
                )
            ).first()
            if taken is not None:
                raise AlreadyExists(
                    f"the workspace already has a journey with id '{journey.id}' (server id "
                    f"{taken.id}); give the new one another id"
                )
            stamp = now()
            journey_id = inserted_id(
                conn.execute(
                    t.journeys.insert().values(
                        workspace_id=workspace_id,
                        slug=journey.id,
                        state=state,
                        version=1,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
            )
            envelope = oplog.record_creation(
                conn, KIND, journey_id, state, author_id, envelope_id or str(uuid.uuid4())
            )
            row = self._row(conn, journey_id)
        self._store.hub.publish(envelope)
        return _info(row)

    def delete(self, journey_id: int) -> None:
        """Delete a journey with its history, comments and share links."""
        with write(self._store.engine) as conn:
            done = conn.execute(t.journeys.delete().where(t.journeys.c.id == journey_id))
            if done.rowcount != 1:
                raise NotFound(f"no journey with id {journey_id}")

    # -- editing -------------------------------------------------------------------------------
    def apply_operations(
        self,
        journey_id: int,
        ops: Sequence[Operation | dict[str, Any] | str],
        base_version: int,
        envelope_id: str,
        author_id: int | None,
    ) -> Applied:
        """Apply a batch of operations made on ``base_version``, all or nothing.

        - the same ``envelope_id`` again: the first result, with ``replayed=True``;
        - a stale base: rebased when every operation commutes with those since, else
          :class:`~parcours.store.errors.VersionConflict` (``current_version`` set);
        - an invalid operation: the model's ``InvalidOperation``; nothing is stored.
        """
        parsed = oplog.parse_operations(ops)
        with read(self._store.engine) as conn:
            library, personas = self._store.workspaces.library_for_journey(conn, journey_id)
            checked = oplog.precheck(
                conn,
                KIND,
                journey_id,
                parsed,
                base_version,
                envelope_id,
                _stepper(library, personas),
                self._store.states,
            )

        def prepare(conn: Connection) -> Any:  # once per group of edits of this journey
            return _stepper(*self._store.workspaces.library_for_journey(conn, journey_id))

        def work(conn: Connection, step: Any) -> Applied:
            return oplog.apply(
                conn,
                KIND,
                journey_id,
                parsed,
                base_version,
                envelope_id,
                author_id,
                step,
                cache=self._store.states,
                checked=checked,
            )

        return self._store.groups.run(("journey", journey_id), work, prepare, self._published)

    def _published(self, results: builtins.list[Applied]) -> None:
        for result in results:  # in the order of their versions
            if not result.replayed:
                self._store.hub.publish(result.envelope)

    def restore(
        self, journey_id: int, version: int, *, author_id: int | None, envelope_id: str
    ) -> Applied:
        """Make the state of ``version`` current again, as a new revision (history is kept)."""
        with write(self._store.engine) as conn:
            library, personas = self._store.workspaces.library_for_journey(conn, journey_id)
            step = _stepper(library, personas)
            old = oplog.state_at(conn, KIND, journey_id, version, step, self._store.states)
            current = conn.execute(
                sa.select(t.journeys.c.version).where(t.journeys.c.id == journey_id)
            ).scalar_one()
            op = replace_operation(old)
            if op is None:
                raise StoreError("restoring a revision needs ReplaceJourney in the model")
            result = oplog.apply(
                conn,
                KIND,
                journey_id,
                [op],
                current,
                envelope_id,
                author_id,
                step,
                revision_kind="restore",
                cache=self._store.states,
            )
            if not result.replayed and result.version % oplog.SNAPSHOT_EVERY:
                conn.execute(
                    t.journey_snapshots.insert().values(
                        journey_id=journey_id, version=result.version, state=_dump(old)
                    )
                )
        if not result.replayed:
            self._store.hub.publish(result.envelope)
        return result

    # -- history -------------------------------------------------------------------------------
    def envelopes_since(
        self, journey_id: int, version: int, limit: int | None = None
    ) -> builtins.list[Envelope]:
        """Every envelope after ``version``, oldest first (``Last-Event-ID`` resumes here)."""
        with read(self._store.engine) as conn:
            return oplog.envelopes_since(conn, KIND, journey_id, version, limit)

    def revisions(
        self, journey_id: int, *, before: int | None = None, limit: int = 100
    ) -> builtins.list[Revision]:
        """The history, newest first; ``before`` and ``limit`` page through it."""
        with read(self._store.engine) as conn:
            return oplog.revisions(conn, KIND, journey_id, before=before, limit=limit)

    def revision(self, journey_id: int, version: int) -> tuple[Revision, Journey]:
        """One revision and the journey as it was after it."""
        with read(self._store.engine) as conn:
            found = oplog.revisions(conn, KIND, journey_id, before=version + 1, limit=1)
            if not found or found[0].version != version:
                current = self._row(conn, journey_id).version
                raise NotFound(
                    f"journey {journey_id} has no version {version}; expected 1…{current}"
                )
            library, personas = self._store.workspaces.library_for_journey(conn, journey_id)
            state = oplog.state_at(
                conn, KIND, journey_id, version, _stepper(library, personas), self._store.states
            )
        return found[0], state

    def state_at(self, journey_id: int, version: int) -> Journey:
        """The journey as it was at ``version``."""
        return self.revision(journey_id, version)[1]

    def diff(self, journey_id: int, a: int, b: int) -> builtins.list[Change]:
        """What changed from version ``a`` to version ``b`` (the model's ``diff``)."""
        return diff(self.state_at(journey_id, a), self.state_at(journey_id, b))

    def verify(self, journey_id: int) -> builtins.list[str]:
        """Problems in the journey's history: broken hash chain, or a replay that differs."""
        with read(self._store.engine) as conn:
            problems = oplog.verify_chain(conn, KIND, journey_id)
            row = self._row(conn, journey_id)
            library, personas = self._store.workspaces.library_for_journey(conn, journey_id)
            # replay from the snapshots, never from this process's cache
            replayed = oplog.state_at(
                conn, KIND, journey_id, row.version, _stepper(library, personas)
            )
        if _dump(replayed) != row.state:
            problems.append(f"replaying the log does not give version {row.version}")
        return problems
