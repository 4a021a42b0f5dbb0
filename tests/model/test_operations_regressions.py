"""Regressions of the operations: each test failed before its fix."""

from __future__ import annotations

import json

import pytest

from parcours.catalog import load_demo
from parcours.errors import InvalidOperation
from parcours.model import operations as ops
from parcours.model.apply import apply, inverse
from parcours.model.journey import Journey


def _demo_journey_using_the_shared_library() -> tuple[Journey, object]:
    atlas = load_demo()
    for journey in atlas.journeys:
        shared = {t.id for t in atlas.library.touchpoints} - {
            t.id for t in journey.library.touchpoints
        }
        if any(set(s.touchpoints) & shared for s in journey.steps()):
            return journey, atlas.library
    raise AssertionError("the demo has no journey using shared touchpoints")


def test_the_inverse_of_a_batch_uses_the_workspace_library() -> None:
    journey, library = _demo_journey_using_the_shared_library()
    step = journey.steps()[0]
    batch = ops.Batch(
        ops=[
            ops.SetStepField(step=step.id, field="name", value="Renamed"),
            ops.SetEmotion(step=step.id, score=2),
        ]
    )
    edited = apply(journey, batch, library=library)  # type: ignore[arg-type]
    undo = inverse(journey, batch, library=library)  # type: ignore[arg-type]
    assert apply(edited, undo, library=library) == journey  # type: ignore[arg-type]


def test_a_batch_that_applies_has_an_inverse() -> None:
    """The batch passes through a state that is invalid on its own (a step on a path not yet
    declared); apply validates only the end, and so must the inverse."""
    journey = Journey.model_validate(
        {
            "id": "j",
            "title": "T",
            "stages": [{"id": "s", "name": "S", "steps": [{"id": "a", "name": "A"}]}],
        }
    )
    batch = ops.Batch(
        ops=[
            ops.SetStepField(step="a", field="path", value="online"),
            ops.AddPath(path={"id": "online", "name": "Online"}),
        ]
    )
    edited = apply(journey, batch)
    undo = inverse(journey, batch)
    assert apply(edited, undo) == journey
    # checked and undone in one pass: the same rule
    assert ops.apply_with_inverse(journey, batch) == (edited, undo)
    broken = ops.Batch(ops=[ops.SetStepField(step="a", field="path", value="nowhere")])
    with pytest.raises(InvalidOperation, match="path 'nowhere', which is not defined"):
        ops.apply_with_inverse(journey, broken)


def test_unknown_persona_ids_are_refused_when_the_workspace_is_known() -> None:
    atlas = load_demo()
    journey = atlas.journeys[0]
    known = {p.id for p in atlas.personas}
    op = ops.SetJourneyField(field="personas", value=["nobody"])
    with pytest.raises(InvalidOperation, match="no persona with id 'nobody'") as info:
        apply(journey, op, library=atlas.library, personas=known)
    assert sorted(known)[0] in str(info.value)
    kept = apply(
        journey,
        ops.SetJourneyField(field="personas", value=sorted(known)[:1]),
        library=atlas.library,
        personas=known,
    )
    assert isinstance(kept, Journey) and kept.personas == sorted(known)[:1]


def test_describe_keeps_the_operation_tag_at_every_level() -> None:
    op = ops.Batch(ops=[ops.SetEmotion(step="a", score=1), ops.RemoveStep(step="b")])
    described = json.loads(op.describe())
    assert described["op"] == "batch"
    assert [sub["op"] for sub in described["ops"]] == ["set_emotion", "remove_step"]
    assert ops.operation_from_json(op.describe()) == op
