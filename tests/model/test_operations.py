"""Operations: apply is pure, every operation has an exact inverse, invariants always hold."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcours.errors import InvalidOperation
from parcours.model import operations as ops
from parcours.model.apply import apply, apply_with_inverse, inverse
from parcours.model.items import LaneKind
from parcours.model.journey import Journey
from parcours.model.validation import journey_problems
from tests.strategies import _item, ident, journeys, name, text

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _step_ids(j: Journey) -> list[str]:
    return [s.id for s in j.steps()] or ["missing"]


KINDS = [
    "set_journey",
    "add_entry",
    "remove_entry",
    "add_stage",
    "remove_stage",
    "move_stage",
    "set_stage",
    "add_step",
    "remove_step",
    "move_step",
    "set_step",
    "set_next",
    "add_link",
    "edit_link",
    "remove_link",
    "add_path",
    "remove_path",
    "set_path",
    "add_lane",
    "remove_lane",
    "move_lane",
    "set_lane",
    "set_cell",
    "add_card",
    "edit_card",
    "remove_card",
    "set_emotion",
    "add_comment",
    "remove_comment",
    "set_comment",
    "add_library_entry",
    "remove_library_entry",
    "set_library_entry",
    "replace_journey",
]


@st.composite
def operation_for(draw: st.DrawFn, j: Journey, kind: str | None = None) -> Any:
    """A random operation on ``j`` (of ``kind`` if given): mostly valid, sometimes naming
    missing things."""
    steps = _step_ids(j)
    stages = [s.id for s in j.stages] or ["missing"]
    lanes = [lane.id for lane in j.lanes] or ["missing"]
    paths = [p.id for p in j.paths] or ["missing"]
    some_step = st.sampled_from(steps) | ident
    if kind is None:
        kind = draw(st.sampled_from(KINDS))
    match kind:
        case "set_journey":
            field, value = draw(
                st.sampled_from(
                    [
                        ("title", draw(name)),
                        ("owner", draw(text)),
                        ("state", "future"),
                        ("evidence", "mixed"),
                        ("reviewed", "2026-11-02"),
                        ("tags", [draw(text)]),
                        ("value", {"customer": 50}),
                        ("status", "validated"),
                        ("scope", None),
                    ]
                )
            )
            return ops.SetJourneyField(field=field, value=value)
        case "add_entry":
            return ops.AddEntry(step=draw(some_step))
        case "remove_entry":
            return ops.RemoveEntry(step=draw(some_step))
        case "add_stage":
            new_id = draw(ident)
            return ops.AddStage(
                stage={
                    "id": new_id,
                    "name": draw(name),
                    "steps": [{"id": f"{new_id}-s", "name": draw(name)}],
                },
                index=draw(st.none() | st.integers(0, len(j.stages))),
            )
        case "remove_stage":
            return ops.RemoveStage(stage=draw(st.sampled_from(stages)))
        case "move_stage":
            return ops.MoveStage(
                stage=draw(st.sampled_from(stages)),
                index=draw(st.integers(0, max(0, len(j.stages) - 1))),
            )
        case "set_stage":
            return ops.SetStageField(
                stage=draw(st.sampled_from(stages)),
                field="phase",
                value=draw(st.sampled_from(["purchase", None, "end"])),
            )
        case "add_step":
            stage = draw(st.sampled_from(stages))
            return ops.AddStep(
                stage=stage,
                step={
                    "id": draw(ident),
                    "name": draw(name),
                    "path": draw(st.none() | st.sampled_from(paths)),
                },
                index=draw(st.none() | st.integers(0, 3)),
            )
        case "remove_step":
            return ops.RemoveStep(step=draw(some_step))
        case "move_step":
            return ops.MoveStep(
                step=draw(some_step),
                stage=draw(st.sampled_from(stages)),
                index=draw(st.integers(0, 3)),
            )
        case "set_step":
            field, value = draw(
                st.sampled_from(
                    [
                        ("name", draw(name)),
                        ("moment_of_truth", True),
                        ("end", draw(st.booleans())),
                        ("path", draw(st.none() | st.sampled_from(paths))),
                        ("observed_as", ["e1", "e2"]),
                        ("touchpoints", [t.id for t in j.library.touchpoints][:1]),
                        ("description", None),
                    ]
                )
            )
            return ops.SetStepField(step=draw(some_step), field=field, value=value)
        case "set_next":
            return ops.SetNext(
                step=draw(some_step),
                next=draw(
                    st.none()
                    | st.lists(
                        st.builds(dict, to=st.sampled_from(steps)),
                        max_size=2,
                        unique_by=lambda d: d["to"],
                    )
                ),
            )
        case "add_link":
            return ops.AddLink(
                step=draw(some_step),
                link={
                    "to": draw(st.sampled_from(steps)),
                    "label": draw(st.none() | text),
                    "share": draw(st.none() | st.floats(0, 0.3)),
                },
            )
        case "edit_link":
            return ops.EditLink(
                step=draw(some_step), to=draw(st.sampled_from(steps)), label=draw(st.none() | text)
            )
        case "remove_link":
            return ops.RemoveLink(step=draw(some_step), to=draw(st.sampled_from(steps)))
        case "add_path":
            return ops.AddPath(path={"id": draw(ident), "name": draw(name)})
        case "remove_path":
            return ops.RemovePath(path=draw(st.sampled_from(paths)))
        case "set_path":
            return ops.SetPathField(
                path=draw(st.sampled_from(paths)), field="name", value=draw(name)
            )
        case "add_lane":
            lane_kind = draw(st.sampled_from(list(LaneKind)))
            cells = {}
            if (
                lane_kind not in (LaneKind.touchpoints, LaneKind.emotions, LaneKind.kpis)
                and j.steps()
            ):
                cells = {draw(st.sampled_from(steps)): [_item(draw, lane_kind, [])]}
            return ops.AddLane(
                lane={"id": draw(ident), "kind": lane_kind},
                cells=cells,
                index=draw(st.none() | st.integers(0, len(j.lanes))),
            )
        case "remove_lane":
            return ops.RemoveLane(lane=draw(st.sampled_from(lanes)))
        case "move_lane":
            return ops.MoveLane(
                lane=draw(st.sampled_from(lanes)),
                index=draw(st.integers(0, max(0, len(j.lanes) - 1))),
            )
        case "set_lane":
            return ops.SetLaneField(
                lane=draw(st.sampled_from(lanes)),
                field=draw(st.sampled_from(["title", "visible"])),
                value=draw(st.sampled_from([None, "Titre", True, False])),
            )
        case "set_cell" | "add_card" | "edit_card" | "remove_card":
            lane = j.lane(draw(st.sampled_from(lanes))) if j.lanes else None
            if lane is None or lane.kind in (LaneKind.touchpoints, LaneKind.emotions):
                return ops.SetEmotion(
                    lane=draw(st.sampled_from(lanes)),
                    step=draw(some_step),
                    score=draw(st.none() | st.integers(-2, 2)),
                )
            kpi_ids = [k.id for k in j.library.kpis] or ["k"]
            item = _item(draw, lane.kind, kpi_ids)
            step = draw(some_step)
            if kind == "set_cell":
                return ops.SetCell(lane=lane.id, step=step, items=[item])
            if kind == "add_card":
                return ops.AddCard(
                    lane=lane.id, step=step, item=item, index=draw(st.none() | st.integers(0, 2))
                )
            if kind == "edit_card":
                return ops.EditCard(
                    lane=lane.id, step=step, index=draw(st.integers(0, 2)), item=item
                )
            return ops.RemoveCard(lane=lane.id, step=step, index=draw(st.integers(0, 2)))
        case "set_emotion":
            return ops.SetEmotion(
                lane=draw(st.sampled_from(lanes)),
                step=draw(some_step),
                score=draw(st.none() | st.integers(-2, 2)),
                label=draw(st.none() | text),
            )
        case "add_comment":
            return ops.AddComment(
                comment={
                    "id": draw(ident),
                    "text": draw(text),
                    "step": draw(st.none() | st.sampled_from(steps)),
                }
            )
        case "remove_comment":
            return ops.RemoveComment(
                comment=draw(st.sampled_from([c.id for c in j.comments] or ["c1"]))
            )
        case "set_comment":
            return ops.SetCommentField(
                comment=draw(st.sampled_from([c.id for c in j.comments] or ["c1"])),
                field="resolved",
                value=True,
            )
        case "add_library_entry":
            return ops.AddLibraryEntry(
                kind="touchpoints", entry={"id": draw(ident), "name": draw(name)}
            )
        case "set_library_entry":
            kind_ = draw(st.sampled_from(["touchpoints", "kpis", "channels"]))
            entries = [e.id for e in getattr(j.library, kind_)] or ["t"]
            field, value = {
                "touchpoints": (
                    "channel",
                    draw(st.sampled_from([None, *[c.id for c in j.library.channels]])),
                ),
                "kpis": ("higher_is_better", draw(st.booleans())),
                "channels": ("name", draw(name)),
            }[kind_]
            return ops.SetLibraryEntryField(
                kind=kind_, id=draw(st.sampled_from(entries)), field=field, value=value
            )
        case "replace_journey":
            other = draw(journeys(max_steps=4))
            keep = draw(st.booleans())
            return ops.ReplaceJourney(
                journey=other.model_copy(update={"id": j.id}) if keep else other
            )
        case _:
            return ops.RemoveLibraryEntry(
                kind="touchpoints",
                id=draw(st.sampled_from([t.id for t in j.library.touchpoints] or ["t"])),
            )


def _check(j: Journey, op: Any) -> Journey:
    """Apply ``op`` and check purity, invariants, the inverse and JSON; return the result."""
    before = j.model_copy(deep=True)
    try:
        undo = inverse(j, op)
        new = apply(j, op)
    except InvalidOperation:
        assert j == before  # a refused operation changes nothing
        return j
    assert j == before  # apply is pure
    assert isinstance(new, Journey)
    assert [p for p in journey_problems(new) if p.severity == "error"] == []
    assert Journey.model_validate(new.model_dump()) == new  # invariants hold on a fresh validation
    restored = apply(new, undo)
    assert restored == j, f"undo of {op.op} did not restore the journey"
    assert ops.operation_from_json(ops.operation_to_json(op)) == op
    assert ops.operation_from_json(ops.operation_to_json(undo)) == undo
    return new


@SETTINGS
@given(st.data(), journeys())
def test_random_operation_sequences_keep_invariants_and_undo_exactly(
    data: st.DataObject, journey: Journey
) -> None:
    applied = 0
    for _ in range(12):
        op = data.draw(operation_for(journey))
        new = _check(journey, op)
        applied += new is not journey
        journey = new


@SETTINGS
@given(st.data(), journeys(branched=True))
def test_random_operations_on_branched_journeys(data: st.DataObject, journey: Journey) -> None:
    for _ in range(12):
        journey = _check(journey, data.draw(operation_for(journey)))


def test_the_generator_applies_operations_for_real() -> None:
    """Guard the property tests above: most generated operations must actually apply."""
    applied = refused = 0

    @settings(max_examples=60, deadline=None, database=None)
    @given(st.data(), journeys(branched=True))
    def run(data: st.DataObject, journey: Journey) -> None:
        nonlocal applied, refused
        for _ in range(10):
            op = data.draw(operation_for(journey))
            try:
                journey = apply(journey, op)  # type: ignore[assignment]
                applied += 1
            except InvalidOperation:
                refused += 1

    run()
    assert applied > refused, (applied, refused)


@SETTINGS
@given(st.data(), journeys())
def test_edits_of_different_cells_commute(data: st.DataObject, journey: Journey) -> None:
    card_lanes = [
        lane
        for lane in journey.lanes
        if lane.kind in (LaneKind.actions, LaneKind.thoughts, LaneKind.notes, LaneKind.backstage)
    ]
    steps = journey.steps()
    if not card_lanes or len(steps) < 2:
        return
    lane_a = data.draw(st.sampled_from(card_lanes))
    lane_b = data.draw(st.sampled_from(card_lanes))
    step_a, step_b = data.draw(
        st.lists(st.sampled_from(steps), min_size=2, max_size=2, unique_by=lambda s: s.id)
    )
    a = ops.AddCard(lane=lane_a.id, step=step_a.id, item={"type": "card", "text": data.draw(text)})
    b = ops.SetCell(
        lane=lane_b.id, step=step_b.id, items=[{"type": "card", "text": data.draw(text)}]
    )
    ab = apply(apply(journey, a), b)
    ba = apply(apply(journey, b), a)
    assert ab == ba
    assert ab != journey


def test_an_operation_naming_a_missing_id_is_a_clear_error() -> None:
    j = Journey.model_validate(
        {
            "id": "j",
            "title": "T",
            "stages": [{"id": "s", "name": "S", "steps": [{"id": "a", "name": "A"}]}],
        }
    )
    with pytest.raises(InvalidOperation, match="no step with id 'nope'; the ids are: a"):
        apply(j, ops.RemoveStep(step="nope"))
    with pytest.raises(InvalidOperation, match="no lane with id 'emotions'"):
        apply(j, ops.SetEmotion(step="a", score=1))
    with pytest.raises(InvalidOperation, match="invalid operation"):
        ops.operation_from_json('{"op": "set_emotion", "step": "a", "score": 7}')
    with pytest.raises(InvalidOperation, match="path 'p' still has 1 step"):
        j2 = apply(
            apply(j, ops.AddPath(path={"id": "p", "name": "P"})),
            ops.SetStepField(step="a", field="path", value="p"),
        )
        apply(j2, ops.RemovePath(path="p"))  # type: ignore[arg-type]


def test_a_branch_from_an_implicit_step_keeps_the_old_way_out() -> None:
    j = Journey.model_validate(
        {
            "id": "j",
            "title": "T",
            "stages": [
                {
                    "id": "s",
                    "name": "S",
                    "steps": [
                        {"id": "a", "name": "A"},
                        {"id": "b", "name": "B"},
                        {"id": "c", "name": "C"},
                    ],
                }
            ],
        }
    )
    branched = j.apply(
        ops.AddLink(step="b", link={"to": "a", "label": "Justificatif refusé", "share": 0.3})
    )
    kinds = {(e.source, e.target): e.kind for e in branched.edges()}
    assert kinds == {
        ("a", "b"): "next",
        ("b", "c"): "loop" if False else "branch",
        ("b", "a"): "loop",
    }
    assert branched.apply(inverse(j, ops.AddLink(step="b", link={"to": "a"}))) == j


SHARED_KINDS = ["set_cell", "add_card", "edit_card", "remove_card", "set_emotion", "set_step"]


@SETTINGS
@given(st.data(), journeys())
def test_shared_apply_gives_the_same_journey_and_leaves_every_earlier_state_intact(
    data: st.DataObject, journey: Journey
) -> None:
    """``shared=True`` (the store's path): the result equals the fully copied one, the undo
    too, and no state of the chain changes when later edits are applied to its successors."""
    states = [journey]
    dumps = [journey.model_dump_json()]
    for _ in range(12):
        kind = data.draw(st.sampled_from(SHARED_KINDS) | st.sampled_from(KINDS))
        op = data.draw(operation_for(states[-1], kind))
        try:
            expected, expected_undo = apply_with_inverse(states[-1], op)
        except InvalidOperation:
            with pytest.raises(InvalidOperation):
                apply_with_inverse(states[-1], op, shared=True)
            continue
        new, undo = apply_with_inverse(states[-1], op, shared=True)
        assert new == expected and undo == expected_undo
        states.append(new)
        dumps.append(new.model_dump_json())
        assert [s.model_dump_json() for s in states] == dumps  # nothing earlier changed
    assert apply_with_inverse(states[-1], ops.Batch(ops=[]), shared=True)[0] == states[-1]
