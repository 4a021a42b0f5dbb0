"""What the web layer needs from the storage: a small protocol and the records it returns.

The server speaks to the store only through :class:`Backend`; :mod:`parcours.web.storage`
binds it to :mod:`parcours.store`. Methods are synchronous (the routes call them from a
worker thread) and raise the library's errors: ``NotFound``, ``InvalidOperation``,
``InvalidJourney``, :class:`StaleVersion`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from parcours.errors import Conflict
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Persona


class Role(StrEnum):
    viewer = "viewer"
    editor = "editor"
    owner = "owner"

    @property
    def rank(self) -> int:
        return ("viewer", "editor", "owner").index(self.value)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


@dataclass(frozen=True)
class User:
    id: str
    email: str
    is_admin: bool = False
    name: str | None = None


@dataclass(frozen=True)
class WorkspaceInfo:
    id: str
    name: str
    lang: str | None = None
    role: Role | None = None  # of the asking user; None for a site administrator's view

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "lang": self.lang,
            "role": self.role.value if self.role else None,
        }


@dataclass(frozen=True)
class JourneyInfo:
    id: str  # the server key (unique across workspaces)
    workspace: str
    slug: str  # the map's own id
    title: str
    lang: str | None
    version: int
    personas: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "workspace": self.workspace,
            "slug": self.slug,
            "title": self.title,
            "lang": self.lang,
            "version": self.version,
            "personas": list(self.personas),
        }


@dataclass(frozen=True)
class StoredJourney:
    info: JourneyInfo
    journey: Journey
    library: Library = field(default_factory=Library)  # the workspace's shared library
    personas: list[Persona] = field(default_factory=list)  # the workspace's personas


@dataclass(frozen=True)
class Envelope:
    """One applied write: the unit of history and of live updates."""

    id: str
    journey: str
    base_version: int
    version: int
    author: str | None
    at: dt.datetime
    operations: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "journey": self.journey,
            "base_version": self.base_version,
            "version": self.version,
            "author": self.author,
            "at": self.at.isoformat(),
            "operations": self.operations,
        }


@dataclass(frozen=True)
class Applied:
    version: int
    envelope: Envelope
    rebased: bool = False  # applied over edits made since its base version
    replayed: bool = False  # this envelope id had been applied already: nothing new was written


@dataclass(frozen=True)
class Member:
    user: str
    email: str
    role: Role

    def to_dict(self) -> dict[str, Any]:
        return {"user": self.user, "email": self.email, "role": self.role.value}


@dataclass(frozen=True)
class ShareLink:
    id: str
    journey: str
    created: dt.datetime
    author: str | None = None
    token: str | None = None  # the secret: known only when the link is made

    def to_dict(self) -> dict[str, Any]:
        out = {
            "id": self.id,
            "journey": self.journey,
            "created": self.created.isoformat(),
            "author": self.author,
        }
        if self.token is not None:
            out["token"] = self.token
            out["url"] = f"/shared/{self.token}"
        return out


@dataclass(frozen=True)
class CommentRecord:
    id: str
    journey: str
    text: str
    author: str | None  # the author's user id
    author_email: str | None
    at: dt.datetime
    step: str | None = None
    lane: str | None = None
    resolved: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "journey": self.journey,
            "text": self.text,
            "author": self.author,
            "author_email": self.author_email,
            "at": self.at.isoformat(),
            "step": self.step,
            "lane": self.lane,
            "resolved": self.resolved,
        }


class StaleVersion(Conflict):
    """The operations were made on an old version and touch what changed since."""

    def __init__(self, message: str, current: int) -> None:
        super().__init__(message)
        self.current = current


class Backend(Protocol):
    # -- accounts (one password hash per attempt, known or unknown email) ----------------------
    def authenticate(self, email: str, password: str) -> User | None: ...
    def new_session(self, user: User, max_age: int) -> str: ...
    def session_user(self, token: str) -> User | None: ...
    def end_session(self, token: str) -> None: ...
    def token_user(self, token: str) -> User | None: ...
    def admit_sign_in(
        self, email: str, ip: str, per_account: int, per_ip: int, window: float
    ) -> tuple[str | None, int | None]: ...
    def sign_in_succeeded(self, email: str, attempt: str) -> None: ...

    # -- workspaces, members, personas ---------------------------------------------------------
    def workspaces(self, user: User) -> list[WorkspaceInfo]: ...
    def workspace(self, workspace_id: str) -> WorkspaceInfo: ...
    def role(self, user: User, workspace_id: str) -> Role | None: ...
    def members(self, workspace_id: str) -> list[Member]: ...
    def set_member(self, workspace_id: str, email: str, role: Role, by: User) -> Member: ...
    def remove_member(self, workspace_id: str, user_id: str, by: User) -> None: ...
    def personas(self, workspace_id: str) -> list[Persona]: ...
    def ensure_personas(self, workspace_id: str, personas: list[Persona], by: User) -> None: ...
    def workspace_document(self, workspace_id: str) -> tuple[dict[str, Any], int]: ...
    def apply_workspace(
        self,
        workspace_id: str,
        envelope_id: str,
        base_version: int,
        operations: list[dict[str, Any]],
        by: User,
    ) -> Applied: ...

    # -- journeys, operations, revisions -------------------------------------------------------
    def journeys(self, workspace_id: str) -> list[JourneyInfo]: ...
    def journey(self, journey_id: str, *, workspace: bool = True) -> StoredJourney: ...
    def reading(self) -> AbstractContextManager[None]:
        """A block whose reads share one transaction (see ``store.database.shared_read``)."""
        ...

    def journey_json(self, journey_id: str) -> tuple[JourneyInfo, str]: ...
    def journey_info(self, journey_id: str) -> JourneyInfo: ...
    def create_journey(self, workspace_id: str, journey: Journey, by: User) -> JourneyInfo: ...
    def delete_journey(self, journey_id: str, by: User) -> None: ...
    def apply(
        self,
        journey_id: str,
        envelope_id: str,
        base_version: int,
        operations: list[dict[str, Any]],
        by: User,
    ) -> Applied: ...
    def envelopes_since(
        self, journey_id: str, version: int, limit: int = 500
    ) -> list[Envelope]: ...
    def signal(self, message: dict[str, Any]) -> None:
        """Tell the other server processes on the same database (presence, comments)."""
        ...

    def on_signal(self, handler: Callable[[dict[str, Any]], None]) -> None:
        """Call ``handler`` with each message another process signals."""
        ...

    def inverse(self, journey_id: str, version: int) -> list[dict[str, Any]] | None:
        """The stored inverse of the batch that made ``version`` (None: no such revision)."""
        ...

    def revisions(self, journey_id: str, before: int | None, limit: int) -> list[Envelope]: ...
    def journey_at(self, journey_id: str, version: int) -> Journey: ...
    def restore(self, journey_id: str, version: int, base_version: int, by: User) -> Applied: ...

    # -- comments --------------------------------------------------------------------------------
    def comments(self, journey_id: str) -> list[CommentRecord]: ...
    def add_comment(
        self, journey_id: str, by: User, text: str, step: str | None, lane: str | None
    ) -> CommentRecord: ...
    def delete_comment(self, journey_id: str, comment_id: str, by: User) -> None: ...

    # -- share links ---------------------------------------------------------------------------
    def create_share(self, journey_id: str, by: User) -> ShareLink: ...
    def shares(self, journey_id: str) -> list[ShareLink]: ...
    def revoke_share(self, journey_id: str, link_id: str, by: User) -> None: ...
    def shared_journey(self, token: str) -> str | None: ...
