"""A data source's profile (the engine's ``prepare.profile.profile``), computed by a worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.common import Output
from podium.server.schemas.plots import PlotRead


class TopValue(Output):
    value: Any = Field(description="The value (text for categories and dates)")
    count: int
    share: float = Field(description="count / rows")


class ColumnProfile(Output):
    """One column: schema facts, statistics of numbers, top values, histogram, against target."""

    name: str
    dtype: str
    kind: str = Field(description="numeric, categorical, boolean, datetime, text, id or constant")
    role: str = Field(description="target, feature or ignored (ID-like and constant columns)")
    missing: int
    missing_share: float
    unique: int
    min: float | str | None = Field(None, description="numbers; ISO text for dates")
    max: float | str | None = None
    mean: float | None = None
    std: float | None = Field(None, description="sample standard deviation (ddof 1)")
    quantiles: dict[str, float] | None = Field(
        None, description='"5%", "25%", "50%", "75%", "95%" (linear interpolation)'
    )
    top: list[TopValue] = Field(default_factory=list, description="most frequent values")
    histogram: PlotRead | None = None
    vs_target: PlotRead | None = Field(None, description="this column against the target")


class Finding(Output):
    """A guardrail finding (as setup reports it): ID-like, constant, leakage, imbalance…"""

    level: str
    code: str
    message: str
    column: str | None = None


class TargetProfile(Output):
    name: str
    task: str | None = Field(None, description="what setup would infer (null: not a target)")
    distribution: PlotRead | None = None


class ProfileRead(Output):
    """A data source's profile. Statistics and histograms use every row; correlations and
    the target plots a seeded sample above 100,000 rows (``notes`` say which)."""

    data_source_id: uuid.UUID
    computed_at: datetime | None = None
    rows: int
    sample_rows: int = Field(description="rows behind the correlations and target plots")
    columns: list[ColumnProfile]
    correlations: list[PlotRead] = Field(
        default_factory=list, description="Pearson, Spearman (numeric) and Cramér's V heatmaps"
    )
    target: TargetProfile | None = Field(
        None, description="the target asked for (?target=): its task and distribution"
    )
    findings: list[Finding] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    seconds: float = Field(description="time the worker spent profiling")


class ProfileStatus(Output):
    """A profile not ready yet (202): queued or being computed by a worker."""

    data_source_id: uuid.UUID
    target: str | None = None
    status: Literal["queued", "running"]
    detail: str
