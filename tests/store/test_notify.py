"""Live delivery: subscribers get every envelope once and in order, resumed without gaps;
on PostgreSQL an edit made by another process reaches this one's subscribers."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
from pathlib import Path

from parcours.model.operations import SetStepField
from parcours.store import Envelope, Store
from tests.store.helpers import small_journey


def _edit(store: Store, jid: int, count: int, prefix: str) -> None:
    for i in range(count):
        version = store.journeys.info(jid).version
        op = SetStepField(step=f"p{i % 4}", field="name", value=f"{prefix}{i}")
        store.journeys.apply_operations(jid, [op], version, f"{prefix}-{i}", None)


def test_stream_resumes_then_follows_live_edits(store: Store) -> None:
    wid = store.workspaces.create("Live").id
    jid = store.journeys.create(wid, small_journey(4)).id
    _edit(store, jid, 5, "before")  # versions 2…6

    async def follow() -> list[Envelope]:
        got: list[Envelope] = []
        stream = store.hub.stream(jid, after_version=3)
        first = await anext(stream)
        got.append(first)
        writer = threading.Thread(target=_edit, args=(store, jid, 30, "live"))
        writer.start()
        async for envelope in stream:
            got.append(envelope)
            if envelope.version == 36:
                break
        await stream.aclose()
        await asyncio.to_thread(writer.join)
        return got

    got = asyncio.run(follow())
    assert [e.version for e in got] == list(range(4, 37))
    assert got[-1].operations[0]["value"] == "live29"
    assert store.hub.subscriber_count == 0


def test_sync_subscription_sees_each_commit(store: Store) -> None:
    wid = store.workspaces.create("Live").id
    jid = store.journeys.create(wid, small_journey(4)).id
    with store.hub.subscribe("journey", jid) as sub:
        _edit(store, jid, 3, "x")
        assert [sub.get_nowait(timeout=5).version for _ in range(3)] == [2, 3, 4]
    other = store.journeys.create(wid, small_journey(4, "autre")).id
    with store.hub.subscribe("journey", jid) as sub:
        _edit(store, other, 1, "y")
        assert sub._queue.empty()


def test_postgresql_delivers_edits_of_another_process(pg_template: str) -> None:
    from parcours.store import open_store
    from tests.store.conftest import drop_pg_database, new_pg_database, pg_url

    name = new_pg_database(pg_template)
    url = pg_url(name)
    try:
        with open_store(url) as store:
            wid = store.workspaces.create("Live").id
            jid = store.journeys.create(wid, small_journey(4)).id

            async def follow() -> list[Envelope]:
                stream = store.hub.stream(jid, after_version=1)
                task = asyncio.ensure_future(anext(stream))
                await asyncio.sleep(0)
                assert await asyncio.to_thread(store.hub.listening.wait, 10)
                code = (
                    "import sys; from parcours.store import open_store;"
                    "from tests.store.test_notify import _edit;"
                    f"s = open_store({url!r}); _edit(s, {jid}, 5, 'other'); s.close()"
                )
                root = str(Path(__file__).resolve().parents[2])
                env = {
                    **os.environ,
                    "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", ""),
                }
                proc = await asyncio.create_subprocess_exec(
                    sys.executable, "-c", code, cwd=root, env=env
                )
                got = [await asyncio.wait_for(task, 30)]
                while len(got) < 5:
                    got.append(await asyncio.wait_for(anext(stream), 30))
                await stream.aclose()
                assert await proc.wait() == 0
                return got

            got = asyncio.run(follow())
            assert [e.version for e in got] == [2, 3, 4, 5, 6]
            assert [e.operations[0]["value"] for e in got] == [f"other{i}" for i in range(5)]
    finally:
        drop_pg_database(name)


def test_subscribed_in_a_loop_read_from_a_thread(store: Store) -> None:
    """A web app may subscribe while its event loop runs and relay from a thread."""
    from parcours.store.notify import Subscription

    wid = store.workspaces.create("Live").id
    jid = store.journeys.create(wid, small_journey(4)).id

    async def subscribe() -> Subscription:
        return store.hub.subscribe("journey", None)

    with asyncio.run(subscribe()) as sub:
        _edit(store, jid, 2, "t")
        assert [sub.get_nowait(timeout=5).version for _ in range(2)] == [2, 3]
    assert store.hub.subscriber_count == 0
