"""Webhooks: endpoints told of run, deployment and drift events, and their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, Field, UrlConstraints

from podium.server.schemas.common import Input, Output

WebhookEvent = Literal["run.finished", "run.failed", "deployment.changed", "drift.detected"]
DriftLevel = Literal["low", "medium", "high"]
DRIFT_LEVEL = "drift.detected reaches this webhook for drift reports at least this severe"
HttpUrl = Annotated[
    AnyHttpUrl,
    UrlConstraints(max_length=2000, allowed_schemes=["http", "https"]),
    Field(description="an http:// or https:// URL the Podium server can reach"),
]


class WebhookCreate(Input):
    """A new webhook: where to POST, and which events."""

    url: HttpUrl
    events: list[WebhookEvent] = Field(min_length=1)
    description: str = Field("", max_length=500)
    drift_min_severity: DriftLevel = Field("medium", description=DRIFT_LEVEL)


class WebhookUpdate(Input):
    """Change any of these; ``active: false`` pauses deliveries. A field left out or null
    keeps its value."""

    url: HttpUrl | None = None
    events: list[WebhookEvent] | None = Field(None, min_length=1)
    description: str | None = Field(None, max_length=500)
    active: bool | None = None
    drift_min_severity: DriftLevel | None = Field(None, description=DRIFT_LEVEL)


class WebhookRead(Output):
    """A webhook (its secret is only in the answer that created it)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    url: str
    events: list[str]
    description: str
    active: bool
    drift_min_severity: DriftLevel
    created_at: datetime


class WebhookCreated(WebhookRead):
    """A new webhook: ``secret`` keys the HMAC-SHA256 signatures; keep it, it is shown once."""

    secret: str


class WebhookList(Output):
    """Webhooks of a workspace."""

    data: list[WebhookRead]
    count: int


class DeliveryRead(Output):
    """One delivery: its status, tries so far, the last response code or error."""

    id: uuid.UUID
    event: str
    status: Literal["queued", "sending", "delivered", "failed"] | str
    attempts: int
    response_code: int | None
    error: str | None
    next_attempt_at: datetime
    created_at: datetime
    finished_at: datetime | None


class DeliveryList(Output):
    """A webhook's newest deliveries (up to 100), newest first."""

    data: list[DeliveryRead]
    count: int
