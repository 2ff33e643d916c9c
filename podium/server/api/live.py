"""Live event delivery across processes: one poller per API process wakes WebSocket subscribers.

Events are rows first: a worker (any process, any machine) commits them; this hub polls the
newest event id of each run that has subscribers (one indexed query per interval, whatever the
number of sockets) and wakes those subscribers, which then read the rows after their own cursor.
A subscriber's queue is a single coalescing wake-up flag, so it is bounded by construction and a
slow client never makes the server buffer events: it just reads more rows on its next turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict

from anyio import to_thread

from podium.server.db.session import Database
from podium.server.services import events

log = logging.getLogger(__name__)


class Subscription:
    """One subscriber's wake-up flag for one run."""

    def __init__(self, run_id: uuid.UUID) -> None:
        self.run_id = run_id
        self.wake = asyncio.Event()

    async def wait(self, timeout: float) -> None:
        """Wait until woken (new events may exist) or ``timeout`` seconds pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), timeout)
        self.wake.clear()


class EventHub:
    """Polls the events table for runs with subscribers and wakes them."""

    def __init__(self, db: Database, interval_s: float) -> None:
        self.db = db
        self.interval_s = interval_s
        self._subs: dict[uuid.UUID, set[Subscription]] = defaultdict(set)
        self._last: dict[uuid.UUID, int] = {}
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    def subscribe(self, run_id: uuid.UUID) -> Subscription:
        """Register interest in a run's new events (starts the poller if idle)."""
        sub = Subscription(run_id)
        self._subs[run_id].add(sub)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._poll())
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        """Forget a subscriber."""
        subs = self._subs.get(sub.run_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.run_id]
                self._last.pop(sub.run_id, None)

    def wake(self, run_id: uuid.UUID) -> None:
        """Wake a run's subscribers now (PostgreSQL NOTIFY); the poll stays the fallback."""
        for sub in self._subs.get(run_id, ()):
            sub.wake.set()

    async def close(self) -> None:
        """Stop the poller after its read in flight (a cancelled thread would keep a connection)."""
        self._closed = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _poll(self) -> None:
        while self._subs and not self._closed:
            try:
                latest = await to_thread.run_sync(self._read, list(self._subs))
            except Exception:
                log.exception("event hub poll failed")
                latest = {}
            for run_id, last_id in latest.items():
                if last_id > self._last.get(run_id, 0):
                    self._last[run_id] = last_id
                    for sub in self._subs.get(run_id, ()):
                        sub.wake.set()
            await asyncio.sleep(self.interval_s)

    def _read(self, run_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        with self.db.sessions() as session:
            return events.last_ids(session, run_ids)
