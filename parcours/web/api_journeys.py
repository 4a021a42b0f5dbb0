"""The JSON API of one journey: read, operations with If-Match, revisions, comments, shares."""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from parcours.model.diff import diff
from parcours.web.backend import Applied, Role, StaleVersion
from parcours.web.bodies import json_body
from parcours.web.context import (
    authorize,
    backend,
    call,
    info_for,
    journey_for,
    journey_text_for,
)
from parcours.web.i18n import ui_lang
from parcours.web.problems import ApiError

router = APIRouter(prefix="/api/journeys", tags=["journeys"])

MAX_OPERATIONS = 1000
MAX_VERSION = 2**53  # versions fit in a JSON number and a database integer
Version = Annotated[int, Path(ge=1, le=MAX_VERSION, description="A version of the journey")]
QueryVersion = Annotated[int, Query(ge=1, le=MAX_VERSION)]
OptionalVersion = Annotated[int | None, Query(ge=1, le=MAX_VERSION)]
ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in"},
    403: {"description": "Role too small, or CSRF token missing"},
    404: {"description": "No such journey (or not a member of its workspace)"},
}
OPERATIONS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "maxItems": MAX_OPERATIONS,
                    "items": {
                        "type": "object",
                        "required": ["op"],
                        "properties": {"op": {"type": "string"}},
                    },
                }
            }
        },
    }
}


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None, current: int) -> int:
    """The version an If-Match header names; 428 when missing, 412 when unreadable."""
    if header is None or not header.strip():
        raise ApiError(
            428,
            'this write needs the version it was made on: send If-Match: "<version>" '
            "(the ETag of GET /api/journeys/{id})",
            extra={"current_version": current},
        )
    value = header.strip()
    if value.startswith("W/"):
        value = value[2:]
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise ApiError(
            412,
            f'If-Match {header.strip()!r} names no version of this journey; expected "{current}"',
            headers={"ETag": etag(current)},
            extra={"current_version": current},
        )
    return int(value)


def applied_response(applied: Applied, request: Request | None = None) -> JSONResponse:
    if request is not None and not applied.replayed:
        request.app.state.broker.notify(applied.envelope.journey)
    return JSONResponse(
        {
            "version": applied.version,
            "envelope": applied.envelope.to_dict(),
            "rebased": applied.rebased,
            "replayed": applied.replayed,
        },
        headers={"ETag": etag(applied.version)},
    )


def read_operations(raw: bytes) -> list[dict[str, Any]]:
    from parcours.model.operations import operation_from_json, operation_to_json

    data = json_body(raw, "a JSON array of operations")
    if not isinstance(data, list):
        raise ApiError(
            422,
            "the body must be a JSON array of operations, e.g. "
            '[{"op": "set_journey", "field": "title", "value": "…"}]',
        )
    if not data:
        raise ApiError(422, "the array of operations is empty; send at least one")
    if len(data) > MAX_OPERATIONS:
        raise ApiError(413, f"{len(data)} operations in one batch; send at most {MAX_OPERATIONS}")
    out = []
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise ApiError(422, f"operation {index}: expected an object with an 'op' field")
        try:
            op = operation_from_json(item)
        except ValueError as exc:
            raise ApiError(422, f"operation {index}: {exc}", code="invalid_operation") from None
        out.append(json.loads(operation_to_json(op)))
    return out


@router.get("/{journey_id}", responses=ERRORS)
async def get_journey(journey_id: str, request: Request) -> Response:
    """The journey as model JSON, with ``ETag: "<version>"``."""
    info, text = await journey_text_for(request, journey_id)
    if not text:  # If-None-Match named this version
        return Response(status_code=304, headers={"ETag": etag(info.version)})
    # the stored text is the model JSON (written by the model): sent as it is
    return Response(
        text.encode("utf-8"),
        media_type="application/json",
        headers={"ETag": etag(info.version), "X-Journey-Version": str(info.version)},
    )


@router.delete("/{journey_id}", status_code=204, responses=ERRORS)
async def delete_journey(journey_id: str, request: Request) -> Response:
    """Delete a journey (owner); its history goes with it."""
    principal, info = await info_for(request, journey_id, Role.owner)
    await call(request, backend(request).delete_journey, info.id, principal.user)
    return Response(status_code=204)


@router.post(
    "/{journey_id}/operations",
    openapi_extra=OPERATIONS_BODY,
    responses={
        **ERRORS,
        412: {"description": "Stale version"},
        422: {"description": "Invalid"},
        428: {"description": "If-Match missing"},
    },
)
async def post_operations(journey_id: str, request: Request) -> JSONResponse:
    """Apply a JSON array of operations as one batch (all or nothing).

    ``If-Match: "<version>"`` is required (428 otherwise, before the body is read). Edits
    made since that version are rebased over when they touch other things; otherwise 412
    with the current version. ``Idempotency-Key`` (optional) names the write: sending it
    again applies nothing twice.
    """
    if not (request.headers.get("if-match") or "").strip():  # 428 before the body is read
        _, info = await info_for(request, journey_id, Role.editor)
        parse_if_match(None, info.version)
    raw = await request.body()
    try:
        # who may write, the version named, the operations and the write in one thread trip
        applied = await call(request, _apply, request, journey_id, raw)
    except StaleVersion as exc:
        raise ApiError(
            412,
            str(exc),
            headers={"ETag": etag(exc.current)},
            extra={"current_version": exc.current},
        ) from None
    return applied_response(applied, request)


def _apply(request: Request, journey_id: str, raw: bytes) -> Applied:
    principal, info = authorize(request, journey_id, Role.editor)
    base = parse_if_match(request.headers.get("if-match"), info.version)
    operations = read_operations(raw)
    key = request.headers.get("idempotency-key") or secrets.token_hex(16)
    if len(key) > 100:
        raise ApiError(400, "the Idempotency-Key header is longer than 100 characters")
    return backend(request).apply(info.id, key, base, operations, principal.user)


@router.get("/{journey_id}/revisions", responses=ERRORS)
async def list_revisions(
    journey_id: str,
    request: Request,
    before: OptionalVersion = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """The revisions, newest first (version, author, time, operations); page with ``before``."""
    _, info = await info_for(request, journey_id, Role.viewer)
    envelopes = await call(request, backend(request).revisions, info.id, before, limit)
    return [e.to_dict() for e in envelopes]


@router.get("/{journey_id}/revisions/{version}", responses=ERRORS)
async def get_revision(journey_id: str, version: Version, request: Request) -> dict[str, Any]:
    """The journey as it was at ``version``."""
    _, info = await info_for(request, journey_id, Role.viewer)
    journey = await call(request, backend(request).journey_at, info.id, version)
    return {"version": version, "journey": journey.model_dump(mode="json")}


@router.get("/{journey_id}/diff", responses=ERRORS)
async def get_diff(
    journey_id: str, request: Request, base: QueryVersion, to: OptionalVersion = None
) -> dict[str, Any]:
    """What changed from version ``base`` to version ``to`` (default: the current one)."""
    _, stored = await journey_for(request, journey_id, Role.viewer)
    b = backend(request)
    old = await call(request, b.journey_at, stored.info.id, base)
    target = stored.info.version if to is None else to
    new = (
        stored.journey
        if target == stored.info.version
        else await call(request, b.journey_at, stored.info.id, target)
    )
    changes = diff(old, new)
    return {
        "from": base,
        "to": target,
        "changes": [c.to_dict() for c in changes],
        # in the interface language (the parcours_lang cookie, then Accept-Language)
        "sentences": [c.sentence(ui_lang(request)) for c in changes],
    }


@router.post(
    "/{journey_id}/revisions/{version}/restore",
    responses={
        **ERRORS,
        412: {"description": "Stale version"},
        428: {"description": "If-Match missing"},
    },
)
async def restore(journey_id: str, version: Version, request: Request) -> JSONResponse:
    """Make ``version`` current again, as a new revision (history is never rewritten).

    Needs ``If-Match`` with the current version, like every write of the map.
    """
    principal, info = await info_for(request, journey_id, Role.editor)
    base = parse_if_match(request.headers.get("if-match"), info.version)
    try:
        applied = await call(
            request, backend(request).restore, info.id, version, base, principal.user
        )
    except StaleVersion as exc:
        raise ApiError(
            412,
            str(exc),
            headers={"ETag": etag(exc.current)},
            extra={"current_version": exc.current},
        ) from None
    return applied_response(applied, request)


class NewComment(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    step: str | None = Field(default=None, max_length=200)
    lane: str | None = Field(default=None, max_length=200)


async def comments_changed(request: Request, journey_id: str) -> None:
    """The journey's streams send a ``comments`` event, here and in the other processes."""
    request.app.state.broker.signal(journey_id, "comments")
    await call(request, backend(request).signal, {"kind": "comments", "journey": journey_id})


@router.get("/{journey_id}/comments", responses=ERRORS)
async def list_comments(journey_id: str, request: Request) -> list[dict[str, Any]]:
    """The comments of the journey (on the journey, a step, a lane or a cell)."""
    _, info = await info_for(request, journey_id, Role.viewer)
    return [c.to_dict() for c in await call(request, backend(request).comments, info.id)]


@router.post("/{journey_id}/comments", status_code=201, responses=ERRORS)
async def add_comment(journey_id: str, comment: NewComment, request: Request) -> dict[str, Any]:
    """Comment on the journey, a step (``step``), a lane (``lane``) or a cell (both).

    The server sets the comment's id, author and time. Editors and owners may comment;
    viewers read.
    """
    principal, info = await info_for(request, journey_id, Role.editor)
    made = await call(
        request,
        backend(request).add_comment,
        info.id,
        principal.user,
        comment.text,
        comment.step,
        comment.lane,
    )
    await comments_changed(request, info.id)
    return made.to_dict()


@router.delete("/{journey_id}/comments/{comment_id}", status_code=204, responses=ERRORS)
async def delete_comment(journey_id: str, comment_id: str, request: Request) -> Response:
    """Remove a comment: its author, or an owner of the workspace."""
    principal, info = await info_for(request, journey_id, Role.editor)
    b = backend(request)
    found = next((c for c in await call(request, b.comments, info.id) if c.id == comment_id), None)
    if found is None:
        raise ApiError(404, f"no comment '{comment_id}' on this journey")
    if found.author != principal.user.id:
        await info_for(request, journey_id, Role.owner)
    await call(request, b.delete_comment, info.id, comment_id, principal.user)
    await comments_changed(request, info.id)
    return Response(status_code=204)


@router.get("/{journey_id}/shares", responses=ERRORS)
async def list_shares(journey_id: str, request: Request) -> list[dict[str, Any]]:
    """The read-only share links of the journey (editors and owners)."""
    _, info = await info_for(request, journey_id, Role.editor)
    return [s.to_dict() for s in await call(request, backend(request).shares, info.id)]


@router.post("/{journey_id}/shares", status_code=201, responses=ERRORS)
async def create_share(journey_id: str, request: Request) -> dict[str, Any]:
    """A new read-only link to the journey; anyone holding it can read the map and its twins."""
    principal, info = await info_for(request, journey_id, Role.editor)
    link = await call(request, backend(request).create_share, info.id, principal.user)
    return link.to_dict()


@router.delete("/{journey_id}/shares/{link_id}", status_code=204, responses=ERRORS)
async def revoke_share(journey_id: str, link_id: str, request: Request) -> Response:
    """Revoke a share link: it stops working at once."""
    principal, info = await info_for(request, journey_id, Role.editor)
    await call(request, backend(request).revoke_share, info.id, link_id, principal.user)
    return Response(status_code=204)
