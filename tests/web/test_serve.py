"""``parcours serve`` as a real process: first start, sign-in, and two servers on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(args: list[str], env: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """Run ``parcours serve`` on a free loopback port until its URL is printed."""
    port = free_port()
    command = [sys.executable, "-m", "parcours", "serve", "--port", str(port), *args]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **env}
    proc = subprocess.Popen(
        command, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: list[str] = []
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if "Uvicorn running on" in line or "Application startup complete" in line:
                break
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("parcours serve did not answer:\n" + "\n".join(lines))
        yield base, lines
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.mark.slow
def test_first_start_loads_the_demo_and_prints_how_to_sign_in(tmp_path: Path) -> None:
    """The README's quick start: ``parcours serve`` as written, on a fresh data folder."""
    env = {"XDG_DATA_HOME": str(tmp_path / "data")}
    with serve([], env) as (base, lines):
        text = "\n".join(lines)
        expected_db = tmp_path / "data" / "parcours" / "parcours.db"
        assert str(expected_db) in text, text
        assert f"open http://localhost:{base.rsplit(':', 1)[1]}/" in text
        found = re.search(r"sign in as (\S+) with password (\S+)", text)
        assert found, text
        email, password = found.groups()
        assert email == "demo@parcours.local"
        with httpx.Client(base_url=base) as client:
            r = client.post("/signin", data={"email": email, "password": password})
            assert r.status_code == 303
            home = client.get("/")
            assert "Maison Lumière" in home.text
            ids = re.findall(r'class="jtitle" href="/journeys/(\d+)"', home.text)
            assert len(ids) == 4  # the demo workspace's journeys
            svg = client.get(f"/journeys/{ids[0]}.svg")
            assert svg.status_code == 200 and "<svg" in svg.text[:200]
    with serve([], env) as (_, lines):  # second start: nothing new, no password
        assert not any("password" in line for line in lines), lines


@pytest.mark.slow
def test_two_servers_on_postgresql_deliver_each_others_edits(pg_database: str) -> None:
    from parcours.catalog import new_from_template
    from parcours.web.server import open_store

    store = open_store(pg_database)
    try:
        user = store.users.add("editor@example.org", "correct horse battery staple")
        token = store.tokens.create(user.id)[0]
        atlas = new_from_template("bank-account-opening", "fr")
        ws = store.workspaces.create("Équipe", owner_id=user.id, atlas=atlas)
        info = store.journeys.create(
            ws.id, atlas.standalone(atlas.journeys[0].id), author_id=user.id
        )
    finally:
        store.close()
    auth = {"Authorization": f"Bearer {token}"}
    # a long poll period: only the notification can bring the edit in time
    slow_poll = {"PARCOURS_SSE_POLL_SECONDS": "30"}
    with (
        serve(["--db", pg_database], slow_poll) as (a, _),
        serve(["--db", pg_database], slow_poll) as (b, _),
        httpx.Client(base_url=b, headers=auth, timeout=20) as listener,
        listener.stream("GET", f"/api/journeys/{info.id}/events") as stream,
    ):
        assert stream.status_code == 200
        lines = stream.iter_lines()
        assert next(line for line in lines if line.startswith("event:")) == "event: ready"
        started = time.monotonic()
        r = httpx.post(
            f"{a}/api/journeys/{info.id}/operations",
            headers={**auth, "If-Match": '"1"'},
            json=[{"op": "set_journey", "field": "title", "value": "Vu par B"}],
        )
        assert r.status_code == 200, r.text
        event: dict[str, str] = {}
        for line in lines:
            if not line.strip():  # the end of an event
                if event.get("event") == "operations":
                    break
                event = {}
            elif line.startswith(("id:", "event:", "data:")):
                key, _, value = line.partition(":")
                event[key] = value.strip()
        elapsed = time.monotonic() - started
    assert event["id"] == "2"
    assert json.loads(event["data"])["operations"][0]["value"] == "Vu par B"
    assert elapsed < 5, f"the edit took {elapsed:.1f} s to reach the other server's stream"


@pytest.mark.slow
def test_several_workers_share_one_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    with serve(["--db", url, "--workers", "2"], {}) as (base, lines):
        found = re.search(r"sign in as (\S+) with password (\S+)", "\n".join(lines))
        assert found, lines
        email, password = found.groups()
        r = httpx.post(f"{base}/api/session", json={"email": email, "password": password})
        assert r.status_code == 200
        cookie = {"Cookie": f"parcours={r.cookies['parcours']}"}
        answers = set()
        for _ in range(20):  # a new connection each time, accepted by either worker
            r = httpx.get(f"{base}/api/workspaces", headers=cookie)
            assert r.status_code == 200, r.text  # the session is known to every worker
            answers.add(r.text)
        assert len(answers) == 1 and "Maison Lumi" in answers.pop()


@pytest.mark.slow
def test_two_servers_on_postgresql_share_presence_and_comments(pg_database: str) -> None:
    from parcours.catalog import new_from_template
    from parcours.web.server import open_store

    store = open_store(pg_database)
    try:
        one = store.users.add("one@example.org", "correct horse battery staple")
        two = store.users.add("two@example.org", "correct horse battery staple")
        tokens = [store.tokens.create(u.id)[0] for u in (one, two)]
        atlas = new_from_template("bank-account-opening", "fr")
        ws = store.workspaces.create("Équipe", owner_id=one.id, atlas=atlas)
        store.workspaces.set_member(ws.id, two.id, "editor")
        info = store.journeys.create(
            ws.id, atlas.standalone(atlas.journeys[0].id), author_id=one.id
        )
    finally:
        store.close()
    first, second = ({"Authorization": f"Bearer {t}"} for t in tokens)
    slow_poll = {"PARCOURS_SSE_POLL_SECONDS": "30"}
    base = f"/api/journeys/{info.id}"
    with (
        serve(["--db", pg_database], slow_poll) as (a, _),
        serve(["--db", pg_database], slow_poll) as (b, _),
        httpx.Client(base_url=b, headers=second, timeout=20) as listener,
        listener.stream("GET", f"{base}/events") as stream,
    ):
        assert stream.status_code == 200
        lines = stream.iter_lines()

        def next_event(name: str) -> dict[str, str]:
            event: dict[str, str] = {}
            end = time.monotonic() + 10
            for line in lines:
                assert time.monotonic() < end, f"no {name} event in 10 s"
                if not line.strip():
                    if event.get("event") == name:
                        return event
                    event = {}
                elif line.startswith(("id:", "event:", "data:")):
                    key, _, value = line.partition(":")
                    event[key] = value.strip()
            raise AssertionError(f"no {name} event")

        next_event("ready")
        # someone on server A edits a cell: the stream of server B says so
        r = httpx.post(f"{a}{base}/presence", headers=first, json={"cell": "thoughts/sees-ad"})
        assert r.status_code == 200, r.text
        while True:
            people = json.loads(next_event("presence")["data"])["people"]
            if any(p["email"] == "one@example.org" for p in people):
                break
        assert {"email": "one@example.org", "cell": "thoughts/sees-ad"}.items() <= next(
            p for p in people if p["email"] == "one@example.org"
        ).items()
        # a comment added through server A: server B's stream says to read them again
        r = httpx.post(f"{a}{base}/comments", headers=first, json={"text": "Vu sur A"})
        assert r.status_code == 201, r.text
        assert json.loads(next_event("comments")["data"]) == {"journey": str(info.id)}
        # and leaving through A takes them off B's list
        r = httpx.post(f"{a}{base}/presence", headers=first, json={"leaving": True})
        while True:
            people = json.loads(next_event("presence")["data"])["people"]
            if not any(p["email"] == "one@example.org" for p in people):
                break
