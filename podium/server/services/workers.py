"""Worker processes' liveness rows (``workers``): registered at start, beaten by the heartbeat,
marked stopped at the end. ``/healthz`` and ``/metrics`` read them (``services/health.py``)."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import WorkerBeat


def register(session: Session, worker_id: str, hostname: str, pid: int) -> None:
    """Add the row of a worker that is starting."""
    session.add(WorkerBeat(id=worker_id, hostname=hostname, pid=pid))
    session.commit()


def beat(session: Session, worker_id: str, current_job: str | None) -> None:
    """The worker is alive and working on ``current_job`` (``<label>:<id>``, or None: idle)."""
    session.execute(
        update(WorkerBeat)
        .where(WorkerBeat.id == worker_id)
        .values(heartbeat_at=utcnow(), current_job=current_job)
    )
    session.commit()


def stopped(session: Session, worker_id: str) -> None:
    """The worker has stopped (its row stays, for the record)."""
    session.execute(
        update(WorkerBeat)
        .where(WorkerBeat.id == worker_id)
        .values(stopped_at=utcnow(), current_job=None)
    )
    session.commit()
