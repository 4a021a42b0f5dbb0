"""Operations on a workspace: its fields, journeys, personas and shared library.

``edit_workspace(atlas, op)`` returns the new workspace and the exact undo; the given one is
unchanged (the parts that do not change are shared, never modified). Each operation keeps
the workspace whole: a journey added is checked against the library and personas, and a
persona or a library entry still in use cannot be removed (the message says where it is used).
"""

from __future__ import annotations

from typing import Any

from parcours.model.atlas import Atlas
from parcours.model.errors import InvalidOperation, Param, Said, noun, thing
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.library_ops import SINGULAR, edit_library, library_inverse
from parcours.model.locate import find, index_in, with_field
from parcours.model.operations import (
    AddJourney,
    AddLibraryEntry,
    AddPersona,
    Operation,
    RemoveJourney,
    RemoveLibraryEntry,
    RemovePersona,
    SetLibraryEntryField,
    SetPersonaField,
    SetWorkspaceField,
)
from parcours.model.undo import dumped
from parcours.model.validation import journey_problems


def edit_workspace(atlas: Atlas, op: Operation) -> tuple[Atlas, Operation]:
    """The workspace with ``op`` applied, and the operation that undoes it."""
    match op:
        case SetWorkspaceField(field=field, value=value):
            bare = Atlas(
                id=atlas.id, name=atlas.name, description=atlas.description, lang=atlas.lang
            )
            new = with_field(bare, field, value, Said.of("what.workspace_field", field=field))
            old_value = dumped(getattr(atlas, field))
            return _with(atlas, **{field: getattr(new, field)}), SetWorkspaceField(
                field=field, value=old_value
            )
        case AddJourney(journey=journey, index=index):
            if any(j.id == journey.id for j in atlas.journeys):
                exists = Said.of("exists.journey", id=journey.id)
                raise InvalidOperation.of("op.refused", op=op.op, problems=exists)
            _check_journey(atlas, journey, op.op)
            journeys = list(atlas.journeys)
            journeys.insert(index_in(len(journeys), index), journey.model_copy(deep=True))
            return _with(atlas, journeys=journeys), RemoveJourney(journey=journey.id)
        case RemoveJourney(journey=journey_id):
            i = find(atlas.journeys, "id", journey_id, "journey")
            journeys = list(atlas.journeys)
            removed = journeys.pop(i)
            return _with(atlas, journeys=journeys), AddJourney(journey=removed, index=i)
        case AddPersona(persona=persona, index=index):
            if any(p.id == persona.id for p in atlas.personas):
                exists = Said.of("exists.persona", id=persona.id)
                raise InvalidOperation.of("op.refused", op=op.op, problems=exists)
            personas = list(atlas.personas)
            personas.insert(index_in(len(personas), index), persona.model_copy(deep=True))
            return _with(atlas, personas=personas), RemovePersona(persona=persona.id)
        case RemovePersona(persona=persona_id):
            i = find(atlas.personas, "id", persona_id, "persona")
            users = [j.id for j in atlas.journeys if persona_id in j.personas]
            if users:
                shown = ", ".join(f"'{i}'" for i in users[:5])
                raise InvalidOperation.of(
                    "persona.in_use", persona=persona_id, journeys=shown, more=_more(users)
                )
            personas = list(atlas.personas)
            gone = personas.pop(i)
            return _with(atlas, personas=personas), AddPersona(persona=gone, index=i)
        case SetPersonaField(persona=persona_id, field=field, value=value):
            if persona_id is None:
                raise InvalidOperation.of("op.persona_needs_id")
            i = find(atlas.personas, "id", persona_id, "persona")
            old = atlas.personas[i]
            personas = list(atlas.personas)
            personas[i] = with_field(old, field, value, thing("persona", persona_id))
            old_value = dumped(getattr(old, field))
            return _with(atlas, personas=personas), SetPersonaField(
                persona=persona_id, field=field, value=old_value
            )
        case AddLibraryEntry() | RemoveLibraryEntry() | SetLibraryEntryField():
            library_undo = library_inverse(atlas.library, op)
            library = atlas.library.model_copy(deep=True)
            edit_library(library, op)
            _check_library(atlas, library, op)
            return _with(atlas, library=library), library_undo
    raise InvalidOperation.of("op.journey_only", op=op.op)


def _with(atlas: Atlas, **changes: Any) -> Atlas:
    return atlas.model_copy(update=changes)


def _more(items: list[Any], limit: int = 5) -> Param:
    """`` and 3 more`` when ``items`` are over ``limit`` (only the first are shown)."""
    return Said.of("and_more", n=str(len(items) - limit)) if len(items) > limit else ""


def _check_journey(atlas: Atlas, journey: Journey, tag: str) -> None:
    personas = {p.id for p in atlas.personas}
    problems = journey_problems(journey, library=atlas.library, personas=personas)
    errors = tuple(p.as_param() for p in problems if p.severity == "error")
    if errors:
        raise InvalidOperation.of("op.refused", op=tag, problems=errors)


def _check_library(atlas: Atlas, library: Library, op: Operation) -> None:
    """A shared library stays whole: its references resolve and what journeys use exists."""
    channels = {c.id for c in library.channels}
    for touchpoint in library.touchpoints:
        if touchpoint.channel is not None and touchpoint.channel not in channels:
            problem = Said.of(
                "library.channel",
                touchpoint=touchpoint.id,
                channel=touchpoint.channel,
                choices=", ".join(sorted(channels)) or Said("none"),
            )
            raise InvalidOperation.of("op.refused", op=op.op, problems=problem)
    if not isinstance(op, RemoveLibraryEntry):
        return
    uses = _uses(atlas, op.kind, op.id)
    if uses:
        raise InvalidOperation.of(
            "library.in_use",
            kind=noun(SINGULAR[op.kind]),
            id=op.id,
            uses=tuple(uses[:5]),
            more=_more(uses),
        )


def _uses(atlas: Atlas, kind: str, entry_id: str) -> list[Said]:
    """Where a shared library entry is used (journeys that define their own are not users)."""
    out = []
    if kind == "channels":
        out += [
            Said.of("use.touchpoint", touchpoint=t.id)
            for t in atlas.library.touchpoints
            if t.channel == entry_id
        ]
    for journey in atlas.journeys:
        own = getattr(journey.library, kind)
        if any(e.id == entry_id for e in own):
            continue
        where = journey.id
        if kind == "touchpoints":
            out += [
                Said.of("use.step", journey=where, step=s.id)
                for s in journey.steps()
                if entry_id in s.touchpoints
            ]
        elif kind == "kpis":
            out += [
                Said.of("use.kpi", journey=where, lane=lane, step=step)
                for lane, row in journey.cells.items()
                for step, items in row.items()
                if any(getattr(item, "kpi", None) == entry_id for item in items)
            ]
        else:
            out += [
                Said.of("use.journey_touchpoint", journey=where, touchpoint=t.id)
                for t in journey.library.touchpoints
                if t.channel == entry_id
            ]
    return out
