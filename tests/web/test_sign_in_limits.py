"""The sign-in limits hold across server processes: two apps on one database count together.

Two application instances on one database stand for ``--workers 2`` or two ``parcours
serve`` on one PostgreSQL: an attacker who spreads attempts over them gets the limit, not
twice the limit, and the answers never tell whether the account exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from parcours.web.settings import Settings
from tests.web.conftest import PASSWORD, World, make_world, send

LIMIT = 4


@pytest.fixture(params=["sqlite", "postgresql"])
def two_apps(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[World, object]]:
    from parcours.web.server import build, open_store

    url = None if request.param == "sqlite" else request.getfixturevalue("pg_database")
    url = url or f"sqlite:///{tmp_path / 'parcours.db'}"
    settings = Settings(db=url, login_attempts_per_account=LIMIT, login_attempts_per_ip=100)
    world = make_world(tmp_path, settings, url=url)
    second_store = open_store(url)
    second = build(settings, second_store)
    try:
        yield world, second
    finally:
        second.state.backend.close()
        second_store.close()
        world.app.state.backend.close()
        world.store.close()


def attempt(app: object, email: str, password: str) -> tuple[int, object]:
    import asyncio

    body = {"email": email, "password": password}
    r = asyncio.run(send(app, "POST", "/api/session", json=body))
    return r.status_code, r.json()


def test_attempts_spread_over_two_processes_share_one_limit(
    two_apps: tuple[World, object],
) -> None:
    world, second = two_apps
    apps = [world.app, second]
    answers = {}
    for email in ("owner@example.org", "nobody@example.org"):
        seen = [attempt(apps[n % 2], email, "wrong") for n in range(LIMIT)]
        assert {status for status, _ in seen} == {401}
        # the next attempt is refused by both processes, even with the right password
        for app in apps:
            status, body = attempt(app, email, PASSWORD)
            assert status == 429, body
            seen.append((status, body))
        answers[email] = [(s, b["error"]["code"]) for s, b in seen]  # type: ignore[index]
    assert answers["owner@example.org"] == answers["nobody@example.org"]
    # another account from the same client is not locked out, on either process
    assert attempt(second, "editor@example.org", PASSWORD)[0] == 200
    assert attempt(world.app, "viewer@example.org", PASSWORD)[0] == 200


def test_a_success_on_one_process_clears_the_count_on_the_other(
    two_apps: tuple[World, object],
) -> None:
    world, second = two_apps
    for _ in range(LIMIT - 1):
        assert attempt(world.app, "editor@example.org", "wrong")[0] == 401
    assert attempt(second, "editor@example.org", PASSWORD)[0] == 200
    for _ in range(LIMIT):
        assert attempt(world.app, "editor@example.org", "wrong")[0] == 401
    assert attempt(second, "editor@example.org", "wrong")[0] == 429
