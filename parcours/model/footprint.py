"""What an operation reads and writes, so that one can tell which operations commute.

A :class:`Footprint` is two sets of *parts*; a part is a tuple naming a piece of state:

=====================================  ==================================================
part                                   the piece of state
=====================================  ==================================================
``("journey", field)``                 a field of the journey (title, personas…)
``("entries",)``                       the entry steps
``("stage", S)``                       stage S whole; ``("stage", S, "exists")`` only that
                                       it exists, ``("stage", S, field)`` one field
``("step", s)``                        step s whole; ``("step", s, "exists")``,
                                       ``("step", s, "place")`` (its stage and position),
                                       ``("step", s, field)`` with field one of the step's
                                       fields or ``next``
``("lane", L …)``, ``("path", p …)``,  the same for lanes, paths and comments
``("comment", c …)``
``("cell", L, s)``                     the items of the cell lane L × step s
``("library", kind, id …)``            an entry of the library (a journey's own, or the
                                       workspace's shared one at workspace level)
``("order", list…)``                   the order of a list: ``("order", "stages")``,
                                       ``("order", "steps", S)``, ``("order", "lanes")``…
``("tail", list…)``                    the end of that list, where appended items go
``("workspace", field)``               a field of the workspace
``("journey", J, …)``                  at workspace level: journey J, whole or a part of it
                                       (a journey part after the prefix)
``("persona", P …)``                   at workspace level: a persona, whole or a field
=====================================  ==================================================

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

from parcours.model.apply import apply, unchecked
from parcours.model.atlas import Atlas
from parcours.model.errors import InvalidOperation
from parcours.model.journey import Journey, Step
from parcours.model.operations import (
    AddCard,
    AddComment,
    AddEntry,
    AddJourney,
    AddLane,
    AddLibraryEntry,
    AddLink,
    AddPath,
    AddPersona,
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
    RemoveJourney,
    RemoveLane,
    RemoveLibraryEntry,
    RemoveLink,
    RemovePath,
    RemovePersona,
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
    SetWorkspaceField,
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


def commute(a: Footprint, b: Footprint) -> bool:
    """True when the two operations can be applied in either order with the same result:
    their writes are disjoint and neither reads what the other writes."""
    return not (_meet(a.writes, b.writes) or _meet(a.writes, b.reads) or _meet(a.reads, b.writes))


def footprint(op: Operation, target: Journey | Atlas) -> Footprint:
    """What ``op`` reads and writes when applied to ``target`` (a journey or a workspace).

    A batch's footprint is the union of its operations', each taken on the state its
    predecessors leave (up to the first that would be refused).
    """
    if isinstance(target, Atlas):
        return _workspace(op, target)
    return _journey(op, target)


# =============================================================================================
# journeys
# =============================================================================================
class _Parts:
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


def _items_read(parts: _Parts, items: Iterable[Any]) -> None:
    for item in items:
        kpi = item.get("kpi") if isinstance(item, dict) else getattr(item, "kpi", None)
        if isinstance(kpi, str):
            parts.read(("library", "kpis", kpi, "exists"))


def _step_read(parts: _Parts, step: Step) -> None:
    parts.read(*(("library", "touchpoints", t, "exists") for t in step.touchpoints))
    if step.path is not None:
        parts.read(("path", step.path, "exists"))
    for link in step.next or []:
        parts.read(("step", link.to, "exists"))


def _detach(parts: _Parts, j: Journey, step_id: str) -> None:
    parts.write(("step", step_id), ("cell", ANY, step_id))
    for other in j.steps():
        if other.id != step_id and any(link.to == step_id for link in other.next or []):
            parts.write(("step", other.id, "next"))
    if step_id in j.entries:
        parts.write(("entries",))
    parts.write(*(("comment", c.id) for c in j.comments if c.step == step_id))


def _attach(parts: _Parts, j: Journey, snap: StepSnapshot) -> None:
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
    members = [("comment", c.id, "exists") for c in j.comments]
    for k, comment in snap.comments:
        parts.insert(("comments",), ("comment", comment.id), k, members)


def _journey(op: Operation, j: Journey) -> Footprint:
    if isinstance(op, Batch):
        return _batch(op, j)
    parts = _Parts()
    _journey_parts(parts, op, j)
    return parts.footprint()


def _batch(op: Batch, j: Journey) -> Footprint:
    total = Footprint()
    current = j.model_copy(deep=True)
    for sub in op.ops:
        total = total | _journey(sub, current)
        try:
            unchecked(current, sub)  # a batch checks only its end
        except (InvalidOperation, ValueError):  # refused here: what follows never happens
            break
    return total


def _journey_parts(parts: _Parts, op: Operation, j: Journey) -> None:
    stages = {s.id: s for s in j.stages}
    steps = {s.id: s for s in j.steps()}
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
            if not j.entries:
                parts.read(*DOCUMENT_ORDER)
        case AddStage(stage=stage, index=index, snapshots=snaps):
            members = [("stage", s, "exists") for s in stages]
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
            if stage_id in stages:
                for step in stages[stage_id].steps:
                    _detach(parts, j, step.id)
        case MoveStage(stage=stage_id):
            parts.write(("order", "stages"))
            parts.read(("tail", "stages"), *(("stage", s, "exists") for s in stages))
            parts.read(("stage", stage_id, "exists"))
        case SetStageField(stage=stage_id, field=field):
            parts.write(("stage", stage_id, field))
            parts.read(("stage", stage_id, "exists"))
        case AddStep(stage=stage_id, step=step, index=index, snapshot=snap):
            parts.read(("stage", stage_id, "exists"))
            in_stage = stages[stage_id].steps if stage_id in stages else []
            members = [("step", s.id, "place") for s in in_stage]
            parts.insert(("steps", stage_id), ("step", step.id), index, members)
            _step_read(parts, step)
            if snap is not None:
                _attach(parts, j, snap)
        case RemoveStep(step=step_id):
            _detach(parts, j, step_id)
        case MoveStep(step=step_id, stage=stage_id):
            parts.write(("step", step_id, "place"), ("order", "steps", stage_id))
            parts.read(("step", step_id, "exists"), ("stage", stage_id, "exists"))
            parts.read(("tail", "steps", stage_id))
            in_stage = stages[stage_id].steps if stage_id in stages else []
            parts.read(*(("step", s.id, "place") for s in in_stage))
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
            if step_id in steps and steps[step_id].next is None:
                parts.read(*DOCUMENT_ORDER)
        case AddPath(path=path, index=index):
            members = [("path", p.id, "exists") for p in j.paths]
            parts.insert(("paths",), ("path", path.id), index, members)
        case RemovePath(path=path_id):
            parts.write(("path", path_id))
            parts.read(("step", ANY, "path"))
        case SetPathField(path=path_id, field=field):
            parts.write(("path", path_id, field))
            parts.read(("path", path_id, "exists"))
        case AddLane(lane=lane, index=index, cells=cells):
            members = [("lane", x.id, "exists") for x in j.lanes]
            parts.insert(("lanes",), ("lane", lane.id), index, members)
            for step_id, items in cells.items():
                parts.write(("cell", lane.id, step_id))
                parts.read(("step", step_id, "exists"))
                _items_read(parts, items)
        case RemoveLane(lane=lane_id):
            parts.write(("lane", lane_id), ("cell", lane_id, ANY))
            parts.write(*(("comment", c.id) for c in j.comments if c.lane == lane_id))
        case MoveLane(lane=lane_id):
            parts.write(("order", "lanes"))
            parts.read(("tail", "lanes"), ("lane", lane_id, "exists"))
            parts.read(*(("lane", x.id, "exists") for x in j.lanes))
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
            members = [("comment", c.id, "exists") for c in j.comments]
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
            _library_parts(parts, op, [e.id for e in getattr(j.library, op.kind)])
        case _:
            parts.write((ANY,))  # not a journey operation: refused, whatever the order


def _library_parts(
    parts: _Parts,
    op: AddLibraryEntry | RemoveLibraryEntry | SetLibraryEntryField,
    ids: list[str],
) -> None:
    match op:
        case AddLibraryEntry(kind=kind, entry=entry, index=index):
            entry_id = str(entry.get("id", ""))
            members = [("library", kind, i, "exists") for i in ids]
            parts.insert(("library", kind), ("library", kind, entry_id), index, members)
            if kind == "touchpoints" and isinstance(entry.get("channel"), str):
                parts.read(("library", "channels", entry["channel"], "exists"))
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            parts.write(("library", kind, entry_id))
        case SetLibraryEntryField(kind=kind, id=entry_id, field=field, value=value):
            parts.write(("library", kind, entry_id, field))
            parts.read(("library", kind, entry_id, "exists"))
            if field == "channel" and isinstance(value, str):
                parts.read(("library", "channels", value, "exists"))


# =============================================================================================
# workspaces
# =============================================================================================
def _journey_uses(journey: Journey) -> set[Part]:
    """The shared entries and personas a journey may rely on."""
    used: set[Part] = {("persona", p, "exists") for p in journey.personas}
    for step in journey.steps():
        used.update(("library", "touchpoints", t, "exists") for t in step.touchpoints)
    for row in journey.cells.values():
        for items in row.values():
            for item in items:
                kpi = getattr(item, "kpi", None)
                if kpi is not None:
                    used.add(("library", "kpis", kpi, "exists"))
    for touchpoint in journey.library.touchpoints:
        if touchpoint.channel is not None:
            used.add(("library", "channels", touchpoint.channel, "exists"))
    return used


def _in_workspace(op: Operation, journey: Journey) -> Footprint:
    """A journey operation's footprint inside a workspace: its parts under the journey, and
    the shared library entries and personas it relies on."""
    inner = _journey(op, journey)
    reads: set[Part] = {("journey", journey.id, "exists")}
    for part in inner.reads | inner.writes:
        if part[0] == "library" and len(part) >= 3:
            reads.add((*part[:3], "exists"))
        elif part[0] == ANY:
            reads.add(("library", ANY, ANY, "exists"))
    for sub in _flatten(op):
        if isinstance(sub, SetJourneyField) and sub.field == "personas":
            reads.update(("persona", str(p), "exists") for p in sub.value or [])
        elif isinstance(sub, ReplaceJourney):
            reads.update(_journey_uses(sub.journey))
    writes = {("journey", r.journey.id) for r in _flatten(op) if isinstance(r, ReplaceJourney)}
    outer = Footprint(frozenset(reads), frozenset(writes - {("journey", journey.id)}))
    return inner.within("journey", journey.id) | outer


def _flatten(op: Operation) -> list[Operation]:
    if isinstance(op, Batch | EditJourney):
        return [x for sub in op.ops for x in _flatten(sub)]
    return [op]


def _workspace(op: Operation, atlas: Atlas) -> Footprint:
    parts = _Parts()
    match op:
        case Batch(ops=ops):
            total = Footprint()
            for sub in ops:
                total = total | _workspace(sub, atlas)
                try:
                    atlas = apply(atlas, sub)
                except (InvalidOperation, ValueError):
                    break
            return total
        case EditJourney(journey=journey_id, ops=ops):
            for journey in atlas.journeys:
                if journey.id == journey_id:
                    return _in_workspace(Batch(ops=ops), journey)
            parts.read(("journey", journey_id, "exists"))
        case SetWorkspaceField(field=field):
            parts.write(("workspace", field))
        case AddJourney(journey=journey, index=index):
            members = [("journey", j.id, "exists") for j in atlas.journeys]
            parts.insert(("journeys",), ("journey", journey.id), index, members)
            parts.read(*_journey_uses(journey))
        case RemoveJourney(journey=journey_id):
            parts.write(("journey", journey_id))
        case AddPersona(persona=persona, index=index):
            members = [("persona", p.id, "exists") for p in atlas.personas]
            parts.insert(("personas",), ("persona", persona.id), index, members)
        case RemovePersona(persona=persona_id):
            parts.write(("persona", persona_id))
            parts.read(("journey", ANY, "journey", "personas"))
        case SetPersonaField(persona=persona_id, field=field):
            parts.write(("persona", str(persona_id), field))
            parts.read(("persona", str(persona_id), "exists"))
        case AddLibraryEntry() | SetLibraryEntryField():
            _library_parts(parts, op, [e.id for e in getattr(atlas.library, op.kind)])
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            parts.write(("library", kind, entry_id))
            parts.read(("journey", ANY, "library", kind, entry_id))
            if kind == "touchpoints":
                parts.read(("journey", ANY, "step", ANY, "touchpoints"))
            elif kind == "kpis":
                parts.read(("journey", ANY, "cell", ANY, ANY))
            else:
                parts.read(("library", "touchpoints", ANY, "channel"))
                parts.read(("journey", ANY, "library", "touchpoints", ANY, "channel"))
        case _:
            parts.write((ANY,))  # a journey operation sent to a workspace: refused
    return parts.footprint()
