"""Workspaces, their members and roles, and the workspace document.

A workspace's own part of the atlas (name, description, language, personas and the shared
library) is stored as the model JSON of an :class:`~parcours.model.atlas.Atlas` without its
journeys, with a version; it changes only through workspace-level operations, logged like a
journey's. Roles: ``owner`` (everything, members included), ``editor`` (edits maps),
``viewer`` (reads). A site administrator (``users.is_admin``) sees every workspace.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from parcours.errors import InvalidOperation, NotFound
from parcours.model.apply import apply_with_inverse
from parcours.model.atlas import Atlas
from parcours.model.base import ID_PATTERN, slugify, unique_id
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.operations import Operation
from parcours.store import oplog
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.errors import AlreadyExists
from parcours.store.records import Applied, Envelope, Member, Revision, Role, Workspace, aware, now

if TYPE_CHECKING:
    from parcours.store.store import Store

ROLES: tuple[Role, ...] = ("owner", "editor", "viewer")
_WORKSPACE_TARGETS = ("workspace", "journey or workspace", "persona or workspace")


def _load(text: str) -> Atlas:
    return Atlas.model_validate_json(text, context={"defer_checks": True})


def _load_journey(text: str) -> Journey:
    return Journey.model_validate_json(text, context={"defer_checks": True})


def _dump(atlas: Atlas) -> str:
    return atlas.model_dump_json()


KIND = oplog.DocumentKind(
    name="workspace",
    table=t.workspaces,
    revisions=t.workspace_revisions,
    snapshots=t.workspace_snapshots,
    key="workspace_id",
    workspace_column="id",
    load=_load,
    dump=_dump,
)


def _step(state: Atlas, op: Operation) -> tuple[Atlas, Operation]:
    if op.op in ("add_journey", "remove_journey", "edit_journey"):
        raise InvalidOperation(
            f"operation '{op.op}' is not stored in the workspace: create and delete journeys "
            "through the journey API, and send journey edits to the journey"
        )
    if op.target not in _WORKSPACE_TARGETS:
        raise InvalidOperation(
            f"operation '{op.op}' edits a journey, not the workspace (its name, personas, "
            "library); send it to the journey"
        )
    return apply_with_inverse(state, op)


def _workspace(row: Any) -> Workspace:
    return Workspace(
        id=row.id,
        slug=row.slug,
        name=row.name,
        lang=row.lang,
        settings=dict(row.settings or {}),
        version=row.version,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        updated_at=aware(row.updated_at),  # type: ignore[arg-type]
    )


def _check_role(role: str) -> Role:
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}'; expected one of: {', '.join(ROLES)}")
    return role


class Workspaces:
    """``store.workspaces``: workspaces, members and the workspace document."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._libraries: dict[tuple[int, int], tuple[Library, builtins.list[str]]] = {}

    # -- workspaces ----------------------------------------------------------------------------
    def create(
        self,
        name: str,
        *,
        slug: str | None = None,
        lang: str | None = None,
        owner_id: int | None = None,
        atlas: Atlas | None = None,
        settings: dict[str, Any] | None = None,
    ) -> Workspace:
        """A new workspace (with ``atlas``'s personas and library, not its journeys)."""
        import re

        name = name.strip()
        if not name:
            raise ValueError("the workspace name is empty; give it a name")
        base = atlas.model_copy(update={"journeys": []}) if atlas else Atlas(name=name)
        base = base.model_copy(update={"name": name, "lang": lang or base.lang})
        state = _dump(base)
        with write(self._store.engine) as conn:
            taken = set(conn.execute(sa.select(t.workspaces.c.slug)).scalars())
            if slug is None:
                slug = unique_id(slugify(name, fallback="workspace"), taken)
            elif not re.match(ID_PATTERN, slug) or len(slug) > 80:
                raise ValueError(
                    f"workspace slug '{slug}' must be lower-case letters, digits, '-' or '_'"
                )
            elif slug in taken:
                raise AlreadyExists(f"a workspace with slug '{slug}' exists; choose another")
            stamp = now()
            workspace_id = inserted_id(
                conn.execute(
                    t.workspaces.insert().values(
                        slug=slug,
                        name=name,
                        lang=base.lang,
                        settings=settings or {},
                        state=state,
                        version=1,
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
            )
            oplog.record_creation(conn, KIND, workspace_id, state, owner_id, str(uuid.uuid4()))
            if owner_id is not None:
                self._set_member(conn, workspace_id, owner_id, "owner")
            row = self._row(conn, workspace_id)
        return _workspace(row)

    def get(self, workspace_id: int) -> Workspace:
        with read(self._store.engine) as conn:
            return _workspace(self._row(conn, workspace_id))

    def by_slug(self, slug: str) -> Workspace:
        with read(self._store.engine) as conn:
            row = conn.execute(sa.select(t.workspaces).where(t.workspaces.c.slug == slug)).first()
        if row is None:
            raise NotFound(f"no workspace '{slug}'")
        return _workspace(row)

    def list(self) -> builtins.list[Workspace]:
        """Every workspace (for site administrators and the admin commands)."""
        with read(self._store.engine) as conn:
            rows = conn.execute(sa.select(t.workspaces).order_by(t.workspaces.c.id)).all()
        return [_workspace(r) for r in rows]

    def list_for(self, user_id: int) -> builtins.list[tuple[Workspace, Role | None]]:
        """The workspaces a user sees, with their role (``None``: seen as site administrator)."""
        with read(self._store.engine) as conn:
            admin = conn.execute(
                sa.select(t.users.c.is_admin).where(t.users.c.id == user_id)
            ).scalar()
            query = (
                sa.select(t.workspaces, t.members.c.role)
                .join(
                    t.members,
                    sa.and_(
                        t.members.c.workspace_id == t.workspaces.c.id,
                        t.members.c.user_id == user_id,
                    ),
                    isouter=bool(admin),
                )
                .order_by(t.workspaces.c.id)
            )
            rows = conn.execute(query).all()
        return [(_workspace(r), r.role) for r in rows]

    def delete(self, workspace_id: int) -> None:
        """Delete a workspace with its journeys, history, members and share links."""
        with write(self._store.engine) as conn:
            done = conn.execute(t.workspaces.delete().where(t.workspaces.c.id == workspace_id))
            if done.rowcount != 1:
                raise NotFound(f"no workspace with id {workspace_id}")

    def update_settings(self, workspace_id: int, settings: dict[str, Any]) -> Workspace:
        """Replace the workspace's settings (server-side options, not part of the atlas)."""
        with write(self._store.engine) as conn:
            done = conn.execute(
                t.workspaces.update()
                .where(t.workspaces.c.id == workspace_id)
                .values(settings=settings, updated_at=now())
            )
            if done.rowcount != 1:
                raise NotFound(f"no workspace with id {workspace_id}")
            return _workspace(self._row(conn, workspace_id))

    def _row(self, conn: Connection, workspace_id: int) -> Any:
        row = conn.execute(sa.select(t.workspaces).where(t.workspaces.c.id == workspace_id)).first()
        if row is None:
            raise NotFound(f"no workspace with id {workspace_id}")
        return row

    # -- the workspace document ------------------------------------------------------------------
    def state(self, workspace_id: int) -> tuple[Atlas, int]:
        """The workspace's atlas without journeys (personas, library…) and its version."""
        with read(self._store.engine) as conn:
            row = self._row(conn, workspace_id)
        return _load(row.state), row.version

    def atlas(self, workspace_id: int) -> Atlas:
        """The whole atlas: the workspace document with every journey, in creation order."""
        with read(self._store.engine) as conn:
            row = self._row(conn, workspace_id)
            states = (
                conn.execute(
                    sa.select(t.journeys.c.state)
                    .where(t.journeys.c.workspace_id == workspace_id)
                    .order_by(t.journeys.c.id)
                )
                .scalars()
                .all()
            )
        base = _load(row.state)
        journeys = [_load_journey(s) for s in states]
        return base.model_copy(update={"journeys": journeys})

    def apply_operations(
        self,
        workspace_id: int,
        ops: Sequence[Operation | dict[str, Any] | str],
        base_version: int,
        envelope_id: str,
        author_id: int | None,
    ) -> Applied:
        """Workspace-level operations (fields, personas, library), like a journey's."""
        parsed = oplog.parse_operations(ops)
        with write(self._store.engine) as conn:
            query = sa.select(t.journeys.c.state).where(t.journeys.c.workspace_id == workspace_id)
            if conn.dialect.name == "postgresql":  # journey edits wait (they lock it to share)
                conn.execute(
                    sa.select(t.workspaces.c.id)
                    .where(t.workspaces.c.id == workspace_id)
                    .with_for_update()
                )
            states = conn.execute(query.order_by(t.journeys.c.id)).scalars().all()
            journeys = [_load_journey(text) for text in states]

            def load(text: str) -> Atlas:  # checked with its journeys: what uses a persona…
                return _load(text).model_copy(update={"journeys": journeys})

            def dump(atlas: Atlas) -> str:
                return _dump(atlas.model_copy(update={"journeys": []}))

            result = oplog.apply(
                conn,
                KIND,
                workspace_id,
                parsed,
                base_version,
                envelope_id,
                author_id,
                _step,
                load=load,
                dump=dump,
            )
            if not result.replayed:
                base = conn.execute(
                    sa.select(t.workspaces.c.state).where(t.workspaces.c.id == workspace_id)
                ).scalar_one()
                atlas = _load(base)
                conn.execute(
                    t.workspaces.update()
                    .where(t.workspaces.c.id == workspace_id)
                    .values(name=atlas.name, lang=atlas.lang)
                )
        if not result.replayed:
            self._store.hub.publish(result.envelope)
        return result

    def envelopes_since(self, workspace_id: int, version: int) -> builtins.list[Envelope]:
        with read(self._store.engine) as conn:
            return oplog.envelopes_since(conn, KIND, workspace_id, version)

    def revisions(
        self, workspace_id: int, *, before: int | None = None, limit: int = 100
    ) -> builtins.list[Revision]:
        with read(self._store.engine) as conn:
            return oplog.revisions(conn, KIND, workspace_id, before=before, limit=limit)

    def library_of(self, conn: Connection, workspace_id: int) -> tuple[Library, builtins.list[str]]:
        """The shared library and persona ids of a workspace."""
        atlas = _load(self._row(conn, workspace_id).state)
        return atlas.library, [p.id for p in atlas.personas]

    def library_for_journey(
        self, conn: Connection, journey_id: int
    ) -> tuple[Library, builtins.list[str]]:
        """The shared library and persona ids of the workspace holding a journey.

        On PostgreSQL the workspace row is locked to share, so that a workspace edit (which
        locks it to update) cannot remove a persona or entry the journey edit relies on.
        """
        query = (
            sa.select(t.workspaces.c.id, t.workspaces.c.version, t.workspaces.c.state)
            .join(t.journeys, t.journeys.c.workspace_id == t.workspaces.c.id)
            .where(t.journeys.c.id == journey_id)
        )
        if conn.dialect.name == "postgresql":
            query = query.with_for_update(read=True, of=t.workspaces)
        row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"no journey with id {journey_id}")
        key = (row.id, row.version)
        found = self._libraries.get(key)
        if found is None:
            atlas = _load(row.state)
            found = (atlas.library, [p.id for p in atlas.personas])
            if len(self._libraries) > 256:
                self._libraries.clear()
            self._libraries[key] = found
        return found

    # -- members ---------------------------------------------------------------------------------
    def members(self, workspace_id: int) -> builtins.list[Member]:
        with read(self._store.engine) as conn:
            self._row(conn, workspace_id)
            rows = conn.execute(
                sa.select(t.members, t.users.c.email, t.users.c.name)
                .join(t.users, t.users.c.id == t.members.c.user_id)
                .where(t.members.c.workspace_id == workspace_id)
                .order_by(t.users.c.email)
            ).all()
        return [
            Member(r.workspace_id, r.user_id, r.email, r.name, r.role, aware(r.created_at))  # type: ignore[arg-type]
            for r in rows
        ]

    def role(self, workspace_id: int, user_id: int) -> Role | None:
        """The user's role in the workspace, or ``None`` when not a member."""
        with read(self._store.engine) as conn:
            return conn.execute(
                sa.select(t.members.c.role).where(
                    t.members.c.workspace_id == workspace_id, t.members.c.user_id == user_id
                )
            ).scalar()

    def set_member(self, workspace_id: int, user_id: int, role: str) -> Member:
        """Add a member or change their role (the last owner cannot be demoted)."""
        checked = _check_role(role)
        with write(self._store.engine) as conn:
            self._row(conn, workspace_id)
            user = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
            if user is None:
                raise NotFound(f"no user with id {user_id}")
            self._keep_an_owner(conn, workspace_id, user_id, checked)
            self._set_member(conn, workspace_id, user_id, checked)
        return next(m for m in self.members(workspace_id) if m.user_id == user_id)

    def remove_member(self, workspace_id: int, user_id: int) -> None:
        with write(self._store.engine) as conn:
            self._keep_an_owner(conn, workspace_id, user_id, None)
            done = conn.execute(
                t.members.delete().where(
                    t.members.c.workspace_id == workspace_id, t.members.c.user_id == user_id
                )
            )
            if done.rowcount != 1:
                raise NotFound(f"user {user_id} is not a member of workspace {workspace_id}")

    def _keep_an_owner(
        self, conn: Connection, workspace_id: int, user_id: int, role: Role | None
    ) -> None:
        owners = set(
            conn.execute(
                sa.select(t.members.c.user_id).where(
                    t.members.c.workspace_id == workspace_id, t.members.c.role == "owner"
                )
            ).scalars()
        )
        if owners == {user_id} and role != "owner":
            raise ValueError("this is the workspace's last owner; make someone else owner first")

    def _set_member(self, conn: Connection, workspace_id: int, user_id: int, role: Role) -> None:
        done = conn.execute(
            t.members.update()
            .where(t.members.c.workspace_id == workspace_id, t.members.c.user_id == user_id)
            .values(role=role)
        )
        if done.rowcount == 0:
            conn.execute(
                t.members.insert().values(
                    workspace_id=workspace_id, user_id=user_id, role=role, created_at=now()
                )
            )
