"""``/healthz``: is the database reachable, are workers alive."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from podium.server.schemas.common import Output


class DatabaseHealth(Output):
    """Database reachability."""

    ok: bool
    dialect: str
    revision: str | None
    latency_ms: float | None
    error: str | None = None


class WorkerHealth(Output):
    """One worker process, as its last heartbeat describes it."""

    id: str
    hostname: str
    pid: int
    heartbeat_at: datetime
    age_s: float
    alive: bool
    current_job: str | None


class WorkersHealth(Output):
    """Worker liveness: alive = heartbeat younger than ``PODIUM_WORKER_STALE_S``."""

    alive: int
    last_heartbeat_at: datetime | None
    items: list[WorkerHealth]


class QueueHealth(Output):
    """Runs waiting and in flight."""

    queued: int
    running: int


class Liveness(Output):
    """The public answer: ``ok`` or ``degraded`` (503 when the database is down), nothing more."""

    status: Literal["ok", "degraded"]


class Health(Output):
    """``ok`` when the database answers and at least one worker is alive; else ``degraded``."""

    status: Literal["ok", "degraded"]
    version: str
    database: DatabaseHealth
    workers: WorkersHealth
    queue: QueueHealth | None
