"""Opening the database safely: where it is, the settings that keep writes, migrations.

SQLite: WAL journal, ``synchronous=FULL`` (a commit survives power loss), foreign keys on,
a 10 s busy timeout, ``BEGIN IMMEDIATE`` for every write transaction (writers queue instead of
failing on upgrade), and no network filesystem (its locks cannot be trusted).
PostgreSQL: READ COMMITTED with a row lock and a version check in each write transaction; the
server is refused when ``fsync``, ``synchronous_commit`` or ``full_page_writes`` is off.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from parcours.errors import InvalidArgument
from parcours.store.errors import StoreError, UnsafeDatabase

ENV_VAR = "PARCOURS_DB"
BUSY_TIMEOUT_MS = 10_000
#: Filesystems whose locking SQLite cannot rely on.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smbfs",
        "smb3",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "fuse.glusterfs",
        "fuse.cephfs",
        "fuse.s3fs",
        "fuse.rclone",
        "fuse.gcsfuse",
        "ncpfs",
        "coda",
        "gfs2",
        "ocfs2",
    }
)
PG_SAFE_SETTINGS = ("fsync", "synchronous_commit", "full_page_writes")


def default_path() -> Path:
    """``$XDG_DATA_HOME/parcours/parcours.db``, or ``~/.local/share/parcours/parcours.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "parcours" / "parcours.db"


def resolve_url(url: str | None = None) -> str:
    """The database URL: the one given, else ``$PARCOURS_DB``, else the default SQLite file.

    A plain path is a SQLite file; ``postgresql://`` means PostgreSQL through psycopg 3.
    """
    url = url or os.environ.get(ENV_VAR) or str(default_path())
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser().absolute())
    scheme, _, rest = url.partition("://")
    if scheme in ("postgresql", "postgres", "postgresql+psycopg"):
        return "postgresql+psycopg://" + rest
    if scheme in ("sqlite", "sqlite+pysqlite"):
        return "sqlite://" + rest
    raise StoreError(
        f"unsupported database URL scheme '{scheme}://'; expected a SQLite file path, "
        "sqlite:///PATH or postgresql://USER@HOST/DB"
    )


def display_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return sa.make_url(url).render_as_string(hide_password=True)


# -- SQLite -----------------------------------------------------------------------------------
def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding ``path`` (Linux ``/proc/mounts``), when known."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, kind = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def _sqlite_path(url: sa.URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise StoreError(
            f"'{url}' is not a SQLite file; give a file path such as ~/parcours.db "
            "(an in-memory database would lose everything at exit)"
        )
    return Path(url.database)


def _prepare_sqlite_file(path: Path) -> None:
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    kind = filesystem_type(folder)
    if kind in NETWORK_FILESYSTEMS:
        raise UnsafeDatabase(
            f"{path} is on a network filesystem ({kind}), where SQLite's locks are not reliable "
            "and edits could be lost; put the database on a local disk, or use PostgreSQL "
            "(--db postgresql://USER@HOST/DB)"
        )


def _sqlite_engine(url: sa.URL) -> Engine:
    path = _sqlite_path(url)
    _prepare_sqlite_file(path)
    engine = sa.create_engine(
        url,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        # as many kept connections as the server has worker threads (40): a connection
        # opened past the pool is closed after one use, and opening one (WAL, pragmas)
        # cost more than the request it served when 50 editors shared a map
        pool_size=40,
        max_overflow=24,
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # let SQLAlchemy's begin event decide how transactions start (BEGIN IMMEDIATE)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        mode = cursor.fetchone()[0]
        if str(mode).lower() != "wal":
            raise UnsafeDatabase(
                f"{path}: SQLite refused WAL mode (got '{mode}'); put the database on a local "
                "disk that supports shared memory"
            )
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("parcours_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


# -- PostgreSQL -------------------------------------------------------------------------------
def _postgres_engine(url: sa.URL) -> Engine:
    return sa.create_engine(
        url, isolation_level="READ COMMITTED", pool_size=20, max_overflow=20, pool_pre_ping=True
    )


def check_postgres(engine: Engine) -> None:
    """Refuse a server that could lose acknowledged commits."""
    with engine.connect() as conn:
        for name in PG_SAFE_SETTINGS:
            value = conn.exec_driver_sql(f"SHOW {name}").scalar()
            if str(value).lower() in ("off", "false", "0"):
                raise UnsafeDatabase(
                    f"PostgreSQL has {name}=off, so acknowledged edits could be lost in a crash; "
                    f"set {name} = on in postgresql.conf (or ALTER SYSTEM SET {name} = on) and "
                    "reload the server"
                )


# -- opening ----------------------------------------------------------------------------------
def refuse_nul(engine: Engine) -> None:
    """Refuse a text holding U+0000 before it reaches the database, on both databases alike.

    PostgreSQL cannot store it in a text column and fails with an error the caller would
    not expect (a sign-in with such an email, a comment); SQLite stores it, and tools that
    read the file cut the text there. The refusal is an :class:`InvalidArgument` (422)."""

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _check(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        for row in parameters if many else [parameters]:
            values = row.values() if isinstance(row, dict) else (row or ())
            if any(isinstance(v, str) and "\x00" in v for v in values):
                raise InvalidArgument(
                    "a text holds a NUL character (U+0000), which cannot be stored; remove it"
                )


def create_engine(url: str | None = None) -> Engine:
    """An engine on the database with the safe settings applied (not yet migrated)."""
    resolved = sa.make_url(resolve_url(url))
    try:
        if resolved.get_backend_name() == "sqlite":
            engine = _sqlite_engine(resolved)
            refuse_nul(engine)
            return engine
        engine = _postgres_engine(resolved)
        refuse_nul(engine)
        try:
            check_postgres(engine)
        except BaseException:
            engine.dispose()
            raise
        return engine
    except sa.exc.OperationalError as exc:
        raise StoreError(
            f"cannot open the database {display_url(str(resolved))}: "
            f"{str(exc.orig).strip().splitlines()[0] if exc.orig else exc}; check that the "
            "server runs and the URL is right"
        ) from None


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_LOCKS_LOCK = threading.Lock()


def _write_lock(engine: Engine) -> threading.Lock:
    with _LOCKS_LOCK:
        lock = _WRITE_LOCKS.get(engine)
        if lock is None:
            lock = _WRITE_LOCKS[engine] = threading.Lock()
        return lock


@contextmanager
def write(engine: Engine) -> Iterator[Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` on SQLite; committed when the block ends.

    On SQLite the threads of one process also queue on a lock first: SQLite's busy handler
    polls, and under many writers a thread could otherwise wait past the busy timeout.
    """
    with _unavailable(engine):
        if engine.dialect.name != "sqlite":
            with engine.connect() as conn, conn.begin():
                yield conn
            return
        with _write_lock(engine), engine.connect() as conn:
            conn.execution_options(parcours_write=True)
            with conn.begin():
                yield conn


_SHARED = threading.local()


@contextmanager
def read(engine: Engine) -> Iterator[Connection]:
    """A read transaction (one consistent snapshot on SQLite's WAL).

    Inside :func:`shared_read` on the same engine and thread, the transaction opened there.
    """
    held = getattr(_SHARED, "reads", None)
    if held is not None and held[0] is engine:
        with _unavailable(engine):
            conn = held[1]
            if conn is None:  # the first read of the block opens the shared transaction
                conn = engine.connect()
                _SHARED.reads = (engine, conn)
                conn.begin()
            yield conn
        return
    with _unavailable(engine), engine.connect() as conn, conn.begin():
        yield conn


@contextmanager
def shared_read(engine: Engine) -> Iterator[None]:
    """Every :func:`read` of this thread on ``engine`` in the block shares one transaction
    (checking who calls, which journey and which role costs one trip to the database
    instead of three). Only for blocks that do not read what they write: writes go through
    other transactions, which the shared snapshot does not see.
    """
    outer = getattr(_SHARED, "reads", None)
    _SHARED.reads = (engine, None)
    try:
        yield
    finally:
        state = _SHARED.reads
        _SHARED.reads = outer
        if state[1] is not None:  # the transaction ends with the block (rolled back: read only)
            state[1].close()


@contextmanager
def _unavailable(engine: Engine) -> Iterator[None]:
    """A database that is away or busy past the timeout: one sentence, nothing stored."""
    try:
        yield
    except sa.exc.OperationalError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(
            f"the database {display_url(engine.url.render_as_string(hide_password=False))} "
            f"cannot be used right now ({first}); nothing was changed, try again"
        ) from exc


class KeyedLocks:
    """One lock per key (a document), made on first use: threads of one process that edit
    the same document queue here rather than on the database's row lock, so the one holding
    the row is not slowed by the others competing for the interpreter."""

    def __init__(self) -> None:
        self._locks: dict[object, threading.Lock] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, key: object) -> Iterator[None]:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                if len(self._locks) > 10_000:
                    self._locks = {k: v for k, v in self._locks.items() if v.locked()}
                lock = self._locks[key] = threading.Lock()
        with lock:
            yield


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest revision (empty → head); return that revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    assert head is not None
    with write(engine) as conn:
        if conn.dialect.name == "postgresql":  # two servers starting at once migrate in turn
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7243061)")
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current != head and not _known(script, current):
            raise StoreError(
                f"the database schema is at revision '{current}', newer than this version of "
                "parcours knows; upgrade parcours"
            )
        if current != head:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    return head


def _known(script: Any, revision: str) -> bool:
    from alembic.util import CommandError

    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def inserted_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an ``INSERT`` just made."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
