"""Applying operations: all or nothing, once per envelope, conflicts, history."""

from __future__ import annotations

import itertools
import json
import uuid

import pytest

from parcours.errors import InvalidOperation, NotFound
from parcours.model.operations import SetEmotion, SetJourneyField, SetStepField, operation_to_json
from parcours.store import EnvelopeReused, Store, VersionConflict


def _first(store: Store, workspace_id: int) -> tuple[int, str]:
    info = store.journeys.list(workspace_id)[0]
    journey, _ = store.journeys.get(info.id)
    return info.id, journey.steps()[0].id


def test_demo_is_loaded_once_with_every_journey(demo: tuple[Store, int, int]) -> None:
    from parcours.catalog import load_demo
    from parcours.store import ensure_demo

    store, wid, owner = demo
    atlas = load_demo()
    listed = store.journeys.list(wid)
    assert [j.slug for j in listed] == [j.id for j in atlas.journeys]
    assert all(j.version == 1 for j in listed)
    assert store.workspaces.atlas(wid) == atlas
    assert store.workspaces.role(wid, owner) == "owner"
    assert ensure_demo(store).id == wid
    assert len(store.workspaces.list()) == 1


def test_apply_stores_state_operations_and_inverse(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, step = _first(store, wid)
    before, _ = store.journeys.get(jid)
    op = SetStepField(step=step, field="name", value="Nouveau nom")
    result = store.journeys.apply_operations(jid, [op], 1, "e-1", owner)
    assert (result.version, result.replayed, result.rebased) == (2, False, False)
    after, info = store.journeys.get(jid)
    assert info.version == 2
    assert after.step(step).name == "Nouveau nom"
    library = store.workspaces.state(wid)[0].library
    assert after == before.apply(op, library=library)
    (envelope,) = store.journeys.envelopes_since(jid, 1)
    assert envelope.operations == [json.loads(operation_to_json(op))]
    assert envelope.inverse[0]["value"] == before.step(step).name
    assert (envelope.base_version, envelope.version, envelope.author_id) == (1, 2, owner)
    assert envelope == result.envelope


def test_same_envelope_applies_once(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, step = _first(store, wid)
    ops = [SetEmotion(step=step, score=2)]
    first = store.journeys.apply_operations(jid, ops, 1, "retry-me", owner)
    again = store.journeys.apply_operations(
        jid, [op.model_dump() for op in ops], 1, "retry-me", owner
    )
    assert again.replayed and again.envelope == first.envelope
    assert store.journeys.info(jid).version == 2
    with pytest.raises(EnvelopeReused, match="retry-me"):
        store.journeys.apply_operations(jid, [SetEmotion(step=step, score=1)], 2, "retry-me", owner)


def test_stale_base_is_refused_with_current_version(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, step = _first(store, wid)
    store.journeys.apply_operations(jid, [SetEmotion(step=step, score=2)], 1, "a", owner)
    with pytest.raises(VersionConflict) as caught:
        store.journeys.apply_operations(jid, [SetEmotion(step=step, score=-2)], 1, "b", owner)
    assert caught.value.current_version == 2
    with pytest.raises(VersionConflict):
        store.journeys.apply_operations(jid, [SetEmotion(step=step, score=-2)], 7, "c", owner)
    journey, info = store.journeys.get(jid)
    assert info.version == 2 and journey.cell("emotions", step)[0].score == 2


def test_invalid_operation_leaves_everything_unchanged(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, _step = _first(store, wid)
    before = store.journeys.get(jid)
    good = SetJourneyField(field="title", value="Changé")
    bad = SetStepField(step="no-such-step", field="name", value="x")
    with pytest.raises(InvalidOperation, match="no-such-step"):
        store.journeys.apply_operations(jid, [good, bad], 1, "bad", owner)
    with pytest.raises(InvalidOperation, match="operation 1"):
        store.journeys.apply_operations(jid, [{"op": "nope"}], 1, "bad2", owner)
    with pytest.raises(InvalidOperation, match="no operations"):
        store.journeys.apply_operations(jid, [], 1, "bad3", owner)
    assert store.journeys.get(jid) == before
    assert store.journeys.envelopes_since(jid, 1) == []
    # the refused envelope ids stay free
    assert store.journeys.apply_operations(jid, [good], 1, "bad", owner).version == 2


def test_missing_journey_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.journeys.apply_operations(
            999, [SetJourneyField(field="title", value="x")], 1, "e", None
        )
    with pytest.raises(NotFound):
        store.journeys.get(999)


def test_history_state_at_diff_and_verify(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, step = _first(store, wid)
    v1, _ = store.journeys.get(jid)
    for i in range(1, 6):
        store.journeys.apply_operations(
            jid, [SetStepField(step=step, field="name", value=f"Nom {i}")], i, f"e{i}", owner
        )
    history = store.journeys.revisions(jid)
    assert [r.version for r in history] == [6, 5, 4, 3, 2, 1]
    assert [r.kind for r in history][-1] == "create"
    assert all(a.parent_hash == b.hash for a, b in itertools.pairwise(history))
    assert store.journeys.state_at(jid, 1) == v1
    assert store.journeys.state_at(jid, 4).step(step).name == "Nom 3"
    changes = store.journeys.diff(jid, 2, 4)
    assert any("Nom 3" in c.message for c in changes)
    assert store.journeys.verify(jid) == []
    with pytest.raises(NotFound, match="version 9"):
        store.journeys.state_at(jid, 9)
    page = store.journeys.revisions(jid, before=4, limit=2)
    assert [r.version for r in page] == [3, 2]


def test_envelope_ids_are_checked(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, _ = _first(store, wid)
    op = SetJourneyField(field="title", value="x")
    for bad in ("", "x" * 101, "a\nb"):
        with pytest.raises(InvalidOperation, match="envelope id"):
            store.journeys.apply_operations(jid, [op], 1, bad, owner)
    assert store.journeys.apply_operations(jid, [op], 1, str(uuid.uuid4()), owner).version == 2


def test_stale_edits_on_other_parts_are_rebased(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, _ = _first(store, wid)
    journey, _ = store.journeys.get(jid)
    a, b = journey.steps()[0].id, journey.steps()[1].id
    store.journeys.apply_operations(jid, [SetEmotion(step=a, score=2)], 1, "a", owner)
    result = store.journeys.apply_operations(jid, [SetEmotion(step=b, score=-1)], 1, "b", owner)
    assert result.rebased and result.version == 3 and result.requested_base == 1
    assert result.envelope.base_version == 2
    after, _ = store.journeys.get(jid)
    assert after.cell("emotions", a)[0].score == 2
    assert after.cell("emotions", b)[0].score == -1
    # the same step again, on a stale base: refused
    with pytest.raises(VersionConflict, match="version 2 touched"):
        store.journeys.apply_operations(jid, [SetEmotion(step=a, score=-2)], 1, "c", owner)
    assert store.journeys.verify(jid) == []


def test_restore_is_a_new_revision(demo: tuple[Store, int, int]) -> None:
    store, wid, owner = demo
    jid, step = _first(store, wid)
    v1, _ = store.journeys.get(jid)
    store.journeys.apply_operations(
        jid, [SetStepField(step=step, field="name", value="A")], 1, "1", owner
    )
    store.journeys.apply_operations(
        jid, [SetStepField(step=step, field="name", value="B")], 2, "2", owner
    )
    result = store.journeys.restore(jid, 1, author_id=owner, envelope_id="r")
    assert result.version == 4 and result.envelope.kind == "restore"
    assert result.envelope.operations[0]["op"] == "replace_journey"
    assert store.journeys.get(jid)[0] == v1
    assert [r.version for r in store.journeys.revisions(jid)] == [4, 3, 2, 1]
    assert store.journeys.state_at(jid, 3).step(step).name == "B"
    assert store.journeys.verify(jid) == []
    # a stale edit over a restore is refused: the restore touched everything
    with pytest.raises(VersionConflict):
        store.journeys.apply_operations(jid, [SetEmotion(step=step, score=1)], 3, "late", owner)


def test_journeys_are_checked_against_their_workspace(demo: tuple[Store, int, int]) -> None:
    from parcours.errors import InvalidJourney
    from tests.store.helpers import small_journey

    store, wid, owner = demo
    stranger = small_journey(3, "etranger")
    stranger.stages[0].steps[0].touchpoints.append("pigeon-voyageur")
    with pytest.raises(InvalidJourney, match="pigeon-voyageur"):
        store.journeys.create(wid, stranger)
    from parcours.store import AlreadyExists

    with pytest.raises(AlreadyExists, match="already has a journey with id"):
        store.journeys.create(wid, store.journeys.get(_first(store, wid)[0])[0])
    jid, _ = _first(store, wid)
    with pytest.raises(InvalidOperation, match="nobody"):
        store.journeys.apply_operations(
            jid, [SetJourneyField(field="personas", value=["nobody"])], 1, "p", owner
        )


def test_workspace_operations(demo: tuple[Store, int, int]) -> None:
    from parcours.model.operations import RemovePersona, SetWorkspaceField

    store, wid, owner = demo
    atlas, version = store.workspaces.state(wid)
    assert version == 1 and atlas.journeys == []
    used = store.journeys.get(_first(store, wid)[0])[0].personas[0]
    with pytest.raises(InvalidOperation, match=used):
        store.workspaces.apply_operations(wid, [RemovePersona(persona=used)], 1, "rm", owner)
    with pytest.raises(InvalidOperation, match="send it to the journey"):
        store.workspaces.apply_operations(
            wid, [SetJourneyField(field="title", value="x")], 1, "j", owner
        )
    result = store.workspaces.apply_operations(
        wid, [SetWorkspaceField(field="name", value="Maison Lumière (copie)")], 1, "n", owner
    )
    assert result.version == 2 and result.envelope.document == "workspace"
    assert store.workspaces.get(wid).name == "Maison Lumière (copie)"
    assert store.workspaces.state(wid)[0].name == "Maison Lumière (copie)"
    assert [e.version for e in store.workspaces.envelopes_since(wid, 1)] == [2]
