"""Whole-journey and workspace operations: apply, exact inverse, checks and messages."""

from __future__ import annotations

import pytest

from parcours.catalog import load_demo
from parcours.errors import InvalidOperation
from parcours.model import operations as ops
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.model.validation import atlas_problems


def _errors(atlas: Atlas) -> list[str]:
    return [p.message for p in atlas_problems(atlas) if p.severity == "error"]


def test_replace_journey_puts_a_whole_journey_in_place_and_undoes_exactly() -> None:
    atlas = load_demo()
    before, other = atlas.journeys[0], atlas.journeys[1]
    replacement = other.model_copy(update={"id": before.id})
    op = ops.ReplaceJourney(journey=replacement)
    after, undo = ops.apply_with_inverse(before, op, library=atlas.library)
    assert after == replacement and after is not replacement
    assert undo == ops.ReplaceJourney(journey=before)
    assert ops.apply(after, undo, library=atlas.library) == before
    assert ops.operation_from_json(ops.operation_to_json(op)) == op


def test_replace_journey_is_checked_against_the_workspace() -> None:
    atlas = load_demo()
    journey = atlas.journeys[0]
    step = {"id": "a", "name": "A", "touchpoints": ["nowhere"]}
    alone = Journey.model_validate(
        {"id": journey.id, "title": "T", "stages": [{"id": "s", "name": "S", "steps": [step]}]}
    )
    with pytest.raises(InvalidOperation, match="touchpoint 'nowhere', which is not defined"):
        ops.apply(journey, ops.ReplaceJourney(journey=alone), library=atlas.library)
