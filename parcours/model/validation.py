"""The rules a journey and a workspace must keep, as a list of problems.

Errors break the model (a duplicate id, a reference to nothing, an item in the wrong
lane); warnings point at a map that is valid but probably unfinished (an unreachable step,
a dead end not marked as an end).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from parcours.model.errors import Param, Problem, Said
from parcours.model.items import ITEM_TYPE, KpiValue, LaneKind
from parcours.model.library import Library

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey


def _dupes(ids: list[str]) -> list[str]:
    return [value for value, n in Counter(ids).items() if n > 1]


def _choices(values: list[str] | set[str]) -> Param:
    ordered = sorted(values)
    shown = ", ".join(ordered[:12]) + (", …" if len(ordered) > 12 else "")
    return shown or Said("none_defined")


def journey_problems(
    journey: Journey,
    *,
    library: Library | None = None,
    personas: set[str] | None = None,
    references: bool = True,
) -> list[Problem]:
    """Every problem of ``journey``; ``library`` and ``personas`` come from its workspace.

    ``references=False`` leaves out references to touchpoints, channels and KPIs, which
    may live in the workspace's library: the model checks them where it knows the
    workspace (a file, an atlas, an edit given the library).
    """
    out: list[Problem] = []

    def error(code: str, *where: str, **params: Param) -> None:
        out.append(Problem.of(code, where=tuple(where), **params))

    def warn(code: str, *where: str, **params: Param) -> None:
        text = Said.of(code, **params)
        out.append(Problem.said(text, where=tuple(where), severity="warning"))

    steps = journey.steps()
    step_ids = [s.id for s in steps]
    known_steps = set(step_ids)
    for dup in _dupes([s.id for s in journey.stages]):
        error("dup.stage", "stage", dup, id=dup)
    for dup in _dupes(step_ids):
        error("dup.step", "step", dup, id=dup)
    for dup in _dupes([lane.id for lane in journey.lanes]):
        error("dup.lane", "lane", dup, id=dup)
    for dup in _dupes([p.id for p in journey.paths]):
        error("dup.path", "path", dup, id=dup)
    for dup in _dupes([c.id for c in journey.comments]):
        error("dup.comment", "comment", dup, id=dup)

    # the shared library: the journey's own entries plus its workspace's
    lib_touchpoints = {t.id for t in journey.library.touchpoints}
    lib_channels = {c.id for c in journey.library.channels}
    lib_kpis = {k.id for k in journey.library.kpis}
    if library is not None:
        lib_touchpoints |= {t.id for t in library.touchpoints}
        lib_channels |= {c.id for c in library.channels}
        lib_kpis |= {k.id for k in library.kpis}
    for kind, entries in (
        ("touchpoint", journey.library.touchpoints),
        ("channel", journey.library.channels),
        ("KPI", journey.library.kpis),
    ):
        for dup in _dupes([e.id for e in entries]):
            error(f"dup.{kind}", kind.lower(), dup, id=dup)
    for touchpoint in journey.library.touchpoints:
        if references and touchpoint.channel is not None and touchpoint.channel not in lib_channels:
            error(
                "touchpoint.channel",
                "touchpoint",
                touchpoint.id,
                touchpoint=touchpoint.id,
                channel=touchpoint.channel,
                choices=_choices(lib_channels),
            )
    if personas is not None:
        for persona in journey.personas:
            if persona not in personas:
                choices = _choices(personas)
                error("persona.unknown", "journey", "personas", persona=persona, choices=choices)

    elif references and journey.personas:
        names = ", ".join(repr(p) for p in journey.personas)
        warn("persona.alone", "journey", "personas", names=names)
    if references:
        used = {
            item.kpi
            for row in journey.cells.values()
            for items in row.values()
            for item in items
            if isinstance(item, KpiValue)
        }
        shared = library.kpis if library is not None else []
        for definition in {k.id: k for k in [*shared, *journey.library.kpis]}.values():
            if definition.id in used and definition.higher_is_better is None:
                warn("kpi.undefined", "kpi", definition.id, name=definition.name)

    paths = {p.id for p in journey.paths}
    for entry in journey.entries:
        if entry not in known_steps:
            choices = _choices(known_steps)
            error("entry.unknown", "journey", "entries", step=entry, choices=choices)
    for dup in _dupes(journey.entries):
        error("entry.twice", "journey", "entries", step=dup)

    observer: dict[str, str] = {}
    for step in steps:
        for event in step.observed_as:
            first = observer.setdefault(event, step.id)
            if first != step.id:
                where = ("step", step.id, "observed_as")
                error("event.two_steps", *where, event=event, first=first, step=step.id)
    for step in steps:
        for ref in step.touchpoints:
            if references and ref not in lib_touchpoints:
                error(
                    "step.touchpoint",
                    "step",
                    step.id,
                    "touchpoints",
                    step=step.name,
                    touchpoint=ref,
                    choices=_choices(lib_touchpoints),
                )
        if step.path is not None and step.path not in paths:
            choices = _choices(paths)
            error(
                "step.path",
                "step",
                step.id,
                "path",
                step=step.name,
                path=step.path,
                choices=choices,
            )
        if step.next is not None:
            if step.end:
                error("step.end_and_next", "step", step.id, "end", step=step.name)
            targets = [link.to for link in step.next]
            for dup in _dupes(targets):
                error("step.links_twice", "step", step.id, "next", step=step.name, target=dup)
            for target in targets:
                if target not in known_steps:
                    error(
                        "step.leads_nowhere",
                        "step",
                        step.id,
                        "next",
                        step=step.name,
                        target=target,
                        choices=_choices(known_steps),
                    )
            shares = [link.share for link in step.next if link.share is not None]
            if sum(shares) > 1 + 1e-9:
                total = f"{sum(shares):.0%}"
                error("step.shares", "step", step.id, "next", step=step.name, total=total)

    lanes = {lane.id: lane for lane in journey.lanes}
    for lane_id, row in journey.cells.items():
        lane = lanes.get(lane_id)
        if lane is None:
            error("cells.no_lane", "lane", lane_id, lane=lane_id, choices=_choices(set(lanes)))
            continue
        if lane.kind == LaneKind.touchpoints:
            error("cells.touchpoints", "lane", lane_id, lane=lane_id)
            continue
        expected = ITEM_TYPE[lane.kind]
        for step_id, items in row.items():
            if step_id not in known_steps:
                error("cell.no_step", "cell", lane_id, step_id, lane=lane_id, step=step_id)
                continue
            if not items:
                error("cell.empty", "cell", lane_id, step_id, lane=lane_id, step=step_id)
            for item in items:
                if not isinstance(item, expected):
                    error(
                        "cell.wrong_item",
                        "cell",
                        lane_id,
                        step_id,
                        lane=lane_id,
                        kind=lane.kind.value,
                        expected=expected.__name__,
                        found=type(item).__name__,
                    )
                kpi = getattr(item, "kpi", None)
                if references and kpi is not None and kpi not in lib_kpis:
                    choices = _choices(lib_kpis)
                    error(
                        "cell.kpi", "cell", lane_id, step_id, kpi=kpi, step=step_id, choices=choices
                    )
            if lane.kind == LaneKind.emotions and len(items) > 1:
                n = str(len(items))
                error("cell.emotions", "cell", lane_id, step_id, lane=lane_id, step=step_id, n=n)
    for comment in journey.comments:
        if comment.step is not None and comment.step not in known_steps:
            error("comment.no_step", "comment", comment.id, comment=comment.id, step=comment.step)
        if comment.lane is not None and comment.lane not in lanes:
            error("comment.no_lane", "comment", comment.id, comment=comment.id, lane=comment.lane)

    if any(p.severity == "error" for p in out) or not steps:
        return out
    # flow warnings: only meaningful on a structurally sound map
    reachable = journey.reachable()
    successors = journey.successor_map()
    last_stage = {s.id for s in journey.stages[-1].steps} if journey.stages else set()
    for step in steps:
        if step.id not in reachable:
            warn("step.unreachable", "step", step.id, step=step.name)
        if not successors[step.id] and not step.end and step.id not in last_stage:
            warn("step.dead_end", "step", step.id, step=step.name)
    return out


def atlas_problems(atlas: Atlas) -> list[Problem]:
    """Every problem of a workspace and of each of its journeys."""
    out: list[Problem] = []
    personas = {p.id for p in atlas.personas}
    for dup in _dupes([p.id for p in atlas.personas]):
        out.append(Problem.of("dup.persona", where=("persona", dup), id=dup))
    for dup in _dupes([j.id for j in atlas.journeys]):
        out.append(Problem.of("dup.journey", where=("journey", dup), id=dup))
    channels = {c.id for c in atlas.library.channels}
    for kind, entries in (
        ("touchpoint", atlas.library.touchpoints),
        ("channel", atlas.library.channels),
        ("KPI", atlas.library.kpis),
    ):
        for dup in _dupes([e.id for e in entries]):
            out.append(Problem.of(f"dup.{kind}", where=(kind.lower(), dup), id=dup))
    for touchpoint in atlas.library.touchpoints:
        if touchpoint.channel is not None and touchpoint.channel not in channels:
            out.append(
                Problem.of(
                    "touchpoint.channel",
                    where=("touchpoint", touchpoint.id),
                    touchpoint=touchpoint.id,
                    channel=touchpoint.channel,
                    choices=_choices(channels),
                )
            )
    for journey in atlas.journeys:
        for problem in journey_problems(journey, library=atlas.library, personas=personas):
            out.append(replace(problem, where=("journey", journey.id, *problem.where)))
    return out
