"""Lost updates: many threads read, modify and write one journey with its version.

Every acknowledged edit must be in the log exactly once, the counters the workers increment
must equal the number of their acknowledged edits (a lost update would show as a smaller
count), and replaying the log must give the stored journey.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import pytest

from parcours.model.operations import Operation, SetJourneyField, SetStepField
from parcours.store import Store, VersionConflict, open_store
from tests.store.helpers import small_journey

ATTEMPTS = int(os.environ.get("PARCOURS_RMW_ATTEMPTS", "10000"))
WORKERS = 20


@pytest.mark.slow
def test_ten_thousand_read_modify_writes_lose_nothing(db_url: str) -> None:
    store = open_store(db_url)
    try:
        _run(store)
    finally:
        store.close()


def _run(store: Store) -> None:
    wid = store.workspaces.create("Charge").id
    jid = store.journeys.create(wid, small_journey(WORKERS)).id
    acked: list[tuple[str, int, int, str]] = []
    refused: Counter[str] = Counter()
    failures: list[BaseException] = []
    lock = threading.Lock()

    def worker(w: int) -> None:
        try:
            for i in range(ATTEMPTS // WORKERS):
                journey, info = store.journeys.get(jid)
                op: Operation
                if i % 4 != 3:  # mostly contended; every fourth edit on its own step
                    kind = "title"
                    op = SetJourneyField(field="title", value=str(int(journey.title) + 1))
                else:
                    kind = "step"
                    count = int(journey.step(f"p{w}").name)
                    op = SetStepField(step=f"p{w}", field="name", value=str(count + 1))
                envelope_id = f"{w}-{i}"
                try:
                    result = store.journeys.apply_operations(
                        jid, [op], info.version, envelope_id, None
                    )
                except VersionConflict:
                    with lock:
                        refused[kind] += 1
                    continue
                with lock:
                    acked.append((envelope_id, result.version, w, kind))
        except BaseException as exc:  # reported below, with the worker's failure
            failures.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise failures[0]
    attempts = len(acked) + sum(refused.values())
    assert attempts == (ATTEMPTS // WORKERS) * WORKERS
    # every acknowledged edit is in the log, exactly once, at the version it was given
    log = store.journeys.envelopes_since(jid, 1)
    assert sorted((e.id, e.version) for e in log) == sorted((a[0], a[1]) for a in acked)
    assert [e.version for e in log] == list(range(2, len(log) + 2))
    # no lost update: each counter equals its acknowledged increments
    journey, info = store.journeys.get(jid)
    assert info.version == len(acked) + 1
    assert int(journey.title) == sum(1 for a in acked if a[3] == "title")
    for w in range(WORKERS):
        assert int(journey.step(f"p{w}").name) == sum(
            1 for a in acked if a[2] == w and a[3] == "step"
        )
    # replaying the log gives the stored journey; the hash chain holds
    assert store.journeys.verify(jid) == []
    assert len(acked) > 0 and refused["title"] > 0
    print(
        f"{store.backend}: {attempts} attempts in {elapsed:.1f} s, {len(acked)} acknowledged, "
        f"refused {dict(refused)}"
    )
