"""Accounts: email (unique, compared lower-case), argon2id password hash, admin, disabled."""

from __future__ import annotations

import builtins
import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parcours.errors import NotFound
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.errors import AlreadyExists
from parcours.store.passwords import hash_password, needs_rehash, verify_password
from parcours.store.records import User, aware, now

if TYPE_CHECKING:
    from parcours.store.store import Store

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def normalise_email(email: str) -> str:
    """The email as stored: trimmed and lower-case; a clear error when it is not one."""
    value = email.strip().lower()
    if not _EMAIL.match(value) or len(value) > 320:
        raise ValueError(f"'{email}' is not an email address; expected NAME@DOMAIN")
    return value


def _user(row: Any) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        is_admin=bool(row.is_admin),
        disabled=bool(row.disabled),
        created_at=aware(row.created_at),  # type: ignore[arg-type]
    )


class Users:
    """``store.users``: the accounts of the server."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self, email: str, password: str | None, *, is_admin: bool = False, name: str | None = None
    ) -> User:
        """A new account; ``password=None`` makes one that cannot sign in until one is set."""
        address = normalise_email(email)
        digest = hash_password(password) if password is not None else None
        with write(self._store.engine) as conn:
            if conn.execute(sa.select(t.users.c.id).where(t.users.c.email == address)).first():
                raise AlreadyExists(f"an account with email '{address}' exists already")
            user_id = inserted_id(
                conn.execute(
                    t.users.insert().values(
                        email=address,
                        name=name,
                        password_hash=digest,
                        is_admin=is_admin,
                        disabled=False,
                        created_at=now(),
                    )
                )
            )
            return _user(conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).one())

    def get(self, user_id: int) -> User:
        with read(self._store.engine) as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"no user with id {user_id}")
        return _user(row)

    def by_email(self, email: str) -> User:
        address = email.strip().lower()
        with read(self._store.engine) as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.email == address)).first()
        if row is None:
            raise NotFound(f"no account with email '{address}'; add it with 'parcours user add'")
        return _user(row)

    def list(self) -> builtins.list[User]:
        with read(self._store.engine) as conn:
            rows = conn.execute(sa.select(t.users).order_by(t.users.c.id)).all()
        return [_user(r) for r in rows]

    def count(self) -> int:
        with read(self._store.engine) as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(t.users)).scalar_one())

    def authenticate(self, email: str, password: str) -> User | None:
        """The user when the email and password match and the account is enabled.

        Exactly one password hash is computed whether or not the account exists, so the time
        taken does not tell which accounts exist.
        """
        address = email.strip().lower()
        with read(self._store.engine) as conn:
            row = conn.execute(sa.select(t.users).where(t.users.c.email == address)).first()
        if not verify_password(row.password_hash if row is not None else None, password):
            return None
        assert row is not None
        if row.disabled:
            return None
        if needs_rehash(row.password_hash):
            self.set_password(row.id, password)
        return _user(row)

    def set_password(self, user_id: int, password: str) -> None:
        digest = hash_password(password)
        self._update(user_id, password_hash=digest)

    def set_admin(self, user_id: int, is_admin: bool) -> User:
        return self._update(user_id, is_admin=is_admin)

    def set_disabled(self, user_id: int, disabled: bool) -> User:
        """Disable (or enable) an account; a disabled one loses its sessions at once."""
        user = self._update(user_id, disabled=disabled)
        if disabled:
            with write(self._store.engine) as conn:
                conn.execute(t.sessions.delete().where(t.sessions.c.user_id == user_id))
        return user

    def _update(self, user_id: int, **values: Any) -> User:
        with write(self._store.engine) as conn:
            done = conn.execute(t.users.update().where(t.users.c.id == user_id).values(**values))
            if done.rowcount != 1:
                raise NotFound(f"no user with id {user_id}")
            return _user(conn.execute(sa.select(t.users).where(t.users.c.id == user_id)).one())
