"""Fixtures: a fresh database on each backend (a SQLite file, a PostgreSQL database).

PostgreSQL runs at 127.0.0.1:5432 (user ``postgres``, trust auth); each test gets its own
database, copied from a migrated template made once per run, and dropped afterwards. When
the server is not reachable the tests fail: they never skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from parcours.store import Store, open_store

PG_ADMIN = os.environ.get("PARCOURS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


def pg_url(name: str) -> str:
    base = PG_ADMIN.rsplit("/", 1)[0]
    return f"{base}/{name}"


def pg_admin(sql: str) -> None:
    try:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_ADMIN} ({exc}); start it "
            "(service postgresql start) or set PARCOURS_TEST_PG"
        )


def new_pg_database(template: str | None = None) -> str:
    name = f"parcours_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    extra = f" TEMPLATE {template}" if template else ""
    pg_admin(f"CREATE DATABASE {name}{extra}")
    return name


def drop_pg_database(name: str) -> None:
    pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated, empty database to copy (creating one per test would be slow)."""
    name = new_pg_database()
    store = open_store(pg_url(name))
    store.close()
    yield name
    drop_pg_database(name)


@pytest.fixture
def pg_database() -> Iterator[str]:
    """The URL of a fresh, empty (not migrated) PostgreSQL database, dropped afterwards."""
    name = new_pg_database()
    yield pg_url(name)
    drop_pg_database(name)


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[str]:
    """The URL of a fresh migrated database on each backend."""
    if request.param == "sqlite":
        yield str(tmp_path) + "/parcours.db"  # type: ignore[operator]
        return
    template = request.getfixturevalue("pg_template")
    name = new_pg_database(template)
    yield pg_url(name)
    drop_pg_database(name)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


@pytest.fixture
def demo(store: Store) -> tuple[Store, int, int]:
    """A store with the demo workspace; (store, workspace id, owner id)."""
    from parcours.store import ensure_demo

    owner = store.users.add("owner@example.org", None)
    workspace = ensure_demo(store, owner_id=owner.id)
    return store, workspace.id, owner.id
