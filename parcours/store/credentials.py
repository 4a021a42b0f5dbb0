"""Server-side sessions (browser cookies) and API tokens, stored as SHA-256 digests only.

A session is looked up by its token on every request: expired, revoked (deleted) or belonging
to a disabled account, it is gone at once. API tokens never expire by themselves and are
revoked by id. The secret itself is returned once, at creation.
"""

from __future__ import annotations

import builtins
import datetime as dt
import secrets
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parcours.errors import NotFound
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.passwords import API_TOKEN_PREFIX, SESSION_PREFIX, new_token, token_digest
from parcours.store.records import ApiToken, Session, User, aware, now
from parcours.store.users import _user

if TYPE_CHECKING:
    from parcours.store.store import Store

SESSION_LIFETIME = dt.timedelta(days=14)
#: ``last_seen_at`` is written at most this often (a read should not write every time).
TOUCH_EVERY = dt.timedelta(minutes=1)


def _session(row: Any) -> Session:
    return Session(
        id=row.id,
        user_id=row.user_id,
        csrf_token=row.csrf_token,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        expires_at=aware(row.expires_at),  # type: ignore[arg-type]
        last_seen_at=aware(row.last_seen_at),  # type: ignore[arg-type]
    )


def _token(row: Any) -> ApiToken:
    return ApiToken(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        last_used_at=aware(row.last_used_at),
        revoked_at=aware(row.revoked_at),
    )


class Sessions:
    """``store.sessions``: signed-in browsers."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(
        self, user_id: int, lifetime: dt.timedelta = SESSION_LIFETIME
    ) -> tuple[str, Session]:
        """A new session: the secret for the cookie (shown once) and its record."""
        token = new_token(SESSION_PREFIX)
        stamp = now()
        with write(self._store.engine) as conn:
            session_id = inserted_id(
                conn.execute(
                    t.sessions.insert().values(
                        token_hash=token_digest(token),
                        user_id=user_id,
                        csrf_token=secrets.token_urlsafe(32),
                        created_at=stamp,
                        expires_at=stamp + lifetime,
                        last_seen_at=stamp,
                    )
                )
            )
            row = conn.execute(sa.select(t.sessions).where(t.sessions.c.id == session_id)).one()
        return token, _session(row)

    def lookup(self, token: str) -> tuple[Session, User] | None:
        """The live session of a cookie and its user, or ``None`` (unknown, expired, disabled)."""
        if not token:
            return None
        stamp = now()
        with read(self._store.engine) as conn:
            row = conn.execute(
                sa.select(t.sessions, t.users.c.disabled)
                .join(t.users, t.users.c.id == t.sessions.c.user_id)
                .where(t.sessions.c.token_hash == token_digest(token))
            ).first()
            if row is None or row.disabled or aware(row.expires_at) <= stamp:  # type: ignore[operator]
                return None
            user = conn.execute(sa.select(t.users).where(t.users.c.id == row.user_id)).one()
        session = _session(row)
        if stamp - session.last_seen_at >= TOUCH_EVERY:
            with write(self._store.engine) as conn:
                conn.execute(
                    t.sessions.update()
                    .where(t.sessions.c.id == session.id)
                    .values(last_seen_at=stamp)
                )
        return session, _user(user)

    def revoke(self, token: str) -> bool:
        """End a session (sign out); True when there was one."""
        with write(self._store.engine) as conn:
            done = conn.execute(
                t.sessions.delete().where(t.sessions.c.token_hash == token_digest(token))
            )
        return done.rowcount == 1

    def revoke_id(self, session_id: int) -> bool:
        with write(self._store.engine) as conn:
            done = conn.execute(t.sessions.delete().where(t.sessions.c.id == session_id))
        return done.rowcount == 1

    def revoke_all(self, user_id: int) -> int:
        """End every session of a user (password change, account disabled); how many ended."""
        with write(self._store.engine) as conn:
            done = conn.execute(t.sessions.delete().where(t.sessions.c.user_id == user_id))
        return done.rowcount

    def purge_expired(self) -> int:
        with write(self._store.engine) as conn:
            done = conn.execute(t.sessions.delete().where(t.sessions.c.expires_at <= now()))
        return done.rowcount

    def list(self, user_id: int) -> builtins.list[Session]:
        with read(self._store.engine) as conn:
            rows = conn.execute(
                sa.select(t.sessions)
                .where(t.sessions.c.user_id == user_id)
                .order_by(t.sessions.c.id)
            ).all()
        return [_session(r) for r in rows]


class ApiTokens:
    """``store.tokens``: Bearer tokens for scripts and the public API."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, user_id: int, name: str = "api") -> tuple[str, ApiToken]:
        """A new token: the secret (shown once) and its record."""
        token = new_token(API_TOKEN_PREFIX)
        with write(self._store.engine) as conn:
            if conn.execute(sa.select(t.users.c.id).where(t.users.c.id == user_id)).first() is None:
                raise NotFound(f"no user with id {user_id}")
            token_id = inserted_id(
                conn.execute(
                    t.api_tokens.insert().values(
                        token_hash=token_digest(token),
                        name=name[:200] or "api",
                        user_id=user_id,
                        created_at=now(),
                    )
                )
            )
            row = conn.execute(sa.select(t.api_tokens).where(t.api_tokens.c.id == token_id)).one()
        return token, _token(row)

    def lookup(self, token: str) -> tuple[ApiToken, User] | None:
        """The token's record and user, or ``None`` (unknown, revoked, account disabled)."""
        if not token:
            return None
        with read(self._store.engine) as conn:
            row = conn.execute(
                sa.select(t.api_tokens).where(t.api_tokens.c.token_hash == token_digest(token))
            ).first()
            if row is None or row.revoked_at is not None:
                return None
            user = conn.execute(sa.select(t.users).where(t.users.c.id == row.user_id)).one()
        if user.disabled:
            return None
        stamp = now()
        last = aware(row.last_used_at)
        if last is None or stamp - last >= TOUCH_EVERY:
            with write(self._store.engine) as conn:
                conn.execute(
                    t.api_tokens.update()
                    .where(t.api_tokens.c.id == row.id)
                    .values(last_used_at=stamp)
                )
        return _token(row), _user(user)

    def revoke(self, token_id: int) -> ApiToken:
        with write(self._store.engine) as conn:
            done = conn.execute(
                t.api_tokens.update()
                .where(t.api_tokens.c.id == token_id, t.api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            row = conn.execute(sa.select(t.api_tokens).where(t.api_tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"no API token with id {token_id}")
        del done
        return _token(row)

    def list(self, user_id: int) -> builtins.list[ApiToken]:
        with read(self._store.engine) as conn:
            rows = conn.execute(
                sa.select(t.api_tokens)
                .where(t.api_tokens.c.user_id == user_id)
                .order_by(t.api_tokens.c.id)
            ).all()
        return [_token(r) for r in rows]
