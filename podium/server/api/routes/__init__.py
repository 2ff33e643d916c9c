"""One router per resource; ``API_ROUTERS`` are mounted under ``/api/v1``."""

from fastapi import APIRouter

from podium.server.api.routes import (
    auth,
    data_sources,
    describe,
    experiments,
    projects,
    run_events,
    runs,
    setup,
    workspaces,
)

API_ROUTERS: list[APIRouter] = [
    setup.router,
    auth.router,
    workspaces.router,
    projects.router,
    experiments.router,
    data_sources.router,
    describe.router,
    runs.router,
    run_events.router,
]
