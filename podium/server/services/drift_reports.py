"""Drift reports: a time window of a deployment's logged inputs and predictions compared with
the training baseline of the pipeline version that served them (``engine/monitor/drift.py``).

On demand (``create``, editors) or on the deployment's schedule, run by a worker
(``claim_scheduled`` + ``scheduled``). Only calls logged with inputs and outputs
(``log_keep = full``), answered 2xx, by the version served now, are compared.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from podium.engine.monitor import drift
from podium.engine.records import PlotData
from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, DriftReport, Pipeline, PredictionLog
from podium.server.errors import Conflict, NotFound
from podium.server.schemas.drift_reports import DriftReportCreate
from podium.server.services import access, audit, pipelines, webhooks
from podium.server.storage import ArtifactStore

BASELINE = "baseline.json"
MAX_ROWS = 50_000
MAX_LOGS = 5_000
LIST_LIMIT = 100
log = logging.getLogger(__name__)


def by_slug(session: Session, user_id: uuid.UUID, slug: str, role: str) -> Deployment:
    """The deployment at ``slug`` if the caller has ``role`` in its workspace (404 otherwise)."""
    dep = session.scalar(select(Deployment).where(Deployment.slug == slug))
    if dep is None:
        raise NotFound(f"no deployment at {slug!r}")
    access.authorize(session, dep.workspace_id, user_id, role, kind="deployment", ident=slug)
    return dep


def create(
    session: Session,
    store: ArtifactStore,
    user_id: uuid.UUID,
    slug: str,
    body: DriftReportCreate,
) -> DriftReport:
    """Compute a report now (editors) over ``since``–``until`` (default: the deployment's
    window up to now)."""
    dep = by_slug(session, user_id, slug, "editor")
    until = body.until or utcnow()
    since = body.since or until - timedelta(hours=dep.drift_window_hours)
    if since >= until:
        raise Conflict("the window is empty: since must be before until")
    return compute(session, store, dep, since, until, "manual")


def compute(
    session: Session,
    store: ArtifactStore,
    dep: Deployment,
    since: datetime,
    until: datetime,
    trigger: str,
) -> DriftReport:
    """Compare the window's logged calls with the served version's baseline; store the report.

    Raises
    ------
    Conflict
        The log keeps counts only, or the version was built without a baseline.
    """
    if dep.log_keep != "full":
        raise Conflict(
            f"deployment {dep.slug!r} logs counts only; set log_keep to 'full' (PATCH the "
            "deployment) so logged inputs and predictions can be compared"
        )
    pipe = dep.pipeline
    base = baseline(store, pipe)
    frame, predictions = logged(session, dep.id, pipe.id, since, until)
    result = drift.compare(base, frame, predictions)
    row = DriftReport(
        workspace_id=dep.workspace_id,
        deployment_id=dep.id,
        pipeline_id=pipe.id,
        pipeline_version=pipe.version,
        trigger=trigger,
        window_start=since,
        window_end=until,
        rows=result["rows"],
        severity=result["severity"],
        result=result,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=audit.FROM_REQUEST if trigger == "manual" else None,
        workspace_id=dep.workspace_id,
        action="drift_report.create",
        resource_type="drift_report",
        resource_id=row.id,
        detail={"slug": dep.slug, "severity": row.severity, "trigger": trigger},
    )
    _alert(session, dep, pipe, row)
    session.commit()
    return row


def _alert(session: Session, dep: Deployment, pipe: Pipeline, row: DriftReport) -> None:
    """``drift.detected`` to each subscribed webhook whose least severity the report reaches,
    naming the features at or above that severity."""
    for hook in webhooks.subscribers(session, dep.workspace_id, "drift.detected"):
        least = hook.drift_min_severity
        if not drift.at_least(row.severity, least):
            continue
        features = row.result["features"]
        payload = {
            "deployment_id": str(dep.id),
            "slug": dep.slug,
            "report_id": str(row.id),
            "severity": row.severity,
            "pipeline_version": pipe.version,
            "features": [f["name"] for f in features if drift.at_least(f["severity"], least)],
        }
        webhooks.enqueue(session, hook, "drift.detected", payload)


def baseline(store: ArtifactStore, pipe: Pipeline) -> dict[str, Any]:
    """The pipeline's training baseline, from its checksum-verified folder."""
    ref = ((pipe.manifest or {}).get("extra") or {}).get("baseline")
    if not ref:
        raise Conflict(
            f"pipeline {pipe.name} v{pipe.version} was built before drift baselines were "
            "kept; promote its run again to get a version with one"
        )
    folder = pipelines.verified_folder(store, pipe)
    data: dict[str, Any] = json.loads((folder / str(ref["file"])).read_text())
    return data


def logged(
    session: Session, dep_id: uuid.UUID, pipeline_id: uuid.UUID, since: datetime, until: datetime
) -> tuple[Any, list[Any]]:
    """The window's logged input rows (a DataFrame) and their predictions, newest first."""
    import pandas as pd

    found = session.execute(
        select(PredictionLog.request, PredictionLog.response)
        .where(
            PredictionLog.deployment_id == dep_id,
            PredictionLog.pipeline_id == pipeline_id,
            PredictionLog.status_code < 400,
            PredictionLog.created_at >= since,
            PredictionLog.created_at < until,
        )
        .order_by(PredictionLog.created_at.desc())
        .limit(MAX_LOGS)
    )
    rows: list[dict[str, Any]] = []
    predictions: list[Any] = []
    for request, response in found:
        sample, answers = request.get("sample") or [], response.get("predictions") or []
        n = min(len(sample), len(answers), MAX_ROWS - len(rows))
        rows += sample[:n]
        predictions += answers[:n]
        if len(rows) >= MAX_ROWS:
            break
    return pd.DataFrame(rows), predictions


def list_reports(session: Session, user_id: uuid.UUID, slug: str) -> list[DriftReport]:
    """The deployment's newest reports (at most ``LIST_LIMIT``), newest first."""
    dep = by_slug(session, user_id, slug, "viewer")
    return list(
        session.scalars(
            select(DriftReport)
            .where(DriftReport.deployment_id == dep.id)
            .order_by(DriftReport.created_at.desc(), DriftReport.id)
            .limit(LIST_LIMIT)
        )
    )


def get(session: Session, user_id: uuid.UUID, report_id: uuid.UUID) -> DriftReport:
    """One report the caller may read."""
    return access.fetch(session, DriftReport, report_id, user_id, "viewer", kind="drift report")


def plots(row: DriftReport) -> list[PlotData]:
    """A report's plots: PSI per feature, then each feature's shares (baseline vs logged)."""
    return drift.plots(row.result)


def over_time(rows: list[DriftReport]) -> PlotData:
    """PSI per feature across ``rows`` (given newest first, drawn oldest first)."""
    return drift.over_time([(r.created_at.strftime("%m-%d %H:%M"), r.result) for r in rows[::-1]])


def claim_scheduled(session: Session) -> uuid.UUID | None:
    """A deployment whose scheduled report is due, claimed until its next time (or None)."""
    now = utcnow()
    due = session.scalar(
        select(Deployment)
        .where(
            Deployment.drift_every_hours.is_not(None),
            or_(Deployment.drift_next_at.is_(None), Deployment.drift_next_at <= now),
        )
        .limit(1)
    )
    if due is None or due.drift_every_hours is None:
        return None
    claimed = session.execute(
        update(Deployment)
        .where(
            Deployment.id == due.id,
            or_(Deployment.drift_next_at.is_(None), Deployment.drift_next_at <= now),
        )
        .values(drift_next_at=now + timedelta(hours=due.drift_every_hours))
    )
    session.commit()
    return due.id if claimed.rowcount == 1 else None  # type: ignore[attr-defined]


def scheduled(session: Session, store: ArtifactStore, dep_id: uuid.UUID) -> DriftReport | None:
    """The scheduled report of a claimed deployment (None when it cannot be computed)."""
    dep = session.get(Deployment, dep_id)
    if dep is None:
        return None
    until = utcnow()
    try:
        return compute(
            session, store, dep, until - timedelta(hours=dep.drift_window_hours), until, "schedule"
        )
    except Conflict as exc:
        log.warning("scheduled drift report of %s skipped: %s", dep.slug, exc.detail)
        return None
