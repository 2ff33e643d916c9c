"""Deployments: a ready pipeline behind ``/deployments/{slug}/predict``, and its sampled log."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Literal

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


LogKeep = Literal["full", "counts"]


class DeploymentUpdate(Input):
    """Pause/resume a deployment, change its auth mode, its prediction log or drift schedule.

    Fields left out keep their value; ``drift_every_hours: null`` turns the schedule off.
    """

    status: Literal["active", "paused"] | None = None
    auth_mode: AuthMode | None = None
    log_sample_rate: float | None = Field(
        None, ge=0, le=1, description="share of successful calls logged (0-1); failures always"
    )
    log_keep: LogKeep | None = Field(
        None, description="'full': inputs and outputs of logged calls; 'counts': row counts only"
    )
    log_retention_days: int | None = Field(None, ge=1, le=3650)
    log_max_rows: int | None = Field(
        None, ge=100, le=10_000_000, description="newest entries kept per deployment"
    )
    drift_every_hours: int | None = Field(
        None, ge=1, le=24 * 90, description="a drift report every N hours (null: on demand only)"
    )
    drift_window_hours: int | None = Field(None, ge=1, le=24 * 365)


class DeploymentRead(Output):
    """A deployment and its counters."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    pipeline_id: uuid.UUID
    pipeline_name: str
    pipeline_version: int
    slug: str
    auth_mode: str
    status: str
    log_sample_rate: float
    log_keep: LogKeep
    log_retention_days: int
    log_max_rows: int
    drift_every_hours: int | None
    drift_window_hours: int
    drift_next_at: datetime | None
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
