"""What every route reaches through the request: the backend, the settings, the caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from parcours.web.auth import Principal, check_csrf, identify, require, require_role
from parcours.web.backend import Backend, JourneyInfo, Role, StoredJourney
from parcours.web.problems import ApiError
from parcours.web.settings import Settings

T = TypeVar("T")


def backend(request: Request) -> Backend:
    b: Backend = request.app.state.backend
    return b


def settings(request: Request) -> Settings:
    s: Settings = request.app.state.settings
    return s


async def call(request: Request, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking backend call in a worker thread."""
    return await run_in_threadpool(fn, *args, **kwargs)


async def caller(request: Request, *, csrf: bool = True) -> Principal | None:
    """The signed-in caller or None; an unsafe cookie request must carry the CSRF token."""
    principal = await call(request, identify, request, backend(request), settings(request))
    if csrf:
        check_csrf(request, principal)
    return principal


async def signed_in(request: Request) -> Principal:
    return require(await caller(request))


async def in_workspace(request: Request, workspace_id: str, needed: Role) -> tuple[Principal, Role]:
    principal = await signed_in(request)
    role = await call(request, require_role, backend(request), principal, workspace_id, needed)
    return principal, role


def authorize(request: Request, journey_id: str, needed: Role) -> tuple[Principal, JourneyInfo]:
    """:func:`info_for` inside a worker thread (for a route that goes on to write there)."""
    with backend(request).reading():
        return _authorized(request, journey_id, needed)


def _authorized(request: Request, journey_id: str, needed: Role) -> tuple[Principal, JourneyInfo]:
    b = backend(request)
    principal = require(identify(request, b, settings(request)))
    check_csrf(request, principal)
    hidden = f"no journey '{journey_id}' (or you are not a member of its workspace)"
    try:
        info = b.journey_info(journey_id)
    except KeyError:
        raise ApiError(404, hidden) from None
    try:
        require_role(b, principal, info.workspace, needed)
    except ApiError as exc:
        if exc.status == 404:
            raise ApiError(404, hidden) from None
        raise
    return principal, info


def _authorize_read(request: Request, journey_id: str) -> tuple[JourneyInfo, str]:
    with backend(request).reading():
        _, info = _authorized(request, journey_id, Role.viewer)
        if request.headers.get("if-none-match") == f'"{info.version}"':
            return info, ""
        try:
            return backend(request).journey_json(info.id)
        except KeyError:  # deleted in between
            raise ApiError(404, f"no journey '{info.id}'") from None


async def journey_text_for(request: Request, journey_id: str) -> tuple[JourneyInfo, str]:
    """A viewer's read of a journey in one trip: its listing and its model JSON as stored
    (empty when ``If-None-Match`` names the current version)."""
    return await call(request, _authorize_read, request, journey_id)


async def info_for(
    request: Request, journey_id: str, needed: Role
) -> tuple[Principal, JourneyInfo]:
    """The journey's listing record when the caller has at least ``needed`` in its workspace.

    An unknown journey and one in a workspace the caller is not a member of both answer 404
    with the same message. Cheap: the journey itself is not read, and the caller, the
    journey and the role are looked up in one trip to a worker thread.
    """
    return await call(request, authorize, request, journey_id, needed)


async def journey_for(
    request: Request, journey_id: str, needed: Role
) -> tuple[Principal, StoredJourney]:
    """The stored journey (model, workspace library and personas) after :func:`info_for`."""
    principal, info = await info_for(request, journey_id, needed)
    return principal, await load(request, info)


async def load(request: Request, info: JourneyInfo, *, workspace: bool = True) -> StoredJourney:
    """The stored journey of a listing record already checked by :func:`info_for`."""
    try:
        stored: StoredJourney = await call(
            request, backend(request).journey, info.id, workspace=workspace
        )
    except KeyError:  # deleted in between
        raise ApiError(404, f"no journey '{info.id}'") from None
    return stored
