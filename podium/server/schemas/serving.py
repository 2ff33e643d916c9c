"""Pipelines, deployments and predictions (routes are built in issue 5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.common import Description, Input, Name, Output

AuthMode = Literal["workspace", "api-key", "public"]


class PipelinePromote(Input):
    """Promote a succeeded run's best (or named) model to a pipeline."""

    name: Name
    description: Description = ""
    model_id: str | None = Field(None, max_length=64)


class PipelineRead(Output):
    """A versioned pipeline artifact."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    version: int
    description: str
    run_id: uuid.UUID | None
    model_id: str
    status: Literal["building", "ready", "failed"]
    error: str | None
    task: str | None
    metrics: dict[str, Any]
    input_schema: list[Any]
    sha256: str | None
    size_bytes: int | None
    library_versions: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


class PipelineList(Output):
    """Pipelines of a workspace."""

    data: list[PipelineRead]
    count: int


class DeploymentCreate(Input):
    """Deploy a ready pipeline behind ``/deployments/{slug}/predict``."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    auth_mode: AuthMode = "workspace"


class DeploymentUpdate(Input):
    """Pause/resume a deployment or change its auth mode."""

    status: Literal["active", "paused"] | None = None
    auth_mode: AuthMode | None = None


class DeploymentRead(Output):
    """A deployment and its counters."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    pipeline_id: uuid.UUID
    slug: str
    auth_mode: str
    status: str
    request_count: int
    error_count: int
    last_request_at: datetime | None
    created_at: datetime


class DeploymentList(Output):
    """Deployments of a workspace."""

    data: list[DeploymentRead]
    count: int


class PredictRequest(Input):
    """Rows to score, as column → value objects."""

    rows: list[dict[str, Any]] = Field(min_length=1)


class PredictResponse(Output):
    """Predictions (and class probabilities for classifiers)."""

    predictions: list[Any]
    probabilities: list[dict[str, float]] | None = None
    latency_ms: float
    request_id: str
