"""One router per resource; ``API_ROUTERS`` are mounted under ``/api/v1``."""

from fastapi import APIRouter

from podium.server.api.routes import (
    analysis,
    api_keys,
    audit,
    auth,
    data_sources,
    deployments,
    describe,
    experiments,
    invitations,
    models,
    pipelines,
    predict,
    profiles,
    projects,
    run_events,
    runs,
    setup,
    users,
    webhooks,
    workspaces,
)

API_ROUTERS: list[APIRouter] = [
    setup.router,
    auth.router,
    workspaces.router,
    projects.router,
    experiments.router,
    data_sources.router,
    profiles.router,
    describe.router,
    runs.router,
    run_events.router,
    analysis.router,
    models.router,
    pipelines.router,
    deployments.router,
    predict.router,
    api_keys.router,
    users.router,
    audit.router,
    invitations.router,
    webhooks.router,
]
