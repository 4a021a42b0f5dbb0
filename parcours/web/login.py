"""Signing in: throttled, one password hash per attempt, the same answer for any failure."""

from __future__ import annotations

import logging

from starlette.requests import Request

from parcours.web.auth import LoginThrottle
from parcours.web.backend import User
from parcours.web.context import backend, call, settings
from parcours.web.problems import ApiError

log = logging.getLogger("parcours.web.security")
WRONG = "wrong email or password"


def throttle(request: Request) -> LoginThrottle:
    t: LoginThrottle = request.app.state.throttle
    return t


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


async def sign_in(
    request: Request, email: str, password: str, old_session: str | None
) -> tuple[User, str]:
    """Check the password and open a new session; any earlier session of the browser ends.

    Refusals say the same thing whether or not an account has this email, and cost the
    same: the backend hashes once per attempt in both cases.
    """
    ip = client_ip(request)
    limits = throttle(request)
    wait = limits.retry_after(email, ip)
    if wait is not None:
        log.warning("sign-in throttled for a client at %s", ip)
        raise ApiError(
            429,
            f"too many failed sign-ins; wait {wait} seconds and try again",
            headers={"Retry-After": str(wait)},
        )
    b = backend(request)
    user = await call(request, b.authenticate, email, password)
    if user is None:
        limits.failed(email, ip)
        log.warning("failed sign-in from %s", ip)
        raise ApiError(401, WRONG, code="wrong_credentials")
    limits.succeeded(email)
    if old_session:
        await call(request, b.end_session, old_session)
    token = await call(request, b.new_session, user, settings(request).session_max_age)
    log.info("user %s signed in from %s", user.id, ip)
    return user, token
