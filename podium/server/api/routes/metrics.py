"""Prometheus metrics at ``/metrics`` (outside ``/api/v1``), read from the database per scrape."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from podium.server.api.routes.predict import flush_stats

router = APIRouter(tags=["metrics"])


@router.get(
    "/metrics",
    name="get",
    response_class=Response,
    include_in_schema=False,  # Prometheus text for scrapers, not part of the typed web API
    dependencies=[Depends(flush_stats)],  # this process's pending predict stats first
)
def metrics(request: Request) -> Response:
    """Runs by status, queue depth, run durations, predict latency, events written (no auth)."""
    registry: CollectorRegistry = request.app.state.metrics
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
