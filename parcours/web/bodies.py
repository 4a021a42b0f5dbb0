"""JSON request bodies read strictly, with a located refusal for what JSON should not carry.

Python's ``json`` accepts ``NaN``, ``Infinity``, ``1e999`` (read as infinity), integers of
thousands of digits (refused with a message about ``sys``), and ``\\ud800`` escapes that make
a lone surrogate — a text no database or encoder accepts, which would surface later as an
internal error. :func:`json_body` refuses each with ``400`` and the line and column in the
body; :class:`StrictJson` applies it to every JSON body sent to ``/api`` as the route reads
it, so no model or store ever sees such a value.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from parcours.web.problems import REQUEST_BODY, ApiError, Problem, place, unreadable_body

MAX_INT_DIGITS = 4_000
_SURROGATE = re.compile(rb"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


def lone_surrogate(raw: bytes) -> int | None:
    """Offset of the first ``\\uD800``–``\\uDFFF`` escape that is not half of a pair."""
    pending: tuple[int, int] | None = None  # (start, end) of a high surrogate escape
    for match in _SURROGATE.finditer(raw):
        if len(match.group(1)) % 2 == 0:  # an escaped backslash followed by the text 'u…'
            continue
        start = match.end(1) - 1
        if int(match.group(2), 16) < 0xDC00:  # high: must be followed at once by a low one
            if pending is not None:
                return pending[0]
            pending = (start, match.end())
        elif pending is None:
            return start
        elif pending[1] == start:
            pending = None
        else:
            return pending[0]
    return pending[0] if pending is not None else None


def _refuse(raw: bytes, at: int, text: str) -> ApiError:
    line, column = place(raw, at)
    message = f"the request body cannot be read: {text} at line {line}, column {column}"
    problem = Problem(message, file=REQUEST_BODY, line=line, column=column)
    return ApiError(400, message, code="invalid_body", problems=[problem])


def json_body(raw: bytes, what: str) -> Any:
    """``raw`` parsed as JSON, or a 400 that says where it breaks (``what``: what to send)."""

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number", name)

    def number(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"the number {text[:40]} is too large", text)
        return value

    def integer(text: str) -> int:
        if len(text) > MAX_INT_DIGITS:
            raise ValueError(f"an integer of {len(text):,} digits", text[:MAX_INT_DIGITS])
        return int(text)

    try:
        data = json.loads(raw, parse_constant=constant, parse_float=number, parse_int=integer)
    except json.JSONDecodeError as exc:
        message = (
            f"the request body is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}); "
            f"send {what}"
        )
        problem = Problem(message, file=REQUEST_BODY, line=exc.lineno, column=exc.colno)
        raise ApiError(400, message, code="invalid_body", problems=[problem]) from None
    except (UnicodeDecodeError, RecursionError) as exc:
        refusal = unreadable_body(exc)
        assert refusal is not None
        raise refusal from None
    except ValueError as exc:  # from the hooks above: (message, the text met)
        text, met = (*exc.args, "", "")[:2]
        found = raw.find(str(met).encode()) if met else -1
        raise _refuse(raw, max(found, 0), str(text)) from None
    lone = lone_surrogate(raw)
    if lone is None and b"\x00" in raw[:4]:  # UTF-16 or UTF-32: the escapes are not in bytes
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            lone = 0
    if lone is not None:
        raise _refuse(raw, lone, "a \\uD800–\\uDFFF escape that is not half of a surrogate pair")
    return data


class StrictJson:
    """Reads each JSON body sent to ``/api`` with :func:`json_body` as the route reads it.

    The check runs when the route pulls the last chunk of the body, so a request refused
    earlier (no ``If-Match``, not signed in) is refused without its body being read; the
    refusal raised there reaches the error handlers (FastAPI wraps it in a 400 whose cause
    it is: :func:`parcours.web.problems.unreadable_body` unwraps it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def checked() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    raw = b"".join(chunks)
                    chunks.clear()
                    if raw.strip():
                        json_body(raw, "a JSON body encoded in UTF-8")
            return message

        await self.app(scope, checked, send)

    @staticmethod
    def _applies(scope: Scope) -> bool:
        if scope["type"] != "http" or scope.get("method") not in ("POST", "PUT", "PATCH"):
            return False
        if not str(scope.get("path", "")).startswith("/api/"):
            return False
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                return b"json" in value.lower()
        return True  # no content type: FastAPI reads the body as JSON
