"""PostgreSQL LISTEN: wake a run's WebSocket subscribers as soon as any process commits an event.

Every event insert on PostgreSQL also runs ``pg_notify('podium_events', <run id>)`` in its
transaction (``podium.server.services.events``), so the notification is delivered only after
the commit, when the rows are visible. One thread per API process holds a psycopg connection
that LISTENs and hands each run id to :meth:`EventHub.wake` on the event loop. The hub's poll
stays on as the fallback (SQLite, a dropped connection, a pooler that drops notifications):
a notification only ever makes delivery sooner, losing one never loses an event.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from typing import Any

from sqlalchemy.engine import make_url

from podium.server.api.live import EventHub
from podium.server.services.events import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
WAIT_S = 0.5
RETRY_MIN_S = 0.5
RETRY_MAX_S = 30.0


class EventListener:
    """A daemon thread LISTENing on :data:`NOTIFY_CHANNEL`; reconnects with back-off."""

    def __init__(self, url: str, hub: EventHub, loop: asyncio.AbstractEventLoop) -> None:
        plain = make_url(url).set(drivername="postgresql")
        self.conninfo = plain.render_as_string(hide_password=False)
        self.hub = hub
        self.loop = loop
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="podium-listen", daemon=True)

    def start(self) -> EventListener:
        """Start listening in the background."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Stop and wait for the thread (it notices within :data:`WAIT_S`)."""
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        delay = RETRY_MIN_S
        while not self._stop.is_set():
            try:
                self._listen()
                delay = RETRY_MIN_S
            except Exception as exc:  # connection refused or dropped: poll covers meanwhile
                self.connected.clear()
                log.warning("LISTEN %s lost (%s); retrying in %.1f s", NOTIFY_CHANNEL, exc, delay)
                self._stop.wait(delay)
                delay = min(RETRY_MAX_S, delay * 2)

    def _listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            self.connected.set()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=WAIT_S):
                    self._wake(note.payload)
        self.connected.clear()

    def _wake(self, payload: str) -> None:
        try:
            run_id = uuid.UUID(payload)
        except ValueError:
            return
        try:
            self.loop.call_soon_threadsafe(self.hub.wake, run_id)
        except RuntimeError:  # the loop is closed: the app is shutting down
            self._stop.set()


def start_listener(url: str, hub: EventHub) -> EventListener | None:
    """Listen when ``url`` is PostgreSQL (None for SQLite, where only the poll exists)."""
    if make_url(url).get_backend_name() != "postgresql":
        return None
    loop: Any = asyncio.get_running_loop()
    return EventListener(url, hub, loop).start()
