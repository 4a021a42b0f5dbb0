"""The web layer's :class:`~parcours.web.backend.Backend` bound to :mod:`parcours.store`.

Server keys are the store's integer ids written as text; an id that is not a number is
simply not found. Store records become the web layer's records here, and nowhere else.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from parcours.errors import NotFound
from parcours.model.journey import Journey
from parcours.model.persona import Persona
from parcours.web.backend import (
    Applied,
    CommentRecord,
    Envelope,
    JourneyInfo,
    Member,
    Role,
    ShareLink,
    StaleVersion,
    StoredJourney,
    User,
    WorkspaceInfo,
)

if TYPE_CHECKING:
    from parcours.store.store import Store

log = logging.getLogger("parcours.web")


def key(value: str, what: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        raise NotFound(f"no {what} '{value}'")
    return int(text)


def _user(u: Any) -> User:
    return User(str(u.id), u.email, bool(u.is_admin), u.name)


def _info(j: Any, lang: str | None = None) -> JourneyInfo:
    return JourneyInfo(
        str(j.id), str(j.workspace_id), j.slug, j.title, j.lang or lang, j.version, list(j.personas)
    )


def _envelope(e: Any) -> Envelope:
    return Envelope(
        e.id,
        str(e.document_id),
        e.base_version,
        e.version,
        str(e.author_id) if e.author_id is not None else None,
        e.created_at,
        list(e.operations),
    )


def _applied(a: Any) -> Applied:
    return Applied(a.version, _envelope(a.envelope), a.rebased, a.replayed)


class StoreBackend:
    """Everything the routes ask, answered by a :class:`parcours.store.store.Store`."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._listener: threading.Thread | None = None
        self._stop = threading.Event()

    # -- accounts ------------------------------------------------------------------------------
    def authenticate(self, email: str, password: str) -> User | None:
        found = self.store.users.authenticate(email, password)
        return _user(found) if found is not None else None

    def new_session(self, user: User, max_age: int) -> str:
        token, _ = self.store.sessions.create(int(user.id), dt.timedelta(seconds=max_age))
        return token

    def session_user(self, token: str) -> User | None:
        found = self.store.sessions.lookup(token)
        return _user(found[1]) if found is not None else None

    def end_session(self, token: str) -> None:
        self.store.sessions.revoke(token)

    def token_user(self, token: str) -> User | None:
        found = self.store.tokens.lookup(token)
        return _user(found[1]) if found is not None else None

    def admit_sign_in(
        self, email: str, ip: str, per_account: int, per_ip: int, window: float
    ) -> tuple[str | None, int | None]:
        a = self.store.sign_ins.admit(
            email, ip, per_account=per_account, per_ip=per_ip, window=window
        )
        return a.attempt, a.retry_after

    def sign_in_succeeded(self, email: str, attempt: str) -> None:
        self.store.sign_ins.succeeded(email, attempt)

    # -- workspaces ----------------------------------------------------------------------------
    def workspaces(self, user: User) -> list[WorkspaceInfo]:
        found = self.store.workspaces.list_for(int(user.id))
        return [
            WorkspaceInfo(str(w.id), w.name, w.lang, Role(role) if role else None)
            for w, role in found
        ]

    def workspace(self, workspace_id: str) -> WorkspaceInfo:
        w = self.store.workspaces.get(key(workspace_id, "workspace"))
        return WorkspaceInfo(str(w.id), w.name, w.lang)

    def role(self, user: User, workspace_id: str) -> Role | None:
        try:
            wid = key(workspace_id, "workspace")
        except NotFound:
            return None
        found = self.store.workspaces.role(wid, int(user.id))
        return Role(found) if found else None

    def members(self, workspace_id: str) -> list[Member]:
        return [
            Member(str(m.user_id), m.email, Role(m.role))
            for m in self.store.workspaces.members(key(workspace_id, "workspace"))
        ]

    def set_member(self, workspace_id: str, email: str, role: Role, by: User) -> Member:
        user = self.store.users.by_email(email)
        m = self.store.workspaces.set_member(key(workspace_id, "workspace"), user.id, role.value)
        return Member(str(m.user_id), m.email, Role(m.role))

    def remove_member(self, workspace_id: str, user_id: str, by: User) -> None:
        self.store.workspaces.remove_member(key(workspace_id, "workspace"), key(user_id, "member"))

    def personas(self, workspace_id: str) -> list[Persona]:
        atlas, _ = self.store.workspaces.state(key(workspace_id, "workspace"))
        return list(atlas.personas)

    def ensure_personas(self, workspace_id: str, personas: list[Persona], by: User) -> None:
        """Add to the workspace the personas it lacks (by id), as one workspace revision."""
        import secrets

        from parcours.store.errors import VersionConflict

        wid = key(workspace_id, "workspace")
        for _ in range(5):  # another edit of the workspace in between: look again
            atlas, version = self.store.workspaces.state(wid)
            have = {p.id for p in atlas.personas}
            ops = [
                {"op": "add_persona", "persona": p.model_dump(mode="json", exclude_defaults=True)}
                for p in personas
                if p.id not in have
            ]
            if not ops:
                return
            try:
                self.store.workspaces.apply_operations(
                    wid, ops, version, secrets.token_hex(16), int(by.id)
                )
                return
            except VersionConflict:
                continue
        raise StaleVersion(
            "the workspace kept changing while its personas were added; try again", version
        )

    def workspace_document(self, workspace_id: str) -> tuple[dict[str, Any], int]:
        atlas, version = self.store.workspaces.state(key(workspace_id, "workspace"))
        return atlas.model_dump(mode="json", exclude={"journeys"}), version

    def apply_workspace(
        self,
        workspace_id: str,
        envelope_id: str,
        base_version: int,
        operations: list[dict[str, Any]],
        by: User,
    ) -> Applied:
        from parcours.store.errors import VersionConflict

        try:
            done = self.store.workspaces.apply_operations(
                key(workspace_id, "workspace"), operations, base_version, envelope_id, int(by.id)
            )
        except VersionConflict as exc:
            raise StaleVersion(str(exc), exc.current_version) from None
        return _applied(done)

    # -- journeys ------------------------------------------------------------------------------
    def journeys(self, workspace_id: str) -> list[JourneyInfo]:
        wid = key(workspace_id, "workspace")
        lang = self.store.workspaces.get(wid).lang
        return [_info(j, lang) for j in self.store.journeys.list(wid)]

    def journey(self, journey_id: str, *, workspace: bool = True) -> StoredJourney:
        """The journey; with ``workspace``, its workspace's library and personas too."""
        journey, info = self.store.journeys.get(key(journey_id, "journey"))
        if not workspace:
            return StoredJourney(_info(info), journey)
        atlas, _ = self.store.workspaces.state(info.workspace_id)
        return StoredJourney(_info(info, atlas.lang), journey, atlas.library, list(atlas.personas))

    def reading(self) -> AbstractContextManager[None]:
        from parcours.store.database import shared_read

        return shared_read(self.store.engine)

    def journey_json(self, journey_id: str) -> tuple[JourneyInfo, str]:
        text, info = self.store.journeys.get_json(key(journey_id, "journey"))
        return _info(info), text

    def journey_info(self, journey_id: str) -> JourneyInfo:
        return _info(self.store.journeys.info(key(journey_id, "journey")))

    def create_journey(self, workspace_id: str, journey: Journey, by: User) -> JourneyInfo:
        wid = key(workspace_id, "workspace")
        info = self.store.journeys.create(wid, journey, author_id=int(by.id))
        return _info(info)

    def delete_journey(self, journey_id: str, by: User) -> None:
        self.store.journeys.delete(key(journey_id, "journey"))

    def apply(
        self,
        journey_id: str,
        envelope_id: str,
        base_version: int,
        operations: list[dict[str, Any]],
        by: User,
    ) -> Applied:
        from parcours.store.errors import VersionConflict

        try:
            done = self.store.journeys.apply_operations(
                key(journey_id, "journey"), operations, base_version, envelope_id, int(by.id)
            )
        except VersionConflict as exc:
            raise StaleVersion(str(exc), exc.current_version) from None
        return _applied(done)

    def envelopes_since(self, journey_id: str, version: int, limit: int = 500) -> list[Envelope]:
        found = self.store.journeys.envelopes_since(key(journey_id, "journey"), version, limit)
        return [_envelope(e) for e in found]

    def inverse(self, journey_id: str, version: int) -> list[dict[str, Any]] | None:
        jid = key(journey_id, "journey")
        found = self.store.journeys.envelopes_since(jid, version - 1, 1) if version >= 1 else []
        if not found or found[0].version != version:
            return None
        return list(found[0].inverse)

    def revisions(self, journey_id: str, before: int | None, limit: int) -> list[Envelope]:
        jid = key(journey_id, "journey")
        out = []
        for r in self.store.journeys.revisions(jid, before=before, limit=limit):
            out.append(
                Envelope(
                    r.envelope_id,
                    journey_id,
                    r.base_version,
                    r.version,
                    str(r.author_id) if r.author_id is not None else None,
                    r.created_at,
                    list(r.operations),
                )
            )
        return out

    def journey_at(self, journey_id: str, version: int) -> Journey:
        _, state = self.store.journeys.revision(key(journey_id, "journey"), version)
        return state

    def restore(self, journey_id: str, version: int, base_version: int, by: User) -> Applied:
        import secrets

        jid = key(journey_id, "journey")
        current = self.store.journeys.info(jid).version
        if base_version != current:
            raise StaleVersion(
                f"the journey is at version {current}, not {base_version}; look at it again "
                "before restoring an old version",
                current,
            )
        done = self.store.journeys.restore(
            jid, version, author_id=int(by.id), envelope_id=secrets.token_hex(16)
        )
        return _applied(done)

    # -- comments ------------------------------------------------------------------------------
    def _comment(self, c: Any) -> CommentRecord:
        email = None
        if c.author_id is not None:
            try:
                email = self.store.users.get(c.author_id).email
            except NotFound:
                email = None
        return CommentRecord(
            str(c.id),
            str(c.journey_id),
            c.text,
            str(c.author_id) if c.author_id is not None else None,
            email,
            c.created_at,
            c.step,
            c.lane,
            c.resolved,
        )

    def comments(self, journey_id: str) -> list[CommentRecord]:
        return [self._comment(c) for c in self.store.comments.list(key(journey_id, "journey"))]

    def add_comment(
        self, journey_id: str, by: User, text: str, step: str | None, lane: str | None
    ) -> CommentRecord:
        made = self.store.comments.add(
            key(journey_id, "journey"), int(by.id), text, step=step, lane=lane
        )
        return self._comment(made)

    def delete_comment(self, journey_id: str, comment_id: str, by: User) -> None:
        cid = key(comment_id, "comment")
        if self.store.comments.get(cid).journey_id != key(journey_id, "journey"):
            raise NotFound(f"no comment '{comment_id}' on this journey")
        self.store.comments.delete(cid)

    # -- share links ---------------------------------------------------------------------------
    def _link(self, link: Any, token: str | None = None) -> ShareLink:
        return ShareLink(
            str(link.id),
            str(link.journey_id),
            link.created_at,
            str(link.created_by) if link.created_by is not None else None,
            token,
        )

    def create_share(self, journey_id: str, by: User) -> ShareLink:
        jid = key(journey_id, "journey")
        info = self.store.journeys.info(jid)
        token, link = self.store.shares.create(
            info.workspace_id, journey_id=jid, created_by=int(by.id)
        )
        return self._link(link, token)

    def shares(self, journey_id: str) -> list[ShareLink]:
        jid = key(journey_id, "journey")
        info = self.store.journeys.info(jid)
        return [
            self._link(s)
            for s in self.store.shares.list(info.workspace_id)
            if s.journey_id == jid and s.active
        ]

    def revoke_share(self, journey_id: str, link_id: str, by: User) -> None:
        link = self.store.shares.get(key(link_id, "share link"))
        if link.journey_id != key(journey_id, "journey"):
            raise NotFound(f"no share link '{link_id}' on this journey")
        self.store.shares.revoke(link.id)

    def shared_journey(self, token: str) -> str | None:
        link = self.store.shares.lookup(token)
        if link is None or link.journey_id is None:
            return None
        return str(link.journey_id)

    # -- live updates --------------------------------------------------------------------------
    def listen(self, notify: Callable[[str], None]) -> None:
        """Call ``notify(journey id)`` for every envelope the store's hub sees (this process's
        commits and, on PostgreSQL, other processes' through LISTEN/NOTIFY)."""
        import queue

        subscription = self.store.hub.subscribe("journey", None)
        stop = self._stop

        def relay() -> None:
            try:
                while not stop.is_set():
                    try:
                        envelope = subscription.get_nowait(timeout=0.5)
                    except queue.Empty:
                        continue
                    notify(str(envelope.document_id))
            finally:
                subscription.close()

        self._listener = threading.Thread(target=relay, name="parcours-sse-relay", daemon=True)
        self._listener.start()

    def signal(self, message: dict[str, Any]) -> None:
        self.store.hub.signal(message)

    def on_signal(self, handler: Callable[[dict[str, Any]], None]) -> None:
        self.store.hub.on_signal(handler)

    def close(self) -> None:
        """Stop relaying notifications (the store itself is closed by whoever opened it)."""
        self._stop.set()
        if self._listener is not None:
            self._listener.join(5)
