"""The server's storage: accounts, workspaces, journeys edited by operations, revisions.

Open a database (created or migrated to the newest schema on open)::

    from parcours.store import open_store, ensure_demo
    store = open_store("postgresql://app@db/parcours")  # or a SQLite path; None: $PARCOURS_DB
                                                         # or ~/.local/share/parcours/parcours.db
    demo = ensure_demo(store, owner_id=user.id)          # the demo workspace, loaded once

Repositories (every method is synchronous and thread-safe; call it from a worker thread
in async code, e.g. ``await asyncio.to_thread(...)`` or FastAPI's plain ``def`` routes):

- ``store.users``: ``add(email, password, is_admin=False)``, ``get(id)``, ``by_email``,
  ``list()``, ``authenticate(email, password) -> User | None`` (one argon2id hash whether
  or not the account exists), ``set_password``, ``set_admin``, ``set_disabled`` (ends sessions).
- ``store.sessions``: ``create(user_id) -> (secret, Session)`` (``Session.csrf_token``),
  ``lookup(secret) -> (Session, User) | None`` (expired, revoked or disabled: ``None``),
  ``revoke(secret)``, ``revoke_all(user_id)``. Rotate at login: ``revoke`` then ``create``.
- ``store.tokens``: ``create(user_id, name) -> (secret, ApiToken)``,
  ``lookup(secret) -> (ApiToken, User) | None``, ``revoke(token_id)``, ``list(user_id)``.
- ``store.workspaces``: ``create(name, owner_id=…, atlas=…)``, ``get``, ``by_slug``,
  ``list()``, ``list_for(user_id) -> [(Workspace, role | None)]`` (an admin sees all, role
  ``None`` where not a member), ``role(wid, uid) -> "owner" | "editor" | "viewer" | None``,
  ``members``, ``set_member(wid, uid, role)``, ``remove_member`` (the last owner stays),
  ``state(wid) -> (Atlas without journeys, version)``, ``atlas(wid)`` (with journeys),
  ``apply_operations(wid, ops, base_version, envelope_id, author_id)`` for workspace-level
  operations (fields, personas, library), ``delete``.
- ``store.journeys``: ``list(wid) -> [JourneyInfo]`` (``id``, slug, title, lang, version,
  personas), ``get(jid) -> (Journey, JourneyInfo)``, ``create(wid, journey, author_id=…)``,
  ``delete(jid)``, ``apply_operations(jid, ops, base_version, envelope_id, author_id)
  -> Applied`` (see below), ``envelopes_since(jid, version)``, ``revisions(jid)``,
  ``revision(jid, n) -> (Revision, Journey)``, ``diff(jid, a, b) -> [Change]``,
  ``restore(jid, n, author_id=…, envelope_id=…)`` (a new revision).
- ``store.comments``: ``add(jid, author_id, text, step=…, lane=…)`` (both: a cell),
  ``list(jid)``, ``get``, ``edit(id, text=…, resolved=…)``, ``delete``.
- ``store.shares``: ``create(wid, journey_id=None, created_by=…) -> (secret, ShareLink)``,
  ``lookup(secret) -> ShareLink | None`` (revoked: ``None``), ``revoke(id)``, ``list(wid)``.
- ``store.sign_ins``: ``admit(email, ip, per_account=…, per_ip=…, window=…) -> Admission``
  (``attempt``, or ``retry_after`` seconds when a limit is reached: nothing written),
  ``succeeded(email, attempt)``; the counts every server process shares.
- ``store.hub``: ``async for envelope in store.hub.stream(jid, after_version)`` yields every
  envelope after ``after_version`` then live ones, in order, each once (SSE with
  ``Last-Event-ID``); on PostgreSQL edits made by other server processes arrive too.

``apply_operations`` is all or nothing. Operations are model operations, dicts or JSON text.
The same ``envelope_id`` again returns the first result (``Applied.replayed``); a stale
``base_version`` is rebased when every operation commutes with those applied since
(``Applied.rebased``), else :class:`VersionConflict` (``.current_version``: answer 412);
an invalid operation raises :class:`parcours.errors.InvalidOperation` (422) and stores
nothing; a missing document raises :class:`parcours.errors.NotFound` (404).
``Applied.envelope`` (an :class:`Envelope`, ``to_dict()``) is what subscribers receive.

Other errors: :class:`AlreadyExists` (a taken email or slug, 409), ``ValueError`` for bad
input (an empty name, an unknown role, a short password), :class:`StoreError` /
:class:`UnsafeDatabase` when the database cannot be used safely (refuse to start).
Passwords and tokens: :mod:`parcours.store.passwords` (``hash_password``,
``verify_password``, ``dummy_verify``, ``new_token``, ``token_digest``).
"""

from __future__ import annotations

from parcours.store.database import default_path, resolve_url
from parcours.store.demo import ensure_demo
from parcours.store.errors import (
    AlreadyExists,
    EnvelopeReused,
    StoreError,
    UnsafeDatabase,
    VersionConflict,
)
from parcours.store.records import (
    ApiToken,
    Applied,
    Comment,
    Envelope,
    JourneyInfo,
    Member,
    Revision,
    Role,
    Session,
    ShareLink,
    User,
    Workspace,
)
from parcours.store.store import Store, open_store

__all__ = [
    "AlreadyExists",
    "ApiToken",
    "Applied",
    "Comment",
    "Envelope",
    "EnvelopeReused",
    "JourneyInfo",
    "Member",
    "Revision",
    "Role",
    "Session",
    "ShareLink",
    "Store",
    "StoreError",
    "UnsafeDatabase",
    "User",
    "VersionConflict",
    "Workspace",
    "default_path",
    "ensure_demo",
    "open_store",
    "resolve_url",
]
