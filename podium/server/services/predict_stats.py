"""Per-deployment predict statistics: counted in memory, written to the database in batches.

A predict call only adds to this process's tally (microseconds, no database write on the
response path). A flusher thread writes the tally every ``FLUSH_EVERY_S`` seconds, one
transaction per deployment: counters incremented atomically, the latency histogram merged
while that UPDATE holds the row lock, the sampled prediction log appended (a worker prunes it:
``services/prediction_logs.py``, never this path). Reads
of the stats in this process flush first (exact numbers); other processes see them within
``FLUSH_EVERY_S``; app shutdown flushes what is left, so the stats survive a restart. A failed
write keeps the tally for the next flush.

Sampling, per deployment setting (read by the call's one resolving query, no extra round
trip): every failure, and successful call ``n`` of this process when ``ceil(n * rate)`` steps
up — rate 0.1 keeps calls 1, 11, 21, …; 1 keeps every call, 0 none. ``log_keep`` ``full``
keeps up to ``LOG_ROWS`` input rows and their outputs; ``counts`` keeps the row count only.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, PredictionLog
from podium.server.db.session import Database
from podium.server.services import api_keys
from podium.server.services.deployments import BOUNDS_MS, Caller, add_latency, bucket

FLUSH_EVERY_S = 1.0
LOG_ROWS = 100
log = logging.getLogger("podium.server.predict_stats")


@dataclass
class Tally:
    """What one deployment's calls added since the last flush."""

    workspace_id: uuid.UUID
    requests: int = 0
    errors: int = 0
    counts: list[int] = field(default_factory=lambda: [0] * (len(BOUNDS_MS) + 1))
    last_at: datetime | None = None
    logs: list[dict[str, Any]] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add ``other`` (an older tally whose write failed) into this one."""
        self.requests += other.requests
        self.errors += other.errors
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.last_at = max(filter(None, (self.last_at, other.last_at)), default=None)
        self.logs = other.logs + self.logs


class StatsBuffer:
    """This process's unwritten predict statistics and the thread that writes them."""

    def __init__(self, db: Database, every_s: float = FLUSH_EVERY_S) -> None:
        self.db, self.every_s = db, every_s
        self._pending: dict[uuid.UUID, Tally] = {}
        self._seen: dict[uuid.UUID, int] = {}
        self._keys: dict[uuid.UUID, float] = {}
        self._lock = threading.Lock()
        self._flushing = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, caller: Caller, status: int, latency_ms: float, response: dict[str, Any]) -> None:
        """Count one call (no I/O). Calls that never resolved a deployment are not counted."""
        if caller.deployment_id is None or caller.workspace_id is None:
            return
        failed = status >= 400
        with self._lock:
            tally = self._pending.get(caller.deployment_id)
            if tally is None:
                tally = self._pending[caller.deployment_id] = Tally(caller.workspace_id)
            seen = self._seen[caller.deployment_id] = self._seen.get(caller.deployment_id, 0) + 1
            tally.requests += 1
            tally.errors += int(failed)
            tally.counts[bucket(latency_ms)] += 1
            tally.last_at = utcnow()
            if failed or sampled(seen, caller.log_rate):
                tally.logs.append(_log_row(caller, status, latency_ms, response))
        self._start()

    def key_due(self, key_id: uuid.UUID) -> bool:
        """True at most once a minute per key in this process: time to write ``last_used_at``."""
        now = time.monotonic()
        with self._lock:
            last = self._keys.get(key_id)
            if last is not None and now - last < api_keys.TOUCH_EVERY.total_seconds():
                return False
            self._keys[key_id] = now
            return True

    def flush(self) -> None:
        """Write every pending tally (one transaction each); keep the ones that failed."""
        with self._flushing:
            with self._lock:
                pending, self._pending = self._pending, {}
            for dep_id, tally in pending.items():
                try:
                    with self.db.sessions() as session:
                        _write(session, dep_id, tally)
                except Exception:
                    log.exception("writing predict stats of deployment %s failed", dep_id)
                    with self._lock:
                        newer = self._pending.get(dep_id)
                        if newer is not None:
                            tally.merge(newer)
                        self._pending[dep_id] = tally

    def close(self) -> None:
        """Stop the flusher thread and write what is left."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.flush()

    def _start(self) -> None:
        if self._thread is not None or self._stop.is_set():
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="podium-predict-stats", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.flush()
            except Exception:  # never let the flusher die; the next tick retries
                log.exception("predict stats flush failed")


def _write(session: Session, dep_id: uuid.UUID, tally: Tally) -> None:
    touched = session.execute(
        update(Deployment)
        .where(Deployment.id == dep_id)
        .values(
            request_count=Deployment.request_count + tally.requests,
            error_count=Deployment.error_count + tally.errors,
            last_request_at=tally.last_at,
        )
    )
    if touched.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()  # deleted meanwhile: its stats go with it
        return
    hist = session.scalar(select(Deployment.latency_hist).where(Deployment.id == dep_id))
    session.execute(
        update(Deployment)
        .where(Deployment.id == dep_id)
        .values(latency_hist=add_latency(hist, tally.counts))
    )
    if tally.logs:  # one bulk INSERT: no ORM object per row (it held the GIL ~4x longer)
        owner = {"workspace_id": tally.workspace_id, "deployment_id": dep_id}
        session.execute(insert(PredictionLog), [{**owner, **row} for row in tally.logs])
    session.commit()


def sampled(n: int, rate: float) -> bool:
    """Whether the ``n``-th call (from 1) is logged at ``rate``: systematic, no randomness."""
    return math.ceil(n * rate) > math.ceil((n - 1) * rate)


def _log_row(
    caller: Caller, status: int, latency_ms: float, response: dict[str, Any]
) -> dict[str, Any]:
    if caller.log_full:
        out = dict(response)
        for key in ("predictions", "probabilities"):
            if isinstance(out.get(key), list):
                out[key] = out[key][:LOG_ROWS]
        request = {"rows": caller.rows, **caller.sample}
    else:
        out, request = {}, {"rows": caller.rows}
    return {
        "request_id": caller.request_id,
        "pipeline_id": caller.pipeline_id,
        "status_code": status,
        "latency_ms": round(latency_ms, 3),
        "request": request,
        "response": out,
        "created_at": utcnow(),
    }
