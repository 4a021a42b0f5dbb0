"""Signing in: throttled, one password hash per attempt, the same answer for any failure."""

from __future__ import annotations

import logging

from starlette.requests import Request

from parcours.web.backend import User
from parcours.web.context import backend, call, settings
from parcours.web.problems import ApiError

log = logging.getLogger("parcours.web.security")
WRONG = "wrong email or password"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "?"


async def sign_in(
    request: Request, email: str, password: str, old_session: str | None
) -> tuple[User, str]:
    """Check the password and open a new session; any earlier session of the browser ends.

    Refusals say the same thing whether or not an account has this email, and cost the
    same: the backend hashes once per attempt in both cases. The attempts are counted in
    the database (per email, known or not, and per client address), so every server
    process shares the limits; an attempt counts as failed until its password is right.
    """
    ip = client_ip(request)
    limits = settings(request)
    b = backend(request)
    attempt, wait = await call(
        request,
        b.admit_sign_in,
        email,
        ip,
        limits.login_attempts_per_account,
        limits.login_attempts_per_ip,
        limits.login_window,
    )
    if attempt is None:
        log.warning("sign-in throttled for a client at %s", ip)
        raise ApiError(
            429,
            f"too many failed sign-ins; wait {wait} seconds and try again",
            say=lambda t: t("error.too_many_sign_ins", wait=wait),
            headers={"Retry-After": str(wait)},
        )
    user = await call(request, b.authenticate, email, password)
    if user is None:
        log.warning("failed sign-in from %s", ip)
        raise ApiError(401, WRONG, code="wrong_credentials", say=lambda t: t("error.wrong_sign_in"))
    await call(request, b.sign_in_succeeded, email, attempt)
    if old_session:
        await call(request, b.end_session, old_session)
    token = await call(request, b.new_session, user, settings(request).session_max_age)
    log.info("user %s signed in from %s", user.id, ip)
    return user, token
