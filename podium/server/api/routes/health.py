"""Liveness of the database and the workers."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from podium.server.api.deps import SessionDep, SettingsDep
from podium.server.schemas.health import Health
from podium.server.services import health

router = APIRouter(tags=["health"])


@router.get("/healthz", name="get", responses={503: {"model": Health}})
def healthz(session: SessionDep, settings: SettingsDep, response: Response) -> Health:
    """Database round trip, worker heartbeats and queue depth (503 when the database is down)."""
    report = health.check(session, settings.worker_stale_s)
    if not report.database.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report
