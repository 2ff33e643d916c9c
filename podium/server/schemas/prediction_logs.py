"""The prediction log of a deployment: sampled calls, filtered by time and outcome."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.common import Output

Outcome = Literal["ok", "error"]


class PredictionLogRead(Output):
    """One logged call: status, latency, and (when the deployment keeps them) inputs/outputs."""

    id: uuid.UUID
    request_id: str
    status_code: int
    latency_ms: float
    request: dict[str, Any] = Field(description="{rows, sample?: [input rows]}")
    response: dict[str, Any] = Field(description="predictions/probabilities, or the error detail")
    created_at: datetime


class PredictionLogList(Output):
    """Logged calls of a deployment, newest first; ``total`` counts every match of the filter."""

    data: list[PredictionLogRead]
    count: int
    total: int
