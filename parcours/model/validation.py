"""The rules a journey and a workspace must keep, as a list of problems.

Errors break the model (a duplicate id, a reference to nothing, an item in the wrong
lane); warnings point at a map that is valid but probably unfinished (an unreachable step,
a dead end not marked as an end).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from parcours.model.errors import Problem
from parcours.model.items import ITEM_TYPE, KpiValue, LaneKind
from parcours.model.library import Library

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas
    from parcours.model.journey import Journey


def _dupes(ids: list[str]) -> list[str]:
    return [value for value, n in Counter(ids).items() if n > 1]


def _choices(values: list[str] | set[str]) -> str:
    ordered = sorted(values)
    shown = ", ".join(ordered[:12]) + (", …" if len(ordered) > 12 else "")
    return shown or "(none defined)"


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

    def error(message: str, *where: str) -> None:
        out.append(Problem(message, where=tuple(where)))

    def warn(message: str, *where: str) -> None:
        out.append(Problem(message, severity="warning", where=tuple(where)))

    steps = journey.steps()
    step_ids = [s.id for s in steps]
    known_steps = set(step_ids)
    for dup in _dupes([s.id for s in journey.stages]):
        error(f"stage id '{dup}' is used twice; give each stage its own id", "stage", dup)
    for dup in _dupes(step_ids):
        error(f"step id '{dup}' is used twice; give each step its own id", "step", dup)
    for dup in _dupes([lane.id for lane in journey.lanes]):
        error(f"lane id '{dup}' is used twice; give each lane its own id", "lane", dup)
    for dup in _dupes([p.id for p in journey.paths]):
        error(f"path id '{dup}' is used twice", "path", dup)
    for dup in _dupes([c.id for c in journey.comments]):
        error(f"comment id '{dup}' is used twice", "comment", dup)

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
            error(f"{kind} id '{dup}' is defined twice", kind.lower(), dup)
    for touchpoint in journey.library.touchpoints:
        if references and touchpoint.channel is not None and touchpoint.channel not in lib_channels:
            error(
                f"touchpoint '{touchpoint.id}' names channel '{touchpoint.channel}', which is "
                f"not defined; expected one of: {_choices(lib_channels)}",
                "touchpoint",
                touchpoint.id,
            )
    if personas is not None:
        for persona in journey.personas:
            if persona not in personas:
                error(
                    f"persona '{persona}' is not in the workspace; expected one of: "
                    f"{_choices(personas)}",
                    "journey",
                    "personas",
                )

    elif references and journey.personas:
        warn(
            f"persona {', '.join(repr(p) for p in journey.personas)} is named but not defined "
            "here: a "
            "journey file holds no personas; keep the journey in a workspace with its "
            "personas (as 'parcours new' writes it) to show their names and faces",
            "journey",
            "personas",
        )
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
                warn(
                    f"KPI '{definition.name}' is named but not defined, so it is drawn neutral (neither "
                    "on nor off target); define it under 'kpis:' with its unit and "
                    "higher_is_better",
                    "kpi",
                    definition.id,
                )

    paths = {p.id for p in journey.paths}
    for entry in journey.entries:
        if entry not in known_steps:
            error(
                f"entry step '{entry}' does not exist; expected one of: {_choices(known_steps)}",
                "journey",
                "entries",
            )
    for dup in _dupes(journey.entries):
        error(f"entry step '{dup}' is listed twice", "journey", "entries")

    observer: dict[str, str] = {}
    for step in steps:
        for event in step.observed_as:
            first = observer.setdefault(event, step.id)
            if first != step.id:
                error(
                    f"event '{event}' observes step '{first}' and step '{step.id}'; in one "
                    "journey an event observes one step only: keep it in the 'observed_as' "
                    "of one of them",
                    "step",
                    step.id,
                    "observed_as",
                )
    for step in steps:
        for ref in step.touchpoints:
            if references and ref not in lib_touchpoints:
                error(
                    f"step '{step.name}' names touchpoint '{ref}', which is not defined; "
                    f"expected one of: {_choices(lib_touchpoints)}",
                    "step",
                    step.id,
                    "touchpoints",
                )
        if step.path is not None and step.path not in paths:
            error(
                f"step '{step.name}' is on path '{step.path}', which is not defined; "
                f"expected one of: {_choices(paths)} (declare it under 'paths:')",
                "step",
                step.id,
                "path",
            )
        if step.next is not None:
            if step.end:
                error(
                    f"step '{step.name}' is marked as an end and also has next steps; "
                    "remove 'end' or 'next'",
                    "step",
                    step.id,
                    "end",
                )
            targets = [link.to for link in step.next]
            for dup in _dupes(targets):
                error(f"step '{step.name}' links to '{dup}' twice", "step", step.id, "next")
            for target in targets:
                if target not in known_steps:
                    error(
                        f"step '{step.name}' leads to step '{target}', which does not exist; "
                        f"expected one of: {_choices(known_steps)}",
                        "step",
                        step.id,
                        "next",
                    )
            shares = [link.share for link in step.next if link.share is not None]
            if sum(shares) > 1 + 1e-9:
                error(
                    f"the shares of the ways out of step '{step.name}' add up to "
                    f"{sum(shares):.0%}; they must add up to 100% at most",
                    "step",
                    step.id,
                    "next",
                )

    lanes = {lane.id: lane for lane in journey.lanes}
    for lane_id, row in journey.cells.items():
        lane = lanes.get(lane_id)
        if lane is None:
            error(
                f"cells for lane '{lane_id}', which does not exist; expected one of: "
                f"{_choices(set(lanes))}",
                "lane",
                lane_id,
            )
            continue
        if lane.kind == LaneKind.touchpoints:
            error(
                f"lane '{lane_id}' shows the steps' touchpoints and holds no cells; "
                "put touchpoints on the steps",
                "lane",
                lane_id,
            )
            continue
        expected = ITEM_TYPE[lane.kind]
        for step_id, items in row.items():
            if step_id not in known_steps:
                error(
                    f"lane '{lane_id}' has a cell for step '{step_id}', which does not exist",
                    "cell",
                    lane_id,
                    step_id,
                )
                continue
            if not items:
                error(f"cell {lane_id} × {step_id} is empty; remove it", "cell", lane_id, step_id)
            for item in items:
                if not isinstance(item, expected):
                    error(
                        f"lane '{lane_id}' ({lane.kind.value}) holds {expected.__name__} items, "
                        f"not {type(item).__name__}",
                        "cell",
                        lane_id,
                        step_id,
                    )
                kpi = getattr(item, "kpi", None)
                if references and kpi is not None and kpi not in lib_kpis:
                    error(
                        f"KPI '{kpi}' at step '{step_id}' is not defined; expected one of: "
                        f"{_choices(lib_kpis)}",
                        "cell",
                        lane_id,
                        step_id,
                    )
            if lane.kind == LaneKind.emotions and len(items) > 1:
                error(
                    f"lane '{lane_id}' holds one emotion per step; step '{step_id}' has "
                    f"{len(items)}",
                    "cell",
                    lane_id,
                    step_id,
                )
    for comment in journey.comments:
        if comment.step is not None and comment.step not in known_steps:
            error(
                f"comment '{comment.id}' is on step '{comment.step}', which does not exist",
                "comment",
                comment.id,
            )
        if comment.lane is not None and comment.lane not in lanes:
            error(
                f"comment '{comment.id}' is on lane '{comment.lane}', which does not exist",
                "comment",
                comment.id,
            )

    if any(p.severity == "error" for p in out) or not steps:
        return out
    # flow warnings: only meaningful on a structurally sound map
    reachable = journey.reachable()
    successors = journey.successor_map()
    last_stage = {s.id for s in journey.stages[-1].steps} if journey.stages else set()
    for step in steps:
        if step.id not in reachable:
            warn(
                f"step '{step.name}' cannot be reached from an entry step; add it to "
                "'entries' or link a step to it with 'next'",
                "step",
                step.id,
            )
        if not successors[step.id] and not step.end and step.id not in last_stage:
            warn(
                f"step '{step.name}' is a dead end: no step follows it; mark it "
                "'end: true' or give it 'next'",
                "step",
                step.id,
            )
    return out


def atlas_problems(atlas: Atlas) -> list[Problem]:
    """Every problem of a workspace and of each of its journeys."""
    out: list[Problem] = []
    personas = {p.id for p in atlas.personas}
    for dup in _dupes([p.id for p in atlas.personas]):
        out.append(Problem(f"persona id '{dup}' is used twice", where=("persona", dup)))
    for dup in _dupes([j.id for j in atlas.journeys]):
        out.append(Problem(f"journey id '{dup}' is used twice", where=("journey", dup)))
    channels = {c.id for c in atlas.library.channels}
    for kind, entries in (
        ("touchpoint", atlas.library.touchpoints),
        ("channel", atlas.library.channels),
        ("KPI", atlas.library.kpis),
    ):
        for dup in _dupes([e.id for e in entries]):
            out.append(Problem(f"{kind} id '{dup}' is defined twice", where=(kind.lower(), dup)))
    for touchpoint in atlas.library.touchpoints:
        if touchpoint.channel is not None and touchpoint.channel not in channels:
            out.append(
                Problem(
                    f"touchpoint '{touchpoint.id}' names channel '{touchpoint.channel}', which "
                    f"is not defined; expected one of: {_choices(channels)}",
                    where=("touchpoint", touchpoint.id),
                )
            )
    for journey in atlas.journeys:
        for problem in journey_problems(journey, library=atlas.library, personas=personas):
            out.append(
                Problem(
                    problem.message,
                    severity=problem.severity,
                    where=("journey", journey.id, *problem.where),
                )
            )
    return out
