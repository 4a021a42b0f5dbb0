"""Opening a database: migrations empty → head, safe settings, refused places."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from parcours.store import StoreError, UnsafeDatabase, open_store, resolve_url
from parcours.store import database as db
from parcours.store.tables import metadata


def _migrated_matches_tables(url: str) -> None:
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() is not None
            assert compare_metadata(context, metadata) == []
            names = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= names
    finally:
        store.close()
    # opening again is a no-op
    open_store(url).close()


def test_sqlite_empty_to_head(tmp_path: Path) -> None:
    _migrated_matches_tables(str(tmp_path / "new" / "parcours.db"))


def test_postgresql_empty_to_head(pg_database: str) -> None:
    _migrated_matches_tables(pg_database)


def test_sqlite_settings_keep_every_commit(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "p.db"))
    try:
        with store.engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
            }
        assert pragma == {
            "journal_mode": "wal",
            "synchronous": 2,  # FULL
            "foreign_keys": 1,
            "busy_timeout": db.BUSY_TIMEOUT_MS,
        }
    finally:
        store.close()


def test_write_transactions_take_the_lock_at_once(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer waits (then fails) at BEGIN, not at its first write."""
    path = tmp_path / "p.db"
    store = open_store(str(path))
    try:
        with db.write(store.engine) as conn:
            conn.exec_driver_sql("SELECT 1")
            other = sqlite3.connect(path, timeout=0.1)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.close()
    finally:
        store.close()


def test_network_filesystem_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "filesystem_type", lambda path: "nfs4")
    with pytest.raises(UnsafeDatabase, match="network filesystem \\(nfs4\\)"):
        open_store(str(tmp_path / "p.db"))
    assert not (tmp_path / "p.db").exists()


def test_filesystem_type_reads_the_mount_table(tmp_path: Path) -> None:
    assert db.filesystem_type(tmp_path) not in (None, "")


def test_unsafe_postgresql_settings_are_refused(pg_database: str) -> None:
    engine = sa.create_engine(resolve_url(pg_database))
    try:
        # synchronous_commit can be switched per role: make ours unsafe
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f"ALTER DATABASE {engine.url.database} SET synchronous_commit = off"
            )
    finally:
        engine.dispose()
    with pytest.raises(UnsafeDatabase, match="synchronous_commit=off"):
        open_store(pg_database)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/srv/p.db", "sqlite:////srv/p.db"),
        ("sqlite:////srv/p.db", "sqlite:////srv/p.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_urls(url: str, expected: str) -> None:
    assert resolve_url(url) == expected


def test_bad_urls_name_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unsupported database URL scheme 'mysql://'"):
        resolve_url("mysql://x/y")
    with pytest.raises(StoreError, match="not a SQLite file"):
        open_store("sqlite://")
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store("postgresql://postgres@127.0.0.1:5432/no_such_database_here")


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("PARCOURS_DB", raising=False)
    assert db.default_path() == tmp_path / "parcours" / "parcours.db"
    assert resolve_url(None) == "sqlite:///" + str(tmp_path / "parcours" / "parcours.db")
    monkeypatch.setenv("PARCOURS_DB", "postgresql://u@h/d")
    assert resolve_url(None) == "postgresql+psycopg://u@h/d"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    open_store(str(path)).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this version of parcours"):
        open_store(str(path))


def test_a_busy_database_is_one_sentence_and_nothing_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.db"
    store = open_store(str(path))
    try:
        monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        store.engine.dispose()
        from parcours.store import Store

        busy = Store(db.create_engine(str(path)))
        with pytest.raises(StoreError, match=r"cannot be used right now .*try again"):
            busy.users.add("a@example.org", None)
        other.execute("ROLLBACK")
        other.close()
        assert busy.users.count() == 0
        busy.close()
    finally:
        store.close()
