"""A run's models: the model view and its plots."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep
from podium.server.api.responses import errors
from podium.server.schemas.models import ModelRead
from podium.server.schemas.plots import PlotRead
from podium.server.services import models

router = APIRouter(tags=["models"])
ModelId = Annotated[str, Path(max_length=100)]
PlotId = Annotated[str, Path(max_length=100)]


@router.get("/runs/{run_id}/models/{model_id}", name="get", responses=errors(401, 404, 409, 422))
def get_model(
    run_id: uuid.UUID, model_id: ModelId, session: SessionDep, store: StoreDep, user: CurrentUser
) -> ModelRead:
    """One model of a run: every hyperparameter, the preprocessing, per-fold table, CV and
    holdout scores, and the plots of its task (with whether each is available)."""
    return ModelRead.model_validate(models.get_model(session, store, user.id, run_id, model_id))


@router.get(
    "/runs/{run_id}/models/{model_id}/plots/{plot_id}",
    name="plot",
    responses=errors(401, 404, 409, 422),
)
def get_plot(
    run_id: uuid.UUID,
    model_id: ModelId,
    plot_id: PlotId,
    session: SessionDep,
    store: StoreDep,
    user: CurrentUser,
    split: Annotated[
        Literal["oof", "holdout"],
        Query(
            description="oof: out-of-fold predictions of the training rows (default); "
            "holdout: the model fitted on the training part, on the holdout rows"
        ),
    ] = "oof",
) -> PlotRead:
    """One plot as data: drawn from the model's stored predictions (nothing is refit), or the
    analysis job's result (409 until it is computed)."""
    plot = models.get_plot(session, store, user.id, run_id, model_id, plot_id, split)
    return PlotRead.model_validate(plot)
