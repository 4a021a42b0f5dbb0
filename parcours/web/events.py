"""Live updates: Server-Sent Events of the operation envelopes applied to a journey.

Each event has ``id:`` = the journey version it produced; a client that reconnects with
``Last-Event-ID`` gets every envelope after that version, so nothing is missed. The stream
reads envelopes from the database (never from memory), so an edit made by another server
process arrives too: the :class:`Broker` only wakes streams early — on an edit in this
process, or when the store relays a notification (PostgreSQL LISTEN/NOTIFY) — and streams
also look every ``sse_poll_seconds``. Access is checked on connect and again on each wake:
a signed-out user, a revoked token or a removed member loses the stream at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from parcours.errors import NotFound
from parcours.web.auth import identify, require_role
from parcours.web.backend import Role
from parcours.web.context import backend, call, info_for, settings
from parcours.web.problems import ApiError

router = APIRouter(tags=["journeys"])
BATCH = 200


class Broker:
    """Wakes the event streams of a journey; safe to call from any thread."""

    def __init__(self) -> None:
        self._streams: dict[str, set[asyncio.Event]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stamps: dict[tuple[str, str], int] = {}

    def soon(self, fn: Callable[..., None], *args: Any) -> None:
        """Run ``fn(*args)`` in the streams' event loop (from any thread)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            fn(*args)  # no stream yet: nothing runs concurrently with it
        else:
            loop.call_soon_threadsafe(fn, *args)

    def signal(self, journey_id: str, what: str) -> None:
        """Something that is not an operation changed (``comments``): streams send an event."""
        self._stamps[(journey_id, what)] = self._stamps.get((journey_id, what), 0) + 1
        self.notify(journey_id)

    def stamp(self, journey_id: str, what: str) -> int:
        """How many times ``what`` changed on ``journey_id`` (a stream compares it)."""
        return self._stamps.get((journey_id, what), 0)

    def subscribe(self, journey_id: str) -> asyncio.Event:
        self._loop = asyncio.get_running_loop()
        event = asyncio.Event()
        self._streams.setdefault(journey_id, set()).add(event)
        return event

    def unsubscribe(self, journey_id: str, event: asyncio.Event) -> None:
        streams = self._streams.get(journey_id)
        if streams is not None:
            streams.discard(event)
            if not streams:
                del self._streams[journey_id]

    def _wake(self, journey_id: str) -> None:
        for event in list(self._streams.get(journey_id, ())):
            event.set()

    def notify(self, journey_id: str) -> None:
        """An edit of ``journey_id`` was committed (from this or another process)."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._wake(journey_id)
        else:
            loop.call_soon_threadsafe(self._wake, journey_id)

    def count(self, journey_id: str) -> int:
        return len(self._streams.get(journey_id, ()))


def broker(request: Request) -> Broker:
    b: Broker = request.app.state.broker
    return b


def _start(request: Request, current: int) -> int:
    raw = request.headers.get("last-event-id") or request.query_params.get("since")
    if raw is None:
        return current
    if not (raw.strip().isascii() and raw.strip().isdigit()) or len(raw.strip()) > 18:
        raise ApiError(400, f"Last-Event-ID {raw!r} is not a version number")
    return min(int(raw), current)


@router.get(
    "/api/journeys/{journey_id}/events",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "Event stream"}},
)
async def journey_events(journey_id: str, request: Request) -> EventSourceResponse:
    """Server-Sent Events: one ``operations`` event per applied envelope, ``id:`` = version;
    ``presence`` (who is here, which cell they edit) and ``comments`` (a comment was added or
    removed: read them again) when those change.

    Send ``Last-Event-ID`` (or ``?since=<version>``) to resume after a version.
    """
    principal, info = await info_for(request, journey_id, Role.viewer)
    start = _start(request, info.version)
    key = info.id
    workspace = info.workspace
    b = backend(request)
    conf = settings(request)
    hub = broker(request)

    def allowed() -> bool:  # in a worker thread: the caller and the role in one trip
        try:
            again = identify(request, b, conf)
            if again is None or again.user.id != principal.user.id:
                return False
            require_role(b, again, workspace, Role.viewer)
        except ApiError:
            return False
        return True

    async def allowed_and_read(after: int, check: bool) -> tuple[bool, list[Any] | None]:
        """Whether the caller may still read (checked on each wake) and the envelopes after
        ``after`` (None: the journey is gone), both asked at once."""

        async def read() -> list[Any] | None:
            try:
                return await call(request, b.envelopes_since, key, after, BATCH)
            except (NotFound, KeyError):
                return None

        if not check:
            return True, await read()
        ok, envelopes = await asyncio.gather(call(request, allowed), read())
        return ok, envelopes

    from parcours.web.editor import cell_keys, cells_html, presence

    # ?cells=1 (the editor): a change of cells only comes with those cells drawn, as
    # /journeys/{id}/cells answers them, so the editor redraws them without asking
    cells_of = None
    if request.query_params.get("cells") == "1":
        role = await call(request, require_role, b, principal, workspace, Role.viewer)
        cells_of = drawn_cells(request, key, role.allows(Role.editor), cell_keys, cells_html)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        wake = hub.subscribe(key)
        sent = start

        people = presence(request)
        seen_people = -1
        seen_comments = hub.stamp(key, "comments")
        try:
            yield ServerSentEvent(json.dumps({"version": info.version}), event="ready", retry=2000)
            woken = False  # access was checked on connect; again on each wake
            while True:
                wake.clear()
                ok, envelopes = await allowed_and_read(sent, woken)
                if not ok:
                    yield ServerSentEvent(json.dumps({"reason": "access ended"}), event="revoked")
                    return
                if envelopes is None:
                    yield ServerSentEvent(json.dumps({"journey": key}), event="deleted")
                    return
                batch: list[dict[str, Any]] = [envelope.to_dict() for envelope in envelopes]
                if cells_of is not None and batch:
                    await cells_of(batch)
                for envelope, data in zip(envelopes, batch, strict=True):
                    yield ServerSentEvent(
                        json.dumps(data, ensure_ascii=False),
                        event="operations",
                        id=str(envelope.version),
                    )
                    sent = envelope.version
                if len(envelopes) >= BATCH:
                    continue
                if people.stamp(key) != seen_people:
                    seen_people = people.stamp(key)
                    yield ServerSentEvent(
                        json.dumps({"people": people.people(key)}, ensure_ascii=False),
                        event="presence",
                    )
                if hub.stamp(key, "comments") != seen_comments:
                    seen_comments = hub.stamp(key, "comments")
                    yield ServerSentEvent(json.dumps({"journey": key}), event="comments")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=conf.sse_poll_seconds)
                woken = True
        finally:
            hub.unsubscribe(key, wake)

    return EventSourceResponse(
        stream(),
        ping=conf.sse_heartbeat_seconds,
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


CACHED = 256  # cells drawn for the last versions, shared by the streams of this process


def drawn_cells(
    request: Request, journey: str, can_edit: bool, keys_of: Any, draw: Any
) -> Callable[[list[dict[str, Any]]], Awaitable[None]]:
    """Adds ``cells`` (their HTML) to each envelope of a batch that changes cells only; drawn
    once per version, language and role for all the streams of the process."""
    from parcours.web import i18n

    state = request.app.state
    if not hasattr(state, "drawn_cells"):
        state.drawn_cells = {}
    cache: dict[tuple[str, int, str, bool], str] = state.drawn_cells

    lang = i18n.ui_lang(request)
    b = backend(request)

    async def add(batch: list[dict[str, Any]]) -> None:
        todo: list[tuple[dict[str, Any], list[str]]] = []
        for data in batch:
            keys = keys_of(data["operations"])
            if keys is None:
                continue
            hit = cache.get((journey, data["version"], lang, can_edit))
            if hit is not None:
                data["cells"] = hit
            else:
                todo.append((data, keys))
        if not todo:
            return

        def load_and_draw() -> list[str]:
            return draw(request, b.journey(journey), [k for _, k in todo], can_edit)

        try:
            drawn = await call(request, load_and_draw)
        except (NotFound, KeyError):
            return  # deleted: the stream says so next
        for (data, _), html in zip(todo, drawn, strict=True):
            data["cells"] = html
            cache[(journey, data["version"], lang, can_edit)] = html
        while len(cache) > CACHED:
            del cache[next(iter(cache))]

    return add
