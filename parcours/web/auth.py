"""Who is asking: session cookies, Bearer tokens, CSRF tokens, roles.

- A session is server-side (revocable); the browser holds only its random token in an
  HttpOnly, SameSite=Lax cookie (``__Host-parcours`` with Secure under https). Signing in
  always creates a new session: a token planted before sign-in is never promoted.
- The CSRF token is derived from the session token (a one-way hash), so it is bound to the
  session and changes with it. Every cookie-authenticated unsafe request must carry it
  (``X-CSRF-Token`` header, or the ``csrf_token`` field of a form).
- ``Authorization: Bearer <token>`` requests carry no cookie and need no CSRF token.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from parcours.web.backend import Backend, Role, User
from parcours.web.middleware import SAFE_METHODS
from parcours.web.problems import ApiError
from parcours.web.settings import Settings

CSRF_HEADER = "x-csrf-token"
security_log = logging.getLogger("parcours.web.security")


def cookie_name(settings: Settings) -> str:
    return "__Host-parcours" if settings.https else "parcours"


def csrf_token(session_token: str) -> str:
    return hashlib.sha256(b"parcours-csrf\x00" + session_token.encode()).hexdigest()[:40]


def csrf_ok(session_token: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(csrf_token(session_token), sent or "")


@dataclass(frozen=True)
class Principal:
    user: User
    via: str  # "session" | "token"
    session: str | None = None

    @property
    def csrf(self) -> str | None:
        return csrf_token(self.session) if self.session else None


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    response.set_cookie(
        cookie_name(settings),
        token,
        max_age=settings.session_max_age,
        path="/",
        secure=settings.https,
        httponly=True,
        samesite="lax",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings), path="/", secure=settings.https, httponly=True, samesite="lax"
    )


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(
            401,
            "the Authorization header must be 'Bearer <token>' (create one with 'parcours token create')",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return value.strip()


def identify(request: Request, backend: Backend, settings: Settings) -> Principal | None:
    """The signed-in user of ``request`` (Bearer first, then the session cookie), or None.

    A Bearer token that is unknown or revoked is refused at once (401) rather than
    treated as anonymous.
    """
    token = bearer(request)
    if token is not None:
        user = backend.token_user(token)
        if user is None:
            security_log.warning(
                "unknown or revoked API token on %s %s", request.method, request.url.path
            )
            raise ApiError(
                401, "this API token is unknown or revoked", headers={"WWW-Authenticate": "Bearer"}
            )
        return Principal(user, "token")
    session = request.cookies.get(cookie_name(settings))
    if session:
        user = backend.session_user(session)
        if user is not None:
            return Principal(user, "session", session)
    return None


def check_csrf(
    request: Request, principal: Principal | None, form_token: str | None = None
) -> None:
    """Refuse an unsafe cookie-authenticated request that lacks the session's CSRF token."""
    if request.method in SAFE_METHODS or principal is None or principal.session is None:
        return
    sent = request.headers.get(CSRF_HEADER) or form_token
    if not csrf_ok(principal.session, sent):
        security_log.warning(
            "CSRF token missing or wrong: user %s on %s %s",
            principal.user.id,
            request.method,
            request.url.path,
        )
        raise ApiError(
            403,
            "missing or wrong CSRF token: send the session's token in the X-CSRF-Token header "
            "(GET /api/session gives it)",
            code="csrf",
        )


def require(principal: Principal | None) -> Principal:
    if principal is None:
        raise ApiError(
            401,
            "sign in first (POST /api/session) or send 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


def require_role(backend: Backend, principal: Principal, workspace_id: str, needed: Role) -> Role:
    """The principal's role in the workspace, when it is at least ``needed``.

    Someone who is not a member is told the thing does not exist (404), so that ids of
    other workspaces reveal nothing; a member with too small a role gets 403.
    """
    if principal.user.is_admin:
        return Role.owner
    role = backend.role(principal.user, workspace_id)
    if role is None:
        raise ApiError.said(404, lambda t: t("error.no_workspace", workspace=workspace_id))
    if not role.allows(needed):
        security_log.info(
            "user %s (%s) refused: needs %s in workspace %s",
            principal.user.id,
            role.value,
            needed.value,
            workspace_id,
        )
        raise ApiError.said(
            403,
            lambda t: t(
                "error.role", role=t(f"role.{role.value}"), needed=t(f"role.{needed.value}")
            ),
        )
    return role
