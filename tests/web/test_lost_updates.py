"""Lost updates through the API: concurrent read-modify-write with If-Match on both databases.

Many clients each read the journey, then set the description of their own step with
``If-Match`` (a 412 makes them read again). Afterwards every acknowledged write is in the
history exactly once, the history replays to the stored journey, and each step holds the
last value its client was told was saved: nothing acknowledged was lost.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import World, bearer, make_world

ATTEMPTS = int(os.environ.get("PARCOURS_RMW_ATTEMPTS", "1000"))  # 10000: the soak figure
CLIENTS = 20


async def hammer(
    world: World, attempts: int
) -> tuple[dict[str, tuple[int, str]], list[str], dict[str, int]]:
    """Returns, per step, the (version, value) last acknowledged; the acknowledged keys;
    and the count of each status."""
    journey, _ = world.store.journeys.get(int(world.journey_a))
    steps = [s.id for s in journey.steps()]
    url = f"/api/journeys/{world.journey_a}"
    acked: dict[str, tuple[int, str]] = {}
    keys: list[str] = []
    statuses: dict[str, int] = {}
    budget = [attempts]
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers=bearer(world, "editor")
    ) as client:

        async def one(k: int) -> None:
            step = steps[k % len(steps)]
            i = 0
            while budget[0] > 0:
                budget[0] -= 1
                r = await client.get(url)
                version = r.headers["etag"]
                i += 1
                value, key = f"client {k} write {i}", uuid.uuid4().hex
                w = await client.post(
                    f"{url}/operations",
                    headers={"If-Match": version, "Idempotency-Key": key},
                    json=[{"op": "set_step", "step": step, "field": "description", "value": value}],
                )
                statuses[str(w.status_code)] = statuses.get(str(w.status_code), 0) + 1
                if w.status_code == 200:
                    keys.append(key)
                    new = w.json()["version"]
                    if step not in acked or acked[step][0] < new:
                        acked[step] = (new, value)

        await asyncio.gather(*(one(k) for k in range(CLIENTS)))
    return acked, keys, statuses


def check(world: World) -> dict[str, Any]:
    acked, keys, statuses = asyncio.run(hammer(world, ATTEMPTS))
    assert sum(statuses.values()) == ATTEMPTS
    assert set(statuses) <= {"200", "412"}, statuses  # no 5xx, no other refusal
    jid = int(world.journey_a)
    log = world.store.journeys.envelopes_since(jid, 1)
    ids = [e.id for e in log]
    assert len(ids) == len(set(ids)), "an envelope is in the log twice"
    assert sorted(ids) == sorted(keys), "the log and the acknowledged writes differ"
    assert world.store.journeys.verify(jid) == []  # the chain holds and replays to the state
    journey, info = world.store.journeys.get(jid)
    assert info.version == 1 + len(keys)
    for step, (_, value) in acked.items():
        assert journey.step(step).description == value, f"the last saved value of {step} was lost"
    return statuses


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_on_sqlite(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    try:
        statuses = check(world)
        assert statuses.get("200", 0) > CLIENTS
    finally:
        world.app.state.backend.close()
        world.store.close()


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_on_postgresql(tmp_path: Path, pg_database: str) -> None:
    world = make_world(tmp_path, url=pg_database)
    try:
        statuses = check(world)
        assert statuses.get("200", 0) > CLIENTS
    finally:
        world.app.state.backend.close()
        world.store.close()
