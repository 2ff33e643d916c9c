"""Forecast: ``POST /deployments/{slug}/forecast`` with ``{"h": 12}`` — a forecasting
deployment's next ``h`` steps per series, with prediction intervals. Resolved, counted and
logged like a predict call (routes/predict.py)."""

from __future__ import annotations

import json
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from podium.server.api.responses import errors, not_audited
from podium.server.api.routes.predict import PREDICTION, PredictContext, PredictDep, _read_json_body
from podium.server.errors import PodiumError
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
    try:
        body = await _read_json_body(request, ctx.settings.max_predict_bytes)
        result = await to_thread.run_sync(_serve, ctx, body)
    except PodiumError as exc:
        ctx.failed(exc)
        raise
    latency = ctx.elapsed_ms()
    result["latency_ms"], result["request_id"] = round(latency, 3), ctx.caller.request_id
    ctx.stats.add(ctx.caller, 200, latency, result)
    content = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(content, media_type="application/json")


def _serve(ctx: PredictContext, body: bytes) -> dict[str, Any]:
    with ctx.db.sessions() as session:
        target = ctx.resolve(session)
        result = forecasts.serve_forecast(session, ctx.store, ctx.cache, target, body)
    ctx.caller.rows, ctx.caller.sample = len(result["forecast"]), {"h": len(result["forecast"])}
    return result
