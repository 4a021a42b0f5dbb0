"""Password hashes (argon2id) and secret tokens (stored as their SHA-256 only).

``hash_password`` / ``verify_password`` for accounts; ``dummy_verify`` spends the same time
as a real check, so that a login for an unknown account costs exactly one hash too.
``new_token(prefix)`` makes a secret for a session cookie, an API token or a share link;
the database keeps ``token_digest(token)``, never the token.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: OWASP's argon2id setting: 19 MiB of memory, 2 passes, one lane.
TIME_COST = 2
MEMORY_COST_KIB = 19 * 1024
PARALLELISM = 1
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
SESSION_PREFIX = "pcs_"
API_TOKEN_PREFIX = "pct_"
SHARE_PREFIX = "pcl_"


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_COST_KIB, parallelism=PARALLELISM)


def check_password(password: str) -> None:
    """Refuse a password that is too short or absurdly long, with the rule in the message."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(
            f"the password has {len(password)} characters; use at least {MIN_PASSWORD_LENGTH}"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValueError(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """An argon2id hash (PHC string with its salt and parameters)."""
    check_password(password)
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; always one hash computed, even without a hash."""
    if not password_hash or len(password) > MAX_PASSWORD_LENGTH:
        dummy_verify()
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher().hash("parcours-dummy-password")


def dummy_verify() -> None:
    """Spend the time of one password check (for accounts that do not exist)."""
    with contextlib.suppress(VerifyMismatchError):
        _hasher().verify(_dummy_hash(), "not-the-password")


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher().check_needs_rehash(password_hash)


def new_token(prefix: str = "") -> str:
    """A fresh secret: 256 random bits, URL-safe, with a recognisable prefix."""
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores for a token (SHA-256, hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
