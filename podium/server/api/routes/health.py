"""Liveness of the database and the workers."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from podium.server.api.deps import MonitorAccess, SessionDep, SettingsDep
from podium.server.schemas.health import Health, Liveness
from podium.server.services import health

router = APIRouter(tags=["health"])


@router.get("/healthz", name="get", responses={503: {"model": Health | Liveness}})
def healthz(
    session: SessionDep, settings: SettingsDep, response: Response, detailed: MonitorAccess
) -> Health | Liveness:
    """``{"status"}`` for anyone (503 when the database is down); database, workers and queue
    for ``PODIUM_METRICS_TOKEN`` as a bearer token or a signed-in administrator."""
    report = health.check(session, settings.worker_stale_s)
    if not report.database.ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return report if detailed else Liveness(status=report.status)
