"""kill -9 of a writer process in the middle of edits, again and again, on a SQLite file.

After each kill the database opens at once, every acknowledged edit is there at the version
it was acknowledged with, no batch is half-applied, replaying the log gives the stored
journey, and ``PRAGMA integrity_check`` is ok.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parcours.store import open_store
from tests.store.helpers import small_journey

WRITER = Path(__file__).with_name("crash_writer.py")
CYCLES = int(os.environ.get("PARCOURS_CRASH_CYCLES", "20"))
MIN_ACKED = int(os.environ.get("PARCOURS_CRASH_ACKED", "300"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.slow
def test_kill_9_mid_edits_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    with open_store(str(path)) as store:
        wid = store.workspaces.create("Crash").id
        jid = store.journeys.create(wid, small_journey(4)).id
    acked: dict[str, int] = {}
    rng = random.Random(20261204)
    for cycle in range(CYCLES):
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), str(path), str(jid), f"c{cycle}", "3"],
            stdout=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY"
        stop_after = MIN_ACKED + rng.randrange(40)
        for seen, line in enumerate(proc.stdout, start=1):
            _, envelope_id, version = line.split()
            acked[envelope_id] = int(version)
            if seen >= stop_after:
                break
        os.kill(proc.pid, signal.SIGKILL)  # mid-edit: other threads are writing
        proc.wait()
        for line in proc.stdout:  # acknowledged between the break and the kill
            if line.startswith("ACK "):
                _, envelope_id, version = line.split()
                acked[envelope_id] = int(version)
        proc.stdout.close()
        started = time.perf_counter()
        with open_store(str(path)) as store:
            journey, info = store.journeys.get(jid)
            restart = time.perf_counter() - started
            log = {e.id: e.version for e in store.journeys.envelopes_since(jid, 1)}
            assert restart < 5
            missing = {k: v for k, v in acked.items() if log.get(k) != v}
            assert missing == {}, f"cycle {cycle}: acknowledged edits lost"
            assert sorted(log.values()) == list(range(2, info.version + 1))
            assert journey.step("p0").name == journey.step("p1").name  # no half batch
            assert store.journeys.verify(jid) == []
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(acked) >= CYCLES * MIN_ACKED
