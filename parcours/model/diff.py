"""What changed between two versions of a journey, in words people read.

``diff(a, b)`` lists :class:`Change` objects such as "step 'Paiement' added to stage
'Achat'" or "emotion at 'Livraison' −1 → +1". It serves the history of a map and, later,
the comparison of a designed journey with the observed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parcours.model.items import Card, Emotion, Image, KpiValue, Metric, Opportunity, PainPoint
from parcours.model.journey import Journey, Step

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas

_MINUS = "\u2212"


@dataclass(frozen=True)
class Change:
    """One change: what kind of thing, its id, and a sentence."""

    kind: str  # "journey" | "stage" | "step" | "lane" | "cell" | "flow" | "path" | "comment" | "library"
    target: str
    message: str

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "target": self.target, "message": self.message}


def _signed(score: int) -> str:
    return f"+{score}" if score > 0 else (f"{_MINUS}{-score}" if score < 0 else "0")


def _short(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(none)"
    if hasattr(value, "model_dump"):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if hasattr(value, "value"):
        value = value.value
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _item_text(item: Any) -> str:
    match item:
        case Card(text=text) | PainPoint(text=text) | Opportunity(text=text):
            return text
        case KpiValue(kpi=kpi, target=target, measured=measured):
            return f"{kpi} (target {_short(target)}, measured {_short(measured)})"
        case Metric(name=name, value=value, unit=unit):
            return f"{name} = {_short(value)}{unit or ''}"
        case Image(src=src):
            return src
        case Emotion(score=score):
            return _signed(score)
    return str(item)


def diff(a: Journey, b: Journey) -> list[Change]:
    """The changes that turn ``a`` into ``b`` (empty when they are equal)."""
    out: list[Change] = []
    add = out.append
    for field in ("id", "title", "lang", "personas", "scope", "description", "state", "evidence",
                  "status", "owner", "value", "tags", "reviewed"):  # fmt: skip
        old, new = getattr(a, field), getattr(b, field)
        if old != new:
            add(Change("journey", field, f"{field} {_short(old)} → {_short(new)}"))

    # stages
    added, removed, kept, reordered = _match(a.stages, b.stages)
    out += [Change("stage", s.id, f"stage '{s.name}' added") for s in added]
    out += [Change("stage", s.id, f"stage '{s.name}' removed") for s in removed]
    for old, stage in kept:
        if old.name != stage.name:
            add(Change("stage", stage.id, f"stage '{old.name}' renamed '{stage.name}'"))
        for field in ("phase", "description"):
            if getattr(old, field) != getattr(stage, field):
                add(Change("stage", stage.id, f"{field} of stage '{stage.name}' "
                                              f"{_short(getattr(old, field))} → {_short(getattr(stage, field))}"))  # fmt: skip
    if reordered:
        add(Change("stage", "*", "stages reordered: " + ", ".join(s.name for s in b.stages)))

    # steps
    a_steps = {s.id: (stage, s) for stage, s in a.iter_steps()}
    b_steps = {s.id: (stage, s) for stage, s in b.iter_steps()}
    for step_id, (stage, step) in b_steps.items():
        if step_id not in a_steps:
            add(Change("step", step_id, f"step '{step.name}' added to stage '{stage.name}'"))
    for step_id, (stage, step) in a_steps.items():
        if step_id not in b_steps:
            add(Change("step", step_id, f"step '{step.name}' removed from stage '{stage.name}'"))
    for step_id, (stage, step) in b_steps.items():
        if step_id not in a_steps:
            continue
        old_stage, old = a_steps[step_id]
        if old.name != step.name:
            add(Change("step", step_id, f"step '{old.name}' renamed '{step.name}'"))
        if old_stage.id != stage.id:
            add(Change("step", step_id, f"step '{step.name}' moved from stage '{old_stage.name}' "
                                        f"to '{stage.name}'"))  # fmt: skip
        out.extend(_step_fields(old, step))
    a_order = [s.id for s in a.steps() if s.id in b_steps]
    b_order = [s.id for s in b.steps() if s.id in a_steps]
    if a_order != b_order and sorted(a_order) == sorted(b_order):
        moved = _moved(a_order, b_order)
        for step_id in moved:
            if a_steps[step_id][0].id == b_steps[step_id][0].id:
                add(Change("step", step_id, f"step '{b_steps[step_id][1].name}' moved within stage "
                                            f"'{b_steps[step_id][0].name}'"))  # fmt: skip

    # flow
    if a.entries != b.entries:
        add(
            Change(
                "flow",
                "entries",
                f"entry steps {_short(a.entry_steps())} → {_short(b.entry_steps())}",
            )
        )
    added, removed, kept, reordered = _match(a.paths, b.paths)
    out += [Change("path", p.id, f"path '{p.name}' added") for p in added]
    for old_path, path in kept:
        if old_path != path:
            add(
                Change(
                    "path",
                    path.id,
                    f"path '{old_path.name}' changed: {_short(old_path)} → {_short(path)}",
                )
            )
    out += [Change("path", p.id, f"path '{p.name}' removed") for p in removed]
    if reordered:
        add(Change("path", "*", "paths reordered"))

    # lanes
    a_lanes = {lane.id: lane for lane in a.lanes}
    b_lanes = {lane.id: lane for lane in b.lanes}
    added, removed, kept, reordered = _match(a.lanes, b.lanes)
    out += [Change("lane", x.id, f"lane '{x.title or x.id}' ({x.kind.value}) added") for x in added]
    for old_lane, lane in kept:
        for field in ("kind", "title", "visible"):
            if getattr(old_lane, field) != getattr(lane, field):
                add(Change("lane", lane.id, f"{field} of lane '{lane.id}' "
                                            f"{_short(getattr(old_lane, field))} → {_short(getattr(lane, field))}"))  # fmt: skip
    out += [Change("lane", x.id, f"lane '{x.title or x.id}' removed") for x in removed]
    if reordered:
        add(Change("lane", "*", "lanes reordered: " + ", ".join(b_lanes)))

    # cells (of steps and lanes present in both: added/removed steps and lanes say enough)
    for lane_id, lane in b_lanes.items():
        if lane_id not in a_lanes:
            continue
        for step_id, (_, step) in b_steps.items():
            if step_id not in a_steps:
                continue
            old_items, new_items = a.cell(lane_id, step_id), b.cell(lane_id, step_id)
            if old_items != new_items:
                out.extend(
                    _cell_changes(
                        lane.title or lane_id,
                        lane.kind.value,
                        step.name,
                        lane_id,
                        step_id,
                        old_items,
                        new_items,
                    )
                )

    # comments and library
    added, removed, kept, _ = _match(a.comments, b.comments)
    out += [Change("comment", c.id, f"comment added: “{_short(c.text)}”") for c in added]
    out += [Change("comment", c.id, f"comment '{c.id}' edited") for old, c in kept if old != c]
    out += [Change("comment", c.id, f"comment removed: “{_short(c.text)}”") for c in removed]
    for kind in ("channels", "touchpoints", "kpis"):
        singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}[kind]
        added, removed, kept, reordered = _match(getattr(a.library, kind), getattr(b.library, kind))
        out += [Change("library", e.id, f"{singular} '{e.name}' added") for e in added]
        out += [
            Change("library", e.id, f"{singular} '{e.name}' changed") for old, e in kept if old != e
        ]
        out += [Change("library", e.id, f"{singular} '{e.name}' removed") for e in removed]
        if reordered:
            add(Change("library", kind, f"{kind} reordered"))

    if not out and a != b:  # anything the sentences above do not cover
        add(Change("journey", "*", "the journeys differ in a detail (compare the JSON)"))
    return out


def _match(
    old: list[Any], new: list[Any]
) -> tuple[list[Any], list[Any], list[tuple[Any, Any]], bool]:
    """Two versions of a list of things with ids: added, removed, kept (old, new) pairs in the
    new order, and whether the kept ones changed order."""
    before = {x.id: x for x in old}
    after = {x.id for x in new}
    added = [x for x in new if x.id not in before]
    removed = [x for x in old if x.id not in after]
    kept = [(before[x.id], x) for x in new if x.id in before]
    reordered = [x.id for x in old if x.id in after] != [new_x.id for _, new_x in kept]
    return added, removed, kept, reordered


def _step_fields(old: Step, new: Step) -> list[Change]:
    out = []
    name = new.name
    if old.moment_of_truth != new.moment_of_truth:
        what = "now a moment of truth" if new.moment_of_truth else "no longer a moment of truth"
        out.append(Change("step", new.id, f"step '{name}' is {what}"))
    if old.end != new.end:
        out.append(
            Change(
                "flow",
                new.id,
                f"step '{name}' {'now ends' if new.end else 'no longer ends'} the journey",
            )
        )
    if old.path != new.path:
        out.append(
            Change(
                "flow",
                new.id,
                f"step '{name}' moved from path {_short(old.path)} to {_short(new.path)}",
            )
        )
    if old.next != new.next:
        before = "implicit" if old.next is None else _links(old)
        after = "implicit" if new.next is None else _links(new)
        out.append(Change("flow", new.id, f"ways out of '{name}': {before} → {after}"))
    for field in ("description", "touchpoints", "observed_as"):
        if getattr(old, field) != getattr(new, field):
            out.append(Change("step", new.id, f"{field.replace('_', ' ')} of '{name}' "
                                              f"{_short(getattr(old, field))} → {_short(getattr(new, field))}"))  # fmt: skip
    return out


def _links(step: Step) -> str:
    parts = []
    for link in step.next or []:
        label = f" “{link.label}”" if link.label else ""
        share = f" {link.share:.0%}" if link.share is not None else ""
        parts.append(f"{link.to}{label}{share}")
    return "[" + ", ".join(parts) + "]" if parts else "none (end)"


def _cell_changes(lane_name: str, kind: str, step_name: str, lane_id: str, step_id: str,
                  old: list[Any], new: list[Any]) -> list[Change]:  # fmt: skip
    target = f"{lane_id}/{step_id}"
    if kind == "emotions":
        before = _signed(old[0].score) if old else "(none)"
        after = _signed(new[0].score) if new else "(none)"
        lane = "emotion" if lane_id == "emotions" else f"{lane_name}"
        if before != after:
            return [Change("cell", target, f"{lane} at '{step_name}' {before} → {after}")]
        return [Change("cell", target, f"{lane} at '{step_name}' relabelled")]
    out = []
    old_texts = [_item_text(i) for i in old]
    new_texts = [_item_text(i) for i in new]
    for item, text in zip(new, new_texts, strict=True):
        if text not in old_texts:
            out.append(Change("cell", target, f"{lane_name} at '{step_name}': added “{text}”"))
        elif item not in old:
            out.append(Change("cell", target, f"{lane_name} at '{step_name}': “{text}” edited"))
    for text in old_texts:
        if text not in new_texts:
            out.append(Change("cell", target, f"{lane_name} at '{step_name}': removed “{text}”"))
    if not out:
        out.append(Change("cell", target, f"{lane_name} at '{step_name}': items reordered"))
    return out


def _moved(a: list[str], b: list[str]) -> list[str]:
    """The items not on a longest common subsequence of the two orders."""
    n, m = len(a), len(b)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
            )
    keep = set()
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return [x for x in b if x not in keep]


def diff_atlas(a: Atlas, b: Atlas) -> list[Change]:
    """The changes that turn workspace ``a`` into ``b``: its fields, personas, shared
    library and every journey (a journey's changes name it: ``[journey-id] …``)."""
    changes: list[Change] = []
    for field in ("id", "name", "lang", "description"):
        if getattr(a, field) != getattr(b, field):
            changes.append(
                Change("workspace", field, f"{field} {getattr(a, field)!r} → {getattr(b, field)!r}")
            )
    added, removed, kept, _ = _match(a.personas, b.personas)
    changes += [Change("persona", p.id, f"persona '{p.name}' added") for p in added]
    changes += [Change("persona", p.id, f"persona '{p.name}' removed") for p in removed]
    for old, new in kept:
        if old != new:
            fields = [f for f in type(old).model_fields if getattr(old, f) != getattr(new, f)]
            changes.append(
                Change("persona", new.id, f"persona '{new.name}': {', '.join(fields)} changed")
            )
    if a.library != b.library:
        changes.append(
            Change("library", "*", "the shared library (channels, touchpoints, KPIs) changed")
        )
    added, removed, kept, _ = _match(a.journeys, b.journeys)
    changes += [Change("journey", j.id, f"journey '{j.title}' added") for j in added]
    changes += [Change("journey", j.id, f"journey '{j.title}' removed") for j in removed]
    for old_j, new_j in kept:
        for change in diff(old_j, new_j):
            changes.append(
                Change(change.kind, f"{new_j.id}:{change.target}", f"[{new_j.id}] {change.message}")
            )
    return changes
