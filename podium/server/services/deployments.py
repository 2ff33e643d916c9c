"""Deployments: create/list/get/pause/resume/delete, caller auth per mode, stats read shape.

A predict call is resolved and authorized by one indexed query (:func:`resolve`), read fresh on
every call, so pausing, deleting, changing the auth mode or revoking a key takes effect on the
next request in every API process. Stats live on the deployment row (written in batches by
``services/predict_stats.py``), so they survive restarts and add up across API processes.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, exists, select
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import (
    ApiKey,
    Deployment,
    DeploymentVersion,
    Membership,
    Pipeline,
    User,
)
from podium.server.errors import Conflict, Forbidden, NotFound, Unauthorized
from podium.server.schemas.deployments import DeploymentCreate, DeploymentUpdate
from podium.server.security import AccessClaims, VerifiedTokens, hash_secret
from podium.server.services import access, audit, pipelines, webhooks
from podium.server.services.access import Member

# settings a PATCH may change, and the ones it may set to null
SETTINGS = (
    "log_sample_rate",
    "log_keep",
    "log_retention_days",
    "log_max_rows",
    "drift_every_hours",
    "drift_window_hours",
    "drift_next_at",
)
NULLABLE = frozenset({"drift_every_hours"})
BOUNDS_MS = (0.5, 1, 2, 3, 4, 5, 7.5, 10, 15, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)


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
    session: Session,
    user_id: uuid.UUID,
    pipeline_id: uuid.UUID,
    body: DeploymentCreate,
    load: Callable[[Pipeline], object] | None = None,
) -> Deployment:
    """Deploy a ready pipeline (editors); 409 when the slug is taken or it is not ready.

    ``load(row)`` verifies and loads the pipeline before the deployment exists (the API
    passes its process's cache: the first call does not pay the load, and an artifact that
    fails its checks is a 409 here, not at the first call).
    """
    row = pipelines.get(session, user_id, pipeline_id, "editor")
    pipelines.require_ready(row)
    if session.scalar(select(exists().where(Deployment.slug == body.slug))):
        raise Conflict(f"slug {body.slug!r} is already used by a deployment; choose another")
    if load is not None:
        load(row)
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
    session.flush()
    _record(session, dep, "deployment.create", pipeline_id=str(row.id))
    session.add(
        DeploymentVersion(
            workspace_id=dep.workspace_id,
            deployment_id=dep.id,
            action="deploy",
            pipeline_id=row.id,
            pipeline_version=row.version,
            actor_id=user_id,
        )
    )
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
    return access.fetch(session, Deployment, deployment_id, user_id, role, kind="deployment")


def change(
    session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID, body: DeploymentUpdate
) -> Deployment:
    """Pause/resume, the auth mode, the prediction log settings, the drift schedule (editors).

    Fields not sent keep their value; ``drift_every_hours`` sent as null ends the schedule.
    """
    dep = get(session, user_id, deployment_id, "editor")
    for name in body.model_fields_set:
        value = getattr(body, name)
        if value is None and name not in NULLABLE:
            continue
        setattr(dep, name, value)
    if "drift_every_hours" in body.model_fields_set:
        every = body.drift_every_hours
        dep.drift_next_at = utcnow() + timedelta(hours=every) if every else None
    changed = body.model_dump(exclude_unset=True, mode="json")
    _record(session, dep, "deployment.update", **{k: str(v) for k, v in changed.items()})
    session.commit()
    return dep


def remove(session: Session, user_id: uuid.UUID, deployment_id: uuid.UUID) -> None:
    """Delete a deployment (editors); its slug answers 404 from now on."""
    dep = get(session, user_id, deployment_id, "editor")
    _record(session, dep, "deployment.delete")
    session.delete(dep)
    session.commit()


def _record(session: Session, dep: Deployment, action: str, **detail: str) -> None:
    audit.record(
        session,
        workspace_id=dep.workspace_id,
        action=action,
        resource_type="deployment",
        resource_id=dep.id,
        detail={"slug": dep.slug, **detail},
    )
    change = {"deployment_id": str(dep.id), "slug": dep.slug, "action": action, **detail}
    webhooks.emit(session, dep.workspace_id, "deployment.changed", change)


def stats(dep: Deployment) -> dict[str, Any]:
    """The deployment's read shape: columns plus p50/p95 latency from its histogram."""
    return {
        "id": dep.id,
        "workspace_id": dep.workspace_id,
        "pipeline_id": dep.pipeline_id,
        "pipeline_name": dep.pipeline.name,
        "pipeline_version": dep.pipeline.version,
        "slug": dep.slug,
        "auth_mode": dep.auth_mode,
        "status": dep.status,
        **{name: getattr(dep, name) for name in SETTINGS},
        "request_count": dep.request_count,
        "error_count": dep.error_count,
        "latency_p50_ms": percentile(dep.latency_hist, 0.5),
        "latency_p95_ms": percentile(dep.latency_hist, 0.95),
        "last_request_at": dep.last_request_at,
        "created_at": dep.created_at,
    }


@dataclass
class Caller:
    """What one predict call resolved so far (filled in as checks pass; read by the stats)."""

    request_id: str
    deployment_id: uuid.UUID | None = None
    workspace_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    rows: int = 0
    sample: dict[str, Any] = field(default_factory=dict)
    log_rate: float = 0.1
    log_full: bool = True
    pipeline_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Target:
    """A deployment a predict call may use, with what scoring needs of its pipeline."""

    deployment_id: uuid.UUID
    workspace_id: uuid.UUID
    pipeline_id: uuid.UUID
    sha256: str | None
    pipeline_ready: bool
    log_rate: float = 0.1
    log_full: bool = True


_USER = bindparam("user_id", type_=User.__table__.c.id.type)
# One indexed query per call: the deployment, its pipeline, and (outer-joined, at most one row
# each) the token's user, their membership of the deployment's workspace, and the API key.
# Read fresh on every call, so pause, delete and revoke take effect on the next request in
# every API process, with no cache to invalidate.
_RESOLVE = (
    select(
        Deployment.id,
        Deployment.workspace_id,
        Deployment.pipeline_id,
        Deployment.auth_mode,
        Deployment.status,
        Deployment.log_sample_rate,
        Deployment.log_keep,
        Pipeline.sha256,
        Pipeline.status,
        User.is_active,
        User.token_version,
        Membership.role,
        ApiKey.id,
        ApiKey.workspace_id,
        ApiKey.revoked_at,
        ApiKey.prefix,
    )
    .join(Pipeline, Pipeline.id == Deployment.pipeline_id)
    .outerjoin(User, User.id == _USER)
    .outerjoin(
        Membership,
        and_(Membership.workspace_id == Deployment.workspace_id, Membership.user_id == _USER),
    )
    .outerjoin(ApiKey, ApiKey.key_hash == bindparam("key_hash"))
    .where(Deployment.slug == bindparam("slug"))
)


def resolve(
    db: Session | Connection,
    settings: Settings,
    slug: str,
    caller: Caller,
    bearer: str | None,
    api_key: str | None,
) -> Target:
    """The deployment at ``slug`` if this caller may use it now (one query).

    Raises
    ------
    NotFound
        No deployment at ``slug`` (never created, or deleted).
    Unauthorized, Forbidden
        The auth mode refuses the caller: ``workspace`` needs a member's access token (any
        role), ``api-key`` a live key of the deployment's workspace in ``X-API-Key``;
        ``public`` takes anyone.
    Conflict
        The deployment is paused.
    """
    claims, token_error = _token_claims(settings, bearer)
    key_hash = hash_secret(api_key) if api_key else None
    user_id = claims.user_id if claims else None
    params = {"slug": slug, "user_id": user_id, "key_hash": key_hash}
    # a plain Core SELECT on a connection needs no ORM execution layer (~0.1 ms); JSON predict
    # passes a bare connection (no session to begin and close: ~50 µs more)
    connection = db.connection() if isinstance(db, Session) else db
    found = connection.execute(_RESOLVE, params).first()
    if found is None:
        raise NotFound(f"no deployment at {slug!r} (deleted, or never created)")
    row: list[Any] = list(found)
    (dep_id, ws_id, pipe_id, mode, status, rate, keep, sha, pipe_status, active, version, role) = (
        row[:12]
    )
    key = row[12:]
    caller.deployment_id, caller.workspace_id = dep_id, ws_id
    caller.log_rate, caller.log_full, caller.pipeline_id = rate, keep == "full", pipe_id
    if mode == "workspace":
        live = bool(active) and claims is not None and claims.version == version
        _check_member(slug, bearer, token_error, live, role)
    elif mode == "api-key":
        caller.api_key_id = _check_key(slug, ws_id, api_key, key)
    if status != "active":
        raise Conflict(
            f"deployment {slug!r} is {status}; resume it (PATCH status=active) to predict"
        )
    return Target(dep_id, ws_id, pipe_id, sha, pipe_status == "ready", rate, keep == "full")


_VERIFIED = VerifiedTokens()  # this process's checked signatures; liveness is read per call


def _token_claims(
    settings: Settings, bearer: str | None
) -> tuple[AccessClaims | None, Exception | None]:
    """The claims of an access token, or the error to raise if the mode needs one."""
    if not bearer:
        return None, None
    try:
        return _VERIFIED.decode(bearer, settings.signing_key), None
    except Unauthorized as exc:
        return None, exc


def _check_member(
    slug: str, bearer: str | None, error: Exception | None, active: bool | None, role: str | None
) -> None:
    if not bearer:
        raise Unauthorized(
            f"deployment {slug!r} needs a workspace member's token: "
            "send 'Authorization: Bearer <access_token>'"
        )
    if error is not None:
        raise error
    if not active:
        raise Unauthorized("this account is disabled or this session has ended; sign in again")
    if role is None:
        raise Forbidden(f"you are not a member of the workspace of deployment {slug!r}")


def _check_key(slug: str, workspace_id: uuid.UUID, secret: str | None, key: list[Any]) -> uuid.UUID:
    key_id, key_ws, revoked_at, prefix = key
    if not secret:
        raise Unauthorized("this deployment needs an API key: send it in the X-API-Key header")
    if key_id is None:
        raise Unauthorized("invalid API key (X-API-Key); create one under the workspace's keys")
    if revoked_at is not None:
        raise Unauthorized(f"API key {prefix}… was revoked; create a new one")
    if key_ws != workspace_id:
        raise Forbidden(f"this API key belongs to another workspace than {slug!r}")
    return uuid.UUID(str(key_id))


def add_latency(hist: dict[str, Any] | None, counts: list[int]) -> dict[str, Any]:
    """``hist`` plus per-bucket ``counts`` (a histogram of other bounds starts over)."""
    out = hist if hist and hist.get("bounds") == list(BOUNDS_MS) else empty_hist()
    merged = [a + b for a, b in zip(out["counts"], counts, strict=True)]
    return {"bounds": list(BOUNDS_MS), "counts": merged}


def bucket(latency_ms: float) -> int:
    """The histogram bucket of one latency."""
    return bisect.bisect_left(BOUNDS_MS, latency_ms)


def _add(hist: dict[str, Any] | None, latency_ms: float) -> dict[str, Any]:
    counts = [0] * (len(BOUNDS_MS) + 1)
    counts[bucket(latency_ms)] += 1
    return add_latency(hist, counts)
