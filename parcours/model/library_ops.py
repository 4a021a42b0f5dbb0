"""Adding, editing and removing entries of a library (a journey's own or the shared one)."""

from __future__ import annotations

from typing import Any

from parcours.model.errors import InvalidOperation, Said, noun, thing
from parcours.model.library import Channel, KpiDefinition, Library, Touchpoint
from parcours.model.locate import find, index_in, validated
from parcours.model.operations import (
    LIBRARY_FIELDS,
    AddLibraryEntry,
    RemoveLibraryEntry,
    SetLibraryEntryField,
)

ENTRY_MODELS: dict[str, Any] = {
    "channels": Channel,
    "touchpoints": Touchpoint,
    "kpis": KpiDefinition,
}
SINGULAR = {"channels": "channel", "touchpoints": "touchpoint", "kpis": "KPI"}

LibraryOp = AddLibraryEntry | RemoveLibraryEntry | SetLibraryEntryField


def edit_library(library: Library, op: LibraryOp) -> None:
    """Apply a library operation in place (checks of references are the caller's)."""
    entries = getattr(library, op.kind)
    match op:
        case AddLibraryEntry(kind=kind, entry=entry, index=index):
            value = validated(
                ENTRY_MODELS[kind], entry, Said.of("what.entry", kinds=Said(f"kinds.{kind}"))
            )
            if any(e.id == value.id for e in entries):
                raise InvalidOperation.of("exists.entry", kinds=Said(f"kinds.{kind}"), id=value.id)
            entries.insert(index_in(len(entries), index), value)
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            del entries[find(entries, "id", entry_id, SINGULAR[kind])]
        case SetLibraryEntryField(kind=kind, id=entry_id, field=field, value=value):
            if field not in LIBRARY_FIELDS[kind]:
                raise InvalidOperation.of(
                    "library.no_field",
                    kind=noun(SINGULAR[kind]),
                    field=field,
                    choices=", ".join(LIBRARY_FIELDS[kind]),
                )
            i = find(entries, "id", entry_id, SINGULAR[kind])
            data = entries[i].model_dump()
            data[field] = value
            entries[i] = validated(ENTRY_MODELS[kind], data, thing(SINGULAR[kind], entry_id))


def library_inverse(library: Library, op: LibraryOp) -> LibraryOp:
    entries = getattr(library, op.kind)
    match op:
        case AddLibraryEntry(kind=kind, entry=entry):
            return RemoveLibraryEntry(kind=kind, id=entry.get("id", ""))
        case RemoveLibraryEntry(kind=kind, id=entry_id):
            i = find(entries, "id", entry_id, SINGULAR[kind])
            return AddLibraryEntry(kind=kind, entry=entries[i].model_dump(mode="json"), index=i)
        case SetLibraryEntryField(kind=kind, id=entry_id, field=field):
            entry = entries[find(entries, "id", entry_id, SINGULAR[kind])]
            old = getattr(entry, field, None)
            return SetLibraryEntryField(
                kind=kind,
                id=entry_id,
                field=field,
                value=entry.model_dump(mode="json").get(field, old),
            )
    raise AssertionError(op)
