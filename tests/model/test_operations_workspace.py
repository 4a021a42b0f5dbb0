"""Whole-journey and workspace operations: apply, exact inverse, checks and messages."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.catalog import load_demo
from parcours.errors import InvalidOperation
from parcours.model import operations as ops
from parcours.model.atlas import Atlas
from parcours.model.journey import Journey
from parcours.model.library import Library
from parcours.model.validation import atlas_problems
from tests.model.test_operations import operation_for
from tests.strategies import atlases, ident, name, text
from tests.strategies import journeys as journeys_
from tests.strategies import personas as persona_strategy


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


# -- property tests ----------------------------------------------------------------------------
@st.composite
def workspaces(draw: st.DrawFn) -> Atlas:
    """A workspace whose first journey takes its library from the shared one."""
    atlas = draw(atlases())
    first = atlas.journeys[0]
    journeys = [first.model_copy(update={"library": Library()}), *atlas.journeys[1:]]
    return atlas.model_copy(update={"library": first.library, "journeys": journeys})


@st.composite
def workspace_operation(draw: st.DrawFn, atlas: Atlas, depth: int = 0) -> Any:
    journeys = [j.id for j in atlas.journeys] or ["missing"]
    personas = [p.id for p in atlas.personas] or ["nobody"]
    kind = draw(st.sampled_from(WORKSPACE_KINDS if depth == 0 else WORKSPACE_KINDS[:-1]))
    library_kind = draw(st.sampled_from(["touchpoints", "channels", "kpis"]))
    entries = [e.id for e in getattr(atlas.library, library_kind)] or ["missing"]
    match kind:
        case "set_workspace":
            field, value = draw(
                st.sampled_from(
                    [("name", draw(name)), ("lang", "fr"), ("description", draw(st.none() | text))]
                )
            )
            return ops.SetWorkspaceField(field=field, value=value)
        case "add_journey":
            journey = draw(journeys_(max_steps=4))
            chosen = draw(st.lists(st.sampled_from(personas), max_size=1, unique=True))
            return ops.AddJourney(
                journey=journey.model_copy(update={"personas": chosen}),
                index=draw(st.none() | st.integers(0, len(atlas.journeys))),
            )
        case "remove_journey":
            return ops.RemoveJourney(journey=draw(st.sampled_from(journeys)))
        case "add_persona":
            return ops.AddPersona(persona=draw(persona_strategy(draw(ident))))
        case "remove_persona":
            return ops.RemovePersona(persona=draw(st.sampled_from(personas)))
        case "set_persona":
            field, value = draw(
                st.sampled_from(
                    [
                        ("name", draw(name)),
                        ("quote", draw(st.none() | text)),
                        ("goals", [draw(text)]),
                        ("market", "b2b"),
                    ]
                )
            )
            return ops.SetPersonaField(
                persona=draw(st.sampled_from(personas)), field=field, value=value
            )
        case "add_library_entry":
            entry: dict[str, Any] = {"id": draw(ident), "name": draw(name)}
            if library_kind == "touchpoints":
                channels = [c.id for c in atlas.library.channels]
                entry["channel"] = draw(st.sampled_from([None, *channels, "nowhere"]))
            return ops.AddLibraryEntry(
                kind=library_kind, entry=entry, index=draw(st.none() | st.integers(0, 2))
            )
        case "remove_library_entry":
            return ops.RemoveLibraryEntry(kind=library_kind, id=draw(st.sampled_from(entries)))
        case "set_library_entry":
            return ops.SetLibraryEntryField(
                kind=library_kind, id=draw(st.sampled_from(entries)), field="name", value=draw(name)
            )
        case "edit_journey" if atlas.journeys:
            journey = draw(st.sampled_from(atlas.journeys))
            inner = draw(st.lists(operation_for(journey), min_size=1, max_size=2))
            if draw(st.booleans()):
                inner = [
                    ops.SetJourneyField(
                        field="personas",
                        value=draw(
                            st.lists(
                                st.sampled_from([*personas, "nobody"]), max_size=2, unique=True
                            )
                        ),
                    )
                ]
            return ops.EditJourney(journey=journey.id, ops=inner)
        case "edit_journey":
            return ops.EditJourney(journey="missing", ops=[])
        case _:
            first = draw(workspace_operation(atlas, depth + 1))
            return ops.Batch(ops=[first, draw(workspace_operation(atlas, depth + 1))])


WORKSPACE_KINDS = [
    "set_workspace",
    "add_journey",
    "remove_journey",
    "add_persona",
    "remove_persona",
    "set_persona",
    "add_library_entry",
    "remove_library_entry",
    "set_library_entry",
    "edit_journey",
    "batch",
]


def _outcome(atlas: Atlas, *sequence: Any) -> Atlas | str:
    try:
        for op in sequence:
            atlas = ops.apply(atlas, op)
    except InvalidOperation:
        return "refused"
    return atlas


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data(), workspaces())
def test_workspace_operations_undo_exactly_and_keep_the_workspace_whole(
    data: st.DataObject, atlas: Atlas
) -> None:
    for _ in range(6):
        op = data.draw(workspace_operation(atlas))
        before = atlas.model_copy(deep=True)
        try:
            new, undo = ops.apply_with_inverse(atlas, op)
        except InvalidOperation:
            assert atlas == before
            continue
        assert atlas == before  # pure
        assert _errors(new) == []
        assert ops.apply(new, undo) == atlas
        assert ops.inverse(atlas, op) == undo
        for one in (op, undo):
            assert ops.operation_from_json(ops.operation_to_json(one)) == one
        other = data.draw(workspace_operation(atlas))
        if ops.commute(op, other, atlas):
            assert _outcome(atlas, op, other) == _outcome(atlas, other, op)
        if ops.commute(op, other):
            assert ops.commute(op, other, atlas)
        atlas = new


def test_a_shared_entry_in_use_cannot_be_removed_and_the_message_says_where() -> None:
    atlas = load_demo()
    used = next(
        t
        for t in atlas.library.touchpoints
        if any(t.id in s.touchpoints for j in atlas.journeys for s in j.steps())
    )
    with pytest.raises(InvalidOperation, match=f"touchpoint '{used.id}' is still used: journey '"):
        ops.apply(atlas, ops.RemoveLibraryEntry(kind="touchpoints", id=used.id))
    persona = atlas.journeys[0].personas[0]
    with pytest.raises(InvalidOperation, match=f"persona '{persona}' is still named by journey"):
        ops.apply(atlas, ops.RemovePersona(persona=persona))
    with pytest.raises(
        InvalidOperation, match="applies to a journey; send it to a workspace inside"
    ):
        ops.apply(atlas, ops.SetEmotion(step="a", score=1))
    with pytest.raises(InvalidOperation, match="no persona with id 'nobody'"):
        ops.apply(
            atlas,
            ops.EditJourney(
                journey=atlas.journeys[0].id,
                ops=[ops.SetJourneyField(field="personas", value=["nobody"])],
            ),
        )
