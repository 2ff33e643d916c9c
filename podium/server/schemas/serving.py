"""Pipelines, deployments and predictions (routes are built in issue 5)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from podium.server.schemas.common import Description, Input, Name, Output

AuthMode = Literal["workspace", "api-key", "public"]
# whole-string patterns (fullmatch): the same regex in the OpenAPI document, where ``$`` does not
# match before a trailing newline as Python's does
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
PIPELINE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


class PipelinePromote(Input):
    """Promote a succeeded run's best (or named) model to a pipeline."""

    name: Name = Field(
        description="1-100 letters, digits, spaces, '.', '_' or '-'; starts with a letter or digit",
        json_schema_extra={"pattern": PIPELINE_NAME.pattern, "maxLength": 100},
    )
    description: Description = ""
    model_id: str | None = Field(None, max_length=64)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not PIPELINE_NAME.fullmatch(value):
            raise ValueError(
                "pipeline name must be 1-100 characters of letters, digits, spaces, '.', '_' "
                "or '-', starting with a letter or digit"
            )
        return value


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
    onnx: dict[str, Any] | None = Field(
        None, description="ONNX export: {available, error?} (from the manifest)"
    )
    examples: list[dict[str, Any]] = Field(
        default_factory=list,
        description="a few rows of the training data (input columns only, as JSON predict "
        "takes them), e.g. to start trying the pipeline from; empty for pipelines built "
        "before examples were kept",
    )
    created_at: datetime
    finished_at: datetime | None


class PipelineList(Output):
    """Pipelines of a workspace."""

    data: list[PipelineRead]
    count: int


class DeploymentCreate(Input):
    """Deploy a ready pipeline behind ``/deployments/{slug}/predict``."""

    slug: str = Field(
        min_length=3,
        max_length=63,
        description="3-63 lowercase letters, digits and dashes, starting and ending with a "
        "letter or digit",
        json_schema_extra={"pattern": SLUG.pattern},
    )
    auth_mode: AuthMode = "workspace"

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.fullmatch(value):
            raise ValueError(
                "slug must be 3-63 lowercase letters, digits and dashes, starting and ending "
                "with a letter or digit (e.g. 'churn-v2')"
            )
        return value


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
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
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


class PredictionLogRead(Output):
    """One sampled request/response of a deployment."""

    id: uuid.UUID
    request_id: str
    status_code: int
    latency_ms: float
    request: dict[str, Any]
    response: dict[str, Any]
    created_at: datetime


class PredictionLogList(Output):
    """The newest sampled predictions of a deployment."""

    data: list[PredictionLogRead]
    count: int


class ApiKeyCreate(Input):
    """Create a workspace API key (for deployments in ``api-key`` mode)."""

    name: Name


class ApiKeyRead(Output):
    """An API key without its secret (only its prefix)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    """A new API key: ``secret`` is shown this once and never stored (send it as X-API-Key)."""

    secret: str


class ApiKeyList(Output):
    """API keys of a workspace."""

    data: list[ApiKeyRead]
    count: int
