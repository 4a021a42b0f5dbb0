"""The one error shape of the JSON API, and the handlers that produce it.

Every refusal answers::

    {"error": {"status": 422, "code": "invalid_operation", "message": "…",
               "problems": [{"file": "map.yaml", "line": 3, "column": 5, "message": "…"}]}}

``problems`` is present when a document was sent (each with FILE:LINE:COL when known).
The messages of the model's refusals and problems are said in the interface language of the
request (:func:`parcours.web.i18n.ui_lang`: the language cookie, then ``Accept-Language``);
a problem of the model also carries its ``code`` and ``params``.
An unexpected error is logged with an id and answered ``500`` with that id only: never a
stack trace nor the text of the exception.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from parcours.errors import (
    Conflict,
    InvalidJourney,
    InvalidOperation,
    NotFound,
    ParcoursError,
    Problem,
)
from parcours.web.i18n import translator, ui_lang

#: A refusal in words of the interface: given ``t`` (:func:`parcours.web.i18n.translator`
#: of a language), the message in that language.
Say = Callable[[Callable[..., str]], str]

log = logging.getLogger("parcours.web")
#: Problems listed in one answer (the first ones, by place); ``problems_omitted`` counts the rest.
MAX_PROBLEMS = 200
#: The ``file`` of problems found in the request itself rather than in a document it carries.
REQUEST_BODY = "request body"

REASONS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    """A refusal the API answers in the one error shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        problems: Sequence[Problem] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
        source: ParcoursError | None = None,
        say: Say | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.source = source  # the library's error, to say it again in another language
        self.say = say  # or the words of the interface that say it
        self.code = code or REASONS.get(status, "error")
        self.problems = list(problems)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})

    @classmethod
    def said(
        cls,
        status: int,
        say: Say,
        *,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ApiError:
        """A refusal said in words of the interface (``UI``), in the language of the request:
        ``ApiError.said(422, lambda t: t("error.persona_name"))``; its message is English."""
        return cls(status, say(translator("en")), code=code, headers=headers, say=say)


def body(
    status: int,
    message: str,
    code: str | None = None,
    problems: Sequence[Problem] = (),
    extra: Mapping[str, Any] | None = None,
    lang: str | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {
        "status": status,
        "code": code or REASONS.get(status, "error"),
        "message": message,
    }
    if problems:
        error["problems"] = [p.to_dict(lang) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            error["problems_omitted"] = len(problems) - MAX_PROBLEMS
    if extra:
        error.update(extra)
    return {"error": error}


def response(
    status: int,
    message: str,
    code: str | None = None,
    problems: Sequence[Problem] = (),
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
    lang: str | None = None,
) -> JSONResponse:
    return JSONResponse(
        body(status, message, code, problems, extra, lang),
        status_code=status,
        headers=dict(headers or {}),
    )


def from_parcours_error(exc: ParcoursError) -> ApiError:
    """The API refusal that stands for an error of the library."""
    if isinstance(exc, InvalidJourney):
        first = next((p.message for p in exc.problems if p.severity == "error"), None)
        message = first or (exc.problems[0].message if exc.problems else "the map is not valid")
        return ApiError(422, message, code="invalid_journey", problems=exc.problems, source=exc)
    if isinstance(exc, InvalidOperation):
        return ApiError(422, str(exc), code="invalid_operation", source=exc)
    if isinstance(exc, NotFound):
        return ApiError(404, str(exc), source=exc)
    if isinstance(exc, Conflict):  # a taken name; stale versions are answered 412 by the routes
        return ApiError(409, str(exc))
    if isinstance(exc, ValueError):
        return ApiError(422, str(exc))
    # the server cannot do this now (a database refusing a setting, a missing capability):
    # our own sentence, never a trace
    return ApiError(503, str(exc), code="unavailable", headers={"Retry-After": "2"})


def said(exc: ApiError, lang: str) -> str:
    """The message of a refusal in ``lang`` (as written when it has no other language)."""
    if exc.say is not None:
        return exc.say(translator(lang))
    source = exc.source
    if isinstance(source, InvalidJourney):
        first = next((p for p in source.problems if p.severity == "error"), None)
        first = first or (source.problems[0] if source.problems else None)
        return first.sentence(lang) if first is not None else exc.message
    return source.sentence(lang) if source is not None else exc.message


async def api_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    lang = ui_lang(request)
    message = said(exc, lang)
    return response(exc.status, message, exc.code, exc.problems, exc.headers, exc.extra, lang)


async def parcours_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ParcoursError)
    return await api_error_handler(request, from_parcours_error(exc))


def place(text: str | bytes, at: int) -> tuple[int, int]:
    """1-based line and column of offset ``at`` in ``text``."""
    newline = "\n" if isinstance(text, str) else b"\n"
    at = max(0, min(at, len(text)))
    line = text.count(newline, 0, at) + 1  # type: ignore[arg-type]
    return line, at - (text.rfind(newline, 0, at) + 1) + 1  # type: ignore[arg-type]


def unreadable_body(cause: BaseException | None) -> ApiError | None:
    """A request body FastAPI could not parse as JSON for another reason than its syntax."""
    if isinstance(cause, ApiError):  # refused while it was read (parcours.web.bodies)
        return cause
    if isinstance(cause, UnicodeDecodeError):
        line, column = place(cause.object, cause.start)
        byte = cause.object[cause.start : cause.start + 1].hex()
        message = (
            f"the request body is not UTF-8 text (byte 0x{byte} at line {line}, column {column}); "
            "send JSON encoded in UTF-8, with a document as a JSON string"
        )
        problem = Problem(message, file=REQUEST_BODY, line=line, column=column)
        return ApiError(400, message, code="invalid_body", problems=[problem])
    if isinstance(cause, RecursionError):
        message = "the request body nests arrays or objects too deeply to be read; flatten it"
        problem = Problem(message, file=REQUEST_BODY, line=1, column=1)
        return ApiError(400, message, code="invalid_body", problems=[problem])
    return None


async def http_error_handler(request: Request, exc: Exception) -> JSONResponse:
    status = int(getattr(exc, "status_code", 500))
    body_error = unreadable_body(exc.__cause__) if status == 400 else None
    if body_error is not None:
        return await api_error_handler(request, body_error)
    detail = getattr(exc, "detail", None)
    messages = {
        404: f"no such page or resource: {request.url.path}",
        405: f"method {request.method} is not allowed on {request.url.path}",
    }
    message = messages.get(status) or (
        detail if isinstance(detail, str) else REASONS.get(status, "")
    )
    return response(status, message, headers=getattr(exc, "headers", None))


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A request whose parameters or JSON body do not match the declared types."""
    errors: list[dict[str, Any]] = getattr(exc, "errors", list)()
    syntax = next((e for e in errors if e.get("type") == "json_invalid"), None)
    if syntax is not None:  # not JSON: where it breaks, in the body
        loc = syntax.get("loc", ())
        at = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else 0
        line, column = place(getattr(exc, "body", None) or "", at)
        reason = str((syntax.get("ctx") or {}).get("error", "invalid JSON"))
        message = f"the request body is not JSON: {reason} (line {line}, column {column})"
        problem = Problem(message, file=REQUEST_BODY, line=line, column=column)
        return response(400, message, "invalid_body", [problem])
    if any(e.get("type") == "missing" and tuple(e.get("loc", ())) == ("body",) for e in errors):
        message = "the request body is empty; send a JSON object"
        problem = Problem(message, file=REQUEST_BODY, line=1, column=1)
        return response(400, message, "invalid_body", [problem])
    problems = []
    for err in errors[:20]:
        where = ".".join(str(x) for x in err.get("loc", ()))
        problems.append(
            Problem(f"{where}: {err.get('msg', 'invalid')}" if where else err.get("msg", "invalid"))
        )
    message = problems[0].message if problems else "the request is not valid"
    return response(422, message, "invalid_request", problems)


def internal_error(exc: BaseException, request_path: str) -> JSONResponse:
    """Log ``exc`` with a fresh id and answer 500 with the id only."""
    error_id = secrets.token_hex(6)
    log.error("internal error %s on %s", error_id, request_path, exc_info=exc)
    return response(
        500,
        f"the server failed to answer; the error is logged as {error_id} — report it with this id",
        extra={"id": error_id},
    )
