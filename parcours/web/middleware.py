"""ASGI middleware every response goes through (outermost first).

- :class:`SecurityHeaders`: CSP with a per-request nonce, no sniffing, no framing,
  a strict referrer policy, HSTS under https.
- :class:`CatchAll`: an unexpected error is logged with an id and answered 500 in the one
  error shape — never a stack trace.
- :class:`BodyLimit`: a body over the cap is refused with 413 as soon as it crosses it.
- :class:`SameOrigin`: an unsafe request sent by a browser from another site is refused
  (``Sec-Fetch-Site``, then ``Origin``), whatever its credentials (Django, Datasette).
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Iterable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parcours.web.problems import body, internal_error
from parcours.web.problems import response as problem_response

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _csp(nonce: str) -> str:
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                wanted = [
                    (b"content-security-policy", _csp(nonce).encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"referrer-policy", b"same-origin"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if self.https:
                    wanted.append((b"strict-transport-security", b"max-age=31536000"))
                headers += [(k, v) for k, v in wanted if k not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def send_json(
    send: Send, status: int, payload: object, extra: Iterable[tuple[bytes, bytes]] = ()
) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(data)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": data})


class CatchAll:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # the one place an unexpected error is turned into a 500
            answer = unavailable(exc) or internal_error(exc, scope.get("path", "?"))
            if started:  # a stream already answering: the log has it, the client sees a cut
                return
            await answer(scope, receive, send)


def unavailable(exc: BaseException) -> Response | None:
    """503 with Retry-After when the database is busy or unreachable (a locked SQLite file
    past its timeout, a PostgreSQL server restarting): the request can be sent again as is,
    and nothing was written. ``None`` for any other error."""
    from sqlalchemy.exc import DisconnectionError, OperationalError

    if not isinstance(exc, OperationalError | DisconnectionError):
        return None
    logging.getLogger("parcours.web").warning("database unavailable: %s", exc)
    return problem_response(
        503,
        "the database is busy or cannot be reached; nothing was changed — try again in a moment",
        "unavailable",
        headers={"Retry-After": "2"},
    )


class TooLargeBody(Exception):
    pass


#: The addresses that take uploaded data files (``POST /journeys/ID/measure`` and its API
#: twin), whose bodies may reach the upload cap instead of the body cap.
UPLOAD_PATH = re.compile(r"^(/api)?/journeys/[^/]+/measure$")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int, max_upload_bytes: int = 0) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max(max_upload_bytes, max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.max_bytes
        if UPLOAD_PATH.match(scope.get("path", "")):
            cap = self.max_upload_bytes
        message = f"the request body is larger than {cap} bytes; send a smaller one"
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await send_json(
                        send, 400, body(400, "the Content-Length header is not a number")
                    )
                    return
                if declared > cap:
                    await send_json(send, 413, body(413, message), [(b"connection", b"close")])
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > cap:
                    raise TooLargeBody
            return msg

        async def watch(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
            await send(msg)

        try:
            await self.app(scope, counted, watch)
        except TooLargeBody:
            if not started:
                await send_json(send, 413, body(413, message), [(b"connection", b"close")])


def origin_of(scope: Scope) -> str:
    headers = dict(scope.get("headers", []))
    host = headers.get(b"host", b"").decode("latin-1")
    return f"{scope.get('scheme', 'http')}://{host}"


class SameOrigin:
    def __init__(self, app: ASGIApp, *, https: bool, trusted: Iterable[str] = ()) -> None:
        self.app = app
        self.https = https
        self.trusted = {t.rstrip("/") for t in trusted}

    def refusal(self, scope: Scope) -> str | None:
        headers = dict(scope.get("headers", []))
        site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
        if site and site not in ("same-origin", "none"):
            return f"request sent from another site (Sec-Fetch-Site: {site}) refused"
        origin = headers.get(b"origin", b"").decode("latin-1").rstrip("/")
        if origin:
            host = headers.get(b"host", b"").decode("latin-1")
            schemes = ("https",) if self.https else ("http", "https")
            mine = {f"{scheme}://{host}" for scheme in schemes}
            if origin not in mine and origin not in self.trusted:
                return f"request sent from another origin ({origin}) refused"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            reason = self.refusal(scope)
            if reason is not None:
                logging.getLogger("parcours.web.security").warning(
                    "%s on %s %s", reason, scope["method"], scope.get("path", "?")
                )
                await send_json(send, 403, body(403, reason, "cross_site"))
                return
        await self.app(scope, receive, send)
