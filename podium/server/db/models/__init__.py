"""Every ORM model, one module per resource, imported here so ``Base.metadata`` is complete
(migrations rely on it). Import models from this package, e.g. ``from ...models import Run``.
"""

from podium.server.db.base import Base
from podium.server.db.models.accounts import RefreshToken, User
from podium.server.db.models.analysis import ANALYSIS_STATUSES, Analysis
from podium.server.db.models.api_keys import ApiKey
from podium.server.db.models.audit import AuditEvent
from podium.server.db.models.data_sources import DataProfile, DataSource
from podium.server.db.models.deployments import (
    Deployment,
    DeploymentVersion,
    DriftReport,
    PredictionLog,
)
from podium.server.db.models.experiments import Experiment
from podium.server.db.models.invitations import Invitation
from podium.server.db.models.pipelines import Pipeline, PipelineLabel
from podium.server.db.models.projects import Project
from podium.server.db.models.runs import RUN_STATUSES, TERMINAL, Event, Run
from podium.server.db.models.webhooks import Webhook, WebhookDelivery
from podium.server.db.models.workers import WorkerBeat
from podium.server.db.models.workspaces import Membership, Workspace

__all__ = [
    "ANALYSIS_STATUSES",
    "RUN_STATUSES",
    "TERMINAL",
    "Analysis",
    "ApiKey",
    "AuditEvent",
    "Base",
    "DataProfile",
    "DataSource",
    "Deployment",
    "DeploymentVersion",
    "DriftReport",
    "Event",
    "Experiment",
    "Invitation",
    "Membership",
    "Pipeline",
    "PipelineLabel",
    "PredictionLog",
    "Project",
    "RefreshToken",
    "Run",
    "User",
    "Webhook",
    "WebhookDelivery",
    "WorkerBeat",
    "Workspace",
]
