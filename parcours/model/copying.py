"""A fast deep copy of model objects, for ``apply`` and ``inverse``.

``copy.deepcopy`` (what pydantic's ``model_copy(deep=True)`` runs) visits every value
through its generic protocol and a memo of ids: on the 19-step demo journey it is more than
half the cost of one edit applied by the server. :func:`fresh_copy` walks the model's own
shapes instead (models, lists, dicts, tuples, sets and immutable scalars) and builds the
same objects as ``model_copy(deep=True)`` (same classes, field values, fields set, extras
and private attributes); anything else is handed to ``copy.deepcopy``. One difference: an
object reachable twice from the copied one is copied twice (the model never shares parts:
operations insert copies).
"""

from __future__ import annotations

import copy
import datetime
import decimal
import enum
from typing import TypeVar

from pydantic import BaseModel

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)
J = TypeVar("J", bound=BaseModel)

_ATOMS = (str, int, float, bool, type(None), bytes, decimal.Decimal, datetime.date)
_ATOM_TYPES = frozenset(
    {str, int, float, bool, type(None), bytes, decimal.Decimal, datetime.date, datetime.datetime}
)
_set = object.__setattr__


def fresh_copy(value: T) -> T:
    """A deep copy of ``value`` that shares no mutable part with it."""
    kind = type(value)
    if kind in _ATOM_TYPES:
        return value
    if kind is list:
        return [v if type(v) in _ATOM_TYPES else fresh_copy(v) for v in value]  # type: ignore[attr-defined, return-value]
    if kind is dict:
        return {k: fresh_copy(v) for k, v in value.items()}  # type: ignore[attr-defined, return-value]
    if isinstance(value, BaseModel):
        return _model(value)  # type: ignore[return-value]
    if isinstance(value, (*_ATOMS, enum.Enum)):
        return value
    if kind is tuple:
        return tuple(fresh_copy(v) for v in value)  # type: ignore[attr-defined, return-value]
    if kind is frozenset:
        return value
    if kind is set:
        return {fresh_copy(v) for v in value}  # type: ignore[attr-defined, return-value]
    return copy.deepcopy(value)


def _model(model: BaseModel) -> BaseModel:
    cls = type(model)
    new = cls.__new__(cls)
    fields = {}
    for k, v in model.__dict__.items():
        fields[k] = v if type(v) in _ATOM_TYPES else fresh_copy(v)
    _set(new, "__dict__", fields)
    extra = model.__pydantic_extra__
    _set(new, "__pydantic_extra__", None if extra is None else fresh_copy(extra))
    _set(new, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    private = getattr(model, "__pydantic_private__", None)
    _set(new, "__pydantic_private__", None if private is None else copy.deepcopy(private))
    return new


def shell(model: M) -> M:
    """A new model object whose fields are the same objects as ``model``'s (a shallow copy
    that, unlike ``model_copy()``, costs one dict copy)."""
    cls = type(model)
    new = cls.__new__(cls)
    _set(new, "__dict__", dict(model.__dict__))
    extra = model.__pydantic_extra__
    _set(new, "__pydantic_extra__", None if extra is None else dict(extra))
    _set(new, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    private = getattr(model, "__pydantic_private__", None)
    _set(new, "__pydantic_private__", None if private is None else copy.deepcopy(private))
    return new


def spine_copy(journey: J, op: object) -> J | None:
    """A copy of ``journey`` in which ``op`` may be applied in place, sharing every part the
    operation leaves alone; ``None`` for an operation not known here (copy it all).

    Only for the edits people make most, whose in-place changes are known exactly (see
    ``parcours.model.apply``): a cell's items (set, add, edit, remove a card, an emotion)
    replace one entry of one lane's row of ``cells``; a step's field replaces one step in its
    stage's list. The copy gets its own ``cells`` and that lane's row, or its own list of
    stages with their own lists of steps; the items, steps and lanes themselves are shared.
    Neither the copy nor the original may then be changed in place but through this path.
    """
    kind = getattr(op, "op", None)
    if kind in _CELL_OPS:
        lane = getattr(op, "lane", None)
        new = shell(journey)
        cells = dict(journey.cells)  # type: ignore[attr-defined]
        if lane in cells:
            cells[lane] = dict(cells[lane])
        new.__dict__["cells"] = cells
        return new
    if kind == "set_step":
        new = shell(journey)
        stages = []
        for stage in journey.stages:  # type: ignore[attr-defined]
            copied = shell(stage)
            copied.__dict__["steps"] = list(stage.steps)
            stages.append(copied)
        new.__dict__["stages"] = stages
        return new
    return None


_CELL_OPS = frozenset({"set_cell", "add_card", "edit_card", "remove_card", "set_emotion"})
