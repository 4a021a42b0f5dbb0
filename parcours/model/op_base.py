"""What every operation shares: the base class, its audit line, and the fields that each
``set_…`` operation may set (:mod:`parcours.model.operations` lists the operations)."""

from __future__ import annotations

import json
from typing import Any, ClassVar, Literal

from parcours.model.base import Model
from parcours.model.journey import Journey, Step
from parcours.model.library import Channel, KpiDefinition, Touchpoint
from parcours.model.persona import Persona

_STRUCTURE = {"id", "entries", "paths", "stages", "lanes", "cells", "comments", "library"}
#: the fields that each ``set_…`` operation may set
JOURNEY_FIELDS = tuple(name for name in Journey.model_fields if name not in _STRUCTURE)
STAGE_FIELDS = ("name", "phase", "description")
STEP_FIELDS = tuple(name for name in Step.model_fields if name not in {"id", "next"})
LANE_FIELDS = ("title", "visible")
PATH_FIELDS = ("name", "description")
COMMENT_FIELDS = ("text", "resolved")
PERSONA_FIELDS = tuple(name for name in Persona.model_fields if name != "id")
WORKSPACE_FIELDS = ("name", "description", "lang", "currency")
LIBRARY_KINDS = ("channels", "touchpoints", "kpis")
#: the fields of a library entry that ``set_library_entry`` may set, by kind
LIBRARY_FIELDS = {
    "channels": tuple(n for n in Channel.model_fields if n != "id"),
    "touchpoints": tuple(n for n in Touchpoint.model_fields if n != "id"),
    "kpis": tuple(n for n in KpiDefinition.model_fields if n != "id"),
}
_ANY_LIBRARY_FIELD = tuple(dict.fromkeys(f for fields in LIBRARY_FIELDS.values() for f in fields))
LibraryKind = Literal["channels", "touchpoints", "kpis"]


class _Op(Model):
    #: what the operation edits: "journey", "workspace" or "persona"
    target: ClassVar[str] = "journey"

    def describe(self) -> str:
        """One line of JSON for an audit log: the tag and every field that is not a default."""
        return json.dumps(_tagged(self), ensure_ascii=False, separators=(",", ":"))


def _tagged(op: _Op) -> dict[str, Any]:
    data = op.model_dump(mode="json", exclude_defaults=True)
    subs = getattr(op, "ops", None)  # a batch, or the journey operations of edit_journey
    if isinstance(subs, list):
        data["ops"] = [_tagged(sub) for sub in subs]
    return {"op": op.op, **data}  # type: ignore[attr-defined]
