"""Forecast: a forecasting deployment's next ``h`` steps, with prediction intervals."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from podium.server.schemas.common import Input, Output


class ForecastRequest(Input):
    """How far to forecast, and the future values of the exogenous columns when the model
    reads some (one row per step and series: the time column, the series column, each
    exogenous column)."""

    h: int = Field(ge=1, le=10_000, description="steps to forecast past the end of the history")
    exogenous: list[dict[str, Any]] | None = Field(
        None, description="future exogenous values, when the model used exogenous columns"
    )


class ForecastPoint(Output):
    """One forecast step of one series."""

    series: str | None = Field(None, description="the series id (tables with a series column)")
    time: str = Field(description="ISO 8601 time of the step")
    value: float | None
    lo: dict[str, float | None] = Field(description="lower bound per interval level (percent)")
    hi: dict[str, float | None] = Field(description="upper bound per interval level (percent)")


class ForecastResponse(Output):
    """The forecast, per series and step."""

    forecast: list[ForecastPoint]
    latency_ms: float
    request_id: str
