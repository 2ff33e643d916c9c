"""The runs table as a queue: guarded claim, lease renewal, terminal transitions, reaping.

Used by workers (claim, renew, finish) and by the API process too (reaping expired leases, so a
run whose worker died never stays ``running``).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import Run
from podium.server.services import events

WORKER_LOST = (
    "worker lost: the worker running this run stopped heartbeating (killed or crashed) "
    "before it finished; submit the run again"
)


def claim_next(session: Session, worker_id: str, lease_s: float) -> Run | None:
    """Atomically move the oldest queued run to ``running`` for ``worker_id``.

    PostgreSQL locks the candidate with ``FOR UPDATE SKIP LOCKED``; SQLite relies on a guarded
    ``UPDATE ... WHERE status = 'queued'`` whose rowcount says who won. ``run.started`` is
    written in the same transaction.
    """
    oldest = select(Run.id).where(Run.status == "queued").order_by(Run.created_at, Run.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    for _attempt in range(5):
        run_id = session.scalar(oldest)
        if run_id is None:
            session.rollback()
            return None
        now = utcnow()
        result = session.execute(
            update(Run)
            .where(Run.id == run_id, Run.status == "queued")
            .values(
                status="running",
                worker_id=worker_id,
                started_at=now,
                heartbeat_at=now,
                lease_expires_at=now + timedelta(seconds=lease_s),
            )
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            run = session.get_one(Run, run_id, populate_existing=True)
            events.add(session, run, "run.started", {"worker_id": worker_id, "plan": run.plan})
            session.commit()
            return run
        session.rollback()
    return None


def renew(session: Session, run_id: uuid.UUID, worker_id: str, lease_s: float) -> bool:
    """Extend the lease; False when the run is no longer ours (reaped or finished)."""
    now = utcnow()
    result = session.execute(
        update(Run)
        .where(Run.id == run_id, Run.worker_id == worker_id, Run.status == "running")
        .values(heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_s))
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def cancel_requested(session: Session, run_id: uuid.UUID) -> bool:
    """Whether someone asked to cancel the run (one indexed read)."""
    flag = session.scalar(select(Run.cancel_requested).where(Run.id == run_id))
    session.rollback()
    return bool(flag)


def finish(
    session: Session,
    run_id: uuid.UUID,
    worker_id: str | None,
    status: str,
    *,
    error: str | None = None,
    leaderboard: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    expired_before: datetime | None = None,
) -> bool:
    """End a running run: state, leaderboard, result and the terminal events in one transaction.

    Guarded by ``status='running'`` (and the worker id when given), so a run reaped meanwhile
    is not overwritten. Returns whether this call ended the run.
    """
    values: dict[str, Any] = {"status": status, "finished_at": utcnow(), "lease_expires_at": None}
    if error is not None:
        values["error"] = error
    if leaderboard is not None:
        values["leaderboard"] = leaderboard
    if result is not None:
        values["result"] = result
    query = update(Run).where(Run.id == run_id, Run.status == "running")
    if worker_id is not None:
        query = query.where(Run.worker_id == worker_id)
    if expired_before is not None:
        query = query.where(Run.lease_expires_at < expired_before)
    if session.execute(query.values(**values)).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return False
    run = session.get_one(Run, run_id, populate_existing=True)
    kind = {"succeeded": "run.finished", "failed": "run.failed", "cancelled": "run.cancelled"}
    body = dict(payload or {})
    if error is not None:
        body.setdefault("error", error)
    events.add(session, run, kind[status], {"status": status, **body})
    events.add(session, run, events.CLOSED, {"status": status})
    session.commit()
    return True


def reap_expired(session: Session, now: datetime | None = None) -> list[uuid.UUID]:
    """End every running run whose lease expired as ``failed`` with :data:`WORKER_LOST`.

    Design choice: a lost run is failed, not re-queued. Its events so far (models that started,
    rows that finished) are already in the stream; replaying the plan would mix two attempts in
    one run. The user resubmits with one click, and the snapshot makes the rerun identical.
    """
    moment = now or utcnow()
    expired = list(
        session.scalars(
            select(Run.id).where(Run.status == "running", Run.lease_expires_at < moment)
        )
    )
    session.rollback()
    return [
        run_id
        for run_id in expired
        if finish(session, run_id, None, "failed", error=WORKER_LOST, expired_before=moment)
    ]


def cancel_queued(session: Session, run_id: uuid.UUID) -> bool:
    """Cancel a run no worker has claimed yet (guarded on ``status='queued'``)."""
    result = session.execute(
        update(Run)
        .where(Run.id == run_id, Run.status == "queued")
        .values(status="cancelled", finished_at=utcnow(), cancel_requested=True)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return False
    run = session.get_one(Run, run_id, populate_existing=True)
    events.add(session, run, "run.cancelled", {"status": "cancelled", "before_start": True})
    events.add(session, run, events.CLOSED, {"status": "cancelled"})
    session.commit()
    return True
