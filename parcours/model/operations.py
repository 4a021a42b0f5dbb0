"""Every edit is a typed operation (``parcours.model.apply`` applies and inverts them).

Operations serialise to JSON (``op`` names the kind) and are the unit of history, undo,
audit and live updates: ``operation_from_json`` / ``operation_to_json``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from parcours.model.base import Id, Model
from parcours.model.errors import InvalidOperation
from parcours.model.items import Item
from parcours.model.journey import Comment, Lane, Link, PathDef, Stage, Step
from parcours.model.library import Channel, KpiDefinition, Touchpoint
from parcours.model.persona import Persona

JOURNEY_FIELDS = (
    "title", "lang", "personas", "scope", "description", "state", "evidence", "status",
    "owner", "value", "tags", "reviewed",
)  # fmt: skip
STAGE_FIELDS = ("name", "phase", "description")
STEP_FIELDS = (
    "name",
    "description",
    "touchpoints",
    "moment_of_truth",
    "observed_as",
    "path",
    "end",
)
LANE_FIELDS = ("title", "visible")
PATH_FIELDS = ("name", "description")
COMMENT_FIELDS = ("text", "resolved")
PERSONA_FIELDS = tuple(name for name in Persona.model_fields if name != "id")


class _Op(Model):
    def describe(self) -> str:
        return self.model_dump_json(exclude_defaults=True)


# -- snapshots of removed steps, so that removal is undone exactly ---------------------------
class IncomingLink(Model):
    source: Id
    index: int
    link: Link


class StepSnapshot(Model):
    step: Step
    cells: dict[Id, list[Item]] = Field(default_factory=dict)  # lane id → items
    incoming: list[IncomingLink] = Field(default_factory=list)
    entry_index: int | None = None
    comments: list[tuple[int, Comment]] = Field(default_factory=list)


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


LibraryEntry = Annotated[Channel | Touchpoint | KpiDefinition, Field(union_mode="left_to_right")]


class AddLibraryEntry(_Op):
    op: Literal["add_library_entry"] = "add_library_entry"
    kind: Literal["channels", "touchpoints", "kpis"]
    entry: dict[str, Any]
    index: int | None = None


class RemoveLibraryEntry(_Op):
    op: Literal["remove_library_entry"] = "remove_library_entry"
    kind: Literal["channels", "touchpoints", "kpis"]
    id: Id


# -- personas ---------------------------------------------------------------------------------
class SetPersonaField(_Op):
    op: Literal["set_persona"] = "set_persona"
    field: Literal[PERSONA_FIELDS]  # type: ignore[valid-type]
    value: Any = None


class Batch(_Op):
    """Several operations applied as one (undo of a compound edit, a pasted block…)."""

    op: Literal["batch"] = "batch"
    ops: list[Operation]


Operation = Annotated[
    Batch | SetJourneyField | SetEntries | AddEntry | RemoveEntry
    | AddStage | RemoveStage | MoveStage | SetStageField
    | AddStep | RemoveStep | MoveStep | SetStepField | SetNext | AddLink | EditLink | RemoveLink
    | AddPath | RemovePath | SetPathField
    | AddLane | RemoveLane | MoveLane | SetLaneField
    | SetCell | AddCard | EditCard | RemoveCard | SetEmotion
    | AddComment | RemoveComment | SetCommentField | AddLibraryEntry | RemoveLibraryEntry
    | SetPersonaField,
    Field(discriminator="op"),
]  # fmt: skip
Batch.model_rebuild()
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


def operation_to_json(op: Operation) -> str:
    return op.model_dump_json(exclude_defaults=False)


def explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err["loc"])
        parts.append(f"{where}: {err['msg']}" if where else err["msg"])
    return "invalid operation: " + "; ".join(parts)
