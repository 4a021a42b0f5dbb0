"""What an operation reads and writes, so that one can tell which operations commute.

A :class:`Footprint` is two sets of *parts*; a part is a tuple naming a piece of state:
``("cell", lane, step)``, ``("step", id, field)``, ``("step", id, "place")`` (its stage and
position), ``("order", "stages")``, ``("library", kind, id)``, at workspace level
``("journey", id, …)`` and ``("persona", id, …)``… (``docs/operations.md`` lists them all).

Two parts overlap when one is a prefix of the other, element by element, where ``"*"``
matches anything: ``("step", "a")`` overlaps ``("step", "a", "name")`` and
``("cell", "*", "a")`` overlaps every cell of step a. Two operations commute when neither
writes what the other reads or writes (:func:`commute`): applied in either order they give
the same result, or both are refused.

Inserting at an index reads the position of every member of the list; appending writes only
the list's tail; removing an element writes only that element. So two removals commute, a
removal and an append commute, and two appends to one list do not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from parcours.model.apply import unchecked
from parcours.model.atlas import Atlas
from parcours.model.copying import fresh_copy
from parcours.model.errors import InvalidOperation
from parcours.model.journey import Journey, Stage, Step
from parcours.model.library import Library
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
    StepSnapshot,
)

Part = tuple[str, ...]
ANY = "*"  # never an id: ids start with a letter or a digit


@dataclass(frozen=True)
class Footprint:
    """The parts of the state an operation reads and the parts it writes."""

    reads: frozenset[Part] = frozenset()
    writes: frozenset[Part] = frozenset()

    def __or__(self, other: Footprint) -> Footprint:
        return Footprint(self.reads | other.reads, self.writes | other.writes)

    def within(self, *prefix: str) -> Footprint:
        """The same footprint inside a container (a journey's parts inside a workspace)."""
        return Footprint(
            frozenset(prefix + p for p in self.reads), frozenset(prefix + p for p in self.writes)
        )

    def to_dict(self) -> dict[str, list[str]]:
        """As JSON data: each part written ``a/b/c``."""
        return {
            "reads": sorted("/".join(p) for p in self.reads),
            "writes": sorted("/".join(p) for p in self.writes),
        }


def overlaps(a: Part, b: Part) -> bool:
    """True when the parts can name the same piece of state."""
    return all(x in (y, ANY) or y == ANY for x, y in zip(a, b, strict=False))


def _meet(a: Iterable[Part], b: Iterable[Part]) -> bool:
    by_head: dict[str, list[Part]] = {}
    for part in b:
        by_head.setdefault(part[0], []).append(part)
    wild = by_head.get(ANY, [])
    for part in a:
        candidates = wild + by_head.get(part[0], []) if part[0] != ANY else list(b)
        if any(overlaps(part, other) for other in candidates):
            return True
    return False


def commute(
    a: Footprint | Operation, b: Footprint | Operation, target: Journey | Atlas | None = None
) -> bool:
    """True when the two operations can be applied in either order with the same result:
    their writes are disjoint and neither reads what the other writes.

    ``a`` and ``b`` are footprints, or operations whose footprints are taken on ``target``
    (the state both apply to; without it, footprints that hold whatever the state).
    """
    if not isinstance(a, Footprint):
        a = footprint(a, target)
    if not isinstance(b, Footprint):
        b = footprint(b, target)
    return not (_meet(a.writes, b.writes) or _meet(a.writes, b.reads) or _meet(a.reads, b.writes))


def footprint(op: Operation, target: Journey | Atlas | None = None) -> Footprint:
    """What ``op`` reads and writes when applied to ``target`` (a journey or a workspace).

    A batch's footprint is the union of its operations', each taken on the state its
    predecessors leave (up to the first that would be refused). Without ``target`` the
    footprint holds whatever the state (what depends on it, such as the steps of a stage
    being removed, is taken as "any"), for an operation on a journey or on a workspace.
    """
    from parcours.model.workspace_footprint import workspace_footprint

    if isinstance(target, Atlas):
        return workspace_footprint(op, target)
    if isinstance(target, Journey):
        return journey_footprint(op, target)
    if isinstance(op, Batch):
        total = Footprint()
        for sub in op.ops:
            total = total | footprint(sub, None)
        return total
    if "workspace" not in op.target:
        return journey_footprint(op, None)
    if "journey" not in op.target:
        return workspace_footprint(op, None)
    return journey_footprint(op, None) | workspace_footprint(op, None)


# =============================================================================================
# journeys
# =============================================================================================
class Parts:
    def __init__(self) -> None:
        self.reads: set[Part] = set()
        self.writes: set[Part] = set()

    def read(self, *parts: Part) -> None:
        self.reads.update(parts)

    def write(self, *parts: Part) -> None:
        self.writes.update(parts)

    def insert(
        self, container: Part, element: Part, index: int | None, members: Sequence[Part]
    ) -> None:
        """An element put into a list: at its end, or at an index (which reads every position)."""
        self.write(element)
        if index is None:
            self.write(("tail", *container))
        else:
            self.write(("order", *container))
            self.read(("tail", *container), *members)

    def footprint(self) -> Footprint:
        return Footprint(frozenset(self.reads), frozenset(self.writes))


#: what the document order of the steps (the implicit next step, the first step) depends on
DOCUMENT_ORDER: frozenset[Part] = frozenset(
    {
        ("order", "stages"),
        ("tail", "stages"),
        ("stage", ANY, "exists"),
        ("order", "steps", ANY),
        ("tail", "steps", ANY),
        ("step", ANY, "place"),
        ("step", ANY, "path"),
    }
)


#: where the entries of a library are used
USES: dict[str, Part] = {
    "touchpoints": ("step", ANY, "touchpoints"),
    "kpis": ("cell", ANY, ANY),
    "channels": ("library", "touchpoints", ANY, "channel"),
}


def _items_read(parts: Parts, items: Iterable[Any]) -> None:
    for item in items:
        kpi = item.get("kpi") if isinstance(item, dict) else getattr(item, "kpi", None)
        if isinstance(kpi, str):
            parts.read(("library", "kpis", kpi, "exists"))


def _step_read(parts: Parts, step: Step) -> None:
    parts.read(*(("library", "touchpoints", t, "exists") for t in step.touchpoints))
    if step.path is not None:
        parts.read(("path", step.path, "exists"))
    for link in step.next or []:
        parts.read(("step", link.to, "exists"))


def _detach(parts: Parts, j: Journey | None, step_id: str) -> None:
    parts.write(("step", step_id), ("cell", ANY, step_id))
    if j is None:
        parts.write(("step", ANY, "next"), ("entries",), ("comment", ANY))
        return
    for other in j.steps():
        if other.id != step_id and any(link.to == step_id for link in other.next or []):
            parts.write(("step", other.id, "next"))
    if step_id in j.entries:
        parts.write(("entries",))
    parts.write(*(("comment", c.id) for c in j.comments if c.step == step_id))


def _attach(parts: Parts, j: Journey | None, snap: StepSnapshot) -> None:
    step_id = snap.step.id
    for lane, items in snap.cells.items():
        parts.write(("cell", lane, step_id))
        parts.read(("lane", lane, "exists"))
        _items_read(parts, items)
    for incoming in snap.incoming:
        parts.write(("step", incoming.source, "next"))
        parts.read(("step", incoming.source, "exists"))
    if snap.entry_index is not None:
        parts.write(("entries",))
    members = members_of(j, "comment", "comments")
    for k, comment in snap.comments:
        parts.insert(("comments",), ("comment", comment.id), k, members)


def members_of(
    j: Journey | Atlas | None, kind: str, field: str, last: str = "exists"
) -> list[Part]:
    """The parts an insertion at an index reads: every member of the list."""
    if j is None:
        return [(kind, ANY, last)]
    return [(kind, x.id, last) for x in getattr(j, field)]


def journey_footprint(op: Operation, j: Journey | None) -> Footprint:
    if isinstance(op, Batch) and j is not None:
        return _batch(op, j)
    parts = Parts()
    _journey_parts(parts, op, j)
    return parts.footprint()


def _in(j: Journey | None, stages: dict[str, Stage], stage_id: str) -> list[Part]:
    """The positions of the steps of a stage, which an insertion at an index reads."""
    if j is None:
        return [("step", ANY, "place")]
    in_stage = stages[stage_id].steps if stage_id in stages else []
    return [("step", s.id, "place") for s in in_stage]


def _batch(op: Batch, j: Journey) -> Footprint:
    total = Footprint()
    current = fresh_copy(j)
    for sub in op.ops:
        total = total | journey_footprint(sub, current)
        try:
            unchecked(current, sub)  # a batch checks only its end
        except (InvalidOperation, ValueError):  # refused here: what follows never happens
            break
    return total


def _journey_parts(parts: Parts, op: Operation, j: Journey | None) -> None:
    stages = {s.id: s for s in j.stages} if j is not None else {}
    steps = {s.id: s for s in j.steps()} if j is not None else {}
    match op:
        case SetJourneyField(field=field):
            parts.write(("journey", field))
        case ReplaceJourney():
            parts.write((ANY,))
        case SetEntries(entries=entries):
            parts.write(("entries",))
            parts.read(*(("step", e, "exists") for e in entries))
        case AddEntry(step=step_id) | RemoveEntry(step=step_id):
            parts.write(("entries",))
            if isinstance(op, AddEntry):
                parts.read(("step", step_id, "exists"))
            if j is None or not j.entries:
                parts.read(*DOCUMENT_ORDER)
        case AddStage(stage=stage, index=index, snapshots=snaps):
            members = members_of(j, "stage", "stages")
            parts.insert(("stages",), ("stage", stage.id), index, members)
            parts.write(("order", "steps", stage.id), ("tail", "steps", stage.id))
            for step in stage.steps:
                parts.write(("step", step.id))
                _step_read(parts, step)
            for snap in snaps:
                _attach(parts, j, snap)
        case RemoveStage(stage=stage_id):
            parts.write(("stage", stage_id), ("order", "steps", stage_id))
            parts.write(("tail", "steps", stage_id))
            if j is None:
                _detach(parts, None, ANY)
            elif stage_id in stages:
                for step in stages[stage_id].steps:
                    _detach(parts, j, step.id)
        case MoveStage(stage=stage_id):
            parts.write(("order", "stages"))
            parts.read(("tail", "stages"), *members_of(j, "stage", "stages"))
            parts.read(("stage", stage_id, "exists"))
        case SetStageField(stage=stage_id, field=field):
            parts.write(("stage", stage_id, field))
            parts.read(("stage", stage_id, "exists"))
        case AddStep(stage=stage_id, step=step, index=index, snapshot=snap):
            parts.read(("stage", stage_id, "exists"))
            parts.insert(("steps", stage_id), ("step", step.id), index, _in(j, stages, stage_id))
            _step_read(parts, step)
            if snap is not None:
                _attach(parts, j, snap)
        case RemoveStep(step=step_id):
            _detach(parts, j, step_id)
        case MoveStep(step=step_id, stage=stage_id):
            parts.write(("step", step_id, "place"), ("order", "steps", stage_id))
            parts.read(("step", step_id, "exists"), ("stage", stage_id, "exists"))
            parts.read(("tail", "steps", stage_id))
            parts.read(*_in(j, stages, stage_id))
        case SetStepField(step=step_id, field=field, value=value):
            parts.write(("step", step_id, field))
            parts.read(("step", step_id, "exists"))
            if field == "touchpoints" and isinstance(value, list):
                parts.read(*(("library", "touchpoints", str(t), "exists") for t in value))
            elif field == "path" and isinstance(value, str):
                parts.read(("path", value, "exists"))
            elif field == "end":
                parts.read(("step", step_id, "next"))
        case SetNext(step=step_id, next=links):
            parts.write(("step", step_id, "next"))
            parts.read(("step", step_id, "exists"), ("step", step_id, "end"))
            parts.read(*(("step", link.to, "exists") for link in links or []))
        case AddLink(step=step_id) | EditLink(step=step_id) | RemoveLink(step=step_id):
            parts.write(("step", step_id, "next"))
            parts.read(("step", step_id, "exists"), ("step", step_id, "end"))
            if isinstance(op, AddLink):
                parts.write(("step", step_id, "end"))
                parts.read(("step", op.link.to, "exists"))
            if j is None or (step_id in steps and steps[step_id].next is None):
                parts.read(*DOCUMENT_ORDER)
        case AddPath(path=path, index=index):
            parts.insert(("paths",), ("path", path.id), index, members_of(j, "path", "paths"))
        case RemovePath(path=path_id):
            parts.write(("path", path_id))
            parts.read(("step", ANY, "path"))
        case SetPathField(path=path_id, field=field):
            parts.write(("path", path_id, field))
            parts.read(("path", path_id, "exists"))
        case AddLane(lane=lane, index=index, cells=cells):
            parts.insert(("lanes",), ("lane", lane.id), index, members_of(j, "lane", "lanes"))
            for step_id, items in cells.items():
                parts.write(("cell", lane.id, step_id))
                parts.read(("step", step_id, "exists"))
                _items_read(parts, items)
        case RemoveLane(lane=lane_id):
            parts.write(("lane", lane_id), ("cell", lane_id, ANY))
            if j is None:
                parts.write(("comment", ANY))
            else:
                parts.write(*(("comment", c.id) for c in j.comments if c.lane == lane_id))
        case MoveLane(lane=lane_id):
            parts.write(("order", "lanes"))
            parts.read(("tail", "lanes"), ("lane", lane_id, "exists"))
            parts.read(*members_of(j, "lane", "lanes"))
        case SetLaneField(lane=lane_id, field=field):
            parts.write(("lane", lane_id, field))
            parts.read(("lane", lane_id, "exists"))
        case (
            SetCell(lane=lane_id, step=step_id)
            | AddCard(lane=lane_id, step=step_id)
            | EditCard(lane=lane_id, step=step_id)
            | RemoveCard(lane=lane_id, step=step_id)
            | SetEmotion(lane=lane_id, step=step_id)
        ):
            parts.write(("cell", lane_id, step_id))
            parts.read(("lane", lane_id, "exists"), ("step", step_id, "exists"))
            if isinstance(op, SetCell):
                _items_read(parts, op.items)
            elif isinstance(op, AddCard | EditCard):
                _items_read(parts, [op.item])
        case AddComment(comment=comment, index=index):
            members = members_of(j, "comment", "comments")
            parts.insert(("comments",), ("comment", comment.id), index, members)
            if comment.step is not None:
                parts.read(("step", comment.step, "exists"))
            if comment.lane is not None:
                parts.read(("lane", comment.lane, "exists"))
        case RemoveComment(comment=comment_id):
            parts.write(("comment", comment_id))
        case SetCommentField(comment=comment_id, field=field):
            parts.write(("comment", comment_id, field))
            parts.read(("comment", comment_id, "exists"))
        case AddLibraryEntry() | RemoveLibraryEntry() | SetLibraryEntryField():
            library_parts(parts, op, None if j is None else j.library)
        case _:
            parts.write((ANY,))  # not a journey operation: refused, whatever the order


def library_parts(
    parts: Parts,
    op: AddLibraryEntry | RemoveLibraryEntry | SetLibraryEntryField,
    library: Library | None,
) -> None:
    match op:
        case AddLibraryEntry(kind=kind, entry=entry, index=index):
            entry_id = str(entry.get("id", ""))
            ids = [e.id for e in getattr(library, kind)] if library is not None else [ANY]
            members = [("library", kind, i, "exists") for i in ids]
            parts.insert(("library", kind), ("library", kind, entry_id), index, members)
            if kind == "touchpoints" and isinstance(entry.get("channel"), str):
                parts.read(("library", "channels", entry["channel"], "exists"))
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            parts.write(("library", kind, entry_id))
            parts.read(USES[kind])  # what still uses it would be left dangling
        case SetLibraryEntryField(kind=kind, id=entry_id, field=field, value=value):
            parts.write(("library", kind, entry_id, field))
            parts.read(("library", kind, entry_id, "exists"))
            if field == "channel" and isinstance(value, str):
                parts.read(("library", "channels", value, "exists"))
