"""The JSON API of workspaces (journeys, personas, members), templates and the session."""

from __future__ import annotations

import re
import secrets
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from parcours.errors import Conflict, FormatError, InvalidJourney, Problem
from parcours.web.api_journeys import OPERATIONS_BODY, parse_if_match, read_operations
from parcours.web.auth import Principal, clear_session_cookie, set_session_cookie
from parcours.web.backend import Role, StaleVersion
from parcours.web.context import backend, call, caller, in_workspace, settings, signed_in
from parcours.web.login import sign_in
from parcours.web.problems import ApiError

router = APIRouter(prefix="/api", tags=["workspaces"])
MAX_DOCUMENT = 2 * 1024 * 1024


def whoami(principal: Principal) -> dict[str, Any]:
    return {
        "user": {
            "id": principal.user.id,
            "email": principal.user.email,
            "admin": principal.user.is_admin,
        },
        "via": principal.via,
        "csrf_token": principal.csrf,
    }


class Credentials(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


@router.get("/session", tags=["session"])
async def get_session(request: Request) -> dict[str, Any]:
    """Who is signed in, and the CSRF token to send with unsafe requests."""
    principal = await caller(request)
    if principal is None:
        raise ApiError(401, "not signed in; POST /api/session with your email and password")
    return whoami(principal)


@router.post("/session", tags=["session"], responses={401: {}, 429: {}})
async def post_session(credentials: Credentials, request: Request) -> JSONResponse:
    """Sign in: a new session (any earlier one of this browser is ended) and its cookie."""
    old = request.cookies.get(_cookie(request))
    user, token = await sign_in(request, credentials.email, credentials.password, old)
    principal = Principal(user, "session", token)
    response = JSONResponse(whoami(principal))
    set_session_cookie(response, settings(request), token)
    return response


@router.delete("/session", tags=["session"], status_code=204)
async def delete_session(request: Request) -> Response:
    """Sign out: the session ends on the server at once."""
    principal = await caller(request)
    if principal is not None and principal.session is not None:
        await call(request, backend(request).end_session, principal.session)
    response = Response(status_code=204)
    clear_session_cookie(response, settings(request))
    return response


def _cookie(request: Request) -> str:
    from parcours.web.auth import cookie_name

    return cookie_name(settings(request))


@router.get("/templates", tags=["templates"])
async def list_templates() -> list[dict[str, object]]:
    """The built-in journey templates, in French and English."""
    from parcours.catalog import templates

    return [t.to_dict() for t in templates()]


@router.get("/workspaces")
async def list_workspaces(request: Request) -> list[dict[str, Any]]:
    """The workspaces the caller is a member of (every one for a site administrator)."""
    principal = await signed_in(request)
    found = await call(request, backend(request).workspaces, principal.user)
    return [w.to_dict() for w in found]


@router.get("/workspaces/{workspace_id}")
async def get_workspace(workspace_id: str, request: Request) -> JSONResponse:
    """The workspace's own document (name, language, personas, shared library) and version."""
    await in_workspace(request, workspace_id, Role.viewer)
    document, version = await call(request, backend(request).workspace_document, workspace_id)
    return JSONResponse(document, headers={"ETag": f'"{version}"'})


@router.post(
    "/workspaces/{workspace_id}/operations",
    openapi_extra=OPERATIONS_BODY,
    responses={
        412: {"description": "Stale version"},
        422: {"description": "Invalid"},
        428: {"description": "If-Match missing"},
    },
)
async def post_workspace_operations(workspace_id: str, request: Request) -> JSONResponse:
    """Apply workspace operations (its name, personas, shared library) with ``If-Match``.

    The same rules as a journey's operations: all or nothing, 428 without ``If-Match``
    (before the body is read), 412 with the current version when stale, 422 when invalid.
    """
    principal, _ = await in_workspace(request, workspace_id, Role.editor)
    b = backend(request)
    _, current = await call(request, b.workspace_document, workspace_id)
    base = parse_if_match(request.headers.get("if-match"), current)
    operations = read_operations(await request.body())
    key = request.headers.get("idempotency-key") or secrets.token_hex(16)
    if len(key) > 100:
        raise ApiError(400, "the Idempotency-Key header is longer than 100 characters")
    try:
        applied = await call(
            request, b.apply_workspace, workspace_id, key, base, operations, principal.user
        )
    except StaleVersion as exc:
        raise ApiError(
            412,
            str(exc),
            headers={"ETag": f'"{exc.current}"'},
            extra={"current_version": exc.current},
        ) from None
    return JSONResponse(
        {
            "version": applied.version,
            "envelope": applied.envelope.to_dict(),
            "rebased": applied.rebased,
            "replayed": applied.replayed,
        },
        headers={"ETag": f'"{applied.version}"'},
    )


@router.get("/workspaces/{workspace_id}/journeys")
async def list_journeys(workspace_id: str, request: Request) -> list[dict[str, Any]]:
    """The journeys of a workspace: id, slug, title, lang, version, persona ids."""
    await in_workspace(request, workspace_id, Role.viewer)
    return [j.to_dict() for j in await call(request, backend(request).journeys, workspace_id)]


class FromTemplate(BaseModel):
    template: str = Field(max_length=200)
    lang: Literal["fr", "en"] = "fr"


class FromDocument(BaseModel):
    document: str = Field(
        max_length=MAX_DOCUMENT, description="A map-as-code journey (YAML or JSON)"
    )
    name: str = Field(default="map.yaml", max_length=200, description="File name used in problems")


@router.post(
    "/workspaces/{workspace_id}/journeys",
    status_code=201,
    responses={422: {"description": "Problems with FILE:LINE:COL"}},
)
async def create_journey(
    workspace_id: str, source: FromTemplate | FromDocument, request: Request
) -> JSONResponse:
    """Create a journey from a built-in template or from a map-as-code document.

    A template brings its personas: those the workspace does not have yet are added to it
    (a workspace revision) before the journey is created.
    """
    principal, _ = await in_workspace(request, workspace_id, Role.editor)
    journey = await call(request, _journey_from, source)
    if isinstance(source, FromTemplate):
        from parcours.catalog import new_from_template

        template = await call(request, new_from_template, source.template, source.lang)
        wanted = [p for p in template.personas if p.id in set(journey.personas)]
        await call(request, backend(request).ensure_personas, workspace_id, wanted, principal.user)
        # a template used twice: the new map gets a free id
        taken = {j.slug for j in await call(request, backend(request).journeys, workspace_id)}
        slug, n = journey.id, 2
        while slug in taken:
            slug, n = f"{journey.id}-{n}", n + 1
        journey = journey.model_copy(update={"id": slug})
    try:
        info = await call(
            request, backend(request).create_journey, workspace_id, journey, principal.user
        )
    except Conflict as exc:  # the id is taken: say where the document sets it
        if not isinstance(source, FromDocument):
            raise
        raise ApiError(409, str(exc), problems=[_id_problem(source, str(exc))]) from None
    return JSONResponse(
        info.to_dict(),
        status_code=201,
        headers={"ETag": f'"{info.version}"', "Location": f"/api/journeys/{info.id}"},
    )


def _id_problem(source: FromDocument, message: str) -> Problem:
    """The problem of a taken id, at the top-level ``id:`` (or ``journey:``) of a YAML map;
    at the start of the document otherwise."""
    line = 1
    for key in ("id", "journey"):
        found = re.search(rf"^{key}[ \t]*:", source.document[:MAX_DOCUMENT], re.MULTILINE)
        if found:
            line = source.document.count("\n", 0, found.start()) + 1
            break
    return Problem(message, file=source.name.replace("\n", " "), line=line, column=1)


def _journey_from(source: FromTemplate | FromDocument) -> Any:
    from parcours import files
    from parcours.model.atlas import Atlas

    if isinstance(source, FromTemplate):
        from parcours.catalog import new_from_template

        atlas = new_from_template(source.template, source.lang)
        return atlas.standalone(atlas.journeys[0].id)
    name = source.name.replace("\n", " ")
    result, problems = files.reads(source.document, name)
    if result is None:
        raise FormatError([p for p in problems if p.severity == "error"] or problems)
    if isinstance(result, Atlas):
        if len(result.journeys) != 1:
            raise InvalidJourney(
                [
                    Problem(
                        f"the document holds a workspace of {len(result.journeys)} "
                        "journeys; send one journey",
                        file=name,
                        line=1,
                        column=1,
                    )
                ]
            )
        return result.standalone(result.journeys[0].id)
    return result


@router.get("/workspaces/{workspace_id}/personas")
async def list_personas(workspace_id: str, request: Request) -> list[dict[str, Any]]:
    """The personas of a workspace."""
    await in_workspace(request, workspace_id, Role.viewer)
    return [
        p.model_dump(mode="json")
        for p in await call(request, backend(request).personas, workspace_id)
    ]


@router.get("/workspaces/{workspace_id}/members")
async def list_members(workspace_id: str, request: Request) -> list[dict[str, Any]]:
    """The members of a workspace and their roles."""
    await in_workspace(request, workspace_id, Role.viewer)
    return [m.to_dict() for m in await call(request, backend(request).members, workspace_id)]


class NewMember(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    role: Role


@router.put("/workspaces/{workspace_id}/members")
async def set_member(workspace_id: str, member: NewMember, request: Request) -> dict[str, Any]:
    """Give an existing account a role in the workspace (owners only)."""
    principal, _ = await in_workspace(request, workspace_id, Role.owner)
    found = await call(
        request,
        backend(request).set_member,
        workspace_id,
        member.email,
        member.role,
        principal.user,
    )
    return found.to_dict()


@router.delete("/workspaces/{workspace_id}/members/{user_id}", status_code=204)
async def remove_member(workspace_id: str, user_id: str, request: Request) -> Response:
    """Take a member out of the workspace (owners only); their access ends at once."""
    principal, _ = await in_workspace(request, workspace_id, Role.owner)
    await call(request, backend(request).remove_member, workspace_id, user_id, principal.user)
    return Response(status_code=204)
