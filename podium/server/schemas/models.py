"""A run's model: what a model page shows (hyperparameters, preprocessing, per-fold table,
CV and holdout scores, the plots of its task)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.analysis import AnalysisStatus
from podium.server.schemas.common import Output

PlotSource = Literal["predictions", "analysis"]


class ModelPlotInfo(Output):
    """One plot of the model's task and whether it can be shown now."""

    id: str
    title: str
    source: PlotSource = Field(
        description="predictions: drawn on request from the stored out-of-fold/holdout "
        "predictions; analysis: written by the model's analysis job"
    )
    available: bool = Field(
        description="predictions: the run stored this model's predictions (and the scores the "
        "plot needs); analysis: the analysis job has written it"
    )


class FoldTable(Output):
    """The per-fold scores in the leaderboard's JSON-table shape (Fold, metrics…; then Mean
    and Std rows)."""

    columns: list[str]
    rows: list[dict[str, Any]]


class ModelRead(Output):
    """One model of a run."""

    run_id: uuid.UUID
    model_id: str
    name: str
    task: str
    params: dict[str, Any] = Field(
        description="every hyperparameter of the fitted model (JSON values; nested "
        "estimators' as outer__inner); empty when the run stored none"
    )
    preprocessing: list[dict[str, Any]] = Field(
        description="the steps every model of the run sees, in order: {name, columns, details}"
    )
    folds: FoldTable | None = Field(description="per-fold scores; null when the model failed")
    cv: dict[str, float | None] = Field(description="metric → mean over the folds")
    holdout: dict[str, float | None] | None = Field(
        description="metric → value of the model fitted on the training part, on the holdout "
        "rows; null when it was not scored there (no_holdout says why)"
    )
    no_holdout: str | None = Field(
        None,
        description="why the model has no holdout scores (the run kept no holdout split, or "
        "scored only some models there, as auto does); null when it has them",
    )
    error: str | None = Field(None, description="why the model failed or was stopped")
    no_predictions: str | None = Field(
        None,
        description="why the run stored no predictions for this model (then no evaluation "
        "plot can be drawn); null when it did",
    )
    plots: list[ModelPlotInfo]
    analysis: AnalysisStatus | None = Field(
        description="where the model's analysis job stands (its plots are listed above); null "
        "when nobody asked for it, and then GET .../analysis answers 404"
    )
