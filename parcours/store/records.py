"""What the store hands back: small frozen records with a ``to_dict()`` for JSON."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Role = Literal["owner", "editor", "viewer"]


def now() -> dt.datetime:
    """The current time in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


def aware(value: dt.datetime | None) -> dt.datetime | None:
    """A time read back from the database, in UTC (SQLite gives naive times back)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


class _Record:
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _jsonable(asdict(self))  # type: ignore[call-overload]
        return data


@dataclass(frozen=True)
class User(_Record):
    id: int
    email: str
    name: str | None
    is_admin: bool
    disabled: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class Session(_Record):
    """A signed-in browser. ``csrf_token`` is the value forms and scripts must send back."""

    id: int
    user_id: int
    csrf_token: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_seen_at: dt.datetime


@dataclass(frozen=True)
class ApiToken(_Record):
    id: int
    user_id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class Workspace(_Record):
    id: int
    slug: str
    name: str
    lang: str | None
    settings: dict[str, Any]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class Member(_Record):
    workspace_id: int
    user_id: int
    email: str
    name: str | None
    role: Role
    created_at: dt.datetime


@dataclass(frozen=True)
class JourneyInfo(_Record):
    """A journey as listed: server id, slug (the map's own id), title, language, version."""

    id: int
    workspace_id: int
    slug: str
    title: str
    lang: str | None
    personas: list[str]
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class Envelope(_Record):
    """One applied batch of operations: a revision of a journey (or of a workspace).

    ``operations`` and ``inverse`` are JSON data as ``operation_to_json`` writes them; applying
    ``inverse`` in order after ``operations`` gives back the state at ``base_version``.
    """

    document: Literal["journey", "workspace"]
    document_id: int
    workspace_id: int
    id: str  # the client's envelope id
    base_version: int
    version: int
    kind: str  # "create" | "edit" | "restore"
    author_id: int | None
    created_at: dt.datetime
    operations: list[dict[str, Any]]
    inverse: list[dict[str, Any]]
    parent_hash: str
    hash: str

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Applied(_Record):
    """The result of ``apply_operations``: the new version and how it was reached.

    ``replayed``: the envelope id was already applied, nothing changed this time.
    ``rebased``: the base version was stale and the operations commuted with what came since.
    """

    envelope: Envelope
    replayed: bool = False
    rebased: bool = False
    requested_base: int | None = None

    @property
    def version(self) -> int:
        return self.envelope.version


@dataclass(frozen=True)
class Comment(_Record):
    """A comment on a journey, a step, a lane or a cell (lane × step)."""

    id: int
    journey_id: int
    target: Literal["journey", "step", "lane", "cell"]
    step: str | None
    lane: str | None
    author_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    text: str
    resolved: bool


@dataclass(frozen=True)
class ShareLink(_Record):
    """A read-only link to a workspace, or to one journey when ``journey_id`` is set."""

    id: int
    workspace_id: int
    journey_id: int | None
    created_by: int | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class Revision(_Record):
    """A revision as listed in the history of a document (without its state)."""

    version: int
    base_version: int
    kind: str
    envelope_id: str
    author_id: int | None
    created_at: dt.datetime
    operations: list[dict[str, Any]] = field(default_factory=list)
    hash: str = ""
    parent_hash: str = ""
