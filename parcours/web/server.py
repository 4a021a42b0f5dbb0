"""Build the server from the environment (what ``parcours serve`` and uvicorn workers run)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.web.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from parcours.store.store import Store


def open_store(url: str | None) -> Store:
    """The store of ``url`` (or ``PARCOURS_DB``, or the default SQLite file), migrated."""
    from parcours.store import open_store as open_database

    return open_database(url)


def build(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    from parcours.web.app import create_app
    from parcours.web.storage import StoreBackend

    settings = settings or Settings()
    store = store or open_store(settings.db)
    return create_app(StoreBackend(store), settings)


def configure_logging() -> None:
    """The server's own log lines (security events, error ids with their trace) on stderr,
    beside uvicorn's; once per process, and only when nothing configured ``parcours`` yet."""
    import logging

    log = logging.getLogger("parcours")
    if log.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def settle_memory() -> None:
    """Put what start-up made (modules, the app, the store's first reads) out of the garbage
    collector's sight, just before serving.

    A full pass of the collector walks every object it tracks; after start-up those are
    hundreds of thousands that live as long as the process, and each full pass stopped every
    request for tens of milliseconds: most of the slowest 1 % of edits with 50 editors on one
    map (p99 150–245 ms → 85–115 ms on SQLite, `docs/benchmarks.md`). For a serving process
    only: frozen objects are never collected.
    """
    import gc

    gc.collect()
    gc.freeze()


def from_environment() -> FastAPI:
    """The uvicorn factory of each worker process: settings from ``PARCOURS_*``."""
    configure_logging()
    app = build()
    settle_memory()
    return app
