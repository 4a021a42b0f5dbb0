"""kill -9 of ``parcours serve`` while HTTP clients edit, cycle after cycle, on a SQLite file.

Each cycle starts the real command, lets three clients edit one journey over HTTP (batches of
two operations with ``If-Match`` and an ``Idempotency-Key``, retried on 412), kills the
server with SIGKILL mid-edit, and checks the database: every edit the server acknowledged
(200) is in the log once, at the version it was acknowledged with; no batch is
half-applied; replaying the log gives the stored journey; ``PRAGMA integrity_check`` is ok.
``PARCOURS_SERVE_CRASH_CYCLES`` sets the number of cycles (``bench/store_soak.py`` runs more).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from parcours.store import open_store
from tests.store.helpers import small_journey

CYCLES = int(os.environ.get("PARCOURS_SERVE_CRASH_CYCLES", "6"))
MIN_ACKED = 25
CLIENTS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(path: Path, port: int) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = (
        str(Path(__file__).resolve().parents[2]) + os.pathsep + env.get("PYTHONPATH", "")
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "parcours", "serve", "--db", str(path), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/templates", timeout=1)
            return proc
        except httpx.TransportError:
            assert proc.poll() is None, "parcours serve exited at start"
            assert time.monotonic() < deadline, "parcours serve did not answer within 60 s"
            time.sleep(0.1)


@pytest.mark.slow
def test_kill_9_of_the_server_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    path = tmp_path / "serve.db"
    with open_store(str(path)) as store:
        user = store.users.add("crash@example.org", "a long enough password")
        token = store.tokens.create(user.id)[0]
        wid = store.workspaces.create("Crash", owner_id=user.id).id
        jid = store.journeys.create(wid, small_journey(4), author_id=user.id).id
    headers = {"Authorization": f"Bearer {token}"}
    acked: dict[str, int] = {}
    lock = threading.Lock()
    rng = random.Random(20261204)
    for cycle in range(CYCLES):
        port = _free_port()
        proc = _start(path, port)
        base = f"http://127.0.0.1:{port}/api/journeys/{jid}"
        stop = threading.Event()

        def client(w: int, cycle: int = cycle, base: str = base, stop: threading.Event = stop):
            with httpx.Client(headers=headers, timeout=5) as http:
                n = 0
                while not stop.is_set():
                    n += 1
                    key = f"c{cycle}-{w}-{n}"
                    ops = [
                        {"op": "set_step", "step": step, "field": "name", "value": key}
                        for step in ("p0", "p1")
                    ]
                    while not stop.is_set():
                        try:
                            version = http.get(base).headers["etag"].strip('"')
                            r = http.post(
                                f"{base}/operations",
                                json=ops,
                                headers={"If-Match": f'"{version}"', "Idempotency-Key": key},
                            )
                        except (httpx.TransportError, KeyError):
                            return  # the server is gone
                        if r.status_code == 200:
                            with lock:
                                acked[key] = r.json()["version"]
                            break
                        assert r.status_code == 412, r.text

        threads = [threading.Thread(target=client, args=(w,)) for w in range(CLIENTS)]
        before = len(acked)
        for thread in threads:
            thread.start()
        want = before + MIN_ACKED + rng.randrange(15)
        deadline = time.monotonic() + 120
        while len(acked) < want:
            assert time.monotonic() < deadline, f"cycle {cycle}: the clients made no progress"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)  # mid-edit: the clients are still sending
        proc.wait()
        stop.set()
        for thread in threads:
            thread.join(30)
        with open_store(str(path)) as store:
            journey, info = store.journeys.get(jid)
            log = {e.id: e.version for e in store.journeys.envelopes_since(jid, 1)}
            missing = {k: v for k, v in acked.items() if log.get(k) != v}
            assert missing == {}, f"cycle {cycle}: acknowledged edits lost"
            assert sorted(log.values()) == list(range(2, info.version + 1))
            assert journey.step("p0").name == journey.step("p1").name  # no half batch
            assert store.journeys.verify(jid) == []  # the log replays to the stored journey
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert len(acked) >= CYCLES * MIN_ACKED
