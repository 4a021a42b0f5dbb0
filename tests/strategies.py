"""Hypothesis strategies: random but valid journeys, workspaces and operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from parcours.model.atlas import Atlas
from parcours.model.base import slugify, unique_id
from parcours.model.items import LaneKind
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.persona import Persona

# texts people type, and texts that trip YAML (booleans, numbers, colons, quotes, emoji)
TRICKY = ["Non", "yes", "no", "on", "1.0", "007", "null", "~", "a: b", "# pas un commentaire",
          "'quoted'", '"double"', "- tiret", "=SUM(A1)", "+33 6 12 34 56 78", "@home", "😀 ok",
          "Vérification d'identité", "Œuvre à l’été", "tab\there", "multi\nline", " leading",
          "trailing ", "[crochets]", "{accolades}", "2026-10-02", "true", "&anchor", "*alias",
          "%percent", "!tag", "|pipe", ">folded", "?", "Ça marche à 100 %"]  # fmt: skip
_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn", "Cf"))
free_text = st.one_of(st.sampled_from(TRICKY), st.text(_chars, min_size=1, max_size=30))
text = free_text.filter(lambda s: s.strip() != "")
name = text.map(lambda s: s.strip())
ident = st.from_regex(r"[a-z0-9][a-z0-9_\-]{0,12}", fullmatch=True)
number = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
optional_text = st.none() | text


def _ids(draw: st.DrawFn, names: list[str], prefix: str) -> list[str]:
    """Ids for named things: mostly the name's slug, sometimes something else."""
    taken: set[str] = set()
    out = []
    for n in names:
        base = slugify(n, fallback=prefix) if draw(st.booleans()) else draw(ident)
        chosen = unique_id(base, taken)
        taken.add(chosen)
        out.append(chosen)
    return out


def _item(draw: st.DrawFn, kind: LaneKind, kpis: list[str]) -> dict[str, Any]:
    if kind in (LaneKind.actions, LaneKind.thoughts, LaneKind.backstage, LaneKind.notes):
        return {"type": "card", "text": draw(text), "detail": draw(st.none() | text)}
    if kind == LaneKind.pain_points:
        return {"type": "pain_point", "text": draw(text),
                "severity": draw(st.sampled_from(["irritant", "blocker", "rupture"])),
                "evidence": draw(optional_text)}  # fmt: skip
    if kind == LaneKind.opportunities:
        return {"type": "opportunity", "text": draw(text), "owner": draw(optional_text),
                "priority": draw(st.sampled_from(["low", "medium", "high", "critical"])),
                "status": draw(st.sampled_from(["idea", "planned", "in_progress", "done", "dropped"])),
                "due": draw(st.none() | dates), "value": draw(st.none() | positive)}  # fmt: skip
    if kind == LaneKind.kpis:
        return {"type": "kpi", "kpi": draw(st.sampled_from(kpis)), "target": draw(st.none() | number),
                "measured": draw(st.none() | number), "period": draw(optional_text),
                "source": draw(optional_text)}  # fmt: skip
    if kind == LaneKind.metrics:
        return {"type": "metric", "name": draw(text), "value": draw(st.none() | number),
                "unit": draw(optional_text), "source": draw(optional_text)}  # fmt: skip
    if kind == LaneKind.images:
        return {"type": "image", "src": draw(text), "alt": draw(optional_text)}
    raise AssertionError(kind)


@st.composite
def journeys(draw: st.DrawFn, *, branched: bool | None = None, max_steps: int = 10) -> Journey:
    """A valid journey; ``branched`` forces (or forbids) paths, links, entries and ends."""
    nonlinear = draw(st.booleans()) if branched is None else branched
    title = draw(name)
    # library
    channel_names = draw(st.lists(name, max_size=3, unique_by=str.casefold))
    channels = [{"id": i, "name": n, "kind": draw(st.sampled_from(["digital", "physical", "human", "media", "other"]))}
                for i, n in zip(_ids(draw, channel_names, "channel"), channel_names, strict=True)]  # fmt: skip
    tp_names = draw(st.lists(name, max_size=5, unique_by=str.casefold))
    touchpoints = [{"id": i, "name": n, "channel": draw(st.none() | st.sampled_from([c["id"] for c in channels] or [None]))}
                   for i, n in zip(_ids(draw, tp_names, "touchpoint"), tp_names, strict=True)]  # fmt: skip
    kpi_names = draw(st.lists(name, min_size=1, max_size=3, unique_by=str.casefold))
    kpis = [{"id": i, "name": n, "unit": draw(st.sampled_from([None, "%", "s", "€"])),
             "higher_is_better": draw(st.booleans()), "target": draw(st.none() | number)}
            for i, n in zip(_ids(draw, kpi_names, "kpi"), kpi_names, strict=True)]  # fmt: skip
    # lanes
    kinds = draw(st.lists(st.sampled_from(list(LaneKind)), max_size=8, unique=True))
    lanes = [{"id": k.value, "kind": k.value} for k in kinds]
    if draw(st.booleans()):
        lanes.append({"id": "emotions_target", "kind": "emotions", "title": draw(name)})
    if lanes and draw(st.booleans()):
        lanes[0]["visible"] = False
    # stages and steps
    n_stages = draw(st.integers(1, 4))
    stage_names = [draw(name) for _ in range(n_stages)]
    stage_ids = _ids(draw, stage_names, "stage")
    step_names = [
        [draw(name) for _ in range(draw(st.integers(0, max(1, max_steps // n_stages))))]
        for _ in stage_names
    ]
    flat_names = [n for names in step_names for n in names]
    step_ids = _ids(draw, flat_names, "step")
    paths = []
    if nonlinear and draw(st.booleans()):
        path_names = draw(st.lists(name, min_size=1, max_size=3, unique_by=str.casefold))
        paths = [
            {"id": i, "name": n}
            for i, n in zip(_ids(draw, path_names, "path"), path_names, strict=True)
        ]
    stages = []
    k = 0
    for sid, sname, names in zip(stage_ids, stage_names, step_names, strict=True):
        steps = []
        for sname_ in names:
            step: dict[str, Any] = {"id": step_ids[k], "name": sname_}
            k += 1
            if draw(st.booleans()):
                step["touchpoints"] = (
                    draw(
                        st.lists(
                            st.sampled_from([t["id"] for t in touchpoints] or ["x"]),
                            max_size=2,
                            unique=True,
                        )
                    )
                    if touchpoints
                    else []
                )
            step["moment_of_truth"] = draw(st.booleans())
            # in one journey an event observes one step only: names prefixed by the step id
            step["observed_as"] = [f"{step['id']}.{e}" for e in draw(st.lists(ident, max_size=2))]
            step["description"] = draw(optional_text)
            if paths and draw(st.booleans()):
                step["path"] = draw(st.sampled_from([p["id"] for p in paths]))
            steps.append(step)
        stages.append({"id": sid, "name": sname, "phase": draw(st.none() | st.sampled_from(
            ["awareness", "consideration", "decision", "purchase", "onboarding", "usage", "support", "loyalty", "advocacy", "end"])),
            "description": draw(optional_text), "steps": steps})  # fmt: skip
    all_steps = [s for st_ in stages for s in st_["steps"]]
    entries: list[str] = []
    if nonlinear and all_steps:
        for step in all_steps:
            roll = draw(st.integers(0, 5))
            if roll == 0:
                targets = draw(
                    st.lists(st.sampled_from([s["id"] for s in all_steps]), max_size=3, unique=True)
                )
                shares = [draw(st.none() | st.floats(0, 1 / max(1, len(targets)))) for _ in targets]
                step["next"] = [
                    {"to": t, "label": draw(st.none() | text), "share": sh}
                    for t, sh in zip(targets, shares, strict=True)
                ]
            elif roll == 1:
                step["end"] = True
        if draw(st.booleans()):
            entries = draw(
                st.lists(st.sampled_from([s["id"] for s in all_steps]), max_size=3, unique=True)
            )
    # cells
    cells: dict[str, dict[str, list[Any]]] = {}
    for lane in lanes:
        kind = LaneKind(lane["kind"])
        if kind == LaneKind.touchpoints or not all_steps:
            continue
        for step in draw(
            st.lists(st.sampled_from([s["id"] for s in all_steps]), max_size=4, unique=True)
        ):
            if kind == LaneKind.emotions:
                items = [{"type": "emotion", "score": draw(st.integers(-2, 2)),
                          "label": draw(st.none() | text), "emoji": draw(st.none() | st.sampled_from(["😤", "🙂", "🎉"]))}]  # fmt: skip
            else:
                items = [
                    _item(draw, kind, [k["id"] for k in kpis])
                    for _ in range(draw(st.integers(1, 3)))
                ]
            cells.setdefault(lane["id"], {})[step] = items
    comments = []
    for n in range(draw(st.integers(0, 2))):
        comments.append({"id": f"c{n + 1}", "text": draw(text), "author": draw(optional_text),
                         "at": draw(st.none() | st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 1, 1))),
                         "step": draw(st.none() | st.sampled_from([s["id"] for s in all_steps] or [None])),
                         "resolved": draw(st.booleans())})  # fmt: skip
    data = {
        "id": draw(st.sampled_from([slugify(title, fallback="journey"), "journey-1"])),
        "title": title,
        "lang": draw(st.sampled_from([None, "fr", "en"])),
        "personas": draw(st.lists(ident, max_size=2, unique=True)),
        "scope": draw(optional_text),
        "description": draw(optional_text),
        "state": draw(st.sampled_from(["current", "future"])),
        "evidence": draw(st.sampled_from(["hypothetical", "data-driven", "mixed"])),
        "status": draw(st.sampled_from(["draft", "validated", "archived"])),
        "owner": draw(optional_text),
        "value": draw(st.none() | st.fixed_dictionaries({"customer": st.none() | st.floats(0, 100), "business": st.none() | st.floats(0, 100), "effort": st.none() | st.floats(0, 10)})),
        "tags": draw(st.lists(text, max_size=3)),
        "reviewed": draw(st.none() | dates),
        "entries": entries,
        "paths": paths,
        "stages": stages,
        "lanes": lanes,
        "cells": cells,
        "comments": comments,
        "library": {"channels": channels, "touchpoints": touchpoints, "kpis": kpis},
    }  # fmt: skip
    return Journey.model_validate(data)


@st.composite
def personas(draw: st.DrawFn, pid: str) -> Persona:
    return Persona(id=pid, name=draw(name), emoji=draw(st.none() | st.just("👩‍💼")),
                   market=draw(st.sampled_from(["b2c", "b2b"])), segment=draw(optional_text),
                   age_range=draw(st.none() | st.just("25-34")), occupation=draw(optional_text),
                   goals=draw(st.lists(text, max_size=2)), frustrations=draw(st.lists(text, max_size=2)),
                   quote=draw(optional_text), attributes=draw(st.dictionaries(ident, text, max_size=2)))  # fmt: skip


@st.composite
def atlases(draw: st.DrawFn) -> Atlas:
    journeys_ = draw(
        st.lists(journeys(max_steps=6), min_size=1, max_size=3, unique_by=lambda j: j.id)
    )
    persona_ids = sorted({p for j in journeys_ for p in j.personas})
    return Atlas(
        id=draw(ident), name=draw(name), description=draw(optional_text), lang=draw(st.sampled_from([None, "fr"])),
        personas=[draw(personas(pid)) for pid in persona_ids], library=Library(), journeys=journeys_,
    )  # fmt: skip
