"""Forecast: ``POST /deployments/{slug}/forecast`` with ``{"h": 12}`` — a forecasting
deployment's next ``h`` steps per series, with prediction intervals. Resolved, counted and
logged like a predict call (routes/predict.py)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from podium.server.api.responses import errors, not_audited
from podium.server.api.routes.predict import PREDICTION, PredictContext, PredictDep, answer_json
from podium.server.schemas.forecast import ForecastRequest, ForecastResponse
from podium.server.services import forecasts

router = APIRouter(tags=["predict"])
BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": ForecastRequest.model_json_schema()}},
    }
}


@router.post(
    "/deployments/{slug}/forecast",
    name="forecast",
    openapi_extra=not_audited(PREDICTION, BODY),
    response_model=ForecastResponse,
    responses=errors(401, 403, 404, 409, 413, 422),
)
async def forecast(request: Request, ctx: PredictDep) -> Response:
    """Forecast ``h`` steps (``{"h": 12}``, plus ``exogenous`` rows when the model used them)."""
    return await answer_json(request, ctx, _serve)


def _serve(ctx: PredictContext, body: bytes) -> dict[str, Any]:
    with ctx.db.sessions() as session:
        target = ctx.resolve(session)
        result = forecasts.serve_forecast(session, ctx.store, ctx.cache, target, body)
    ctx.caller.rows, ctx.caller.sample = len(result["forecast"]), {"h": len(result["forecast"])}
    return result
