"""Health: database round trip, worker heartbeats, queue depth."""

from __future__ import annotations

import time

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from podium import __version__
from podium.server.db import migrate
from podium.server.db.base import utcnow
from podium.server.db.models import Run, WorkerBeat
from podium.server.schemas.health import (
    DatabaseHealth,
    Health,
    QueueHealth,
    WorkerHealth,
    WorkersHealth,
)

SHOWN_WORKERS = 20


def check(session: Session, stale_s: float) -> Health:
    """Ask the database, then read worker heartbeats and queue depth."""
    dialect = session.get_bind().dialect.name
    started = time.perf_counter()
    try:
        session.execute(text("SELECT 1"))
        latency = (time.perf_counter() - started) * 1000
        revision = migrate.current(session.get_bind())  # type: ignore[arg-type]
    except Exception as exc:
        session.rollback()
        database = DatabaseHealth(
            ok=False, dialect=dialect, revision=None, latency_ms=None, error=str(exc)[:500]
        )
        empty = WorkersHealth(alive=0, last_heartbeat_at=None, items=[])
        return Health(
            status="degraded", version=__version__, database=database, workers=empty, queue=None
        )
    database = DatabaseHealth(ok=True, dialect=dialect, revision=revision, latency_ms=latency)
    workers = _workers(session, stale_s)
    queue = QueueHealth(queued=_count(session, "queued"), running=_count(session, "running"))
    status = "ok" if workers.alive > 0 else "degraded"
    return Health(
        status=status, version=__version__, database=database, workers=workers, queue=queue
    )


def _workers(session: Session, stale_s: float) -> WorkersHealth:
    now = utcnow()
    rows = session.scalars(
        select(WorkerBeat)
        .where(WorkerBeat.stopped_at.is_(None))
        .order_by(WorkerBeat.heartbeat_at.desc())
        .limit(SHOWN_WORKERS)
    ).all()
    items = [
        WorkerHealth(
            id=row.id,
            hostname=row.hostname,
            pid=row.pid,
            heartbeat_at=row.heartbeat_at,
            age_s=round((now - row.heartbeat_at).total_seconds(), 3),
            alive=(now - row.heartbeat_at).total_seconds() <= stale_s,
            current_job=row.current_job,
        )
        for row in rows
    ]
    return WorkersHealth(
        alive=sum(item.alive for item in items),
        last_heartbeat_at=items[0].heartbeat_at if items else None,
        items=items,
    )


def _count(session: Session, status: str) -> int:
    return session.scalar(select(func.count()).select_from(Run).where(Run.status == status)) or 0
