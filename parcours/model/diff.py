"""What changed between two versions of a journey, in words people read.

``diff(a, b)`` lists :class:`Change` objects such as "step 'Paiement' added to stage
'Achat'" or "emotion at 'Livraison' −1 → +1". It serves the history of a map and, later,
the comparison of a designed journey with the observed one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from parcours.model import words
from parcours.model.items import Card, Emotion, Image, KpiValue, Metric, Opportunity, PainPoint
from parcours.model.journey import Journey, Step

if TYPE_CHECKING:
    from parcours.model.atlas import Atlas

_MINUS = "\u2212"


@dataclass(frozen=True)
class Change:
    """One change: what kind of thing, its id, a sentence, and the same as data.

    ``code`` names the sentence (``step.added``) and ``params`` fill it, so that it can be
    said in every language of :mod:`parcours.model.words` (:meth:`sentence`); ``message``
    is the English one.
    """

    kind: str  # "journey" | "stage" | "step" | "lane" | "cell" | "flow" | "path" | "comment" | "library"
    target: str
    message: str
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()
    journey: str | None = None  # the journey of a workspace the change is in

    def __str__(self) -> str:
        return self.message

    def sentence(self, lang: str | None = None) -> str:
        """The change in words of ``lang`` (``fr``, ``en``; English when unknown)."""
        if not self.code:
            return self.message
        text = _say(self.code, dict(self.params), lang)
        return f"[{self.journey}] {text}" if self.journey else text

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "target": self.target, "message": self.message}
        if self.code:
            out["code"] = self.code
            out["params"] = dict(self.params)
        return out


#: Params whose value may be a word of the table (written ``@word``): translated.
_WORDS_IN = ("old", "new", "what", "kind")


def _say(code: str, params: dict[str, str], lang: str | None) -> str:
    table: dict[str, str] = words.table("CHANGES", lang)
    filled = {
        key: table[value[1:]]
        if key in _WORDS_IN and value.startswith("@") and value[1:] in table
        else value
        for key, value in params.items()
    }
    return table[code].format(**filled)


def _c(kind: str, target: str, code: str, /, **params: str) -> Change:
    """A change said by its code and params (its message is the English sentence)."""
    return Change(kind, target, _say(code, params, "en"), code, tuple(params.items()))


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


def _val(value: Any) -> str:
    """A value as a param of a sentence: ``@none`` (said in its language) when empty."""
    text = _short(value)
    return "@none" if text == "(none)" else text


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
    for field in (
        "id",
        "title",
        "lang",
        "currency",
        "personas",
        "scope",
        "description",
        "state",
        "evidence",
        "status",
        "owner",
        "value",
        "tags",
        "reviewed",
    ):
        old, new = getattr(a, field), getattr(b, field)
        if old != new:
            add(_c("journey", field, "journey.field", field=field, old=_val(old), new=_val(new)))

    # stages
    added, removed, kept, reordered = _match(a.stages, b.stages)
    out += [_c("stage", s.id, "stage.added", name=s.name) for s in added]
    out += [_c("stage", s.id, "stage.removed", name=s.name) for s in removed]
    for old, stage in kept:
        if old.name != stage.name:
            add(_c("stage", stage.id, "stage.renamed", old=old.name, new=stage.name))
        for field in ("phase", "description"):
            before, after = getattr(old, field), getattr(stage, field)
            if before != after:
                params = {"field": field, "name": stage.name, "old": _val(before)}
                add(_c("stage", stage.id, "stage.field", **params, new=_val(after)))
    if reordered:
        add(_c("stage", "*", "stage.reordered", order=", ".join(s.name for s in b.stages)))

    # steps
    a_steps = {s.id: (stage, s) for stage, s in a.iter_steps()}
    b_steps = {s.id: (stage, s) for stage, s in b.iter_steps()}
    for step_id, (stage, step) in b_steps.items():
        if step_id not in a_steps:
            add(_c("step", step_id, "step.added", name=step.name, stage=stage.name))
    for step_id, (stage, step) in a_steps.items():
        if step_id not in b_steps:
            add(_c("step", step_id, "step.removed", name=step.name, stage=stage.name))
    for step_id, (stage, step) in b_steps.items():
        if step_id not in a_steps:
            continue
        old_stage, old = a_steps[step_id]
        if old.name != step.name:
            add(_c("step", step_id, "step.renamed", old=old.name, new=step.name))
        if old_stage.id != stage.id:
            params = {"name": step.name, "old": old_stage.name, "new": stage.name}
            add(_c("step", step_id, "step.moved", **params))
        out.extend(_step_fields(old, step))
    a_order = [s.id for s in a.steps() if s.id in b_steps]
    b_order = [s.id for s in b.steps() if s.id in a_steps]
    if a_order != b_order and sorted(a_order) == sorted(b_order):
        for step_id in _moved(a_order, b_order):
            stage, step = b_steps[step_id]
            if a_steps[step_id][0].id == stage.id:
                add(_c("step", step_id, "step.moved_within", name=step.name, stage=stage.name))

    # flow
    if a.entries != b.entries:
        old_entries, new_entries = _val(a.entry_steps()), _val(b.entry_steps())
        add(_c("flow", "entries", "flow.entries", old=old_entries, new=new_entries))
    added, removed, kept, reordered = _match(a.paths, b.paths)
    out += [_c("path", p.id, "path.added", name=p.name) for p in added]
    for old_path, path in kept:
        if old_path != path:
            params = {"name": old_path.name, "old": _val(old_path), "new": _val(path)}
            add(_c("path", path.id, "path.changed", **params))
    out += [_c("path", p.id, "path.removed", name=p.name) for p in removed]
    if reordered:
        add(_c("path", "*", "path.reordered"))

    # lanes
    a_lanes = {lane.id: lane for lane in a.lanes}
    b_lanes = {lane.id: lane for lane in b.lanes}
    added, removed, kept, reordered = _match(a.lanes, b.lanes)
    for x in added:
        add(_c("lane", x.id, "lane.added", name=x.title or x.id, kind=x.kind.value))
    for old_lane, lane in kept:
        for field in ("kind", "title", "visible"):
            before, after = getattr(old_lane, field), getattr(lane, field)
            if before != after:
                params = {"field": field, "lane": lane.id, "old": _val(before)}
                add(_c("lane", lane.id, "lane.field", **params, new=_val(after)))
    out += [_c("lane", x.id, "lane.removed", name=x.title or x.id) for x in removed]
    if reordered:
        add(_c("lane", "*", "lane.reordered", order=", ".join(b_lanes)))

    # cells (of steps and lanes present in both: added/removed steps and lanes say enough)
    for lane_id, lane in b_lanes.items():
        if lane_id not in a_lanes:
            continue
        for step_id, (_, step) in b_steps.items():
            if step_id not in a_steps:
                continue
            old_items, new_items = a.cell(lane_id, step_id), b.cell(lane_id, step_id)
            if old_items != new_items:
                name = lane.title or lane_id
                where = (name, lane.kind.value, step.name, lane_id, step_id)
                out.extend(_cell_changes(*where, old_items, new_items))

    # comments and library
    added, removed, kept, _ = _match(a.comments, b.comments)
    out += [_c("comment", c.id, "comment.added", text=_short(c.text)) for c in added]
    out += [_c("comment", c.id, "comment.edited", id=c.id) for old, c in kept if old != c]
    out += [_c("comment", c.id, "comment.removed", text=_short(c.text)) for c in removed]
    for kind in ("channels", "touchpoints", "kpis"):
        what = "@" + {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}[kind]
        added, removed, kept, reordered = _match(getattr(a.library, kind), getattr(b.library, kind))
        out += [_c("library", e.id, "library.added", what=what, name=e.name) for e in added]
        out += [
            _c("library", e.id, "library.changed", what=what, name=e.name)
            for old, e in kept
            if old != e
        ]
        out += [_c("library", e.id, "library.removed", what=what, name=e.name) for e in removed]
        if reordered:
            add(_c("library", kind, "library.reordered", kind="@" + kind))

    if not out and a != b:  # anything the sentences above do not cover
        add(_c("journey", "*", "journey.detail"))
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
        code = "step.moment_of_truth" if new.moment_of_truth else "step.not_moment_of_truth"
        out.append(_c("step", new.id, code, name=name))
    if old.end != new.end:
        code = "flow.ends" if new.end else "flow.no_longer_ends"
        out.append(_c("flow", new.id, code, name=name))
    if old.path != new.path:
        params = {"name": name, "old": _val(old.path), "new": _val(new.path)}
        out.append(_c("flow", new.id, "flow.path", **params))
    if old.next != new.next:
        before = "@implicit" if old.next is None else _links(old)
        after = "@implicit" if new.next is None else _links(new)
        out.append(_c("flow", new.id, "flow.next", name=name, old=before, new=after))
    for field in ("description", "touchpoints", "observed_as"):
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            params = {"field": field.replace("_", " "), "name": name, "old": _val(before)}
            out.append(_c("step", new.id, "step.field", **params, new=_val(after)))
    return out


def _links(step: Step) -> str:
    parts = []
    for link in step.next or []:
        label = f" “{link.label}”" if link.label else ""
        share = f" {link.share:.0%}" if link.share is not None else ""
        parts.append(f"{link.to}{label}{share}")
    return "[" + ", ".join(parts) + "]" if parts else "@end"


def _cell_changes(
    lane_name: str,
    kind: str,
    step_name: str,
    lane_id: str,
    step_id: str,
    old: list[Any],
    new: list[Any],
) -> list[Change]:
    target = f"{lane_id}/{step_id}"
    if kind == "emotions":
        before = _signed(old[0].score) if old else "@none"
        after = _signed(new[0].score) if new else "@none"
        if before == after:
            return [_c("cell", target, "cell.relabelled", lane=lane_name, step=step_name)]
        if lane_id == "emotions":
            return [_c("cell", target, "cell.emotion", step=step_name, old=before, new=after)]
        params = {"lane": lane_name, "step": step_name, "old": before, "new": after}
        return [_c("cell", target, "cell.emotion_lane", **params)]
    where = {"lane": lane_name, "step": step_name}
    old_texts = [_item_text(i) for i in old]
    new_texts = [_item_text(i) for i in new]
    gone = [(i, text) for i, text in enumerate(old_texts) if text not in new_texts]
    came = [(i, text) for i, text in enumerate(new_texts) if text not in old_texts]
    out = []
    # an item whose text changed in place (same position, same type) is reworded, not
    # added and removed
    reworded = {
        i: text
        for (i, text), (j, _) in zip(came, gone, strict=False)
        if len(came) == len(gone) and i == j and type(new[i]) is type(old[j])
    }
    for index, (item, text) in enumerate(zip(new, new_texts, strict=True)):
        if index in reworded:
            out.append(_c("cell", target, "cell.changed", **where, old=old_texts[index], new=text))
        elif text not in old_texts:
            out.append(_c("cell", target, "cell.added", **where, text=text))
        elif item not in old:
            out.append(_c("cell", target, "cell.edited", **where, text=text))
    for index, text in enumerate(old_texts):
        if text not in new_texts and index not in reworded:
            out.append(_c("cell", target, "cell.removed", **where, text=text))
    if not out:
        out.append(_c("cell", target, "cell.reordered", **where))
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
    for field in ("id", "name", "lang", "currency", "description"):
        before, after = getattr(a, field), getattr(b, field)
        if before != after:
            params = {"field": field, "old": repr(before), "new": repr(after)}
            changes.append(_c("workspace", field, "workspace.field", **params))
    added, removed, kept, _ = _match(a.personas, b.personas)
    changes += [_c("persona", p.id, "persona.added", name=p.name) for p in added]
    changes += [_c("persona", p.id, "persona.removed", name=p.name) for p in removed]
    for old, new in kept:
        if old != new:
            fields = ", ".join(
                f for f in type(old).model_fields if getattr(old, f) != getattr(new, f)
            )
            changes.append(_c("persona", new.id, "persona.changed", name=new.name, fields=fields))
    if a.library != b.library:
        changes.append(_c("library", "*", "workspace.library"))
    added, removed, kept, _ = _match(a.journeys, b.journeys)
    changes += [_c("journey", j.id, "atlas.journey_added", name=j.title) for j in added]
    changes += [_c("journey", j.id, "atlas.journey_removed", name=j.title) for j in removed]
    for old_j, new_j in kept:
        for change in diff(old_j, new_j):
            changes.append(
                Change(
                    change.kind,
                    f"{new_j.id}:{change.target}",
                    f"[{new_j.id}] {change.message}",
                    change.code,
                    change.params,
                    new_j.id,
                )
            )
    return changes
