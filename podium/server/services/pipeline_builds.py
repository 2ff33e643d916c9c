"""Pipeline builds as a queue: guarded claim, terminal transition with its event, reaping.

Used by workers (claim, finish, reap) and by the API process (reaping, so a build whose worker
died never stays ``building`` when no worker is left to notice).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import Pipeline
from podium.server.services import events

WORKER_LOST = "worker lost while building this pipeline (killed or crashed); promote the run again"


def claim_next(session: Session, worker_id: str, lease_s: float) -> Pipeline | None:
    """Atomically give the oldest unclaimed ``building`` row to ``worker_id``."""
    oldest = (
        select(Pipeline.id)
        .where(Pipeline.status == "building", Pipeline.worker_id.is_(None))
        .order_by(Pipeline.created_at, Pipeline.id)
        .limit(1)
    )
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    for _attempt in range(5):
        pipeline_id = session.scalar(oldest)
        if pipeline_id is None:
            session.rollback()
            return None
        result = session.execute(
            update(Pipeline)
            .where(
                Pipeline.id == pipeline_id,
                Pipeline.status == "building",
                Pipeline.worker_id.is_(None),
            )
            .values(worker_id=worker_id, lease_expires_at=utcnow() + timedelta(seconds=lease_s))
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            session.commit()
            return session.get_one(Pipeline, pipeline_id, populate_existing=True)
        session.rollback()
    return None


def finish(
    session: Session,
    pipeline_id: uuid.UUID,
    worker_id: str | None,
    values: dict[str, Any],
    *,
    expired_before: datetime | None = None,
) -> bool:
    """End a build (guarded on ``building`` and the worker) with its event; True if it did."""
    query = update(Pipeline).where(Pipeline.id == pipeline_id, Pipeline.status == "building")
    if worker_id is not None:
        query = query.where(Pipeline.worker_id == worker_id)
    if expired_before is not None:
        query = query.where(Pipeline.lease_expires_at < expired_before)
    done = {**values, "finished_at": utcnow(), "lease_expires_at": None}
    if session.execute(query.values(**done)).rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        return False
    row = session.get_one(Pipeline, pipeline_id, populate_existing=True)
    if row.run_id is not None:
        base = {"pipeline_id": str(row.id), "name": row.name, "version": row.version}
        if row.status == "ready":
            payload = {**base, "model_id": row.model_id, "sha256": row.sha256}
            events.add_for(session, row.run_id, row.workspace_id, "pipeline.created", payload)
        else:
            message = f"pipeline {row.name} v{row.version} failed to build: {row.error}"
            body = {"code": "pipeline_failed", "message": message, **base}
            events.add_for(session, row.run_id, row.workspace_id, "warning", body)
    session.commit()
    return True


def reap_expired(session: Session, now: datetime | None = None) -> list[uuid.UUID]:
    """Fail every claimed build whose lease expired (:data:`WORKER_LOST`); return their ids."""
    moment = now or utcnow()
    expired = list(
        session.scalars(
            select(Pipeline.id).where(
                Pipeline.status == "building",
                Pipeline.worker_id.is_not(None),
                Pipeline.lease_expires_at < moment,
            )
        )
    )
    session.rollback()
    values = {"status": "failed", "error": WORKER_LOST}
    return [
        pipeline_id
        for pipeline_id in expired
        if finish(session, pipeline_id, None, values, expired_before=moment)
    ]
