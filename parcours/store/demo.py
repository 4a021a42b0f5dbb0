"""The demo workspace (``catalog.load_demo()``) loaded into an empty database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcours.store.records import Workspace

if TYPE_CHECKING:
    from parcours.store.store import Store


def ensure_demo(store: Store, *, owner_id: int | None = None) -> Workspace:
    """The demo workspace: loaded on first call, found again afterwards.

    ``owner_id`` becomes its owner when it is created (``parcours serve`` creates the account).
    """
    from parcours.catalog import load_demo
    from parcours.errors import NotFound

    atlas = load_demo()
    try:
        return store.workspaces.by_slug(atlas.id)
    except NotFound:
        pass
    from parcours.store.errors import AlreadyExists

    try:
        workspace = store.workspaces.create(
            atlas.name, slug=atlas.id, atlas=atlas, owner_id=owner_id
        )
    except AlreadyExists:  # another server process loaded it at the same moment
        return store.workspaces.by_slug(atlas.id)
    for journey in atlas.journeys:
        store.journeys.create(workspace.id, journey, author_id=owner_id)
    return store.workspaces.get(workspace.id)
