"""Forecasting with a deployed forecasting pipeline (``POST /deployments/{slug}/forecast``).

The pipeline was refitted on its stored history and checked against its stored forecast when
it was loaded (the engine's ``load_pipeline``); a call only forecasts.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from podium.server.errors import Conflict, InvalidInput
from podium.server.schemas.forecast import ForecastRequest
from podium.server.services.deployments import Target
from podium.server.services.predictions import PipelineCache, loaded_for
from podium.server.storage import ArtifactStore


def parse(body: bytes) -> ForecastRequest:
    """The request, or InvalidInput saying what is wrong."""
    try:
        return ForecastRequest.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise InvalidInput(f"{where}: {first.get('msg', 'invalid')}") from None


def serve_forecast(
    session: Session, store: ArtifactStore, cache: PipelineCache, target: Target, body: bytes
) -> dict[str, Any]:
    """``{"forecast": [{series?, time, value, lo, hi}]}`` of the deployment's pipeline.

    Raises
    ------
    Conflict
        The deployed pipeline does not forecast (another task).
    InvalidInput
        A bad body, or exogenous values missing or malformed.
    """
    import pandas as pd

    from podium.engine import DataError

    request = parse(body)
    loaded = loaded_for(session, store, cache, target)
    if loaded.task != "forecasting":
        raise Conflict(
            f"this deployment serves a {loaded.task} pipeline: use /predict; /forecast is for "
            "forecasting pipelines"
        )
    future = pd.DataFrame(request.exogenous) if request.exogenous else None
    try:
        rows = loaded.pipe.records(request.h, future)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None
    return {"forecast": rows}
