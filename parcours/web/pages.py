"""The HTML pages (sign-in, the list of workspaces and journeys) and the journey twins.

Pages work without JavaScript: forms post to the server, which answers with a redirect.
Twins (``/journeys/{id}.svg`` …) accept the session cookie or a Bearer token; a share link
reaches one journey read-only at ``/shared/{token}`` and its twins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from parcours.web import i18n, problems, twins
from parcours.web.auth import (
    check_csrf,
    clear_session_cookie,
    cookie_name,
    set_session_cookie,
)
from parcours.web.backend import Role, StoredJourney
from parcours.web.context import backend, call, caller, journey_for, settings
from parcours.web.login import sign_in
from parcours.web.problems import ApiError

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(
    env=jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
    )
)
assert templates.env.autoescape, "HTML templates must escape what they show"


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A page in the interface language; ``context`` may hold ``user`` and ``csrf_token``
    (the signed-in frame), ``content_lang`` (the language of the journey shown) and
    ``page_data`` (JSON handed to the page's scripts)."""
    lang = i18n.ui_lang(request)
    context["lang"] = lang
    context.setdefault("content_lang", lang)
    context.setdefault("user", None)
    context.setdefault("csrf_token", None)
    context["t"] = i18n.translator(lang)
    context["ui_words"] = i18n.words(lang)
    context["ui_langs"] = i18n.UI_LANGS
    context["nonce"] = request.scope.get("state", {}).get("csp_nonce", "")
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/lang")
async def switch_language(request: Request, to: str = "", next: str = "/") -> Response:
    """Set the interface language (a cookie for a year) and go back to the page."""
    if not next.startswith("/") or next.startswith("//") or "\\" in next:
        next = "/"  # only a path of this site: never an open redirect
    response = RedirectResponse(next, status_code=303)
    if to in i18n.UI_LANGS:
        response.set_cookie(
            i18n.COOKIE,
            to,
            max_age=365 * 24 * 3600,
            samesite="lax",
            httponly=False,
            secure=settings(request).https,
        )
    return response


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    principal = await caller(request)
    if principal is None:
        return render(request, "signin.html", email="", error=None)
    from parcours.web.atlas_pages import atlas_sections, filter_backlog

    sections = await atlas_sections(request, principal)
    query = dict(request.query_params)
    for section in sections:
        section["shown"] = filter_backlog(section["backlog"], query)
    return render(
        request,
        "home.html",
        user=principal.user,
        workspaces=sections,
        csrf_token=principal.csrf,
        formats=twins.FORMATS,
        filters=query,
        nav_current="atlas",
    )


@router.post("/signin")
async def signin_form(
    request: Request, email: str = Form(""), password: str = Form("")
) -> Response:
    old = request.cookies.get(cookie_name(settings(request)))
    try:
        _, token = await sign_in(request, email, password, old)
    except ApiError as exc:
        error = problems.said(exc, i18n.ui_lang(request))
        return render(request, "signin.html", status=exc.status, email=email, error=error)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, settings(request), token)
    return response


@router.post("/signout")
async def signout_form(request: Request, csrf_token: str = Form("")) -> Response:
    principal = await caller(request, csrf=False)
    check_csrf(request, principal, csrf_token)
    if principal is not None and principal.session is not None:
        await call(request, backend(request).end_session, principal.session)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response, settings(request))
    return response


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, fmt = name.rpartition(".")
    if dot and fmt in twins.CONTENT_TYPES:
        return stem, fmt
    return name, None


async def _twin(request: Request, stored: StoredJourney, fmt: str) -> Response:
    data = await call(request, twins.render, stored, fmt)
    return twins.response(stored, fmt, data, stored.info.version)


@router.get("/journeys/{name}")
async def journey_page(name: str, request: Request) -> Response:
    journey_id, fmt = _split(name)
    principal, stored = await journey_for(request, journey_id, Role.viewer)
    if fmt is not None:
        return await _twin(request, stored, fmt)
    from parcours.web.editor import grid, role_of

    role = await role_of(request, principal, stored.info.workspace)
    can_edit = role.allows(Role.editor)
    g = grid(stored, i18n.ui_lang(request))
    return render(
        request,
        "editor.html",
        title=stored.journey.title,
        version=stored.info.version,
        base=f"/journeys/{stored.info.id}",
        formats=twins.FORMATS,
        shared=False,
        content_lang=g["content_lang"],
        user=principal.user,
        csrf_token=principal.csrf,
        g=g,
        can_edit=can_edit,
        page_data={
            "journey": stored.info.id,
            "version": stored.info.version,
            "canEdit": can_edit,
            "me": principal.user.email,
        },
    )


async def _shared(request: Request, token: str) -> StoredJourney:
    b = backend(request)
    journey_id = await call(request, b.shared_journey, token) if len(token) <= 200 else None
    if journey_id is None:
        raise ApiError.said(404, lambda t: t("error.share_gone"))
    stored: StoredJourney = await call(request, b.journey, journey_id)
    return stored


@router.get("/shared/{name}")
async def shared_page(name: str, request: Request) -> Response:
    token, fmt = _split(name)
    stored = await _shared(request, token)
    if fmt is not None:
        return await _twin(request, stored, fmt)
    return render(
        request,
        "journey.html",
        title=stored.journey.title,
        version=stored.info.version,
        base=f"/shared/{token}",
        formats=twins.FORMATS,
        shared=True,
        content_lang=stored.info.lang or "en",
    )


shared_api = APIRouter(tags=["journeys"])


@shared_api.get("/api/shared/{token}", responses={404: {"description": "Unknown or revoked"}})
async def shared_json(token: str, request: Request) -> JSONResponse:
    """The journey a share link points to (read-only, no sign-in needed)."""
    stored = await _shared(request, token)
    return JSONResponse(
        stored.journey.model_dump(mode="json"), headers={"ETag": f'"{stored.info.version}"'}
    )
