"""Drift reports: a window of a deployment's logged inputs and predictions against the
training baseline of the pipeline version it served."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from podium.server.schemas.common import Input, Instant, Output
from podium.server.schemas.plots import PlotRead

Severity = Literal["unknown", "none", "low", "medium", "high"]


class DriftReportCreate(Input):
    """The window to compare; by default the deployment's ``drift_window_hours`` up to now."""

    since: Instant | None = Field(None, description="window start (ISO 8601)")
    until: Instant | None = Field(None, description="window end (ISO 8601); default now")

    @model_validator(mode="after")
    def _ordered(self) -> DriftReportCreate:
        if self.since and self.until and self.since >= self.until:
            raise ValueError("since must be before until")
        return self


class FeatureDrift(Output):
    """One feature (or the prediction) compared with its baseline."""

    name: str
    kind: Literal["numeric", "categorical"]
    psi: float | None
    ks: float | None = None
    chi2: float | None = None
    p_value: float | None
    missing_base: float
    missing_now: float
    missing_change: float
    severity: Severity
    bins: list[str]
    shares_base: list[float]
    shares_now: list[float]


class DriftReportRead(Output):
    """One report: per-feature statistics, prediction drift, a severity, and its plots."""

    id: uuid.UUID
    deployment_id: uuid.UUID
    pipeline_id: uuid.UUID | None
    pipeline_version: int
    trigger: Literal["manual", "schedule"]
    window_start: datetime
    window_end: datetime
    rows: int
    severity: Severity
    features: list[FeatureDrift]
    prediction: FeatureDrift | None
    notes: list[str]
    plots: list[PlotRead] = Field(
        default_factory=list, description="PSI per feature, then one plot per feature"
    )
    created_at: datetime


class DriftReportList(Output):
    """Reports of a deployment, newest first, and PSI per feature over time."""

    data: list[DriftReportRead]
    count: int
    over_time: PlotRead | None


def report_fields(row: Any) -> dict[str, Any]:
    """The read shape's fields of a stored report (its ``result`` spread out)."""
    return {
        "id": row.id,
        "deployment_id": row.deployment_id,
        "pipeline_id": row.pipeline_id,
        "pipeline_version": row.pipeline_version,
        "trigger": row.trigger,
        "window_start": row.window_start,
        "window_end": row.window_end,
        "rows": row.rows,
        "severity": row.severity,
        "features": row.result.get("features", []),
        "prediction": row.result.get("prediction"),
        "notes": row.result.get("notes", []),
        "created_at": row.created_at,
    }
