"""The exact undo of one journey operation, computed on the journey before it.

Compound operations (a batch, an edit of a workspace's journey) are undone in
:mod:`parcours.model.apply`, which applies their parts one after the other.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python

from parcours.model.errors import InvalidOperation, a_noun
from parcours.model.items import LaneKind
from parcours.model.journey import Journey
from parcours.model.library_ops import library_inverse
from parcours.model.locate import find, find_step, lane_of, snapshot
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
    SetStageField,
    SetStepField,
)


def dumped(value: Any) -> Any:
    """A field's value as JSON data, so that an inverse survives a trip through JSON."""
    return to_jsonable_python(value)


def journey_inverse(j: Journey, op: Operation) -> Operation:
    """The operation that undoes ``op`` (not a batch) when applied after it on ``j``."""
    match op:
        case SetJourneyField(field=field):
            return SetJourneyField(field=field, value=dumped(getattr(j, field)))
        case ReplaceJourney():
            return ReplaceJourney(journey=j)
        case SetEntries() | AddEntry() | RemoveEntry():
            return SetEntries(entries=list(j.entries))
        case AddStage(stage=stage):
            return RemoveStage(stage=stage.id)
        case RemoveStage(stage=stage_id):
            i = find(j.stages, "id", stage_id, "stage")
            stage = j.stages[i]
            together = frozenset(s.id for s in stage.steps)
            snaps = [snapshot(j, s.id, together) for s in stage.steps]
            return AddStage(stage=stage, index=i, snapshots=snaps)
        case MoveStage(stage=stage_id):
            return MoveStage(stage=stage_id, index=find(j.stages, "id", stage_id, "stage"))
        case SetStageField(stage=stage_id, field=field):
            stage = j.stages[find(j.stages, "id", stage_id, "stage")]
            return SetStageField(stage=stage_id, field=field, value=dumped(getattr(stage, field)))
        case AddStep(step=step):
            return RemoveStep(step=step.id)
        case RemoveStep(step=step_id):
            stage, i = find_step(j, step_id)
            snap = snapshot(j, step_id)
            return AddStep(stage=stage.id, step=stage.steps[i], index=i, snapshot=snap)
        case MoveStep(step=step_id):
            stage, i = find_step(j, step_id)
            return MoveStep(step=step_id, stage=stage.id, index=i)
        case SetStepField(step=step_id, field=field):
            stage, i = find_step(j, step_id)
            value = dumped(getattr(stage.steps[i], field))
            return SetStepField(step=step_id, field=field, value=value)
        case (
            SetNext(step=step_id)
            | AddLink(step=step_id)
            | EditLink(step=step_id)
            | RemoveLink(step=step_id)
        ):
            stage, i = find_step(j, step_id)
            step = stage.steps[i]
            if isinstance(op, AddLink) and step.end:
                # AddLink also clears 'end': undo both in one go
                return Batch(
                    ops=[
                        SetNext(step=step_id, next=step.next),
                        SetStepField(step=step_id, field="end", value=True),
                    ]
                )
            return SetNext(step=step_id, next=step.next)
        case AddPath(path=path):
            return RemovePath(path=path.id)
        case RemovePath(path=path_id):
            i = find(j.paths, "id", path_id, "path")
            return AddPath(path=j.paths[i], index=i)
        case SetPathField(path=path_id, field=field):
            path = j.paths[find(j.paths, "id", path_id, "path")]
            return SetPathField(path=path_id, field=field, value=dumped(getattr(path, field)))
        case AddLane(lane=lane):
            return RemoveLane(lane=lane.id)
        case RemoveLane(lane=lane_id):
            i = find(j.lanes, "id", lane_id, "lane")
            restore = AddLane(lane=j.lanes[i], index=i, cells=dict(j.cells.get(lane_id, {})))
            comments = [(k, c) for k, c in enumerate(j.comments) if c.lane == lane_id]
            if comments:
                return Batch(ops=[restore, *[AddComment(comment=c, index=k) for k, c in comments]])
            return restore
        case MoveLane(lane=lane_id):
            return MoveLane(lane=lane_id, index=find(j.lanes, "id", lane_id, "lane"))
        case SetLaneField(lane=lane_id, field=field):
            lane = j.lanes[find(j.lanes, "id", lane_id, "lane")]
            return SetLaneField(lane=lane_id, field=field, value=dumped(getattr(lane, field)))
        case (
            SetCell(lane=lane_id, step=step_id)
            | AddCard(lane=lane_id, step=step_id)
            | EditCard(lane=lane_id, step=step_id)
            | RemoveCard(lane=lane_id, step=step_id)
        ):
            return SetCell(lane=lane_id, step=step_id, items=j.cell(lane_id, step_id))
        case SetEmotion(lane=lane_id, step=step_id):
            if lane_of(j, lane_id).kind != LaneKind.emotions:
                raise InvalidOperation.of("lane.not_emotions", lane=lane_id)
            items = j.cell(lane_id, step_id)
            if not items:
                return SetEmotion(lane=lane_id, step=step_id, score=None)
            e = items[0]
            return SetEmotion(
                lane=lane_id, step=step_id, score=e.score, label=e.label, emoji=e.emoji
            )
        case AddComment(comment=comment):
            return RemoveComment(comment=comment.id)
        case RemoveComment(comment=comment_id):
            i = find(j.comments, "id", comment_id, "comment")
            return AddComment(comment=j.comments[i], index=i)
        case SetCommentField(comment=comment_id, field=field):
            comment = j.comments[find(j.comments, "id", comment_id, "comment")]
            value = dumped(getattr(comment, field))
            return SetCommentField(comment=comment_id, field=field, value=value)
        case AddLibraryEntry() | RemoveLibraryEntry() | SetLibraryEntryField():
            return library_inverse(j.library, op)
    raise InvalidOperation.of(
        "op.wrong_target", op=op.op, target=a_noun(op.target), on=a_noun("journey")
    )
