"""Footprints of operations on a workspace: its fields, journeys, personas, shared library.

A journey's parts appear under ``("journey", id)``; an operation on a journey inside the
workspace also reads the shared entries and personas it names.
"""

from __future__ import annotations

from parcours.model.apply import apply
from parcours.model.atlas import Atlas
from parcours.model.errors import InvalidOperation
from parcours.model.footprint import (
    ANY,
    Footprint,
    Part,
    Parts,
    footprint,
    journey_footprint,
    library_parts,
    members_of,
)
from parcours.model.journey import Journey
from parcours.model.operations import (
    AddJourney,
    AddLibraryEntry,
    AddPersona,
    Batch,
    EditJourney,
    Operation,
    RemoveJourney,
    RemoveLibraryEntry,
    RemovePersona,
    ReplaceJourney,
    SetJourneyField,
    SetLibraryEntryField,
    SetPersonaField,
    SetWorkspaceField,
)


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


def _in_workspace(op: Operation, journey: Journey | None, journey_id: str) -> Footprint:
    """A journey operation's footprint inside a workspace: its parts under the journey, and
    the shared library entries and personas it relies on."""
    inner = journey_footprint(op, journey)
    reads: set[Part] = {("journey", journey_id, "exists")}
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
    outer = Footprint(frozenset(reads), frozenset(writes - {("journey", journey_id)}))
    return inner.within("journey", journey_id) | outer


def _flatten(op: Operation) -> list[Operation]:
    if isinstance(op, Batch | EditJourney):
        return [x for sub in op.ops for x in _flatten(sub)]
    return [op]


def workspace_footprint(op: Operation, atlas: Atlas | None) -> Footprint:
    parts = Parts()
    match op:
        case Batch(ops=ops) if atlas is not None:
            total = Footprint()
            for sub in ops:
                total = total | workspace_footprint(sub, atlas)
                try:
                    atlas = apply(atlas, sub)
                except (InvalidOperation, ValueError):
                    break
            return total
        case Batch(ops=ops):
            return footprint(op, None)
        case EditJourney(journey=journey_id, ops=ops):
            if atlas is None:
                return _in_workspace(Batch(ops=ops), None, journey_id)
            for journey in atlas.journeys:
                if journey.id == journey_id:
                    return _in_workspace(Batch(ops=ops), journey, journey_id)
            parts.read(("journey", journey_id, "exists"))
        case SetWorkspaceField(field=field):
            parts.write(("workspace", field))
        case AddJourney(journey=journey, index=index):
            members = members_of(atlas, "journey", "journeys")
            parts.insert(("journeys",), ("journey", journey.id), index, members)
            parts.read(*_journey_uses(journey))
        case RemoveJourney(journey=journey_id):
            parts.write(("journey", journey_id))
        case AddPersona(persona=persona, index=index):
            members = members_of(atlas, "persona", "personas")
            parts.insert(("personas",), ("persona", persona.id), index, members)
        case RemovePersona(persona=persona_id):
            parts.write(("persona", persona_id))
            parts.read(("journey", ANY, "journey", "personas"))
        case SetPersonaField(persona=persona_id, field=field):
            parts.write(("persona", str(persona_id), field))
            parts.read(("persona", str(persona_id), "exists"))
        case AddLibraryEntry() | SetLibraryEntryField():
            library_parts(parts, op, None if atlas is None else atlas.library)
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
