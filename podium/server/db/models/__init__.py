"""Every ORM model, imported here so ``Base.metadata`` is complete (migrations rely on it)."""

from podium.server.db.base import Base
from podium.server.db.models.accounts import (
    ROLES,
    ApiKey,
    Membership,
    RefreshToken,
    User,
    Workspace,
)
from podium.server.db.models.runs import PLANS, RUN_STATUSES, TERMINAL, Event, Run, WorkerBeat
from podium.server.db.models.serving import (
    AUTH_MODES,
    DEPLOYMENT_STATUSES,
    PIPELINE_STATUSES,
    Deployment,
    Pipeline,
    PredictionLog,
)
from podium.server.db.models.studio import DataSource, Experiment, Project

__all__ = [
    "AUTH_MODES",
    "DEPLOYMENT_STATUSES",
    "PIPELINE_STATUSES",
    "PLANS",
    "ROLES",
    "RUN_STATUSES",
    "TERMINAL",
    "ApiKey",
    "Base",
    "DataSource",
    "Deployment",
    "Event",
    "Experiment",
    "Membership",
    "Pipeline",
    "PredictionLog",
    "Project",
    "RefreshToken",
    "Run",
    "User",
    "WorkerBeat",
    "Workspace",
]
