"""The operations on a shared library, on personas and on a workspace's own fields and
members (its journeys and personas). Every one is importable from
:mod:`parcours.model.operations`, which joins them with the journey operations."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from parcours.model.base import Id
from parcours.model.journey import Journey
from parcours.model.op_base import (
    _ANY_LIBRARY_FIELD,
    PERSONA_FIELDS,
    WORKSPACE_FIELDS,
    LibraryKind,
    _Op,
)
from parcours.model.persona import Persona


# -- the library ------------------------------------------------------------------------------
class AddLibraryEntry(_Op):
    """Add a channel, touchpoint or KPI definition to a journey's own library, or to the
    workspace's shared library when applied to a workspace."""

    op: Literal["add_library_entry"] = "add_library_entry"
    target: ClassVar[str] = "journey or workspace"
    kind: LibraryKind
    entry: dict[str, Any]
    index: int | None = None


class RemoveLibraryEntry(_Op):
    op: Literal["remove_library_entry"] = "remove_library_entry"
    target: ClassVar[str] = "journey or workspace"
    kind: LibraryKind
    id: Id


class SetLibraryEntryField(_Op):
    op: Literal["set_library_entry"] = "set_library_entry"
    target: ClassVar[str] = "journey or workspace"
    kind: LibraryKind
    id: Id
    field: Literal[_ANY_LIBRARY_FIELD]  # type: ignore[valid-type]
    value: Any = None


# -- personas ---------------------------------------------------------------------------------
class SetPersonaField(_Op):
    """Set a field of a persona: the persona itself, or the one with id ``persona`` of a
    workspace."""

    op: Literal["set_persona"] = "set_persona"
    target: ClassVar[str] = "persona or workspace"
    persona: Id | None = None
    field: Literal[PERSONA_FIELDS]  # type: ignore[valid-type]
    value: Any = None


# -- the workspace ----------------------------------------------------------------------------
class SetWorkspaceField(_Op):
    op: Literal["set_workspace"] = "set_workspace"
    target: ClassVar[str] = "workspace"
    field: Literal[WORKSPACE_FIELDS]  # type: ignore[valid-type]
    value: Any = None


class AddJourney(_Op):
    op: Literal["add_journey"] = "add_journey"
    target: ClassVar[str] = "workspace"
    journey: Journey
    index: int | None = None


class RemoveJourney(_Op):
    op: Literal["remove_journey"] = "remove_journey"
    target: ClassVar[str] = "workspace"
    journey: Id


class AddPersona(_Op):
    op: Literal["add_persona"] = "add_persona"
    target: ClassVar[str] = "workspace"
    persona: Persona
    index: int | None = None


class RemovePersona(_Op):
    op: Literal["remove_persona"] = "remove_persona"
    target: ClassVar[str] = "workspace"
    persona: Id
