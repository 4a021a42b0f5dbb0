"""Fixtures of the server tests: a real SQLite file with two workspaces and five people.

``world`` is a store with workspace A (owner, editor, viewer, a journey, a share link) and
workspace B (another owner, a journey), each person with an API token; ``call`` sends
requests in-process through httpx's ASGITransport.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from parcours.web.settings import Settings

PASSWORD = "correct horse battery staple"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@dataclass
class World:
    path: Path
    store: Any
    app: Any
    users: dict[str, Any] = field(default_factory=dict)  # name → store user
    tokens: dict[str, str] = field(default_factory=dict)  # name → Bearer secret
    workspace_a: str = ""
    workspace_b: str = ""
    journey_a: str = ""
    journey_b: str = ""
    share_a: str = ""  # secret of a share link to journey A

    def digest(self) -> str:
        """The bytes of the database file and its write-ahead log."""
        h = hashlib.sha256()
        for suffix in ("", "-wal"):
            f = Path(str(self.path) + suffix)
            h.update(f.read_bytes() if f.exists() else b"-")
        return h.hexdigest()

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(send(self.app, method, url, **kwargs))
        # a loop already runs in this thread (Playwright's sync API): send from another one
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, send(self.app, method, url, **kwargs)).result()


async def send(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    cookies = kwargs.pop("cookies", None)
    if cookies:  # sent as the browser sends them, for this request only
        jar = "; ".join(f"{k}={v}" for k, v in cookies.items())
        kwargs["headers"] = {**kwargs.get("headers", {}), "Cookie": jar}
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.request(method, url, **kwargs)


def make_world(tmp_path: Path, settings: Settings | None = None, url: str | None = None) -> World:
    from parcours.catalog import new_from_template
    from parcours.web.server import build, open_store

    path = tmp_path / "parcours.db"
    url = url or f"sqlite:///{path}"
    store = open_store(url)
    world = World(path, store, None)
    for name in ("owner", "editor", "viewer", "other", "admin"):
        world.users[name] = store.users.add(
            f"{name}@example.org", PASSWORD, is_admin=name == "admin"
        )
        world.tokens[name] = store.tokens.create(world.users[name].id)[0]
    atlas = new_from_template("bank-account-opening", "fr")
    a = store.workspaces.create("Banque A", owner_id=world.users["owner"].id, atlas=atlas)
    store.workspaces.set_member(a.id, world.users["editor"].id, "editor")
    store.workspaces.set_member(a.id, world.users["viewer"].id, "viewer")
    b = store.workspaces.create("Banque B", owner_id=world.users["other"].id, atlas=atlas)
    journey = atlas.standalone(atlas.journeys[0].id)
    ja = store.journeys.create(a.id, journey, author_id=world.users["owner"].id)
    jb = store.journeys.create(b.id, journey, author_id=world.users["other"].id)
    world.share_a = store.shares.create(a.id, journey_id=ja.id, created_by=world.users["owner"].id)[
        0
    ]
    world.workspace_a, world.workspace_b = str(a.id), str(b.id)
    world.journey_a, world.journey_b = str(ja.id), str(jb.id)
    world.app = build(settings or Settings(db=url), store)
    for name in world.tokens:  # a token's first use records its time: done before any digest
        assert (
            world.request("GET", "/api/workspaces", headers=bearer(world, name)).status_code == 200
        )
    return world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = make_world(tmp_path)
    yield w
    w.app.state.backend.close()
    w.store.close()


def bearer(world: World, name: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[name]}"}


def sign_in(world: World, name: str) -> tuple[dict[str, str], str]:
    """Cookies and CSRF token of a fresh session of ``name``."""
    r = world.request(
        "POST", "/api/session", json={"email": f"{name}@example.org", "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return dict(r.cookies), r.json()["csrf_token"]


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a thread; yields the base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def pg_database() -> Iterator[str]:
    import sqlalchemy as sa

    name = f"parcours_web_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
