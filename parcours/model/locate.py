"""Finding things in a journey by id, for the operations, with the usual messages.

Also what removing a step loses besides the step (its :class:`StepSnapshot`), so that the
removal can be undone exactly.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from parcours.model import errors
from parcours.model.errors import InvalidOperation, Said
from parcours.model.journey import Journey, Lane, Link, Stage
from parcours.model.operations import IncomingLink, StepSnapshot


def no_such(what: str | Said, value: str, choices: list[str]) -> InvalidOperation:
    """The error for a missing id, naming the ids there are (the model's usual sentence)."""
    return InvalidOperation.like(errors.no_such(what, value, choices))


def index_in(length: int, index: int | None, *, inclusive: bool = True) -> int:
    """``index`` checked against a list of ``length`` (``None``: the end)."""
    limit = length if inclusive else length - 1
    if index is None:
        return length
    if index < 0 or index > limit:
        raise InvalidOperation.of("op.index", index=str(index), limit=str(limit))
    return index


def validated(model: Any, data: dict[str, Any], what: str | Said) -> Any:
    """``model`` made from ``data``; a refusal names ``what`` and each bad value, in words of
    every language for the usual mistakes (empty, too long, not one of the choices…)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        details = tuple(_detail(err) for err in exc.errors()[:5])
        raise InvalidOperation.of("op.invalid", what=what, details=details) from None


#: The usual mistakes pydantic finds, by its error type: the sentence and its value.
_MISTAKES: dict[str, tuple[str, str | None]] = {
    "string_too_long": ("value.too_long", "max_length"),
    "too_long": ("value.too_many", "max_length"),
    "greater_than_equal": ("value.at_least", "ge"),
    "less_than_equal": ("value.at_most", "le"),
    "greater_than": ("value.above", "gt"),
    "less_than": ("value.below", "lt"),
    "literal_error": ("value.one_of", "expected"),
    "enum": ("value.one_of", "expected"),
    "missing": ("value.missing", None),
    "extra_forbidden": ("value.extra", None),
    "int_parsing": ("value.whole", None),
    "int_type": ("value.whole", None),
    "int_from_float": ("value.whole", None),
    "float_parsing": ("value.number", None),
    "float_type": ("value.number", None),
    "bool_parsing": ("value.bool", None),
    "bool_type": ("value.bool", None),
    "string_type": ("value.text", None),
    "list_type": ("value.list", None),
    "dict_type": ("value.mapping", None),
}


def _detail(err: Any) -> Said:
    """One error of pydantic as a sentence (its own English words for the rarer ones)."""
    field = ".".join(str(x) for x in err["loc"]) or "value"
    ctx = err.get("ctx") or {}
    kind = err["type"]
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return Said.of("value.empty", field=field)
    if kind == "string_too_short":
        return Said.of("value.too_short", field=field, n=str(ctx.get("min_length")))
    code, key = _MISTAKES.get(kind, ("value.other", None))
    if code == "value.other":
        return Said.of(code, field=field, msg=str(err["msg"]))
    if key is None:
        return Said.of(code, field=field)
    value = str(ctx.get(key, "")).replace(" or ", ", ")
    return Said.of(code, field=field, n=value)


def with_field(obj: Any, field: str, value: Any, what: str | Said) -> Any:
    """A copy of ``obj`` with one field set, validated like the original."""
    data = obj.model_dump()
    data[field] = value
    return validated(type(obj), data, what)


def find(items: list[Any], key: str, value: str, what: str | Said) -> int:
    """The position of the item whose ``key`` is ``value``."""
    for i, item in enumerate(items):
        if getattr(item, key) == value:
            return i
    raise no_such(what, value, [str(getattr(item, key)) for item in items])


def find_step(j: Journey, step_id: str) -> tuple[Stage, int]:
    for stage in j.stages:
        for i, step in enumerate(stage.steps):
            if step.id == step_id:
                return stage, i
    raise no_such("step", step_id, [s.id for s in j.steps()])


def lane_of(j: Journey, lane_id: str) -> Lane:
    return j.lanes[find(j.lanes, "id", lane_id, "lane")]


def snapshot(j: Journey, step_id: str, removed_with: frozenset[str] = frozenset()) -> StepSnapshot:
    """What removing a step loses besides the step: cells, links into it, entry, comments.

    Links from ``removed_with`` (steps removed together, e.g. a stage's) stay on those steps.
    """
    stage, i = find_step(j, step_id)
    incoming = []
    for other in j.steps():
        if other.next and other.id not in removed_with:
            for k, link in enumerate(other.next):
                if link.to == step_id and other.id != step_id:
                    incoming.append(IncomingLink(source=other.id, index=k, link=link))
    return StepSnapshot(
        step=stage.steps[i],
        cells={lane: row[step_id] for lane, row in j.cells.items() if step_id in row},
        incoming=incoming,
        entry_index=j.entries.index(step_id) if step_id in j.entries else None,
        comments=[(k, c) for k, c in enumerate(j.comments) if c.step == step_id],
    )


def detach(j: Journey, step_id: str) -> None:
    """Remove a step with its cells, the links into it, its entry and its comments."""
    stage, i = find_step(j, step_id)
    del stage.steps[i]
    for row in j.cells.values():
        row.pop(step_id, None)
    j.cells = {lane: row for lane, row in j.cells.items() if row}
    for other in j.steps():
        if other.next:
            other.next = [link for link in other.next if link.to != step_id]
    j.entries = [e for e in j.entries if e != step_id]
    j.comments = [c for c in j.comments if c.step != step_id]


def attach(j: Journey, snaps: list[StepSnapshot]) -> None:
    """Put back what :func:`detach` took away from steps already back in place.

    Links, entries and comments go back in the order of their old positions, across all the
    steps, so that each lands where it was.
    """
    for snap in snaps:
        for lane, items in snap.cells.items():
            j.cells.setdefault(lane, {})[snap.step.id] = list(items)
    for inc in sorted((i for snap in snaps for i in snap.incoming), key=lambda x: x.index):
        source = j.step(inc.source)
        if source.next is None:
            raise InvalidOperation.of("link.no_explicit", step=inc.source)
        source.next.insert(min(inc.index, len(source.next)), inc.link)
    entries = sorted((s.entry_index, s.step.id) for s in snaps if s.entry_index is not None)
    for k, step_id in entries:
        j.entries.insert(min(k, len(j.entries)), step_id)
    for k, comment in sorted((c for s in snaps for c in s.comments), key=lambda x: x[0]):
        j.comments.insert(min(k, len(j.comments)), comment)


def set_cell(j: Journey, lane_id: str, step_id: str, items: list[Any]) -> None:
    lane_of(j, lane_id)
    find_step(j, step_id)
    if items:
        j.cells.setdefault(lane_id, {})[step_id] = list(items)
    else:
        row = j.cells.get(lane_id, {})
        row.pop(step_id, None)
        if lane_id in j.cells and not row:
            del j.cells[lane_id]


def materialised_next(j: Journey, step_id: str) -> list[Link]:
    """A step's ways out as explicit links (the implicit next step when it has none)."""
    step = j.step(step_id)
    return list(step.next) if step.next is not None else j.successors(step_id)
