"""The prediction log: browse, filter (time, outcome), export as CSV, and prune (workers only).

Calls are sampled and written by ``services/predict_stats.py`` (never on the response path).
Pruning keeps each deployment within its retention (days) and size bound (rows); a worker
claims a deployment's pruning with a guarded UPDATE of ``prune_next_at``, so two workers never
prune the same deployment at once and the predict path never deletes anything.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, PredictionLog
from podium.server.db.session import Database
from podium.server.errors import InvalidInput
from podium.server.services import deployments

EXPORT_BATCH = 1000
EXPORT_COLUMNS = (
    "created_at",
    "request_id",
    "status_code",
    "outcome",
    "latency_ms",
    "rows",
    "request",
    "response",
)


@dataclass(frozen=True)
class LogFilter:
    """Which logged calls: a time range (``since`` inclusive, ``until`` exclusive), an outcome."""

    since: datetime | None = None
    until: datetime | None = None
    outcome: str | None = None

    def check(self) -> None:
        """InvalidInput when the range is empty by construction."""
        if self.since and self.until and self.since >= self.until:
            raise InvalidInput("since must be before until (an ISO-8601 time range)")


def _query(dep_id: uuid.UUID, where: LogFilter) -> Select[PredictionLog]:
    query = select(PredictionLog).where(PredictionLog.deployment_id == dep_id)
    if where.since is not None:
        query = query.where(PredictionLog.created_at >= where.since)
    if where.until is not None:
        query = query.where(PredictionLog.created_at < where.until)
    if where.outcome == "ok":
        query = query.where(PredictionLog.status_code < 400)
    elif where.outcome == "error":
        query = query.where(PredictionLog.status_code >= 400)
    return query


def browse(
    session: Session,
    user_id: uuid.UUID,
    deployment_id: uuid.UUID,
    where: LogFilter,
    limit: int,
    offset: int,
) -> tuple[list[PredictionLog], int]:
    """A page of logged calls, newest first, and how many match the filter."""
    where.check()
    dep = deployments.get(session, user_id, deployment_id)
    query = _query(dep.id, where)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = query.order_by(PredictionLog.created_at.desc(), PredictionLog.id)
    rows = list(session.scalars(page.offset(offset).limit(limit)))
    return rows, total


def export_name(
    session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID, where: LogFilter
) -> tuple[uuid.UUID, str]:
    """Check the caller may read the log; the deployment's id and the export's file name."""
    where.check()
    dep = deployments.get(session, user_id, deployment_id)
    return dep.id, f"{dep.slug}-predictions.csv"


def export_lines(db: Database, dep_id: uuid.UUID, where: LogFilter) -> Iterator[str]:
    """The CSV of every match, oldest first, read in batches of ``EXPORT_BATCH`` rows (each in
    a short session of its own: the response streams, no transaction stays open)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    after: tuple[datetime, uuid.UUID] | None = None
    while True:
        query = _query(dep_id, where).order_by(PredictionLog.created_at, PredictionLog.id)
        if after is not None:
            query = query.where(tuple_(PredictionLog.created_at, PredictionLog.id) > tuple_(*after))
        with db.sessions() as session:
            rows = list(session.scalars(query.limit(EXPORT_BATCH)))
        for row in rows:
            writer.writerow(_csv_row(row))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if len(rows) < EXPORT_BATCH:
            return
        after = (rows[-1].created_at, rows[-1].id)


def _csv_row(row: PredictionLog) -> list[Any]:
    return [
        row.created_at.isoformat(),
        row.request_id,
        row.status_code,
        "ok" if row.status_code < 400 else "error",
        row.latency_ms,
        row.request.get("rows", ""),
        json.dumps(row.request, separators=(",", ":")),
        json.dumps(row.response, separators=(",", ":")),
    ]


def claim_pruning(session: Session, every_s: float) -> uuid.UUID | None:
    """A deployment whose log is due for pruning, claimed for ``every_s`` (None: none due)."""
    now = utcnow()
    due = session.scalar(
        select(Deployment.id)
        .where(or_(Deployment.prune_next_at.is_(None), Deployment.prune_next_at <= now))
        .order_by(Deployment.prune_next_at.is_not(None), Deployment.prune_next_at)
        .limit(1)
    )
    if due is None:
        return None
    claimed = session.execute(
        update(Deployment)
        .where(
            Deployment.id == due,
            or_(Deployment.prune_next_at.is_(None), Deployment.prune_next_at <= now),
        )
        .values(prune_next_at=now + timedelta(seconds=every_s))
    )
    session.commit()
    return due if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def prune(session: Session, deployment_id: uuid.UUID) -> dict[str, Any]:
    """Delete what is older than the retention and what is beyond the size bound."""
    dep = session.get(Deployment, deployment_id)
    if dep is None:
        return {"expired": 0, "over_bound": 0}
    cutoff = utcnow() - timedelta(days=dep.log_retention_days)
    expired = session.execute(
        delete(PredictionLog).where(
            PredictionLog.deployment_id == dep.id, PredictionLog.created_at < cutoff
        )
    ).rowcount  # type: ignore[attr-defined]
    keep_from = session.scalar(
        select(PredictionLog.created_at)
        .where(PredictionLog.deployment_id == dep.id)
        .order_by(PredictionLog.created_at.desc())
        .offset(dep.log_max_rows - 1)
        .limit(1)
    )
    over = 0
    if keep_from is not None:
        over = session.execute(
            delete(PredictionLog).where(
                PredictionLog.deployment_id == dep.id, PredictionLog.created_at < keep_from
            )
        ).rowcount  # type: ignore[attr-defined]
    session.commit()
    return {"expired": int(expired or 0), "over_bound": int(over or 0)}
