"""Operations on a workspace: its fields, journeys, personas and shared library.

``edit_workspace(atlas, op)`` returns the new workspace and the exact undo; the given one is
unchanged (the parts that do not change are shared, never modified). Each operation keeps
the workspace whole: a journey added is checked against the library and personas, and a
persona or a library entry still in use cannot be removed (the message says where it is used).
"""

from __future__ import annotations

from typing import Any

from parcours.model.atlas import Atlas
from parcours.model.errors import InvalidOperation
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
            new = with_field(bare, field, value, f"workspace field '{field}'")
            old_value = dumped(getattr(atlas, field))
            return _with(atlas, **{field: getattr(new, field)}), SetWorkspaceField(
                field=field, value=old_value
            )
        case AddJourney(journey=journey, index=index):
            if any(j.id == journey.id for j in atlas.journeys):
                raise InvalidOperation(
                    f"add_journey: a journey with id '{journey.id}' already exists"
                )
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
                raise InvalidOperation(
                    f"add_persona: a persona with id '{persona.id}' already exists"
                )
            personas = list(atlas.personas)
            personas.insert(index_in(len(personas), index), persona.model_copy(deep=True))
            return _with(atlas, personas=personas), RemovePersona(persona=persona.id)
        case RemovePersona(persona=persona_id):
            i = find(atlas.personas, "id", persona_id, "persona")
            users = [j.id for j in atlas.journeys if persona_id in j.personas]
            if users:
                raise InvalidOperation(
                    f"persona '{persona_id}' is still named by journey(s) {_quoted(users)}; "
                    "take it out of their personas first"
                )
            personas = list(atlas.personas)
            gone = personas.pop(i)
            return _with(atlas, personas=personas), AddPersona(persona=gone, index=i)
        case SetPersonaField(persona=persona_id, field=field, value=value):
            if persona_id is None:
                raise InvalidOperation(
                    "set_persona on a workspace needs the persona's id ('persona')"
                )
            i = find(atlas.personas, "id", persona_id, "persona")
            old = atlas.personas[i]
            personas = list(atlas.personas)
            personas[i] = with_field(old, field, value, f"persona '{persona_id}'")
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
    raise InvalidOperation(
        f"operation '{op.op}' applies to a journey; send it to a workspace inside "
        "{'op': 'edit_journey', 'journey': ID, 'ops': [...]}"
    )


def _with(atlas: Atlas, **changes: Any) -> Atlas:
    return atlas.model_copy(update=changes)


def _quoted(ids: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"'{i}'" for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def _check_journey(atlas: Atlas, journey: Journey, tag: str) -> None:
    personas = {p.id for p in atlas.personas}
    problems = journey_problems(journey, library=atlas.library, personas=personas)
    errors = [p.message for p in problems if p.severity == "error"]
    if errors:
        raise InvalidOperation(f"{tag}: " + "; ".join(errors))


def _check_library(atlas: Atlas, library: Library, op: Operation) -> None:
    """A shared library stays whole: its references resolve and what journeys use exists."""
    channels = {c.id for c in library.channels}
    for touchpoint in library.touchpoints:
        if touchpoint.channel is not None and touchpoint.channel not in channels:
            raise InvalidOperation(
                f"{op.op}: touchpoint '{touchpoint.id}' names channel '{touchpoint.channel}', "
                f"which is not in the shared library; expected one of: "
                + (", ".join(sorted(channels)) or "(none)")
            )
    if not isinstance(op, RemoveLibraryEntry):
        return
    uses = _uses(atlas, op.kind, op.id)
    if uses:
        raise InvalidOperation(
            f"{SINGULAR[op.kind]} '{op.id}' is still used: {'; '.join(uses[:5])}"
            + (f" and {len(uses) - 5} more" if len(uses) > 5 else "")
            + "; remove it there first"
        )


def _uses(atlas: Atlas, kind: str, entry_id: str) -> list[str]:
    """Where a shared library entry is used (journeys that define their own are not users)."""
    out = []
    if kind == "channels":
        out += [f"touchpoint '{t.id}'" for t in atlas.library.touchpoints if t.channel == entry_id]
    for journey in atlas.journeys:
        own = getattr(journey.library, kind)
        if any(e.id == entry_id for e in own):
            continue
        where = f"journey '{journey.id}'"
        if kind == "touchpoints":
            out += [f"{where}, step '{s.id}'" for s in journey.steps() if entry_id in s.touchpoints]
        elif kind == "kpis":
            out += [
                f"{where}, lane '{lane}' at step '{step}'"
                for lane, row in journey.cells.items()
                for step, items in row.items()
                if any(getattr(item, "kpi", None) == entry_id for item in items)
            ]
        else:
            out += [
                f"{where}, touchpoint '{t.id}'"
                for t in journey.library.touchpoints
                if t.channel == entry_id
            ]
    return out
