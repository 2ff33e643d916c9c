"""The prediction log of a deployment: browse and filter, export as CSV."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from podium.server.api.deps import CurrentUser, SessionDep, flush_predict_stats, get_db
from podium.server.api.responses import errors
from podium.server.db.session import Database
from podium.server.schemas.common import Instant, Offset
from podium.server.schemas.prediction_logs import Outcome, PredictionLogList, PredictionLogRead
from podium.server.services import prediction_logs
from podium.server.services.prediction_logs import LogFilter

router = APIRouter(tags=["prediction-logs"])
FLUSHED = [Depends(flush_predict_stats)]


def log_filter(
    since: Annotated[Instant | None, Query(description="from this time (ISO 8601)")] = None,
    until: Annotated[Instant | None, Query(description="before this time (ISO 8601)")] = None,
    outcome: Annotated[Outcome | None, Query(description="ok (2xx) or error (4xx/5xx)")] = None,
) -> LogFilter:
    """The filter of a log query."""
    return LogFilter(since, until, outcome)


FilterDep = Annotated[LogFilter, Depends(log_filter)]


@router.get(
    "/deployments/{deployment_id}/predictions",
    name="list",
    dependencies=FLUSHED,
    responses=errors(401, 404, 422),
)
def list_predictions(
    deployment_id: uuid.UUID,
    where: FilterDep,
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[Offset, Query()] = 0,
) -> PredictionLogList:
    """Logged calls, newest first, filtered by time and outcome (the deployment's settings
    say which calls are logged and what is kept)."""
    rows, total = prediction_logs.browse(session, user.id, deployment_id, where, limit, offset)
    data = [PredictionLogRead.model_validate(r) for r in rows]
    return PredictionLogList(data=data, count=len(data), total=total)


@router.get(
    "/deployments/{deployment_id}/predictions/export",
    name="export",
    dependencies=FLUSHED,
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "every match, oldest first"},
        **errors(401, 404, 422),
    },
)
def export_predictions(
    deployment_id: uuid.UUID,
    where: FilterDep,
    session: SessionDep,
    db: Annotated[Database, Depends(get_db)],
    user: CurrentUser,
) -> StreamingResponse:
    """The filtered log as CSV (time, request id, status, outcome, latency, rows, JSON of the
    request and response)."""
    dep_id, filename = prediction_logs.export_name(session, user.id, deployment_id, where)
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    lines = prediction_logs.export_lines(db, dep_id, where)
    return StreamingResponse(lines, media_type="text/csv", headers=headers)
