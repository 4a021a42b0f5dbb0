"""Group commit: edits of one journey that wait together are written in one transaction,
each applied, rebased or refused on its own, none lost, none half-applied."""

from __future__ import annotations

import threading
import time
from typing import Any

from parcours.errors import InvalidOperation
from parcours.model.operations import SetEmotion, SetStepField
from parcours.store import Store, VersionConflict


def _queued(store: Store, key: object) -> int:
    with store.groups._guard:
        return len(store.groups._queues.get(key, []))


def test_edits_queued_together_are_applied_or_refused_each_on_its_own(
    demo: tuple[Store, int, int],
) -> None:
    store, wid, owner = demo
    info = store.journeys.list(wid)[0]
    journey, _ = store.journeys.get(info.id)
    steps = [s.id for s in journey.steps()]
    feelings = next(lane.id for lane in journey.lanes if lane.kind == "emotions")
    edits: list[tuple[str, list[Any]]] = [
        ("a", [SetStepField(step=steps[0], field="description", value="première")]),
        ("bad", [SetStepField(step="no-such-step", field="name", value="x")]),
        ("b", [SetEmotion(lane=feelings, step=steps[1], score=2)]),
        ("same-step", [SetStepField(step=steps[0], field="description", value="seconde")]),
        ("c", [SetStepField(step=steps[2], field="name", value="Étape renommée")]),
    ]
    outcomes: dict[str, Any] = {}
    key = ("journey", info.id)

    def edit(name: str, ops: list[Any]) -> None:
        try:
            outcomes[name] = store.journeys.apply_operations(info.id, ops, 1, name, owner)
        except Exception as exc:  # recorded and checked below
            outcomes[name] = exc

    threads = [threading.Thread(target=edit, args=edit_args) for edit_args in edits]
    with store.locks.hold(key):  # every edit queues behind this one
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while _queued(store, key) < len(edits):
            assert time.monotonic() < deadline, "the edits did not all queue"
            time.sleep(0.01)
    for thread in threads:
        thread.join(30)

    assert isinstance(outcomes["bad"], InvalidOperation)
    # the first of the two edits of one step's description wins; the other, made on the
    # same version, touches what it changed: refused with the current version, not stored
    first, second = (
        ("a", "same-step") if not isinstance(outcomes["a"], Exception) else ("same-step", "a")
    )
    assert isinstance(outcomes[second], VersionConflict)
    applied = {n: r for n, r in outcomes.items() if not isinstance(r, Exception)}
    assert set(applied) == {first, "b", "c"}
    assert sorted(r.version for r in applied.values()) == [2, 3, 4]
    after, listed = store.journeys.get(info.id)
    assert listed.version == 4
    assert after.step(steps[0]).description == ("première" if first == "a" else "seconde")
    assert after.step(steps[2]).name == "Étape renommée"
    feelings = next(lane.id for lane in after.lanes if lane.kind == "emotions")
    assert [e.score for e in after.cell(feelings, steps[1])] == [2]
    envelopes = store.journeys.envelopes_since(info.id, 1)
    assert [e.id for e in envelopes] == [
        n for n, _ in sorted(applied.items(), key=lambda kv: kv[1].version)
    ]
    assert store.journeys.verify(info.id) == []  # the chain replays to the stored journey
