"""Applying operations: ``apply`` (pure) and ``inverse`` (the exact undo).

``apply(journey, op)`` returns a new journey and leaves the given one untouched;
``inverse(journey, op)`` is the operation that undoes ``op`` on ``journey``, so that
``apply(apply(j, op), inverse(j, op)) == j``. Nothing changes when an operation is refused.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import to_jsonable_python

from parcours.model.errors import InvalidOperation, NotFound
from parcours.model.items import Emotion, LaneKind
from parcours.model.journey import Journey, Lane, Link, Stage
from parcours.model.library import Channel, KpiDefinition, Library, Touchpoint
from parcours.model.operations import (
    AddCard,
    AddComment,
    AddEntry,
    AddLane,
    AddLibraryEntry,
    AddLink,
    AddPath,
    AddStage,
    AddStep,
    Batch,
    EditCard,
    EditLink,
    IncomingLink,
    MoveLane,
    MoveStage,
    MoveStep,
    Operation,
    RemoveCard,
    RemoveComment,
    RemoveEntry,
    RemoveLane,
    RemoveLibraryEntry,
    RemoveLink,
    RemovePath,
    RemoveStage,
    RemoveStep,
    SetCell,
    SetCommentField,
    SetEmotion,
    SetEntries,
    SetJourneyField,
    SetLaneField,
    SetNext,
    SetPathField,
    SetPersonaField,
    SetStageField,
    SetStepField,
    StepSnapshot,
    explain,
)
from parcours.model.persona import Persona
from parcours.model.validation import journey_problems


# =============================================================================================
# apply
# =============================================================================================
def _index(length: int, index: int | None, *, inclusive: bool = True) -> int:
    limit = length if inclusive else length - 1
    if index is None:
        return length
    if index < 0 or index > limit:
        raise InvalidOperation(f"index {index} is out of range; expected 0…{limit}")
    return index


def _validated(model: Any, data: dict[str, Any], what: str) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidOperation(
            f"{what}: " + explain(exc).removeprefix("invalid operation: ")
        ) from None


def _set_field(obj: Any, field: str, value: Any, what: str) -> Any:
    """A copy of ``obj`` with one field set, validated like the original."""
    data = obj.model_dump()
    data[field] = value
    return _validated(type(obj), data, what)


def _find_step(j: Journey, step_id: str) -> tuple[Stage, int]:
    for stage in j.stages:
        for i, step in enumerate(stage.steps):
            if step.id == step_id:
                return stage, i
    raise InvalidOperation(
        f"no step with id '{step_id}'; expected one of: " + ", ".join(s.id for s in j.steps())
    )


def _find(items: list[Any], key: str, value: str, what: str) -> int:
    for i, item in enumerate(items):
        if getattr(item, key) == value:
            return i
    choices = ", ".join(str(getattr(item, key)) for item in items) or "(none)"
    raise InvalidOperation(f"no {what} with id '{value}'; expected one of: {choices}")


def _lane(j: Journey, lane_id: str) -> Lane:
    return j.lanes[_find(j.lanes, "id", lane_id, "lane")]


def _snapshot(j: Journey, step_id: str, removed_with: frozenset[str] = frozenset()) -> StepSnapshot:
    """What removing a step loses besides the step: cells, links into it, entry, comments.

    Links from ``removed_with`` (steps removed together, e.g. a stage's) stay on those steps.
    """
    stage, i = _find_step(j, step_id)
    incoming = []
    for other in j.steps():
        if other.next and other.id not in removed_with:
            for k, link in enumerate(other.next):
                if link.to == step_id and other.id != step_id:
                    incoming.append(IncomingLink(source=other.id, index=k, link=link))
    return StepSnapshot(
        step=stage.steps[i],
        cells={lane: row[step_id] for lane, row in j.cells.items() if step_id in row},
        incoming=incoming,
        entry_index=j.entries.index(step_id) if step_id in j.entries else None,
        comments=[(k, c) for k, c in enumerate(j.comments) if c.step == step_id],
    )


def _detach(j: Journey, step_id: str) -> None:
    stage, i = _find_step(j, step_id)
    del stage.steps[i]
    for row in j.cells.values():
        row.pop(step_id, None)
    j.cells = {lane: row for lane, row in j.cells.items() if row}
    for other in j.steps():
        if other.next:
            other.next = [link for link in other.next if link.to != step_id]
    j.entries = [e for e in j.entries if e != step_id]
    j.comments = [c for c in j.comments if c.step != step_id]


def _attach(j: Journey, snap: StepSnapshot) -> None:
    step_id = snap.step.id
    for lane, items in snap.cells.items():
        j.cells.setdefault(lane, {})[step_id] = list(items)
    for inc in sorted(snap.incoming, key=lambda x: x.index):
        source = j.step(inc.source)
        if source.next is None:
            raise InvalidOperation(f"step '{inc.source}' has no explicit links to restore into")
        source.next.insert(min(inc.index, len(source.next)), inc.link)
    if snap.entry_index is not None:
        j.entries.insert(min(snap.entry_index, len(j.entries)), step_id)
    for k, comment in sorted(snap.comments, key=lambda x: x[0]):
        j.comments.insert(min(k, len(j.comments)), comment)


def _set_cell(j: Journey, lane_id: str, step_id: str, items: list[Any]) -> None:
    _lane(j, lane_id)
    _find_step(j, step_id)
    if items:
        j.cells.setdefault(lane_id, {})[step_id] = list(items)
    else:
        row = j.cells.get(lane_id, {})
        row.pop(step_id, None)
        if lane_id in j.cells and not row:
            del j.cells[lane_id]


def _materialised_next(j: Journey, step_id: str) -> list[Link]:
    step = j.step(step_id)
    return list(step.next) if step.next is not None else j.successors(step_id)


def _apply_journey(j: Journey, op: Any) -> None:
    match op:
        case SetJourneyField(field=field, value=value):
            data = j.model_dump()
            data[field] = value
            new = _validated(Journey, data | {"stages": [], "cells": {}, "entries": [],
                                              "comments": [], "lanes": [], "paths": []},
                             f"journey field '{field}'")  # fmt: skip
            setattr(j, field, getattr(new, field))
        case SetEntries(entries=entries):
            j.entries = list(entries)
        case AddEntry(step=step, index=index):
            _find_step(j, step)
            entries = j.entry_steps()
            if step in entries:
                raise InvalidOperation(f"step '{step}' is already an entry step")
            entries.insert(_index(len(entries), index), step)
            j.entries = entries
        case RemoveEntry(step=step):
            entries = j.entry_steps()
            if step not in entries:
                raise InvalidOperation(
                    f"step '{step}' is not an entry step; entry steps: {', '.join(entries)}"
                )
            entries.remove(step)
            j.entries = entries
        case AddStage(stage=stage, index=index, snapshots=snaps):
            if any(s.id == stage.id for s in j.stages):
                raise InvalidOperation(f"a stage with id '{stage.id}' already exists")
            j.stages.insert(_index(len(j.stages), index), stage.model_copy(deep=True))
            for snap in snaps:
                _attach(j, snap)
        case RemoveStage(stage=stage_id):
            i = _find(j.stages, "id", stage_id, "stage")
            for step in list(j.stages[i].steps):
                _detach(j, step.id)
            del j.stages[i]
        case MoveStage(stage=stage_id, index=index):
            i = _find(j.stages, "id", stage_id, "stage")
            stage = j.stages.pop(i)
            j.stages.insert(_index(len(j.stages), index), stage)
        case SetStageField(stage=stage_id, field=field, value=value):
            i = _find(j.stages, "id", stage_id, "stage")
            j.stages[i] = _set_field(j.stages[i], field, value, f"stage '{stage_id}'")
        case AddStep(stage=stage_id, step=step, index=index, snapshot=snap):
            if any(s.id == step.id for s in j.steps()):
                raise InvalidOperation(f"a step with id '{step.id}' already exists")
            stage = j.stages[_find(j.stages, "id", stage_id, "stage")]
            stage.steps.insert(_index(len(stage.steps), index), step.model_copy(deep=True))
            if snap is not None:
                _attach(j, snap)
        case RemoveStep(step=step_id):
            _detach(j, step_id)
        case MoveStep(step=step_id, stage=stage_id, index=index):
            target = j.stages[_find(j.stages, "id", stage_id, "stage")]
            stage, i = _find_step(j, step_id)
            step = stage.steps.pop(i)
            target.steps.insert(_index(len(target.steps), index), step)
        case SetStepField(step=step_id, field=field, value=value):
            stage, i = _find_step(j, step_id)
            stage.steps[i] = _set_field(stage.steps[i], field, value, f"step '{step_id}'")
        case SetNext(step=step_id, next=links):
            stage, i = _find_step(j, step_id)
            stage.steps[i].next = None if links is None else list(links)
        case AddLink(step=step_id, link=link, index=index):
            links = _materialised_next(j, step_id)
            if any(x.to == link.to for x in links):
                raise InvalidOperation(f"step '{step_id}' already leads to '{link.to}'")
            _find_step(j, link.to)
            links.insert(_index(len(links), index), link)
            stage, i = _find_step(j, step_id)
            stage.steps[i].next = links
            stage.steps[i].end = False
        case EditLink(step=step_id, to=to, label=label, share=share):
            links = _materialised_next(j, step_id)
            k = _find(links, "to", to, f"link from '{step_id}' to")
            links[k] = Link(to=to, label=label, share=share)
            stage, i = _find_step(j, step_id)
            stage.steps[i].next = links
        case RemoveLink(step=step_id, to=to):
            links = _materialised_next(j, step_id)
            k = _find(links, "to", to, f"link from '{step_id}' to")
            del links[k]
            stage, i = _find_step(j, step_id)
            stage.steps[i].next = links
        case AddPath(path=path, index=index):
            if any(p.id == path.id for p in j.paths):
                raise InvalidOperation(f"a path with id '{path.id}' already exists")
            j.paths.insert(_index(len(j.paths), index), path)
        case RemovePath(path=path_id):
            i = _find(j.paths, "id", path_id, "path")
            using = [s.name for s in j.steps() if s.path == path_id]
            if using:
                raise InvalidOperation(
                    f"path '{path_id}' still has {len(using)} step(s) ({', '.join(using[:3])}); "
                    "move them to another path or remove them first"
                )
            del j.paths[i]
        case SetPathField(path=path_id, field=field, value=value):
            i = _find(j.paths, "id", path_id, "path")
            j.paths[i] = _set_field(j.paths[i], field, value, f"path '{path_id}'")
        case AddLane(lane=lane, index=index, cells=cells):
            if any(x.id == lane.id for x in j.lanes):
                raise InvalidOperation(f"a lane with id '{lane.id}' already exists")
            j.lanes.insert(_index(len(j.lanes), index), lane)
            for step_id, items in cells.items():
                _set_cell(j, lane.id, step_id, items)
        case RemoveLane(lane=lane_id):
            i = _find(j.lanes, "id", lane_id, "lane")
            del j.lanes[i]
            j.cells.pop(lane_id, None)
            j.comments = [c for c in j.comments if c.lane != lane_id]
        case MoveLane(lane=lane_id, index=index):
            i = _find(j.lanes, "id", lane_id, "lane")
            lane = j.lanes.pop(i)
            j.lanes.insert(_index(len(j.lanes), index), lane)
        case SetLaneField(lane=lane_id, field=field, value=value):
            i = _find(j.lanes, "id", lane_id, "lane")
            j.lanes[i] = _set_field(j.lanes[i], field, value, f"lane '{lane_id}'")
        case SetCell(lane=lane_id, step=step_id, items=items):
            _set_cell(j, lane_id, step_id, items)
        case AddCard(lane=lane_id, step=step_id, item=item, index=index):
            items = j.cell(lane_id, step_id)
            items.insert(_index(len(items), index), item)
            _set_cell(j, lane_id, step_id, items)
        case EditCard(lane=lane_id, step=step_id, index=index, item=item):
            items = j.cell(lane_id, step_id)
            items[_index(len(items), index, inclusive=False)] = item
            _set_cell(j, lane_id, step_id, items)
        case RemoveCard(lane=lane_id, step=step_id, index=index):
            items = j.cell(lane_id, step_id)
            del items[_index(len(items), index, inclusive=False)]
            _set_cell(j, lane_id, step_id, items)
        case SetEmotion(lane=lane_id, step=step_id, score=score, label=label, emoji=emoji):
            if _lane(j, lane_id).kind != LaneKind.emotions:
                raise InvalidOperation(f"lane '{lane_id}' is not an emotions lane")
            if score is None:
                _set_cell(j, lane_id, step_id, [])
            else:
                _set_cell(j, lane_id, step_id, [Emotion(score=score, label=label, emoji=emoji)])
        case AddComment(comment=comment, index=index):
            if any(c.id == comment.id for c in j.comments):
                raise InvalidOperation(f"a comment with id '{comment.id}' already exists")
            j.comments.insert(_index(len(j.comments), index), comment)
        case RemoveComment(comment=comment_id):
            del j.comments[_find(j.comments, "id", comment_id, "comment")]
        case SetCommentField(comment=comment_id, field=field, value=value):
            i = _find(j.comments, "id", comment_id, "comment")
            j.comments[i] = _set_field(j.comments[i], field, value, f"comment '{comment_id}'")
        case AddLibraryEntry(kind=kind, entry=entry, index=index):
            model = {"channels": Channel, "touchpoints": Touchpoint, "kpis": KpiDefinition}[kind]
            value = _validated(model, entry, f"{kind} entry")
            entries = getattr(j.library, kind)
            if any(e.id == value.id for e in entries):
                raise InvalidOperation(f"{kind} already has an entry with id '{value.id}'")
            entries.insert(_index(len(entries), index), value)
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            entries = getattr(j.library, kind)
            del entries[_find(entries, "id", entry_id, f"{kind} entry")]
        case Batch(ops=ops):
            for sub in ops:
                _apply_journey(j, sub)
        case SetPersonaField():
            raise InvalidOperation("set_persona applies to a persona, not to a journey")
        case _:
            raise InvalidOperation(f"unknown operation {op!r}")


def apply(
    target: Journey | Persona, op: Operation, *, library: Library | None = None
) -> Journey | Persona:
    """Return a new journey (or persona) with ``op`` applied; ``target`` is unchanged.

    Raises :class:`InvalidOperation` when the operation names a missing id, is out of range,
    or would break a rule of the model; nothing is changed then. ``library`` is the shared
    library of the journey's workspace, when the journey is edited inside one.
    """
    if isinstance(target, Persona):
        if not isinstance(op, SetPersonaField):
            raise InvalidOperation(f"operation '{op.op}' applies to a journey, not to a persona")
        persona: Persona = _set_field(target, op.field, op.value, f"persona '{target.id}'")
        return persona
    new = target.model_copy(deep=True)
    try:
        _apply_journey(new, op)
    except NotFound as exc:
        raise InvalidOperation(str(exc)) from None
    errors = [p for p in journey_problems(new, library=library) if p.severity == "error"]
    if errors:
        raise InvalidOperation(f"{op.op}: " + "; ".join(p.message for p in errors))
    return new


def apply_all(target: Journey, ops: list[Operation]) -> Journey:
    for op in ops:
        result = apply(target, op)
        assert isinstance(result, Journey)
        target = result
    return target


# =============================================================================================
# inverse
# =============================================================================================
def inverse(target: Journey | Persona, op: Operation) -> Operation:
    """The operation that undoes ``op`` when applied after it on ``target``."""
    if isinstance(target, Persona):
        if not isinstance(op, SetPersonaField):
            raise InvalidOperation(f"operation '{op.op}' applies to a journey, not to a persona")
        return SetPersonaField(field=op.field, value=_dumped(getattr(target, op.field)))
    j = target
    try:
        match op:
            case SetJourneyField(field=field):
                return SetJourneyField(field=field, value=_dumped(getattr(j, field)))
            case SetEntries() | AddEntry() | RemoveEntry():
                return SetEntries(entries=list(j.entries))
            case AddStage(stage=stage):
                return RemoveStage(stage=stage.id)
            case RemoveStage(stage=stage_id):
                i = _find(j.stages, "id", stage_id, "stage")
                stage = j.stages[i]
                together = frozenset(s.id for s in stage.steps)
                snaps = [_snapshot(j, s.id, together) for s in stage.steps]
                return AddStage(stage=stage, index=i, snapshots=snaps)
            case MoveStage(stage=stage_id):
                return MoveStage(stage=stage_id, index=_find(j.stages, "id", stage_id, "stage"))
            case SetStageField(stage=stage_id, field=field):
                stage = j.stages[_find(j.stages, "id", stage_id, "stage")]
                return SetStageField(
                    stage=stage_id, field=field, value=_dumped(getattr(stage, field))
                )
            case AddStep(step=step):
                return RemoveStep(step=step.id)
            case RemoveStep(step=step_id):
                stage, i = _find_step(j, step_id)
                snap = _snapshot(j, step_id)
                return AddStep(stage=stage.id, step=stage.steps[i], index=i, snapshot=snap)
            case MoveStep(step=step_id):
                stage, i = _find_step(j, step_id)
                return MoveStep(step=step_id, stage=stage.id, index=i)
            case SetStepField(step=step_id, field=field):
                stage, i = _find_step(j, step_id)
                return SetStepField(step=step_id, field=field,
                                    value=_dumped(getattr(stage.steps[i], field)))  # fmt: skip
            case (
                SetNext(step=step_id)
                | AddLink(step=step_id)
                | EditLink(step=step_id)
                | RemoveLink(step=step_id)
            ):
                stage, i = _find_step(j, step_id)
                step = stage.steps[i]
                if isinstance(op, AddLink) and step.end:
                    # AddLink also clears 'end': undo both in one go
                    return Batch(ops=[SetNext(step=step_id, next=step.next),
                                       SetStepField(step=step_id, field="end", value=True)])  # fmt: skip
                return SetNext(step=step_id, next=step.next)
            case AddPath(path=path):
                return RemovePath(path=path.id)
            case RemovePath(path=path_id):
                i = _find(j.paths, "id", path_id, "path")
                return AddPath(path=j.paths[i], index=i)
            case SetPathField(path=path_id, field=field):
                path = j.paths[_find(j.paths, "id", path_id, "path")]
                return SetPathField(path=path_id, field=field, value=_dumped(getattr(path, field)))
            case AddLane(lane=lane):
                return RemoveLane(lane=lane.id)
            case RemoveLane(lane=lane_id):
                i = _find(j.lanes, "id", lane_id, "lane")
                comments = [c for c in j.comments if c.lane == lane_id]
                if comments:
                    return Batch(ops=[
                        AddLane(lane=j.lanes[i], index=i, cells=dict(j.cells.get(lane_id, {}))),
                        *[AddComment(comment=c, index=j.comments.index(c)) for c in comments],
                    ])  # fmt: skip
                return AddLane(lane=j.lanes[i], index=i, cells=dict(j.cells.get(lane_id, {})))
            case MoveLane(lane=lane_id):
                return MoveLane(lane=lane_id, index=_find(j.lanes, "id", lane_id, "lane"))
            case SetLaneField(lane=lane_id, field=field):
                lane = j.lanes[_find(j.lanes, "id", lane_id, "lane")]
                return SetLaneField(lane=lane_id, field=field, value=_dumped(getattr(lane, field)))
            case (
                SetCell(lane=lane_id, step=step_id)
                | AddCard(lane=lane_id, step=step_id)
                | EditCard(lane=lane_id, step=step_id)
                | RemoveCard(lane=lane_id, step=step_id)
            ):
                return SetCell(lane=lane_id, step=step_id, items=j.cell(lane_id, step_id))
            case SetEmotion(lane=lane_id, step=step_id):
                if _lane(j, lane_id).kind != LaneKind.emotions:
                    raise InvalidOperation(f"lane '{lane_id}' is not an emotions lane")
                items = j.cell(lane_id, step_id)
                if not items:
                    return SetEmotion(lane=lane_id, step=step_id, score=None)
                e = items[0]
                return SetEmotion(lane=lane_id, step=step_id, score=e.score, label=e.label,
                                  emoji=e.emoji)  # fmt: skip
            case AddComment(comment=comment):
                return RemoveComment(comment=comment.id)
            case RemoveComment(comment=comment_id):
                i = _find(j.comments, "id", comment_id, "comment")
                return AddComment(comment=j.comments[i], index=i)
            case SetCommentField(comment=comment_id, field=field):
                comment = j.comments[_find(j.comments, "id", comment_id, "comment")]
                return SetCommentField(comment=comment_id, field=field,
                                       value=_dumped(getattr(comment, field)))  # fmt: skip
            case AddLibraryEntry(kind=kind, entry=entry):
                return RemoveLibraryEntry(kind=kind, id=entry.get("id", ""))
            case RemoveLibraryEntry(kind=kind, id=entry_id):
                entries = getattr(j.library, kind)
                i = _find(entries, "id", entry_id, f"{kind} entry")
                return AddLibraryEntry(kind=kind, entry=entries[i].model_dump(), index=i)
            case Batch(ops=ops):
                undo = []
                current = j
                for sub in ops:
                    undo.append(inverse(current, sub))
                    result = apply(current, sub)
                    assert isinstance(result, Journey)
                    current = result
                return Batch(ops=list(reversed(undo)))
    except NotFound as exc:
        raise InvalidOperation(str(exc)) from None
    raise InvalidOperation(f"operation '{op.op}' has no inverse on a journey")


def _dumped(value: Any) -> Any:
    """A field's value as JSON data, so that an inverse survives a trip through JSON."""
    return to_jsonable_python(value)
