"""The sign-in counts kept in the database, on both databases: limits, window, sharing; and
the texts no database may be sent."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from parcours.errors import InvalidArgument
from parcours.store import Store, open_store
from parcours.store import tables as t
from parcours.store.attempts import SignInAttempts

LIMITS = {"per_account": 3, "per_ip": 5, "window": 60}


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def test_counts_per_account_whether_or_not_it_exists_and_per_address(store: Store) -> None:
    clock = Clock()
    store.sign_ins.clock = clock
    for _ in range(3):
        assert store.sign_ins.admit("Someone@Example.org", "10.0.0.1", **LIMITS).attempt
    refused = store.sign_ins.admit("SOMEONE@example.org ", "10.0.0.2", **LIMITS)  # same account
    assert refused.attempt is None and refused.retry_after == 61
    assert store.sign_ins.admit("other@example.org", "10.0.0.3", **LIMITS).attempt
    assert store.sign_ins.admit("a@x.org", "10.0.0.1", **LIMITS).attempt
    assert store.sign_ins.admit("b@x.org", "10.0.0.1", **LIMITS).attempt
    by_address = store.sign_ins.admit("c@x.org", "10.0.0.1", **LIMITS)  # 5 from this address
    assert by_address.attempt is None and by_address.retry_after == 61
    clock.now += dt.timedelta(seconds=30)
    assert store.sign_ins.admit("c@x.org", "10.0.0.1", **LIMITS).retry_after == 31
    clock.now += dt.timedelta(seconds=31)  # the window slid past every attempt
    assert store.sign_ins.admit("someone@example.org", "10.0.0.1", **LIMITS).attempt
    assert store.sign_ins.count() == 2, "rows older than the window are deleted"


def test_a_success_forgets_the_account_but_not_the_address(store: Store) -> None:
    clock = Clock()
    store.sign_ins.clock = clock
    for _ in range(2):
        store.sign_ins.admit("victim@example.org", "10.0.0.9", **LIMITS)
    mine = store.sign_ins.admit("me@example.org", "10.0.0.9", **LIMITS)
    assert mine.attempt is not None
    store.sign_ins.succeeded("me@example.org", mine.attempt)
    assert store.sign_ins.count() == 4  # the victim's two attempts, email and address rows
    for _ in range(3):
        assert store.sign_ins.admit("me@example.org", "10.0.0.9", **LIMITS).attempt
    assert store.sign_ins.admit("me@example.org", "10.0.0.9", **LIMITS).attempt is None


def test_the_table_keeps_no_address_and_no_typed_email(store: Store) -> None:
    store.sign_ins.admit("secret.person@example.org", "203.0.113.77", **LIMITS)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(t.sign_in_attempts)).all()
    text = repr(rows)
    assert len(rows) == 2 and "secret" not in text and "203.0.113" not in text


def test_two_stores_on_one_database_share_the_limit_under_concurrent_attempts(
    store: Store, db_url: str
) -> None:
    """Two stores (two server processes) and 40 simultaneous attempts: exactly the limit."""
    other = open_store(db_url)
    try:
        counters = [store.sign_ins, other.sign_ins]
        admitted: list[str | None] = []
        start = threading.Barrier(40)

        def attempt(n: int) -> None:
            counter: SignInAttempts = counters[n % 2]
            start.wait()
            answer = counter.admit(
                "target@example.org", f"10.1.0.{n}", per_account=10, per_ip=50, window=600
            )
            admitted.append(answer.attempt)

        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(a is not None for a in admitted) == 10
    finally:
        other.close()


def test_a_text_with_nul_is_refused_alike_on_both_databases(store: Store) -> None:
    """PostgreSQL cannot store U+0000 (it failed with an internal error); SQLite could."""
    owner = store.users.add("owner@example.org", "long enough password")
    with pytest.raises(InvalidArgument, match="NUL"):
        store.workspaces.create("Banque\x00A", owner_id=owner.id)
    with pytest.raises(InvalidArgument, match="NUL"):
        store.users.authenticate("someone\x00@example.org", "whatever")
    assert store.workspaces.list() == []
    assert store.users.count() == 1


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_at_the_first_schema_is_upgraded_with_its_accounts_kept(
    backend: str, tmp_path: object, request: pytest.FixtureRequest
) -> None:
    """An existing database (schema 0001) gains the sign-in table when it is next opened."""
    from alembic import command
    from alembic.config import Config

    from parcours.store import database as db

    url = (
        str(tmp_path) + "/old.db"  # type: ignore[operator]
        if backend == "sqlite"
        else request.getfixturevalue("pg_database")
    )
    engine = db.create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    with db.write(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        assert "sign_in_attempts" not in sa.inspect(conn).get_table_names()
        conn.execute(
            t.users.insert().values(
                email="kept@example.org",
                is_admin=False,
                disabled=False,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    engine.dispose()
    with open_store(url) as upgraded:
        assert upgraded.users.by_email("kept@example.org") is not None
        assert upgraded.sign_ins.admit("kept@example.org", "10.0.0.1", **LIMITS).attempt
