"""Predict: rows in, predictions out, and the sampled log of a deployment's calls."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from podium.server.schemas.common import Input, Output


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
