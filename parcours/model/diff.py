"""What changed between two versions of a journey, in words people read.

``diff(a, b)`` lists :class:`Change` objects such as "step 'Paiement' added to stage
'Achat'" or "emotion at 'Livraison' −1 → +1". It serves the history of a map and, later,
the comparison of a designed journey with the observed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parcours.model.items import Card, Emotion, Image, KpiValue, Metric, Opportunity, PainPoint
from parcours.model.journey import Journey, Step

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
    a_stages = {s.id: s for s in a.stages}
    b_stages = {s.id: s for s in b.stages}
    for stage in b.stages:
        if stage.id not in a_stages:
            add(Change("stage", stage.id, f"stage '{stage.name}' added"))
    for stage in a.stages:
        if stage.id not in b_stages:
            add(Change("stage", stage.id, f"stage '{stage.name}' removed"))
    for stage in b.stages:
        old = a_stages.get(stage.id)
        if old is None:
            continue
        if old.name != stage.name:
            add(Change("stage", stage.id, f"stage '{old.name}' renamed '{stage.name}'"))
        for field in ("phase", "description"):
            if getattr(old, field) != getattr(stage, field):
                add(Change("stage", stage.id, f"{field} of stage '{stage.name}' "
                                              f"{_short(getattr(old, field))} → {_short(getattr(stage, field))}"))  # fmt: skip
    common = [s.id for s in a.stages if s.id in b_stages]
    if common != [s.id for s in b.stages if s.id in a_stages]:
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
    a_paths = {p.id: p for p in a.paths}
    b_paths = {p.id: p for p in b.paths}
    for path in b.paths:
        if path.id not in a_paths:
            add(Change("path", path.id, f"path '{path.name}' added"))
        elif a_paths[path.id] != path:
            add(
                Change(
                    "path",
                    path.id,
                    f"path '{a_paths[path.id].name}' changed: {_short(a_paths[path.id])} → {_short(path)}",
                )
            )
    for path in a.paths:
        if path.id not in b_paths:
            add(Change("path", path.id, f"path '{path.name}' removed"))
    if [p.id for p in a.paths if p.id in b_paths] != [p.id for p in b.paths if p.id in a_paths]:
        add(Change("path", "*", "paths reordered"))

    # lanes
    a_lanes = {lane.id: lane for lane in a.lanes}
    b_lanes = {lane.id: lane for lane in b.lanes}
    for lane in b.lanes:
        if lane.id not in a_lanes:
            add(
                Change("lane", lane.id, f"lane '{lane.title or lane.id}' ({lane.kind.value}) added")
            )
        elif a_lanes[lane.id] != lane:
            old = a_lanes[lane.id]
            for field in ("kind", "title", "visible"):
                if getattr(old, field) != getattr(lane, field):
                    add(
                        Change(
                            "lane",
                            lane.id,
                            f"{field} of lane '{lane.id}' {_short(getattr(old, field))} → {_short(getattr(lane, field))}",
                        )
                    )
    for lane in a.lanes:
        if lane.id not in b_lanes:
            add(Change("lane", lane.id, f"lane '{lane.title or lane.id}' removed"))
    if [x for x in a_lanes if x in b_lanes] != [x for x in b_lanes if x in a_lanes]:
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
    a_comments = {c.id: c for c in a.comments}
    b_comments = {c.id: c for c in b.comments}
    for cid, comment in b_comments.items():
        if cid not in a_comments:
            add(Change("comment", cid, f"comment added: “{_short(comment.text)}”"))
        elif a_comments[cid] != comment:
            add(Change("comment", cid, f"comment '{cid}' edited"))
    for cid, comment in a_comments.items():
        if cid not in b_comments:
            add(Change("comment", cid, f"comment removed: “{_short(comment.text)}”"))
    for kind in ("channels", "touchpoints", "kpis"):
        old_entries = {e.id: e for e in getattr(a.library, kind)}
        new_entries = {e.id: e for e in getattr(b.library, kind)}
        singular = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}[kind]
        for eid, entry in new_entries.items():
            if eid not in old_entries:
                add(Change("library", eid, f"{singular} '{entry.name}' added"))
            elif old_entries[eid] != entry:
                add(Change("library", eid, f"{singular} '{entry.name}' changed"))
        for eid, entry in old_entries.items():
            if eid not in new_entries:
                add(Change("library", eid, f"{singular} '{entry.name}' removed"))
        if [e for e in old_entries if e in new_entries] != [
            e for e in new_entries if e in old_entries
        ]:
            add(Change("library", kind, f"{kind} reordered"))
    if not out and a != b:  # anything the sentences above do not cover
        add(Change("journey", "*", "the journeys differ in a detail (compare the JSON)"))
    return out


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
