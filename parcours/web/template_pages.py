"""The templates gallery: built-in templates in French and English, the workspace's own
templates (journeys tagged ``template``), and the forms that create a journey from either or
save a journey as a template of its workspace.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parcours.web import i18n
from parcours.web.atlas_pages import _atlas, _can_edit, with_form_token
from parcours.web.backend import Role, StoredJourney
from parcours.web.context import backend, call, journey_for, signed_in
from parcours.web.pages import render
from parcours.web.problems import ApiError

router = APIRouter(include_in_schema=False)


@router.get("/templates")
async def templates_page(request: Request) -> Response:
    from parcours.catalog import templates

    principal = await signed_in(request)
    lang = i18n.ui_lang(request)
    workspaces = [
        w
        for w in await call(request, backend(request).workspaces, principal.user)
        if _can_edit(w.role)
    ]
    found = templates()
    own = []
    for w in workspaces:
        atlas, infos = await _atlas(request, w)
        for journey, j in zip(atlas.journeys, infos, strict=True):
            if TEMPLATE_TAG in journey.tags:
                own.append(
                    {
                        "id": j.id,
                        "title": journey.title,
                        "lang": j.lang or lang,
                        "description": journey.description or journey.scope or "",
                        "workspace": w.name,
                    }
                )
    return render(
        request,
        "templates.html",
        user=principal.user,
        csrf_token=principal.csrf,
        nav_current="templates",
        templates=sorted(found, key=lambda t: (t.lang != lang, t.id)),
        workspaces=workspaces,
        own=own,
    )


#: The tag that makes a journey of a workspace one of its templates.
TEMPLATE_TAG = "template"


async def _copy_into_workspace(
    request: Request, stored: StoredJourney, slug: str, tags: list[str], principal: Any
) -> Any:
    """A copy of a journey in its own workspace, under a free slug, with these tags."""
    b = backend(request)
    taken = {j.slug for j in await call(request, b.journeys, stored.info.workspace)}
    free, n = slug, 2
    while free in taken:
        free, n = f"{slug}-{n}", n + 1
    copy = stored.journey.model_copy(update={"id": free, "tags": tags})
    return await call(request, b.create_journey, stored.info.workspace, copy, principal.user)


@router.post("/journeys/{journey_id}/save-as-template")
async def save_as_template_form(
    journey_id: str, request: Request, csrf_token: str = Form("")
) -> Response:
    """Save a copy of the journey, as it is now, as a template of its workspace."""
    request = with_form_token(request, csrf_token)
    principal, stored = await journey_for(request, journey_id, Role.editor)
    tags = [t for t in stored.journey.tags if t != TEMPLATE_TAG] + [TEMPLATE_TAG]
    await _copy_into_workspace(request, stored, f"{stored.journey.id}-template", tags, principal)
    return RedirectResponse("/templates#own-templates", status_code=303)


@router.post("/templates/from-journey")
async def new_from_workspace_template_form(
    request: Request, journey: str = Form(""), csrf_token: str = Form("")
) -> Response:
    """Create a journey from a template of the workspace; then open it."""
    request = with_form_token(request, csrf_token)
    principal, stored = await journey_for(request, journey, Role.editor)
    if TEMPLATE_TAG not in stored.journey.tags:
        raise ApiError.said(422, lambda t: t("error.not_template", journey=journey))
    tags = [t for t in stored.journey.tags if t != TEMPLATE_TAG]
    slug = stored.journey.id.removesuffix("-template") or stored.journey.id
    info = await _copy_into_workspace(request, stored, slug, tags, principal)
    return RedirectResponse(f"/journeys/{info.id}", status_code=303)


@router.post("/templates/new")
async def new_from_template_form(
    request: Request,
    workspace: str = Form(""),
    template: str = Form(""),
    lang: str = Form("fr"),
    csrf_token: str = Form(""),
) -> Response:
    """Create a journey from a template (the gallery's form); then open it."""
    from parcours.web.api_workspaces import FromTemplate, create_journey

    request = with_form_token(request, csrf_token)
    if lang not in ("fr", "en"):
        raise ApiError.said(422, lambda t: t("error.unknown_lang", lang=lang))
    response = await create_journey(workspace, FromTemplate(template=template, lang=lang), request)
    location = response.headers["location"].removeprefix("/api")
    return RedirectResponse(location, status_code=303)
