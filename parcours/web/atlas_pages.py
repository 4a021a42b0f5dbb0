"""The workspace pages: the atlas (home after sign-in), personas, a journey's
history and share links, the members of a workspace.

Every page is rendered on the server and works without JavaScript: forms post here with the
session's CSRF token and get a redirect back. Editing controls are shown to editors and
owners only; the server checks the role again on every write. The atlas reuses the
computations of the PDF atlas (:mod:`parcours.render.atlas`).
"""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from parcours.model.atlas import Atlas
from parcours.model.diff import diff
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.words import table
from parcours.render import atlas as atlas_render
from parcours.web import i18n
from parcours.web.api_journeys import read_operations
from parcours.web.backend import Role, StoredJourney, WorkspaceInfo
from parcours.web.context import backend, call, in_workspace, journey_for
from parcours.web.pages import render
from parcours.web.problems import ApiError

router = APIRouter(include_in_schema=False)

PHASES = (
    "awareness",
    "consideration",
    "decision",
    "purchase",
    "onboarding",
    "usage",
    "support",
    "loyalty",
    "advocacy",
    "end",
)


def with_form_token(request: Request, token: str) -> Request:
    """The request of a form, its CSRF token (a hidden field) moved to the header every
    check reads: the same token, checked the same way as the JavaScript client's."""
    scope = dict(request.scope)
    headers = [(k, v) for k, v in request.scope["headers"] if k.lower() != b"x-csrf-token"]
    scope["headers"] = [*headers, (b"x-csrf-token", token.encode("latin-1", "replace"))]
    return Request(scope, request.receive)


def _book(request: Request) -> dict[str, str]:
    return table("BOOK", i18n.ui_lang(request))


async def _atlas(request: Request, info: WorkspaceInfo) -> tuple[Atlas, list[Any]]:
    """The workspace as an :class:`Atlas` (for the PDF atlas's computations) and the
    listing records of its journeys, in the same order."""
    b = backend(request)
    document, _ = await call(request, b.workspace_document, info.id)
    personas = await call(request, b.personas, info.id)
    infos = await call(request, b.journeys, info.id)
    journeys: list[Journey] = []
    for j in infos:
        stored: StoredJourney = await call(request, b.journey, j.id, workspace=False)
        journeys.append(stored.journey)
    library = Library.model_validate(document.get("library") or {})
    atlas = Atlas.model_construct(
        id=info.id,
        name=info.name,
        description=document.get("description"),
        lang=info.lang,
        currency=document.get("currency"),
        personas=personas,
        library=library,
        journeys=journeys,
    )
    return atlas, infos


def _ws_nav(info: WorkspaceInfo) -> dict[str, str]:
    return {"id": info.id, "name": info.name}


async def _workspace(request: Request, workspace_id: str, needed: Role) -> tuple[Any, Role, Any]:
    principal, role = await in_workspace(request, workspace_id, needed)
    info = await call(request, backend(request).workspace, workspace_id)
    return principal, role, info


def _can_edit(role: Role | None) -> bool:
    return role is None or role.allows(Role.editor)


async def atlas_sections(request: Request, principal: Any) -> list[dict[str, Any]]:
    """Every workspace of the caller as the atlas page shows it."""
    lang = i18n.ui_lang(request)
    sections = []
    for info in await call(request, backend(request).workspaces, principal.user):
        atlas, infos = await _atlas(request, info)
        sections.append(_atlas_view(atlas, infos, info, lang))
    return sections


def _atlas_view(atlas: Atlas, infos: list[Any], info: WorkspaceInfo, lang: str) -> dict[str, Any]:
    book = table("BOOK", lang)
    ids = [j.id for j in infos]
    pains = dict.fromkeys(atlas_render.SEVERITIES, 0)
    worst: list[dict[str, Any]] = []
    for index, journey in enumerate(atlas.journeys):
        for step in journey.steps():
            for pain in atlas_render._pains(journey, step):
                pains[pain.severity.value] += 1
                worst.append(
                    {
                        "severity": pain.severity.value,
                        "text": pain.text,
                        "journey": journey.title,
                        "journey_id": ids[index],
                        "step": step.name,
                    }
                )
    worst.sort(key=lambda p: atlas_render.SEVERITIES.index(p["severity"]))
    items = []
    for item in atlas_render.backlog(atlas):
        o = item.opportunity
        items.append(
            {
                "text": o.text,
                "owner": o.owner or "",
                "priority": o.priority.value,
                "status": o.status.value,
                "due": i18n.date(o.due, lang) if o.due else "",
                "value": i18n.number(o.value, lang) if o.value is not None else "",
                "journey": item.journey.title,
                "journey_id": ids[item.journey_index],
                "step": item.step.name,
            }
        )
    persona_names = {p.id: p.name for p in atlas.personas}
    by_persona: dict[str, list[dict[str, Any]]] = {p.id: [] for p in atlas.personas}
    by_phase: dict[str, list[dict[str, Any]]] = {}
    cards = []
    for index, journey in enumerate(atlas.journeys):
        phases = [s.phase.value for s in journey.stages if s.phase is not None]
        card = {
            "number": index + 1,
            "id": ids[index],
            "title": journey.title,
            "lang": infos[index].lang or "",
            "version": infos[index].version,
            "state": journey.state.value,
            "steps": len(journey.steps()),
            "personas": [persona_names.get(p, p) for p in journey.personas],
            "phases": list(dict.fromkeys(phases)),
        }
        cards.append(card)
        for p in journey.personas:
            by_persona.setdefault(p, []).append(card)
        for phase in card["phases"]:
            by_phase.setdefault(phase, []).append(card)
    day = atlas_render.atlas_date(atlas)
    facts = [
        (len(atlas.journeys), book["journeys"], False),
        (len(atlas.personas), book["personas"], False),
        (sum(c["steps"] for c in cards), book["steps"], False),
        (sum(pains.values()), book["pain_points"], False),
        (pains["rupture"], book["ruptures"], pains["rupture"] > 0),
        (len(items), book["opportunities"], False),
    ]
    return {
        "info": info,
        "can_edit": _can_edit(info.role),
        "facts": [(i18n.number(v, lang), label, alert) for v, label, alert in facts],
        "reviewed": i18n.date(day, lang) if day else "",
        "journeys": cards,
        "by_persona": [
            {"id": p.id, "name": p.name, "emoji": p.emoji or "", "journeys": by_persona[p.id]}
            for p in atlas.personas
        ],
        "by_phase": [(ph, by_phase[ph]) for ph in PHASES if ph in by_phase],
        "matrix": atlas_render.priority_svg(atlas, book) if atlas.journeys else "",
        "pains": pains,
        "worst": worst[:12],
        "backlog": items,
        "owners": sorted({i["owner"] for i in items if i["owner"]}),
    }


def filter_backlog(items: list[dict[str, Any]], query: dict[str, str]) -> list[dict[str, Any]]:
    """The backlog rows kept by the filters of the query (the no-JavaScript fallback)."""
    kept = items
    for key in ("journey_id", "owner", "status", "priority"):
        wanted = query.get(key.removesuffix("_id"), "")
        if wanted:
            kept = [i for i in kept if i[key] == wanted]
    return kept


@router.get("/workspaces/{workspace_id}/personas")
async def personas_page(workspace_id: str, request: Request) -> Response:
    principal, role, info = await _workspace(request, workspace_id, Role.viewer)
    b = backend(request)
    personas = await call(request, b.personas, workspace_id)
    _, version = await call(request, b.workspace_document, workspace_id)
    infos = await call(request, b.journeys, workspace_id)
    used: dict[str, list[Any]] = {}
    for j in infos:
        for p in j.personas:
            used.setdefault(p, []).append(j)
    return render(
        request,
        "personas.html",
        user=principal.user,
        csrf_token=principal.csrf,
        ws=_ws_nav(info),
        nav_current="personas",
        personas=personas,
        used=used,
        book=_book(request),
        can_edit=_can_edit(role),
        page_data={"workspace": workspace_id, "version": version},
    )


PERSONA_FIELDS = ("name", "emoji", "segment", "summary", "occupation", "location", "age_range")
PERSONA_LISTS = ("goals", "needs", "frustrations")


@router.post("/workspaces/{workspace_id}/personas")
async def personas_form(workspace_id: str, request: Request) -> Response:
    """Add or change a persona from the page's form (no JavaScript needed)."""
    form = await request.form()
    request = with_form_token(request, str(form.get("csrf_token", "")))
    principal, _ = await in_workspace(request, workspace_id, Role.editor)
    b = backend(request)
    _, version = await call(request, b.workspace_document, workspace_id)
    persona_id = str(form.get("persona", "")).strip()
    ops: list[dict[str, Any]] = []
    if not persona_id:
        name = str(form.get("name", "")).strip()
        if not name:
            raise ApiError.said(422, lambda t: t("error.persona_name"))
        taken = {p.id for p in await call(request, b.personas, workspace_id)}
        base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "persona"
        persona_id, n = base, 2
        while persona_id in taken:
            persona_id, n = f"{base}-{n}", n + 1
        ops.append({"op": "add_persona", "persona": {"id": persona_id, "name": name}})
    for field in PERSONA_FIELDS:
        if field in form:
            value = str(form[field]).strip() or None
            if field == "name" and value is None:
                continue
            ops.append({"op": "set_persona", "persona": persona_id, "field": field, "value": value})
    for field in PERSONA_LISTS:
        if field in form:
            lines = [x.strip() for x in str(form[field]).splitlines() if x.strip()]
            ops.append({"op": "set_persona", "persona": persona_id, "field": field, "value": lines})
    if ops:
        ops = read_operations(json.dumps(ops).encode())
        key = secrets.token_hex(16)
        await call(request, b.apply_workspace, workspace_id, key, version, ops, principal.user)
    return RedirectResponse(f"/workspaces/{workspace_id}/personas#p-{persona_id}", 303)


@router.get("/journeys/{journey_id}/history")
async def history_page(journey_id: str, request: Request, base: int | None = None) -> Response:
    principal, stored = await journey_for(request, journey_id, Role.viewer)
    lang = i18n.ui_lang(request)
    b = backend(request)
    envelopes = await call(request, b.revisions, stored.info.id, None, 100)
    role = await call(request, b.role, principal.user, stored.info.workspace)
    emails = {m.user: m.email for m in await call(request, b.members, stored.info.workspace)}
    current = stored.info.version
    chosen = base if base is not None and 0 <= base < current else None
    if chosen is None and envelopes:
        chosen = envelopes[0].base_version
    sentences: list[str] = []
    if chosen is not None:
        try:
            old = await call(request, b.journey_at, stored.info.id, chosen)
            sentences = [c.sentence(lang) for c in diff(old, stored.journey)]
        except Exception:  # a version before the first kept revision
            sentences = []
    revisions = [
        {
            "version": e.version,
            "base": e.base_version,
            "author": emails.get(e.author or "", e.author or ""),
            "at": i18n.date(e.at, lang, time=True),
            "iso": e.at.isoformat(),
            "count": len(e.operations),
        }
        for e in envelopes
    ]
    return render(
        request,
        "history.html",
        user=principal.user,
        csrf_token=principal.csrf,
        journey=stored.info,
        title=stored.journey.title,
        content_lang=stored.info.lang or "en",
        revisions=revisions,
        chosen=chosen,
        current=current,
        sentences=sentences,
        can_edit=_can_edit(role) and principal.user is not None,
    )


@router.post("/journeys/{journey_id}/history/restore")
async def restore_form(
    journey_id: str,
    request: Request,
    version: int = Form(...),
    base: int = Form(...),
    csrf_token: str = Form(""),
) -> Response:
    request = with_form_token(request, csrf_token)
    principal, stored = await journey_for(request, journey_id, Role.editor)
    await call(request, backend(request).restore, stored.info.id, version, base, principal.user)
    return RedirectResponse(f"/journeys/{journey_id}/history", status_code=303)


@router.get("/journeys/{journey_id}/shares")
async def shares_page(journey_id: str, request: Request, made: str = "") -> Response:
    principal, stored = await journey_for(request, journey_id, Role.viewer)
    lang = i18n.ui_lang(request)
    b = backend(request)
    role = await call(request, b.role, principal.user, stored.info.workspace)
    can_edit = _can_edit(role)
    links = await call(request, b.shares, stored.info.id) if can_edit else []
    return render(
        request,
        "shares.html",
        user=principal.user,
        csrf_token=principal.csrf,
        journey=stored.info,
        title=stored.journey.title,
        links=[{"id": s.id, "created": i18n.date(s.created, lang, time=True)} for s in links],
        secret=None,
        can_edit=can_edit,
    )


@router.post("/journeys/{journey_id}/shares")
async def share_form(
    journey_id: str,
    request: Request,
    action: str = Form("create"),
    link: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    """Create a link (the page shows its secret once) or revoke one."""
    request = with_form_token(request, csrf_token)
    principal, stored = await journey_for(request, journey_id, Role.editor)
    b = backend(request)
    if action == "revoke":
        await call(request, b.revoke_share, stored.info.id, link, principal.user)
        return RedirectResponse(f"/journeys/{journey_id}/shares", status_code=303)
    made = await call(request, b.create_share, stored.info.id, principal.user)
    lang = i18n.ui_lang(request)
    links = await call(request, b.shares, stored.info.id)
    return render(
        request,
        "shares.html",
        user=principal.user,
        csrf_token=principal.csrf,
        journey=stored.info,
        title=stored.journey.title,
        links=[{"id": s.id, "created": i18n.date(s.created, lang, time=True)} for s in links],
        secret=f"{request.base_url}shared/{made.token}",
        can_edit=True,
    )


@router.get("/workspaces/{workspace_id}/members")
async def members_page(workspace_id: str, request: Request) -> Response:
    principal, role, info = await _workspace(request, workspace_id, Role.viewer)
    members = await call(request, backend(request).members, workspace_id)
    return render(
        request,
        "members.html",
        user=principal.user,
        csrf_token=principal.csrf,
        ws=_ws_nav(info),
        nav_current="members",
        members=members,
        roles=[r.value for r in (Role.viewer, Role.editor, Role.owner)],
        is_owner=role is None or role.allows(Role.owner),
    )


@router.post("/workspaces/{workspace_id}/members")
async def members_form(
    workspace_id: str,
    request: Request,
    email: str = Form(""),
    role: str = Form("viewer"),
    remove: str = Form(""),
    csrf_token: str = Form(""),
) -> Response:
    request = with_form_token(request, csrf_token)
    principal, _ = await in_workspace(request, workspace_id, Role.owner)
    b = backend(request)
    if remove:
        await call(request, b.remove_member, workspace_id, remove, principal.user)
    else:
        if role not in ("viewer", "editor", "owner"):
            raise ApiError.said(422, lambda t: t("error.unknown_role", role=role))
        await call(request, b.set_member, workspace_id, email.strip(), Role(role), principal.user)
    return RedirectResponse(f"/workspaces/{workspace_id}/members", status_code=303)
