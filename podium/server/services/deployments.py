"""Deployments: create/list/get/pause/resume/delete, caller auth per mode, persisted stats.

Stats live on the deployment row, so they survive restarts and are shared by every API
process: counters are incremented atomically, and the latency histogram (fixed buckets) is
merged while the row is write-locked by that same UPDATE. A sampled, bounded prediction log
keeps recent requests and every failed one.
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, PredictionLog
from podium.server.errors import Conflict, Forbidden, NotFound, Unauthorized, not_found
from podium.server.schemas.serving import DeploymentCreate, DeploymentUpdate
from podium.server.security import decode_access_token
from podium.server.services import access, accounts, api_keys, pipelines
from podium.server.services.access import Member

BOUNDS_MS = (0.5, 1, 2, 3, 4, 5, 7.5, 10, 15, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
LOG_EVERY = 10
LOG_KEEP = 200
LOG_ROWS = 5


def empty_hist() -> dict[str, Any]:
    """A latency histogram: ``counts[i]`` holds latencies ≤ ``bounds[i]`` (last: above all)."""
    return {"bounds": list(BOUNDS_MS), "counts": [0] * (len(BOUNDS_MS) + 1)}


def percentile(hist: dict[str, Any] | None, q: float) -> float | None:
    """The ``q`` quantile (0–1) of a histogram, interpolated inside its bucket; None if empty."""
    if not hist or not sum(hist.get("counts", [])):
        return None
    bounds, counts = hist["bounds"], hist["counts"]
    rank, seen = q * sum(counts), 0
    for i, count in enumerate(counts):
        if count and seen + count >= rank:
            low = bounds[i - 1] if i > 0 else 0.0
            high = bounds[i] if i < len(bounds) else bounds[-1]
            return round(float(low + (high - low) * max(0.0, rank - seen) / count), 3)
        seen += count
    return float(bounds[-1])


def create(
    session: Session, user_id: uuid.UUID, pipeline_id: uuid.UUID, body: DeploymentCreate
) -> Deployment:
    """Deploy a ready pipeline (editors); 409 when the slug is taken or it is not ready."""
    row = pipelines.get(session, user_id, pipeline_id, "editor")
    pipelines.require_ready(row)
    if session.scalar(select(exists().where(Deployment.slug == body.slug))):
        raise Conflict(f"slug {body.slug!r} is already used by a deployment; choose another")
    dep = Deployment(
        workspace_id=row.workspace_id,
        pipeline_id=row.id,
        slug=body.slug,
        auth_mode=body.auth_mode,
        status="active",
        latency_hist=empty_hist(),
        created_by=user_id,
    )
    session.add(dep)
    session.commit()
    return dep


def list_deployments(session: Session, member: Member) -> list[Deployment]:
    """Deployments of the member's workspace, newest first."""
    return list(
        session.scalars(
            select(Deployment)
            .where(Deployment.workspace_id == member.workspace_id)
            .order_by(Deployment.created_at.desc(), Deployment.id)
        )
    )


def get(
    session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID, role: str = "viewer"
) -> Deployment:
    """A deployment the caller may access with ``role`` (404 for outsiders)."""
    dep = session.get(Deployment, deployment_id)
    if dep is None:
        raise not_found("deployment", deployment_id)
    access.authorize(
        session, dep.workspace_id, user_id, role, kind="deployment", ident=deployment_id
    )
    return dep


def change(
    session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID, body: DeploymentUpdate
) -> Deployment:
    """Pause/resume or change the auth mode (editors)."""
    dep = get(session, user_id, deployment_id, "editor")
    if body.status is not None:
        dep.status = body.status
    if body.auth_mode is not None:
        dep.auth_mode = body.auth_mode
    session.commit()
    return dep


def remove(session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID) -> None:
    """Delete a deployment (editors); its slug answers 404 from now on."""
    dep = get(session, user_id, deployment_id, "editor")
    session.delete(dep)
    session.commit()


def stats(dep: Deployment) -> dict[str, Any]:
    """The deployment's read shape: columns plus p50/p95 latency from its histogram."""
    return {
        "id": dep.id,
        "workspace_id": dep.workspace_id,
        "pipeline_id": dep.pipeline_id,
        "slug": dep.slug,
        "auth_mode": dep.auth_mode,
        "status": dep.status,
        "request_count": dep.request_count,
        "error_count": dep.error_count,
        "latency_p50_ms": percentile(dep.latency_hist, 0.5),
        "latency_p95_ms": percentile(dep.latency_hist, 0.95),
        "last_request_at": dep.last_request_at,
        "created_at": dep.created_at,
    }


def logs(
    session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID, limit: int
) -> list[PredictionLog]:
    """The newest sampled predictions of a deployment."""
    dep = get(session, user_id, deployment_id)
    return list(
        session.scalars(
            select(PredictionLog)
            .where(PredictionLog.deployment_id == dep.id)
            .order_by(PredictionLog.created_at.desc(), PredictionLog.id)
            .limit(limit)
        )
    )


@dataclass
class Caller:
    """What one predict call resolved so far (filled in as checks pass; read by the stats)."""

    request_id: str
    deployment_id: uuid.UUID | None = None
    workspace_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    rows: int = 0
    sample: dict[str, Any] = field(default_factory=dict)


def resolve(session: Session, slug: str, caller: Caller) -> Deployment:
    """The deployment at ``slug``; 404 when there is none (never created, or deleted)."""
    dep = session.scalar(select(Deployment).where(Deployment.slug == slug))
    if dep is None:
        raise NotFound(f"no deployment at {slug!r} (deleted, or never created)")
    caller.deployment_id, caller.workspace_id = dep.id, dep.workspace_id
    return dep


def authorize(
    session: Session,
    settings: Settings,
    dep: Deployment,
    caller: Caller,
    bearer: str | None,
    api_key: str | None,
) -> None:
    """Enforce the deployment's auth mode, then refuse a paused deployment (409).

    ``workspace``: a member's access token (any role). ``api-key``: a live key of the
    deployment's workspace in ``X-API-Key``. ``public``: anyone.
    """
    if dep.auth_mode == "workspace":
        if not bearer:
            raise Unauthorized(
                f"deployment {dep.slug!r} needs a workspace member's token: "
                "send 'Authorization: Bearer <access_token>'"
            )
        user = accounts.active_user(
            session, decode_access_token(bearer, settings.signing_key).user_id
        )
        try:
            access.membership(session, dep.workspace_id, user.id, kind="deployment", ident=dep.slug)
        except NotFound:
            raise Forbidden(
                f"you are not a member of the workspace of deployment {dep.slug!r}"
            ) from None
    elif dep.auth_mode == "api-key":
        key = api_keys.authenticate(session, api_key)
        if key.workspace_id != dep.workspace_id:
            raise Forbidden(f"this API key belongs to another workspace than {dep.slug!r}")
        caller.api_key_id = key.id
    if dep.status != "active":
        raise Conflict(
            f"deployment {dep.slug!r} is {dep.status}; resume it (PATCH status=active) to predict"
        )


def record(
    session: Session, caller: Caller, status_code: int, latency_ms: float, response: dict[str, Any]
) -> None:
    """Count one call: counters, histogram, last time, sampled log (one transaction)."""
    if caller.deployment_id is None or caller.workspace_id is None:
        return
    failed = status_code >= 400
    touched = session.execute(
        update(Deployment)
        .where(Deployment.id == caller.deployment_id)
        .values(
            request_count=Deployment.request_count + 1,
            error_count=Deployment.error_count + int(failed),
            last_request_at=utcnow(),
        )
    )
    if touched.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()  # deleted meanwhile
        return
    count, hist = session.execute(
        select(Deployment.request_count, Deployment.latency_hist).where(
            Deployment.id == caller.deployment_id
        )
    ).one()
    session.execute(
        update(Deployment)
        .where(Deployment.id == caller.deployment_id)
        .values(latency_hist=_add(hist, latency_ms))
    )
    if failed or count % LOG_EVERY == 1:
        _log(session, caller, status_code, latency_ms, response)
    session.commit()
    if caller.api_key_id is not None:
        api_keys.touch(session, caller.api_key_id)


def _add(hist: dict[str, Any] | None, latency_ms: float) -> dict[str, Any]:
    out = hist if hist and hist.get("bounds") == list(BOUNDS_MS) else empty_hist()
    counts = list(out["counts"])
    counts[bisect.bisect_left(BOUNDS_MS, latency_ms)] += 1
    return {"bounds": list(BOUNDS_MS), "counts": counts}


def _log(
    session: Session,
    caller: Caller,
    status_code: int,
    latency_ms: float,
    response: dict[str, Any],
) -> None:
    assert caller.deployment_id is not None
    assert caller.workspace_id is not None
    session.add(
        PredictionLog(
            workspace_id=caller.workspace_id,
            deployment_id=caller.deployment_id,
            request_id=caller.request_id,
            status_code=status_code,
            latency_ms=round(latency_ms, 3),
            request={"rows": caller.rows, **caller.sample},
            response=_trim(response),
        )
    )
    session.flush()
    cutoff = session.scalar(
        select(PredictionLog.created_at)
        .where(PredictionLog.deployment_id == caller.deployment_id)
        .order_by(PredictionLog.created_at.desc())
        .offset(LOG_KEEP)
        .limit(1)
    )
    if cutoff is not None:
        session.execute(
            delete(PredictionLog).where(
                PredictionLog.deployment_id == caller.deployment_id,
                PredictionLog.created_at <= cutoff,
            )
        )


def _trim(response: dict[str, Any]) -> dict[str, Any]:
    out = dict(response)
    for key in ("predictions", "probabilities"):
        if isinstance(out.get(key), list):
            out[key] = out[key][:LOG_ROWS]
    return out
