"""Runs and their events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, JsonValue

from podium.server.schemas.common import Input, Output

Plan = Literal["setup", "create", "compare"]
# both given and not null: refused (422 from the service, which says so in words)
BOTH_DATA_SOURCES: JsonValue = {
    "required": ["data_source_id", "sklearn_dataset"],
    "properties": {"data_source_id": {"type": "string"}, "sklearn_dataset": {"type": "string"}},
}
RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class RunCreate(Input):
    """A run submission. Data defaults to the experiment's (give at most one of
    ``data_source_id`` / ``sklearn_dataset`` to change it); ``create`` needs ``model_id``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"not": BOTH_DATA_SOURCES})

    plan: Plan
    model_id: str | None = Field(None, max_length=64)
    plan_params: dict[str, Any] = Field(
        default_factory=dict,
        description="compare: models, sort, n_select, budget_s, model_time_limit_s; create: params",
    )
    data_source_id: uuid.UUID | None = None
    sklearn_dataset: str | None = Field(None, max_length=100)


class Leaderboard(Output):
    """A JSON table: columns in the engine's order, one dict per row."""

    columns: list[str]
    rows: list[dict[str, Any]]


class RunRead(Output):
    """A run: request, state, leaderboard and result."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    experiment_id: uuid.UUID
    plan: str
    model_id: str | None
    plan_params: dict[str, Any]
    data_source_id: uuid.UUID | None
    sklearn_dataset: str | None
    status: RunStatus
    snapshot: dict[str, Any]
    leaderboard: Leaderboard | None
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class RunList(Output):
    """Runs of an experiment, newest first."""

    data: list[RunRead]
    count: int


class EventRead(Output):
    """One run event (the same shape is sent over the WebSocket)."""

    id: int
    run_id: uuid.UUID
    ts: datetime
    kind: str
    duration_ms: int | None
    payload: dict[str, Any]


class EventList(Output):
    """Events of a run after ``after_id``, oldest first."""

    data: list[EventRead]
    count: int
