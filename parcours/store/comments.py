"""Comments on a journey, a step, a lane or a cell; id, author and time are set here."""

from __future__ import annotations

import builtins
import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from parcours.errors import NotFound
from parcours.model.errors import noun
from parcours.store import tables as t
from parcours.store.database import inserted_id, read, write
from parcours.store.records import Comment, aware, now

if TYPE_CHECKING:
    from parcours.store.store import Store

MAX_TEXT = 10_000


def _comment(row: Any) -> Comment:
    return Comment(
        id=row.id,
        journey_id=row.journey_id,
        target=row.target,
        step=row.step,
        lane=row.lane,
        author_id=row.author_id,
        created_at=aware(row.created_at),  # type: ignore[arg-type]
        updated_at=aware(row.updated_at),  # type: ignore[arg-type]
        text=row.text,
        resolved=bool(row.resolved),
    )


def _text(text: str) -> str:
    value = text.strip()
    if not value:
        raise ValueError("the comment is empty; write something")
    if len(value) > MAX_TEXT:
        raise ValueError(f"the comment has {len(value)} characters; the limit is {MAX_TEXT}")
    return value


class Comments:
    """``store.comments``: discussion on the maps, outside their revision history."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        journey_id: int,
        author_id: int | None,
        text: str,
        *,
        step: str | None = None,
        lane: str | None = None,
    ) -> Comment:
        """A comment on the journey, a step, a lane, or a cell (both step and lane)."""
        body = _text(text)
        target = "cell" if step and lane else "step" if step else "lane" if lane else "journey"
        with write(self._store.engine) as conn:
            state = conn.execute(
                sa.select(t.journeys.c.state).where(t.journeys.c.id == journey_id)
            ).scalar()
            if state is None:
                raise NotFound(f"no journey with id {journey_id}")
            data = json.loads(state)
            steps = [s["id"] for stage in data.get("stages", []) for s in stage.get("steps", [])]
            lanes = [lane_["id"] for lane_ in data.get("lanes", [])]
            if step is not None and step not in steps:
                ids = ", ".join(steps)
                raise NotFound.of("no_such.expected", kind=noun("step"), wanted=step, ids=ids)
            if lane is not None and lane not in lanes:
                ids = ", ".join(lanes)
                raise NotFound.of("no_such.expected", kind=noun("lane"), wanted=lane, ids=ids)
            stamp = now()
            comment_id = inserted_id(
                conn.execute(
                    t.comments.insert().values(
                        journey_id=journey_id,
                        target=target,
                        step=step,
                        lane=lane,
                        author_id=author_id,
                        created_at=stamp,
                        updated_at=stamp,
                        text=body,
                        resolved=False,
                    )
                )
            )
            row = conn.execute(sa.select(t.comments).where(t.comments.c.id == comment_id)).one()
        return _comment(row)

    def list(self, journey_id: int) -> builtins.list[Comment]:
        with read(self._store.engine) as conn:
            rows = conn.execute(
                sa.select(t.comments)
                .where(t.comments.c.journey_id == journey_id)
                .order_by(t.comments.c.id)
            ).all()
        return [_comment(r) for r in rows]

    def get(self, comment_id: int) -> Comment:
        with read(self._store.engine) as conn:
            row = conn.execute(sa.select(t.comments).where(t.comments.c.id == comment_id)).first()
        if row is None:
            raise NotFound(f"no comment with id {comment_id}")
        return _comment(row)

    def edit(
        self, comment_id: int, *, text: str | None = None, resolved: bool | None = None
    ) -> Comment:
        values: dict[str, Any] = {"updated_at": now()}
        if text is not None:
            values["text"] = _text(text)
        if resolved is not None:
            values["resolved"] = resolved
        with write(self._store.engine) as conn:
            done = conn.execute(
                t.comments.update().where(t.comments.c.id == comment_id).values(**values)
            )
            if done.rowcount != 1:
                raise NotFound(f"no comment with id {comment_id}")
            row = conn.execute(sa.select(t.comments).where(t.comments.c.id == comment_id)).one()
        return _comment(row)

    def delete(self, comment_id: int) -> None:
        with write(self._store.engine) as conn:
            done = conn.execute(t.comments.delete().where(t.comments.c.id == comment_id))
        if done.rowcount != 1:
            raise NotFound(f"no comment with id {comment_id}")
