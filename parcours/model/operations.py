"""Every edit is a typed operation (``parcours.model.apply`` applies and inverts them).

Operations serialise to JSON (``op`` names the kind) and are the unit of history, undo,
audit and live updates: ``operation_from_json`` / ``operation_to_json``.

Most operations edit a journey; :data:`WORKSPACE_OPERATIONS` edit a workspace (an
:class:`~parcours.model.atlas.Atlas`): its fields, journeys, personas and shared library, and
``edit_journey`` carries journey operations into one of its journeys. ``footprint`` (in
:mod:`parcours.model.footprint`) says what each one reads and writes.
"""

from __future__ import annotations

import importlib
import typing
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field, TypeAdapter, ValidationError

from parcours.model.base import Id
from parcours.model.errors import InvalidOperation
from parcours.model.items import Item
from parcours.model.journey import Comment, Journey, Lane, Link, PathDef, Stage, Step
from parcours.model.op_base import (
    COMMENT_FIELDS,
    JOURNEY_FIELDS,
    LANE_FIELDS,
    LIBRARY_FIELDS,
    LIBRARY_KINDS,
    PATH_FIELDS,
    PERSONA_FIELDS,
    STAGE_FIELDS,
    STEP_FIELDS,
    WORKSPACE_FIELDS,
    LibraryKind,
    _Op,
)
from parcours.model.snapshot import IncomingLink, StepSnapshot
from parcours.model.workspace_operations import (
    AddJourney,
    AddLibraryEntry,
    AddPersona,
    RemoveJourney,
    RemoveLibraryEntry,
    RemovePersona,
    SetLibraryEntryField,
    SetPersonaField,
    SetWorkspaceField,
)

if TYPE_CHECKING:  # defined next to what they use; importable from here (see __getattr__)
    from parcours.model.apply import apply, apply_with_inverse, inverse
    from parcours.model.footprint import Footprint, commute, footprint


# -- the journey ------------------------------------------------------------------------------
class SetJourneyField(_Op):
    op: Literal["set_journey"] = "set_journey"
    field: Literal[JOURNEY_FIELDS]  # type: ignore[valid-type]
    value: Any = None


class SetEntries(_Op):
    op: Literal["set_entries"] = "set_entries"
    entries: list[Id]


class AddEntry(_Op):
    op: Literal["add_entry"] = "add_entry"
    step: Id
    index: int | None = None


class RemoveEntry(_Op):
    op: Literal["remove_entry"] = "remove_entry"
    step: Id


# -- stages -----------------------------------------------------------------------------------
class AddStage(_Op):
    op: Literal["add_stage"] = "add_stage"
    stage: Stage
    index: int | None = None
    snapshots: list[StepSnapshot] = Field(default_factory=list)  # cells etc. of its steps


class RemoveStage(_Op):
    op: Literal["remove_stage"] = "remove_stage"
    stage: Id


class MoveStage(_Op):
    op: Literal["move_stage"] = "move_stage"
    stage: Id
    index: int


class SetStageField(_Op):
    op: Literal["set_stage"] = "set_stage"
    stage: Id
    field: Literal[STAGE_FIELDS]  # type: ignore[valid-type]
    value: Any = None


# -- steps ------------------------------------------------------------------------------------
class AddStep(_Op):
    op: Literal["add_step"] = "add_step"
    stage: Id
    step: Step
    index: int | None = None
    snapshot: StepSnapshot | None = None  # cells, links in and entry, when undoing a removal


class RemoveStep(_Op):
    op: Literal["remove_step"] = "remove_step"
    step: Id


class MoveStep(_Op):
    op: Literal["move_step"] = "move_step"
    step: Id
    stage: Id
    index: int


class SetStepField(_Op):
    op: Literal["set_step"] = "set_step"
    step: Id
    field: Literal[STEP_FIELDS]  # type: ignore[valid-type]
    value: Any = None


class SetNext(_Op):
    """Set a step's ways out (``None``: back to the implicit next step)."""

    op: Literal["set_next"] = "set_next"
    step: Id
    next: list[Link] | None = None


class AddLink(_Op):
    """Add a way out of a step: a branch, or a loop when it goes back to an earlier step."""

    op: Literal["add_link"] = "add_link"
    step: Id
    link: Link
    index: int | None = None


class EditLink(_Op):
    op: Literal["edit_link"] = "edit_link"
    step: Id
    to: Id
    label: str | None = None
    share: float | None = Field(default=None, ge=0, le=1)


class RemoveLink(_Op):
    op: Literal["remove_link"] = "remove_link"
    step: Id
    to: Id


# -- paths ------------------------------------------------------------------------------------
class AddPath(_Op):
    op: Literal["add_path"] = "add_path"
    path: PathDef
    index: int | None = None


class RemovePath(_Op):
    op: Literal["remove_path"] = "remove_path"
    path: Id


class SetPathField(_Op):
    op: Literal["set_path"] = "set_path"
    path: Id
    field: Literal[PATH_FIELDS]  # type: ignore[valid-type]
    value: Any = None


# -- lanes ------------------------------------------------------------------------------------
class AddLane(_Op):
    op: Literal["add_lane"] = "add_lane"
    lane: Lane
    index: int | None = None
    cells: dict[Id, list[Item]] = Field(default_factory=dict)  # step id → items


class RemoveLane(_Op):
    op: Literal["remove_lane"] = "remove_lane"
    lane: Id


class MoveLane(_Op):
    op: Literal["move_lane"] = "move_lane"
    lane: Id
    index: int


class SetLaneField(_Op):
    op: Literal["set_lane"] = "set_lane"
    lane: Id
    field: Literal[LANE_FIELDS]  # type: ignore[valid-type]
    value: Any = None


# -- cells ------------------------------------------------------------------------------------
class SetCell(_Op):
    op: Literal["set_cell"] = "set_cell"
    lane: Id
    step: Id
    items: list[Item] = Field(default_factory=list)


class AddCard(_Op):
    """Add an item (card, pain point, opportunity, KPI…) to a cell."""

    op: Literal["add_card"] = "add_card"
    lane: Id
    step: Id
    item: Item
    index: int | None = None


class EditCard(_Op):
    op: Literal["edit_card"] = "edit_card"
    lane: Id
    step: Id
    index: int
    item: Item


class RemoveCard(_Op):
    op: Literal["remove_card"] = "remove_card"
    lane: Id
    step: Id
    index: int


class SetEmotion(_Op):
    """Set (or clear, with ``score: null``) the emotion of a step on an emotion lane."""

    op: Literal["set_emotion"] = "set_emotion"
    lane: Id = "emotions"
    step: Id
    score: int | None = Field(default=None, ge=-2, le=2)
    label: str | None = None
    emoji: str | None = None


# -- comments and library ---------------------------------------------------------------------
class AddComment(_Op):
    op: Literal["add_comment"] = "add_comment"
    comment: Comment
    index: int | None = None


class RemoveComment(_Op):
    op: Literal["remove_comment"] = "remove_comment"
    comment: Id


class SetCommentField(_Op):
    op: Literal["set_comment"] = "set_comment"
    comment: Id
    field: Literal[COMMENT_FIELDS]  # type: ignore[valid-type]
    value: Any = None


class ReplaceJourney(_Op):
    """Put a whole journey in place of the current one (a restore, an import over an existing
    map, a computed overlay applied as one revision)."""

    op: Literal["replace_journey"] = "replace_journey"
    journey: Journey


class EditJourney(_Op):
    """Journey operations applied, as one batch, to one journey of a workspace."""

    op: Literal["edit_journey"] = "edit_journey"
    target: ClassVar[str] = "workspace"
    journey: Id
    ops: list[Operation]


class Batch(_Op):
    """Several operations applied as one (undo of a compound edit, a pasted block…).

    On a journey, only the end state is validated; on a workspace, every operation is checked
    as it comes (each keeps the workspace whole).
    """

    op: Literal["batch"] = "batch"
    target: ClassVar[str] = "journey or workspace"
    ops: list[Operation]


Operation = Annotated[
    Batch
    | SetJourneyField
    | SetEntries
    | AddEntry
    | RemoveEntry
    | AddStage
    | RemoveStage
    | MoveStage
    | SetStageField
    | AddStep
    | RemoveStep
    | MoveStep
    | SetStepField
    | SetNext
    | AddLink
    | EditLink
    | RemoveLink
    | AddPath
    | RemovePath
    | SetPathField
    | AddLane
    | RemoveLane
    | MoveLane
    | SetLaneField
    | SetCell
    | AddCard
    | EditCard
    | RemoveCard
    | SetEmotion
    | AddComment
    | RemoveComment
    | SetCommentField
    | AddLibraryEntry
    | RemoveLibraryEntry
    | SetLibraryEntryField
    | ReplaceJourney
    | SetPersonaField
    | SetWorkspaceField
    | AddJourney
    | RemoveJourney
    | AddPersona
    | RemovePersona
    | EditJourney,
    Field(discriminator="op"),
]
Batch.model_rebuild()
EditJourney.model_rebuild()
#: every kind of operation, by its ``op`` tag
OPERATIONS: dict[str, type[_Op]] = {
    cls.model_fields["op"].default: cls for cls in typing.get_args(typing.get_args(Operation)[0])
}
#: the operations that apply to a workspace (an Atlas) rather than to one journey
WORKSPACE_OPERATIONS = frozenset(
    tag for tag, cls in OPERATIONS.items() if "workspace" in cls.target
)
_OPERATION = TypeAdapter(Operation)
_OPERATIONS = TypeAdapter(list[Operation])


def operation_from_json(data: str | bytes | dict[str, Any]) -> Operation:
    """Read one operation from JSON text or a dict; a bad one raises InvalidOperation."""
    try:
        if isinstance(data, dict):
            return _OPERATION.validate_python(data)
        return _OPERATION.validate_json(data)
    except ValidationError as exc:
        raise InvalidOperation(explain(exc)) from None


def operations_schema() -> dict[str, Any]:
    """The JSON Schema of a list of operations (the body of an edit), every kind included."""
    schema = _OPERATIONS.json_schema()
    schema["title"] = "parcours operations"
    return schema


def operation_to_json(op: Operation) -> str:
    return op.model_dump_json(exclude_defaults=False)


def explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    return "invalid operation: " + "; ".join(parts)


_ELSEWHERE = {
    "apply": "parcours.model.apply",
    "apply_with_inverse": "parcours.model.apply",
    "inverse": "parcours.model.apply",
    "Footprint": "parcours.model.footprint",
    "commute": "parcours.model.footprint",
    "footprint": "parcours.model.footprint",
}


def __getattr__(name: str) -> Any:
    if name in _ELSEWHERE:
        return getattr(importlib.import_module(_ELSEWHERE[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "COMMENT_FIELDS",
    "JOURNEY_FIELDS",
    "LANE_FIELDS",
    "LIBRARY_FIELDS",
    "LIBRARY_KINDS",
    "PATH_FIELDS",
    "PERSONA_FIELDS",
    "STAGE_FIELDS",
    "STEP_FIELDS",
    "WORKSPACE_FIELDS",
    "LibraryKind",
    "OPERATIONS",
    "IncomingLink",
    "StepSnapshot",
    "WORKSPACE_OPERATIONS",
    "Footprint",
    "Operation",
    "apply",
    "apply_with_inverse",
    "commute",
    "footprint",
    "inverse",
    "operation_from_json",
    "operation_to_json",
    "operations_schema",
    *sorted(cls.__name__ for cls in OPERATIONS.values()),
]
