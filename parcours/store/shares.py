"""Read-only share links to a workspace or to one journey, revocable, stored hashed."""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parcours.errors import NotFound
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.passwords import SHARE_PREFIX, new_token, token_digest
from parcours.store.records import ShareLink, aware, now

if TYPE_CHECKING:
    from parcours.store.store import Store


def _link(row: Any) -> ShareLink:
    return ShareLink(
        id=row.id,
        workspace_id=row.workspace_id,
        journey_id=row.journey_id,
        created_by=row.created_by,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        revoked_at=aware(row.revoked_at),
    )


class ShareLinks:
    """``store.shares``: who holds the link reads; nobody writes through one."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(
        self, workspace_id: int, *, journey_id: int | None = None, created_by: int | None = None
    ) -> tuple[str, ShareLink]:
        """A new link: its secret (shown once) and its record."""
        token = new_token(SHARE_PREFIX)
        with write(self._store.engine) as conn:
            if journey_id is not None:
                owner = conn.execute(
                    sa.select(t.journeys.c.workspace_id).where(t.journeys.c.id == journey_id)
                ).scalar()
                if owner != workspace_id:
                    raise NotFound(f"no journey with id {journey_id} in workspace {workspace_id}")
            elif (
                conn.execute(
                    sa.select(t.workspaces.c.id).where(t.workspaces.c.id == workspace_id)
                ).first()
                is None
            ):
                raise NotFound(f"no workspace with id {workspace_id}")
            link_id = inserted_id(
                conn.execute(
                    t.share_links.insert().values(
                        token_hash=token_digest(token),
                        workspace_id=workspace_id,
                        journey_id=journey_id,
                        created_by=created_by,
                        created_at=now(),
                    )
                )
            )
            row = conn.execute(sa.select(t.share_links).where(t.share_links.c.id == link_id)).one()
        return token, _link(row)

    def lookup(self, token: str) -> ShareLink | None:
        """The live link for a secret, or ``None`` (unknown or revoked)."""
        if not token:
            return None
        with read(self._store.engine) as conn:
            row = conn.execute(
                sa.select(t.share_links).where(t.share_links.c.token_hash == token_digest(token))
            ).first()
        if row is None or row.revoked_at is not None:
            return None
        return _link(row)

    def revoke(self, link_id: int) -> ShareLink:
        with write(self._store.engine) as conn:
            conn.execute(
                t.share_links.update()
                .where(t.share_links.c.id == link_id, t.share_links.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            row = conn.execute(
                sa.select(t.share_links).where(t.share_links.c.id == link_id)
            ).first()
        if row is None:
            raise NotFound(f"no share link with id {link_id}")
        return _link(row)

    def get(self, link_id: int) -> ShareLink:
        with read(self._store.engine) as conn:
            row = conn.execute(
                sa.select(t.share_links).where(t.share_links.c.id == link_id)
            ).first()
        if row is None:
            raise NotFound(f"no share link with id {link_id}")
        return _link(row)

    def list(self, workspace_id: int) -> builtins.list[ShareLink]:
        with read(self._store.engine) as conn:
            rows = conn.execute(
                sa.select(t.share_links)
                .where(t.share_links.c.workspace_id == workspace_id)
                .order_by(t.share_links.c.id)
            ).all()
        return [_link(r) for r in rows]
