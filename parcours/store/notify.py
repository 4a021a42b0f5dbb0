"""Live delivery of applied envelopes to subscribers (the web app's event streams).

After each commit the store publishes the envelope to the subscribers of this process; on
PostgreSQL the same transaction sends ``NOTIFY parcours_envelopes, 'origin:kind:id:version'``
and a background thread ``LISTEN``s, reads envelopes committed by other server processes and
publishes them here too, so that two servers deliver each other's edits.

``hub.stream(journey_id, after_version)`` is the async iterator an SSE endpoint wants: it
first yields what was stored after ``after_version`` (``Last-Event-ID``), then live envelopes,
filling any gap (a slow reader, a lost notification) from the database; versions come in
order, each once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import queue
import threading
import uuid
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from parcours.store.records import Envelope

if TYPE_CHECKING:
    from parcours.store.store import Store

log = logging.getLogger("parcours.store")
QUEUE_SIZE = 1000
SIGNAL_CHANNEL = "parcours_signals"  # small messages that are not envelopes (presence…)
SIGNAL_BYTES = 7000  # NOTIFY payloads stop at 8000 bytes
_PROCESS = uuid.uuid4().hex[:12]


def origin() -> str:
    """Who sent a notification: this process (the pid guards against forks)."""
    return f"{_PROCESS}-{os.getpid()}"


class Subscription:
    """Envelopes of one document (or all of a kind when ``doc_id`` is ``None``)."""

    def __init__(self, hub: Hub, document: str, doc_id: int | None) -> None:
        self._hub = hub
        self.document = document
        self.doc_id = doc_id
        self.overflowed = False
        self.thread_overflowed = False
        self._mode: str | None = None
        self._loop: asyncio.AbstractEventLoop | None
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None
        self._aqueue: asyncio.Queue[Envelope] = asyncio.Queue(QUEUE_SIZE)
        self._queue: queue.Queue[Envelope] = queue.Queue(QUEUE_SIZE)

    def wants(self, envelope: Envelope) -> bool:
        return envelope.document == self.document and self.doc_id in (None, envelope.document_id)

    def _deliver(self, envelope: Envelope) -> None:
        # until the subscriber first reads, both queues fill: it may read from a thread
        # (``get_nowait``) even when it subscribed inside an event loop, or the reverse
        if self._mode in (None, "thread"):
            try:
                self._queue.put_nowait(envelope)
            except queue.Full:
                self.thread_overflowed = True
        if self._mode in (None, "async") and self._loop is not None:
            try:
                self._loop.call_soon_threadsafe(self._put, envelope)
            except RuntimeError:  # the loop is closed
                if self._mode == "async":  # its reader is gone with it
                    self.close()
                else:
                    self._loop = None

    def _put(self, envelope: Envelope) -> None:
        try:
            self._aqueue.put_nowait(envelope)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self) -> Envelope:
        """The next envelope (in the event loop that subscribed)."""
        self._mode = "async"
        return await self._aqueue.get()

    def get_nowait(self, timeout: float | None = None) -> Envelope:
        """The next envelope, waiting up to ``timeout`` seconds (from any thread); raises
        ``queue.Empty`` when none came. ``thread_overflowed`` tells that some were dropped."""
        self._mode = "thread"
        return self._queue.get(timeout=timeout)

    def close(self) -> None:
        self._hub._remove(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Hub:
    """``store.hub``: fan-out of committed envelopes, across processes on PostgreSQL."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._subscribers: list[Subscription] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while the LISTEN connection is up
        self._signal_handlers: list[Callable[[dict[str, Any]], None]] = []

    # -- local fan-out -----------------------------------------------------------------------
    def subscribe(self, document: str = "journey", doc_id: int | None = None) -> Subscription:
        """Envelopes of a journey (``document="journey"``) or a workspace, from now on."""
        sub = Subscription(self, document, doc_id)
        with self._lock:
            self._subscribers.append(sub)
        if self._store.backend == "postgresql":
            self.start_listener()
        return sub

    def _remove(self, sub: Subscription) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._subscribers.remove(sub)

    def publish(self, envelope: Envelope) -> None:
        """Hand an envelope to every interested subscriber of this process (thread-safe)."""
        with self._lock:
            targets = [s for s in self._subscribers if s.wants(envelope)]
        for sub in targets:
            sub._deliver(envelope)

    @property
    def subscriber_count(self) -> int:
        with self._lock:
            return len(self._subscribers)

    # -- signals: what other processes should know that is not an envelope ------------------
    def on_signal(self, handler: Callable[[dict[str, Any]], None]) -> None:
        """Call ``handler(message)`` (from the listener thread) for each signal sent by
        another server process (PostgreSQL only; a single process has nobody to hear)."""
        with self._lock:
            self._signal_handlers.append(handler)
        if self._store.backend == "postgresql":
            self.start_listener()

    def signal(self, message: dict[str, Any]) -> None:
        """Send ``message`` (a small JSON object) to the other server processes on the same
        PostgreSQL database (``NOTIFY``); nothing to do on SQLite. Best effort: a message that
        cannot be sent is logged and dropped."""
        if self._store.backend != "postgresql":
            return
        payload = json.dumps({**message, "from": origin()}, ensure_ascii=False)
        if len(payload.encode()) > SIGNAL_BYTES:
            log.warning("signal of %d bytes not sent", len(payload.encode()))
            return
        import sqlalchemy as sa

        try:
            with self._store.engine.begin() as conn:
                conn.execute(
                    sa.text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": SIGNAL_CHANNEL, "payload": payload},
                )
        except Exception as exc:  # the database is away: the next heartbeat tries again
            log.info("signal not sent: %s", exc)

    def _signalled(self, payload: str) -> None:
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if not isinstance(message, dict) or message.get("from") == origin():
            return
        with self._lock:
            handlers = list(self._signal_handlers)
        for handler in handlers:
            try:
                handler(message)
            except Exception:  # one handler's fault is not the listener's
                log.exception("signal handler failed on %s", payload[:200])

    # -- gap-free streams -------------------------------------------------------------------
    def _since(self, document: str, doc_id: int, version: int) -> list[Envelope]:
        if document == "journey":
            return self._store.journeys.envelopes_since(doc_id, version)
        return self._store.workspaces.envelopes_since(doc_id, version)

    async def stream(
        self, doc_id: int, after_version: int = 0, *, document: str = "journey"
    ) -> AsyncIterator[Envelope]:
        """Every envelope after ``after_version``, then live ones, in order and each once."""
        sub = self.subscribe(document, doc_id)
        try:
            last = after_version
            for envelope in await asyncio.to_thread(self._since, document, doc_id, last):
                yield envelope
                last = envelope.version
            while True:
                envelope = await sub.get()
                if envelope.version <= last:
                    continue
                if envelope.version == last + 1 and not sub.overflowed:
                    yield envelope
                    last = envelope.version
                    continue
                sub.overflowed = False
                for missed in await asyncio.to_thread(self._since, document, doc_id, last):
                    yield missed
                    last = missed.version
        finally:
            sub.close()

    # -- PostgreSQL LISTEN -------------------------------------------------------------------
    def start_listener(self) -> None:
        """Start the LISTEN thread (PostgreSQL only; once; stopped by ``store.close()``)."""
        if self._store.backend != "postgresql":
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._listen, name="parcours-listen", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._thread = None

    def _listen(self) -> None:
        import psycopg

        from parcours.store.oplog import NOTIFY_CHANNEL

        url = self._store.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    conn.execute(f"LISTEN {SIGNAL_CHANNEL}")
                    self.listening.set()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=0.5):
                            if note.channel == SIGNAL_CHANNEL:
                                self._signalled(note.payload)
                            else:
                                self._received(note.payload)
            except Exception as exc:  # the server restarted: reconnect after a pause
                log.warning("notification listener lost its connection (%s); reconnecting", exc)
                self.listening.clear()
                self._stop.wait(1.0)

    def _received(self, payload: str) -> None:
        try:
            sender, document, doc_id, version = payload.rsplit(":", 3)
        except ValueError:
            return
        if sender == origin():
            return
        try:
            found = self._since(document, int(doc_id), int(version) - 1)
        except Exception as exc:  # deleted since, or the database is away: streams catch up
            log.info("cannot read notified envelope %s: %s", payload, exc)
            return
        for envelope in found[:1]:
            self.publish(envelope)


def describe(hub: Hub) -> dict[str, Any]:
    """What the hub is doing (for a health endpoint)."""
    return {"subscribers": hub.subscriber_count, "listening": hub.listening.is_set()}
