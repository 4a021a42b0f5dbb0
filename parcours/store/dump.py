"""Back up and restore a whole database as one JSON document.

``dump(store)`` writes every table (accounts, sessions, tokens, workspaces, members, journeys,
revisions and snapshots, comments, share links) row by row in primary-key order, with the
schema revision; ``restore(store, data)`` loads it into an empty database of either kind
(SQLite → PostgreSQL and back), keeping ids, so that a dump of the restored database is
identical to the first. Secrets stay hashed.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parcours.atomic import write_atomic
from parcours.store import tables as t
from parcours.store.database import read, write
from parcours.store.errors import StoreError
from parcours.store.records import aware

if TYPE_CHECKING:
    from parcours.store.store import Store

FORMAT = "parcours-dump"
FORMAT_VERSION = 1


def _schema_revision(conn: sa.Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _encode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        moment = aware(value)
        assert moment is not None
        return moment.isoformat()
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    return value


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.DateTime):
        return dt.datetime.fromisoformat(value)
    return value


def dump(store: Store) -> dict[str, Any]:
    """Every row of every table, as JSON data."""
    with read(store.engine) as conn:
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in t.ORDER:
            key = list(table.primary_key.columns)
            rows = conn.execute(sa.select(table).order_by(*key)).all()
            tables[table.name] = [
                {c.name: _encode(c, row._mapping[c.name]) for c in table.columns} for row in rows
            ]
        revision = _schema_revision(conn)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "schema": revision,
        "tables": tables,
    }


def dumps(store: Store) -> str:
    return json.dumps(dump(store), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _is_empty(conn: sa.Connection) -> bool:
    for table in t.ORDER:
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one():
            return False
    return True


def restore(store: Store, data: Any, *, source: str = "the dump") -> dict[str, int]:
    """Load a dump into an empty database; how many rows each table got."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise StoreError(f"{source} is not a parcours dump (made by 'parcours dump')")
    if data.get("version") != FORMAT_VERSION:
        raise StoreError(
            f"{source} has dump format version {data.get('version')!r}; this parcours reads "
            f"version {FORMAT_VERSION}"
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise StoreError(f"{source} has no 'tables'; it is damaged")
    counts: dict[str, int] = {}
    with write(store.engine) as conn:
        if data.get("schema") != _schema_revision(conn):
            raise StoreError(
                f"{source} was made with schema revision {data.get('schema')!r} but the database "
                f"is at {_schema_revision(conn)!r}; restore it with the parcours version that "
                "made it, then upgrade"
            )
        if not _is_empty(conn):
            raise StoreError(
                "the database is not empty; restore into a new database (another --db) so that "
                "nothing is overwritten"
            )
        for table in t.ORDER:
            rows = tables.get(table.name, [])
            if not isinstance(rows, list):
                raise StoreError(f"{source}: table '{table.name}' is not a list of rows")
            names = {c.name for c in table.columns}
            decoded = []
            for i, row in enumerate(rows, start=1):
                if not isinstance(row, dict) or set(row) != names:
                    raise StoreError(
                        f"{source}: row {i} of table '{table.name}' does not have the columns "
                        f"{', '.join(sorted(names))}"
                    )
                decoded.append({c.name: _decode(c, row[c.name]) for c in table.columns})
            for start in range(0, len(decoded), 500):
                conn.execute(table.insert(), decoded[start : start + 500])
            counts[table.name] = len(decoded)
        if conn.dialect.name == "postgresql":  # new rows continue after the restored ids
            for table in t.ORDER:
                if "id" in table.c and table.c.id.primary_key:
                    conn.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                    )
    return counts


def save(store: Store, path: str | Path) -> Path:
    """Write the dump to ``path`` atomically (a crash leaves the old file or the new one)."""
    target = Path(path)
    text = dumps(store)
    write_atomic(target, text)
    return target


def load(store: Store, path: str | Path) -> dict[str, int]:
    """Restore the dump file at ``path`` into the (empty) database."""
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise StoreError(
            f"{source}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); give a file made "
            "by 'parcours dump'"
        ) from None
    return restore(store, data, source=str(source))
