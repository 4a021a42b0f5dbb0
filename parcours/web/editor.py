"""The journey editor: the grid of a journey as HTML (page and fragment), undo data, presence.

The grid is rendered here, on the server, lane by lane, so it shows without JavaScript; the
editor's scripts fetch the same partial as a fragment (``/journeys/{id}/grid``) to show the
state after their own or a co-editor's operations. Presence (who is here, which cell they
edit) is kept in memory for ~30 s after the last heartbeat, handed to the other server
processes on the same PostgreSQL database (see :func:`relay`), and sent on the journey's event
stream as ``presence`` events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from parcours.model.items import EMOJI_BY_SCORE
from parcours.model.journey import Journey, Step
from parcours.model.words import table
from parcours.web import i18n
from parcours.web.auth import require_role
from parcours.web.backend import Role, StoredJourney
from parcours.web.context import backend, call, info_for, journey_for
from parcours.web.problems import ApiError

router = APIRouter(include_in_schema=False)

PRESENCE_SECONDS = 30.0
MAX_CELLS = 200  # cells one /cells request may ask for (a change of more redraws the grid)


def lane_title(kind: str, title: str | None, lang: str) -> str:
    if title:
        return title
    names = table("SHEET_LANES", lang if lang in ("en", "fr") else "en")
    return str(names.get(kind, kind))


def item_text(item: dict[str, Any], library: dict[str, str]) -> str:
    """What a cell shows of an item, as plain text (also what the editor lets you type)."""
    kind = item.get("type")
    if kind == "kpi":
        target = "" if item.get("target") is None else f"{item['target']:g}"
        measured = "" if item.get("measured") is None else f"{item['measured']:g}"
        return f"{item.get('kpi', '')} {target} / {measured}".rstrip()
    if kind == "metric":
        value = "" if item.get("value") is None else f" {item['value']:g}"
        return f"{item.get('name', '')}{value}{' ' + item['unit'] if item.get('unit') else ''}"
    if kind == "image":
        return str(item.get("alt") or item.get("src") or "")
    return str(item.get("text", ""))


def item_meta(it: dict[str, Any], words_map: dict[str, str]) -> str:
    """The details shown after a pain point or an opportunity, in the map's language."""

    def word(key: str, value: Any) -> str:
        return words_map.get(f"{key}.{value}", str(value))

    if it.get("type") == "pain_point" and it.get("severity"):
        return " · " + word("severity", it["severity"])
    if it.get("type") != "opportunity":
        return ""
    parts = [it.get("owner") or ""]
    parts += [word("priority", it.get("priority")), word("status", it.get("status"))]
    parts += [it.get("due") or "", "" if it.get("value") is None else str(it["value"])]
    return "".join(f" · {p}" for p in parts if p and p != "None")


def grid(stored: StoredJourney, lang: str) -> dict[str, Any]:
    """Everything the grid partial needs, from the stored journey."""
    j: Journey = stored.journey
    content = j.lang or stored.info.lang or lang
    data = j.model_dump(mode="json")
    steps = j.steps()
    names = {s.id: s.name for s in steps}
    edges = j.edges()
    entries = set(j.entry_steps()) if len(j.entry_steps()) > 1 or j.entries else set()
    touch = {t.id: t.name for t in list(stored.library.touchpoints) + list(j.library.touchpoints)}
    links: dict[str, list[dict[str, Any]]] = {s.id: [] for s in steps}
    for e in edges:
        if e.kind == "next" and not e.explicit:
            continue
        links[e.source].append(
            {
                "to": e.target,
                "to_name": names.get(e.target, e.target),
                "label": e.label,
                "share": None if e.share is None else round(e.share * 100),
                "kind": e.kind,
            }
        )
    words_map = table("MAP", content if content in ("en", "fr") else "en")
    lanes = []
    for lane in data["lanes"]:
        title = lane_title(lane["kind"], lane.get("title"), content)
        cells: list[dict[str, Any]] = []
        column: list[Step | None] = []
        for st in j.stages:
            column.extend(st.steps or [None])
        for s in column:
            if s is None:
                cells.append({"empty": True})
                continue
            items = data["cells"].get(lane["id"], {}).get(s.id, [])
            shown = []
            for it in items:
                entry = {"text": item_text(it, touch), "item": it}
                if it.get("type") == "emotion":
                    entry["emoji"] = it.get("emoji") or EMOJI_BY_SCORE.get(it["score"], "")
                entry["meta"] = item_meta(it, words_map)
                shown.append(entry)
            if lane["kind"] == "touchpoints":
                shown = [{"text": touch.get(t, t), "item": {"id": t}} for t in s.touchpoints]
            cells.append({"step": s.id, "step_name": s.name, "entries": shown})
        lanes.append({**lane, "label": title, "cells": cells})
    stages = [
        {
            "id": st.id,
            "name": st.name,
            "phase": st.phase.value if st.phase else None,
            "steps": [
                {
                    "id": s.id,
                    "name": s.name,
                    "moment_of_truth": s.moment_of_truth,
                    "entry": s.id in entries,
                    "end": s.end,
                    "links": links[s.id],
                }
                for s in st.steps
            ],
        }
        for st in j.stages
    ]
    return {
        "journey": data,
        "content_lang": content,
        "stages": stages,
        "lanes": lanes,
        "version": stored.info.version,
        "touchpoints": [{"id": k, "name": v} for k, v in touch.items()],
        "kpis": [k.id for k in list(stored.library.kpis) + list(j.library.kpis)],
    }


async def role_of(request: Request, principal: Any, workspace: str) -> Role:
    role: Role = await call(
        request, require_role, backend(request), principal, workspace, Role.viewer
    )
    return role


@router.get("/journeys/{journey_id}/grid", response_class=HTMLResponse)
async def grid_fragment(journey_id: str, request: Request) -> Response:
    """The grid alone (the partial of the editor page), for the editor's scripts."""
    from parcours.web.pages import render

    principal, stored = await journey_for(request, journey_id, Role.viewer)
    role = await role_of(request, principal, stored.info.workspace)
    lang = i18n.ui_lang(request)
    return render(
        request,
        "_editor_grid.html",
        g=grid(stored, lang),
        can_edit=role.allows(Role.editor),
    )


@router.get("/journeys/{journey_id}/cells", response_class=HTMLResponse)
async def cells_fragment(journey_id: str, request: Request) -> Response:
    """Some cells of the grid (``?c=LANE:STEP``, repeated), rendered as in the grid, with the
    journey's data and version: what the editor redraws when a co-editor changes only cells.
    A cell that is no longer in the grid is left out (the editor then redraws the grid); more
    than ``MAX_CELLS`` cells in one request is a 400."""
    from parcours.web.pages import render

    principal, stored = await journey_for(request, journey_id, Role.viewer)
    role = await role_of(request, principal, stored.info.workspace)
    asked = request.query_params.getlist("c")
    if len(asked) > MAX_CELLS:
        raise ApiError(
            400,
            f"{len(asked)} cells asked for in one request; ask for at most {MAX_CELLS} "
            f"(or the whole grid: /journeys/{journey_id}/grid)",
        )
    g = grid(stored, i18n.ui_lang(request))
    return render(
        request,
        "_editor_cells.html",
        g=g,
        picked=pick_cells(g, asked),
        can_edit=role.allows(Role.editor),
    )


def pick_cells(g: dict[str, Any], keys: list[str]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The (lane, cell) of the grid ``g`` for each "LANE:STEP" of ``keys`` still in it."""
    by_key = {
        (lane["id"], cell["step"]): (lane, cell)
        for lane in g["lanes"]
        for cell in lane["cells"]
        if not cell.get("empty")
    }
    picked = []
    for key in dict.fromkeys(keys):
        lane_id, _, step_id = key.partition(":")
        if (lane_id, step_id) in by_key:
            picked.append(by_key[(lane_id, step_id)])
    return picked


# operations that change one cell (lane, step) and nothing else of the grid (as in editor.js)
CELL_OPS = frozenset({"set_cell", "add_card", "edit_card", "remove_card", "set_emotion"})


def cell_keys(operations: list[dict[str, Any]]) -> list[str] | None:
    """The cells ("LANE:STEP") a batch changes, or None when it changes more than cells."""
    keys: dict[str, None] = {}
    for op in operations:
        lane, step = op.get("lane"), op.get("step")
        if op.get("op") not in CELL_OPS or not isinstance(lane, str) or not isinstance(step, str):
            return None
        keys[f"{lane}:{step}"] = None
    return list(keys) if 0 < len(keys) <= MAX_CELLS else None


def cells_html(
    request: Request, stored: StoredJourney, batches: list[list[str]], can_edit: bool
) -> list[str]:
    """The cells of each batch of keys, rendered as ``/journeys/{id}/cells`` answers them (the
    grid is computed once): what the event stream sends with a change of cells."""
    from parcours.web.pages import render

    g = grid(stored, i18n.ui_lang(request))
    return [
        bytes(
            render(
                request, "_editor_cells.html", g=g, picked=pick_cells(g, keys), can_edit=can_edit
            ).body
        ).decode()
        for keys in batches
    ]


@router.get("/api/journeys/{journey_id}/revisions/{version}/inverse")
async def revision_inverse(journey_id: str, version: int, request: Request) -> JSONResponse:
    """The stored inverse of the batch that made ``version`` (what undo applies)."""
    _, info = await info_for(request, journey_id, Role.editor)
    inverse = None
    if 1 <= version <= info.version:
        inverse = await call(request, backend(request).inverse, info.id, version)
    if inverse is None:
        raise ApiError(404, f"no revision {version} of journey '{journey_id}'")
    return JSONResponse({"version": version, "inverse": inverse})


@dataclass
class Presence:
    """Who is on which journey, and which cell they edit; in memory, per server process."""

    seen: dict[str, dict[str, tuple[str, str | None, float]]] = field(default_factory=dict)
    stamps: dict[str, int] = field(default_factory=dict)

    def touch(self, journey: str, user: str, email: str, cell: str | None) -> None:
        here = self.seen.setdefault(journey, {})
        before = here.get(user)
        here[user] = (email, cell, time.monotonic())
        if before is None or before[1] != cell:
            self.stamps[journey] = self.stamps.get(journey, 0) + 1

    def leave(self, journey: str, user: str) -> None:
        if self.seen.get(journey, {}).pop(user, None) is not None:
            self.stamps[journey] = self.stamps.get(journey, 0) + 1

    def expire(self, journey: str) -> None:
        now = time.monotonic()
        here = self.seen.get(journey, {})
        for user, (_, _, at) in list(here.items()):
            if now - at > PRESENCE_SECONDS:
                del here[user]
                self.stamps[journey] = self.stamps.get(journey, 0) + 1

    def stamp(self, journey: str) -> int:
        self.expire(journey)
        return self.stamps.get(journey, 0)

    def people(self, journey: str) -> list[dict[str, Any]]:
        self.expire(journey)
        return [
            {"user": u, "email": e, "cell": c}
            for u, (e, c, _) in self.seen.get(journey, {}).items()
        ]


def presence(request: Request) -> Presence:
    return presence_of(request.app.state)


def presence_of(state: Any) -> Presence:
    if not hasattr(state, "presence"):
        state.presence = Presence()
    p: Presence = state.presence
    return p


def relay(app: Any) -> Callable[[dict[str, Any]], None]:
    """What another server process signals (presence, comments), applied in this one: its
    streams then tell their people, as if it had happened here. Called from any thread."""

    def apply(message: dict[str, Any]) -> None:
        journey = str(message.get("journey") or "")
        if not journey:
            return
        if message.get("kind") == "presence":
            here = presence_of(app.state)
            user = str(message.get("user") or "")
            if message.get("leaving"):
                here.leave(journey, user)
            else:
                cell = message.get("cell")
                here.touch(journey, user, str(message.get("email") or ""), cell and str(cell))
            app.state.broker.notify(journey)
        elif message.get("kind") == "comments":
            app.state.broker.signal(journey, "comments")

    return lambda message: app.state.broker.soon(apply, message)


class Here(BaseModel):
    cell: str | None = Field(default=None, max_length=300)
    leaving: bool = False


@router.post("/api/journeys/{journey_id}/presence")
async def post_presence(journey_id: str, here: Here, request: Request) -> JSONResponse:
    """A heartbeat: I am on this journey (editing ``cell``, "LANE/STEP", or none)."""
    principal, info = await info_for(request, journey_id, Role.viewer)
    p = presence(request)
    if here.leaving:
        p.leave(info.id, principal.user.id)
    else:
        p.touch(info.id, principal.user.id, principal.user.email, here.cell)
    request.app.state.broker.notify(info.id)
    # the other server processes on the same database too (PostgreSQL NOTIFY; see relay)
    message: dict[str, Any] = {"kind": "presence", "journey": info.id, "user": principal.user.id}
    message.update(email=principal.user.email, cell=here.cell, leaving=here.leaving)
    await call(request, backend(request).signal, message)
    return JSONResponse({"people": p.people(info.id)})
