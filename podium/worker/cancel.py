"""Cancel polling as a side thread: ``should_stop`` answers from a cached flag, never the DB."""

from __future__ import annotations

import logging
import threading
import uuid

from podium.server.db.session import Database
from podium.server.services import queue

log = logging.getLogger(__name__)


class CancelWatcher:
    """Refreshes a run's ``cancel_requested`` flag every ``interval_s`` (≥ 5×/s by default).

    ``should_stop`` is what the engine polls: true when a user cancelled, the worker is shutting
    down, or the run was lost (its lease reaped).
    """

    def __init__(
        self,
        db: Database,
        run_id: uuid.UUID,
        shutdown: threading.Event,
        interval_s: float = 0.1,
    ) -> None:
        self.db = db
        self.run_id = run_id
        self.shutdown = shutdown
        self.interval_s = interval_s
        self.cancelled = False
        self.lost = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="cancel-watcher", daemon=True)

    def __enter__(self) -> CancelWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=5)

    def should_stop(self) -> bool:
        """Cached answer for the engine (cheap enough to poll in a tight loop)."""
        return self.cancelled or self.lost or self.shutdown.is_set()

    def _loop(self) -> None:
        while not self._done.wait(self.interval_s):
            try:
                with self.db.sessions() as session:
                    if queue.cancel_requested(session, self.run_id):
                        self.cancelled = True
            except Exception:
                log.exception("cancel poll failed for run %s", self.run_id)
