"""Sign-in attempts counted in the database: every server process sees the same counts.

An attempt is admitted (and written, as a failure until it succeeds) only when none of its
keys — the email address, whether or not an account has it, and the client address — has
reached its limit within the window; admitting is one write transaction, serialised across
processes (SQLite's write lock; a PostgreSQL advisory lock), so N workers or N concurrent
requests never get more than the limit between them. A success clears the email's count
and its own address row. Keys are stored as SHA-256 digests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from parcours.store import tables as t
from parcours.store.database import read, write
from parcours.store.records import aware, now

if TYPE_CHECKING:
    from collections.abc import Callable

    from parcours.store.store import Store

#: The PostgreSQL advisory lock that serialises admissions (any constant of our own).
ADVISORY_LOCK = 7243062


def digest(kind: str, value: str) -> str:
    """The stored key of an email (case and spaces ignored) or a client address."""
    if kind == "email":
        value = value.strip().lower()
    return hashlib.sha256(f"{kind}:{value}".encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Admission:
    """The answer to an attempt: ``attempt`` to pass back on success, or seconds to wait."""

    attempt: str | None
    retry_after: int | None


class SignInAttempts:
    """``store.sign_ins``: the shared sign-in throttle's counts."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] = now) -> None:
        self._store = store
        self.clock = clock

    def admit(
        self, email: str, ip: str, *, per_account: int, per_ip: int, window: float
    ) -> Admission:
        """Record an attempt, or say how long to wait when a limit is reached (nothing written)."""
        stamp = self.clock()
        since = stamp - dt.timedelta(seconds=window)
        keys = ((digest("email", email), per_account), (digest("ip", ip), per_ip))
        table = t.sign_in_attempts
        with write(self._store.engine) as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.select(sa.func.pg_advisory_xact_lock(ADVISORY_LOCK)))
            conn.execute(table.delete().where(table.c.at <= since))
            waits = []
            for key, limit in keys:
                count, oldest = conn.execute(
                    sa.select(sa.func.count(), sa.func.min(table.c.at)).where(
                        table.c.key == key, table.c.at > since
                    )
                ).one()
                if count >= limit:
                    first = aware(oldest) or stamp
                    waits.append(int((first - since).total_seconds()) + 1)
            if waits:
                return Admission(None, max(waits))
            attempt = secrets.token_hex(16)
            conn.execute(
                table.insert(), [{"key": k, "attempt": attempt, "at": stamp} for k, _ in keys]
            )
        return Admission(attempt, None)

    def succeeded(self, email: str, attempt: str) -> None:
        """The attempt was right: the email's failures are forgotten, and this attempt."""
        table = t.sign_in_attempts
        with write(self._store.engine) as conn:
            conn.execute(
                table.delete().where(
                    sa.or_(table.c.key == digest("email", email), table.c.attempt == attempt)
                )
            )

    def count(self) -> int:
        """Rows kept (for tests and the curious)."""
        with read(self._store.engine) as conn:
            query = sa.select(sa.func.count()).select_from(t.sign_in_attempts)
            return int(conn.execute(query).scalar_one())
