"""Predict: rows in, predictions (and class probabilities) out."""

from __future__ import annotations

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
