"""Analysis of one model of a run: fit-based plots (importance, SHAP, learning curve)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from podium.server.schemas.common import Output

AnalysisStatus = Literal["queued", "running", "done", "failed"]


class AnalysisRead(Output):
    """Where a model's analysis stands; each id in `plots` is ready at
    `GET /runs/{run_id}/models/{model_id}/plots/{plot_id}`."""

    id: uuid.UUID
    run_id: uuid.UUID
    model_id: str
    status: AnalysisStatus
    error: str | None
    plots: list[str] = Field(
        description="ids of the stored plots: feature_importance (when the model has its own), "
        "permutation_importance, learning_curve, shap_summary, shap_beeswarm"
    )
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
