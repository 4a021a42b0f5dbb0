"""Applying operations: ``apply`` (pure) and ``inverse`` (the exact undo).

``apply(target, op)`` returns a new journey, persona or workspace (an :class:`Atlas`) and
leaves the given one untouched; ``inverse(target, op)`` is the operation that undoes ``op``
on ``target``, so that ``apply(apply(x, op), inverse(x, op)) == x``;
``apply_with_inverse`` gives both at the cost of one. Nothing changes when an operation is
refused; every operation that applies has an inverse.

The rule of validation: a journey is checked once, after the whole operation (a batch may
pass through states that are not valid on their own); a workspace is checked as each of
its operations comes, and an ``edit_journey`` is one journey batch checked against the
workspace's library and personas.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, overload

from parcours.model.atlas import Atlas
from parcours.model.copying import fresh_copy, spine_copy
from parcours.model.errors import InvalidOperation, NotFound, Said, a_noun, thing
from parcours.model.items import Emotion, LaneKind
from parcours.model.journey import Journey, Link
from parcours.model.library import Library
from parcours.model.library_ops import edit_library
from parcours.model.locate import (
    attach,
    detach,
    find,
    find_step,
    index_in,
    lane_of,
    materialised_next,
    no_such,
    set_cell,
    validated,
    with_field,
)
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
    EditJourney,
    EditLink,
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
    ReplaceJourney,
    SetCell,
    SetCommentField,
    SetEmotion,
    SetEntries,
    SetJourneyField,
    SetLaneField,
    SetLibraryEntryField,
    SetNext,
    SetPathField,
    SetPersonaField,
    SetStageField,
    SetStepField,
)
from parcours.model.persona import Persona
from parcours.model.undo import dumped, journey_inverse
from parcours.model.validation import journey_problems
from parcours.model.workspace_edits import edit_workspace

_STRUCTURE = {"entries", "paths", "stages", "lanes", "cells", "comments"}


# =============================================================================================
# the public functions
# =============================================================================================
@overload
def apply(
    target: Journey,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
) -> Journey: ...
@overload
def apply(
    target: Persona,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
) -> Persona: ...
@overload
def apply(
    target: Atlas,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
) -> Atlas: ...
def apply(
    target: Journey | Persona | Atlas,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
) -> Journey | Persona | Atlas:
    """Return a new journey, persona or workspace with ``op`` applied; ``target`` is unchanged.

    Raises :class:`InvalidOperation` when the operation names a missing id, is out of range,
    or would break a rule of the model; nothing is changed then. ``library`` is the shared
    library of the journey's workspace and ``personas`` its persona ids, when the journey is
    edited inside one (a workspace given as ``target`` supplies both itself).
    """
    if isinstance(target, Journey):
        new = fresh_copy(target)
        unchecked(new, op)
        _check(target, new, op, library, personas)
        return new
    return apply_with_inverse(target, op, library=library, personas=personas)[0]


@overload
def apply_with_inverse(
    target: Journey,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
    shared: bool = False,
) -> tuple[Journey, Operation]: ...
@overload
def apply_with_inverse(
    target: Persona,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
    shared: bool = False,
) -> tuple[Persona, Operation]: ...
@overload
def apply_with_inverse(
    target: Atlas,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
    shared: bool = False,
) -> tuple[Atlas, Operation]: ...
def apply_with_inverse(
    target: Journey | Persona | Atlas,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
    shared: bool = False,
) -> tuple[Journey | Persona | Atlas, Operation]:
    """``(apply(target, op), inverse(target, op))``, computed together in one pass.

    ``shared``: the new journey may share the parts the operation leaves alone with
    ``target`` (for callers that never change a state in place, such as the server's store,
    which keeps recent states): the common edits then copy a few lists instead of the map.
    """
    if isinstance(target, Persona):
        if not isinstance(op, SetPersonaField):
            raise InvalidOperation.of(
                "op.wrong_target", op=op.op, target=a_noun(op.target), on=a_noun("persona")
            )
        if op.persona is not None and op.persona != target.id:
            raise InvalidOperation.of("op.persona_mismatch", persona=op.persona, target=target.id)
        persona: Persona = with_field(target, op.field, op.value, thing("persona", target.id))
        old = dumped(getattr(target, op.field))
        return persona, SetPersonaField(persona=op.persona, field=op.field, value=old)
    if isinstance(target, Atlas):
        return _apply_atlas(target, op)
    new = (spine_copy(target, op) if shared else None) or fresh_copy(target)
    undo = _undo_in_place(new, op)
    _check(target, new, op, library, personas)
    return new, undo


def inverse(
    target: Journey | Persona | Atlas,
    op: Operation,
    *,
    library: Library | None = None,
    personas: Collection[str] | None = None,
) -> Operation:
    """The operation that undoes ``op`` when applied after it on ``target``.

    Takes the same ``library`` and ``personas`` as :func:`apply`. On a journey it does not
    check the result (that is :func:`apply`'s part): the parts of a batch are undone on the
    states the batch passes through, which need not be valid on their own, so every batch
    that applies has an inverse. Use :func:`apply_with_inverse` to check and undo at once.
    """
    if isinstance(target, Journey):
        return _undo_in_place(fresh_copy(target), op)
    return apply_with_inverse(target, op, library=library, personas=personas)[1]


# =============================================================================================
# journeys
# =============================================================================================
def _check(
    before: Journey,
    new: Journey,
    op: Operation,
    library: Library | None,
    personas: Collection[str] | None,
) -> None:
    """The rule of validation of a journey: its end state, against its workspace if known."""
    errors = [p for p in journey_problems(new, library=library) if p.severity == "error"]
    if errors and isinstance(op, RemovePath):
        using = [s.name for s in new.steps() if s.path == op.path]
        if using:
            raise InvalidOperation.of(
                "path.in_use", path=op.path, n=str(len(using)), names=", ".join(using[:3])
            )
    if errors:
        raise InvalidOperation.of("op.refused", op=op.op, problems=_said(errors))
    if personas is not None:
        known = set(personas)
        for persona in new.personas:
            if persona not in known and persona not in before.personas:
                error = no_such("persona", persona, sorted(known))
                raise InvalidOperation.of("op.refused", op=op.op, problems=error.as_param())


def _said(problems: list[Any]) -> tuple[Any, ...]:
    """Problems as the values of one sentence (``op: first; second``)."""
    return tuple(p.as_param() for p in problems)


def unchecked(j: Journey, op: Operation) -> None:
    """Apply ``op`` to ``j`` in place, without the final check (the parts of a batch)."""
    try:
        _apply_journey(j, op)
    except NotFound as exc:
        raise InvalidOperation.like(exc) from None


def _undo_in_place(j: Journey, op: Operation) -> Operation:
    """The inverse of ``op`` on ``j``, then ``op`` applied to ``j`` in place (unchecked)."""
    if isinstance(op, Batch):
        undo = [_undo_in_place(j, sub) for sub in op.ops]
        return Batch(ops=undo[::-1])
    try:
        inverse_op = journey_inverse(j, op)
    except NotFound as exc:
        raise InvalidOperation.like(exc) from None
    inverse_op = fresh_copy(inverse_op)  # it may share parts that ``op`` changes
    unchecked(j, op)
    return inverse_op


def _apply_journey(j: Journey, op: Any) -> None:
    match op:
        case SetJourneyField(field=field, value=value):
            data = j.model_dump(exclude=_STRUCTURE) | {field: value}
            new = validated(Journey, data, Said.of("what.journey_field", field=field))
            setattr(j, field, getattr(new, field))
        case ReplaceJourney(journey=journey):
            copy = fresh_copy(journey)
            for name in Journey.model_fields:
                setattr(j, name, getattr(copy, name))
        case SetEntries(entries=entries):
            j.entries = list(entries)
        case AddEntry(step=step, index=index):
            find_step(j, step)
            entries = j.entry_steps()
            if step in entries:
                raise InvalidOperation.of("entry.already", step=step)
            entries.insert(index_in(len(entries), index), step)
            j.entries = entries
        case RemoveEntry(step=step):
            entries = j.entry_steps()
            if step not in entries:
                raise InvalidOperation.of("entry.not", step=step, entries=", ".join(entries))
            entries.remove(step)
            j.entries = entries
        case AddStage(stage=stage, index=index, snapshots=snaps):
            if any(s.id == stage.id for s in j.stages):
                raise InvalidOperation.of("exists.stage", id=stage.id)
            j.stages.insert(index_in(len(j.stages), index), fresh_copy(stage))
            attach(j, snaps)
        case RemoveStage(stage=stage_id):
            i = find(j.stages, "id", stage_id, "stage")
            for step in list(j.stages[i].steps):
                detach(j, step.id)
            del j.stages[i]
        case MoveStage(stage=stage_id, index=index):
            i = find(j.stages, "id", stage_id, "stage")
            stage = j.stages.pop(i)
            j.stages.insert(index_in(len(j.stages), index), stage)
        case SetStageField(stage=stage_id, field=field, value=value):
            i = find(j.stages, "id", stage_id, "stage")
            j.stages[i] = with_field(j.stages[i], field, value, thing("stage", stage_id))
        case AddStep(stage=stage_id, step=step, index=index, snapshot=snap):
            if any(s.id == step.id for s in j.steps()):
                raise InvalidOperation.of("exists.step", id=step.id)
            stage = j.stages[find(j.stages, "id", stage_id, "stage")]
            stage.steps.insert(index_in(len(stage.steps), index), fresh_copy(step))
            if snap is not None:
                attach(j, [snap])
        case RemoveStep(step=step_id):
            detach(j, step_id)
        case MoveStep(step=step_id, stage=stage_id, index=index):
            target = j.stages[find(j.stages, "id", stage_id, "stage")]
            stage, i = find_step(j, step_id)
            step = stage.steps.pop(i)
            target.steps.insert(index_in(len(target.steps), index), step)
        case SetStepField(step=step_id, field=field, value=value):
            stage, i = find_step(j, step_id)
            stage.steps[i] = with_field(stage.steps[i], field, value, thing("step", step_id))
        case SetNext(step=step_id, next=links):
            stage, i = find_step(j, step_id)
            stage.steps[i].next = None if links is None else list(links)
        case AddLink(step=step_id, link=link, index=index):
            links = materialised_next(j, step_id)
            if any(x.to == link.to for x in links):
                raise InvalidOperation.of("link.already", step=step_id, to=link.to)
            find_step(j, link.to)
            links.insert(index_in(len(links), index), link)
            stage, i = find_step(j, step_id)
            stage.steps[i].next = links
            stage.steps[i].end = False
        case EditLink(step=step_id, to=to, label=label, share=share):
            links = materialised_next(j, step_id)
            k = find(links, "to", to, Said.of("kind.link", step=step_id))
            links[k] = Link(to=to, label=label, share=share)
            stage, i = find_step(j, step_id)
            stage.steps[i].next = links
        case RemoveLink(step=step_id, to=to):
            links = materialised_next(j, step_id)
            k = find(links, "to", to, Said.of("kind.link", step=step_id))
            del links[k]
            stage, i = find_step(j, step_id)
            stage.steps[i].next = links
        case AddPath(path=path, index=index):
            if any(p.id == path.id for p in j.paths):
                raise InvalidOperation.of("exists.path", id=path.id)
            j.paths.insert(index_in(len(j.paths), index), path)
        case RemovePath(path=path_id):
            del j.paths[find(j.paths, "id", path_id, "path")]  # steps on it: see _check
        case SetPathField(path=path_id, field=field, value=value):
            i = find(j.paths, "id", path_id, "path")
            j.paths[i] = with_field(j.paths[i], field, value, thing("path", path_id))
        case AddLane(lane=lane, index=index, cells=cells):
            if any(x.id == lane.id for x in j.lanes):
                raise InvalidOperation.of("exists.lane", id=lane.id)
            j.lanes.insert(index_in(len(j.lanes), index), lane)
            for step_id, items in cells.items():
                set_cell(j, lane.id, step_id, items)
        case RemoveLane(lane=lane_id):
            i = find(j.lanes, "id", lane_id, "lane")
            del j.lanes[i]
            j.cells.pop(lane_id, None)
            j.comments = [c for c in j.comments if c.lane != lane_id]
        case MoveLane(lane=lane_id, index=index):
            i = find(j.lanes, "id", lane_id, "lane")
            lane = j.lanes.pop(i)
            j.lanes.insert(index_in(len(j.lanes), index), lane)
        case SetLaneField(lane=lane_id, field=field, value=value):
            i = find(j.lanes, "id", lane_id, "lane")
            j.lanes[i] = with_field(j.lanes[i], field, value, thing("lane", lane_id))
        case SetCell(lane=lane_id, step=step_id, items=items):
            set_cell(j, lane_id, step_id, items)
        case AddCard(lane=lane_id, step=step_id, item=item, index=index):
            items = j.cell(lane_id, step_id)
            items.insert(index_in(len(items), index), item)
            set_cell(j, lane_id, step_id, items)
        case EditCard(lane=lane_id, step=step_id, index=index, item=item):
            items = j.cell(lane_id, step_id)
            items[index_in(len(items), index, inclusive=False)] = item
            set_cell(j, lane_id, step_id, items)
        case RemoveCard(lane=lane_id, step=step_id, index=index):
            items = j.cell(lane_id, step_id)
            del items[index_in(len(items), index, inclusive=False)]
            set_cell(j, lane_id, step_id, items)
        case SetEmotion(lane=lane_id, step=step_id, score=score, label=label, emoji=emoji):
            if lane_of(j, lane_id).kind != LaneKind.emotions:
                raise InvalidOperation.of("lane.not_emotions", lane=lane_id)
            if score is None:
                set_cell(j, lane_id, step_id, [])
            else:
                set_cell(j, lane_id, step_id, [Emotion(score=score, label=label, emoji=emoji)])
        case AddComment(comment=comment, index=index):
            if any(c.id == comment.id for c in j.comments):
                raise InvalidOperation.of("exists.comment", id=comment.id)
            j.comments.insert(index_in(len(j.comments), index), comment)
        case RemoveComment(comment=comment_id):
            del j.comments[find(j.comments, "id", comment_id, "comment")]
        case SetCommentField(comment=comment_id, field=field, value=value):
            i = find(j.comments, "id", comment_id, "comment")
            j.comments[i] = with_field(j.comments[i], field, value, thing("comment", comment_id))
        case AddLibraryEntry() | RemoveLibraryEntry() | SetLibraryEntryField():
            edit_library(j.library, op)
        case Batch(ops=ops):
            for sub in ops:
                _apply_journey(j, sub)
        case _:
            raise InvalidOperation.of(
                "op.wrong_target", op=op.op, target=a_noun(op.target), on=a_noun("journey")
            )


# =============================================================================================
# workspaces
# =============================================================================================
def _apply_atlas(atlas: Atlas, op: Operation) -> tuple[Atlas, Operation]:
    match op:
        case Batch(ops=ops):
            undone: list[Operation] = []
            for sub in ops:
                atlas, sub_undo = _apply_atlas(atlas, sub)
                undone.append(sub_undo)
            return atlas, Batch(ops=undone[::-1])
        case EditJourney(journey=journey_id, ops=ops):
            i = find(atlas.journeys, "id", journey_id, "journey")
            new, undo = apply_with_inverse(
                atlas.journeys[i],
                Batch(ops=ops),
                library=atlas.library,
                personas=[p.id for p in atlas.personas],
            )
            if new.id != journey_id and any(j.id == new.id for j in atlas.journeys):
                exists = Said.of("exists.journey", id=new.id)
                raise InvalidOperation.of("op.refused", op="edit_journey", problems=exists)
            journeys = list(atlas.journeys)
            journeys[i] = new
            assert isinstance(undo, Batch)
            return atlas.model_copy(update={"journeys": journeys}), EditJourney(
                journey=new.id, ops=undo.ops
            )
    try:
        return edit_workspace(atlas, op)
    except NotFound as exc:
        raise InvalidOperation.like(exc) from None
