"""Deployments: a ready pipeline behind ``/deployments/{slug}/predict``, and its sampled log."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from podium.server.schemas.common import Input, Output

AuthMode = Literal["workspace", "api-key", "public"]
# a whole-string pattern (fullmatch): the same regex in the OpenAPI document, where ``$`` does
# not match before a trailing newline as Python's does
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")


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
