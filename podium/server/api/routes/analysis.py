"""Analysis: queue and read the fit-based plots (importance, SHAP, learning curve) of a model."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep
from podium.server.api.responses import errors
from podium.server.schemas.analysis import AnalysisRead
from podium.server.services import analysis

router = APIRouter(tags=["analysis"])
PATH = "/runs/{run_id}/models/{model_id}/analysis"


@router.post(
    PATH,
    name="request",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(401, 403, 404, 409, 422),
)
def request_analysis(
    run_id: uuid.UUID, model_id: str, session: SessionDep, user: CurrentUser
) -> AnalysisRead:
    """Queue a worker to fit the model once and compute its importance, permutation
    importance, learning curve and SHAP summary (editors). Idempotent: a queued, running or
    done analysis is returned as it is; a failed one is queued again."""
    return AnalysisRead.model_validate(analysis.request(session, user.id, run_id, model_id))


@router.get(PATH, name="get", responses=errors(401, 404, 422))
def get_analysis(
    run_id: uuid.UUID, model_id: str, session: SessionDep, user: CurrentUser
) -> AnalysisRead:
    """Where the model's analysis stands, and the ids of the plots it stored."""
    return AnalysisRead.model_validate(analysis.get(session, user.id, run_id, model_id))
