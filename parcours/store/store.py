"""The store: one database (SQLite file or PostgreSQL) and its repositories."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from parcours.store.attempts import SignInAttempts
from parcours.store.comments import Comments
from parcours.store.credentials import ApiTokens, Sessions
from parcours.store.database import KeyedLocks, create_engine, display_url, migrate
from parcours.store.documents import StateCache
from parcours.store.groups import GroupCommit
from parcours.store.journeys import Journeys
from parcours.store.notify import Hub
from parcours.store.shares import ShareLinks
from parcours.store.users import Users
from parcours.store.workspaces import Workspaces


class Store:
    """A migrated database with one repository per noun (see :mod:`parcours.store`)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.users = Users(self)
        self.sessions = Sessions(self)
        self.tokens = ApiTokens(self)
        self.workspaces = Workspaces(self)
        self.journeys = Journeys(self)
        self.comments = Comments(self)
        self.shares = ShareLinks(self)
        self.sign_ins = SignInAttempts(self)
        self.hub = Hub(self)
        #: recent document states by revision hash (edits and rebases skip parse and replay)
        self.states = StateCache()
        #: per-document locks of this process (see ``KeyedLocks``)
        self.locks = KeyedLocks()
        #: edits of one document that wait together are written together (see ``groups``)
        self.groups = GroupCommit(engine, self.locks)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        """The database URL without its password."""
        return display_url(self.engine.url.render_as_string(hide_password=False))

    @property
    def path(self) -> str | None:
        """The SQLite file, or ``None`` on PostgreSQL."""
        return self.engine.url.database if self.backend == "sqlite" else None

    def is_empty(self) -> bool:
        """True when the database has no workspace and no account."""
        return not self.workspaces.list() and self.users.count() == 0

    def close(self) -> None:
        """Stop the notification listener and close every connection."""
        self.hub.stop()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate to the newest schema) the database at ``url``.

    ``url``: a SQLite file path, ``sqlite:///PATH`` or ``postgresql://USER@HOST/DB``; when
    ``None``, ``$PARCOURS_DB`` or the default file (``parcours.store.default_path()``).
    """
    engine = create_engine(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine)
