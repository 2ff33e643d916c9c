"""Prometheus metrics at ``/metrics`` (outside ``/api/v1``), read from the database per scrape."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from podium.server.api.deps import MonitorAccess, flush_predict_stats
from podium.server.errors import Unauthorized

router = APIRouter(tags=["metrics"])
METRICS_REFUSED = (
    "metrics need 'Authorization: Bearer <PODIUM_METRICS_TOKEN>' (set that variable on the "
    "server) or an administrator's access token"
)


def require_monitor(allowed: MonitorAccess) -> None:
    """401 unless the caller may read metrics."""
    if not allowed:
        raise Unauthorized(METRICS_REFUSED)


@router.get(
    "/metrics",
    name="get",
    response_class=Response,
    include_in_schema=False,  # Prometheus text for scrapers, not part of the typed web API
    # the caller first, then this process's pending predict stats
    dependencies=[Depends(require_monitor), Depends(flush_predict_stats)],
)
def metrics(request: Request) -> Response:
    """Runs by status, queue depth, run durations, predict latency, events written.

    Needs ``PODIUM_METRICS_TOKEN`` as a bearer token (Prometheus ``authorization``), an
    administrator's access token, or ``PODIUM_PUBLIC_METRICS=true``.
    """
    registry: CollectorRegistry = request.app.state.metrics
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
