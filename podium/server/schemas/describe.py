"""What the engine offers: tasks, models, metrics, setup params, samples."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict

from podium.server.schemas.common import Output


class _Open(Output):
    model_config = ConfigDict(from_attributes=True, extra="allow")


class TaskInfo(_Open):
    """A learning task (the engine's TaskDef): ``target`` says whether an experiment names a
    target column; ``inferable`` tasks may be guessed from one; ``output`` is what one
    prediction holds."""

    id: str
    name: str
    description: str
    target: Literal["required", "optional", "none"]
    inferable: bool
    model_kind: str
    output: Literal["label", "value", "cluster", "anomaly", "forecast"]


class ModelInfo(_Open):
    """A model of the registry; ``is_available`` is false when its library is missing."""

    id: str
    name: str
    family: str
    is_available: bool
    reason: str | None = None
    turbo: bool = True


class MetricInfo(_Open):
    """A metric of a task."""

    id: str
    name: str
    greater_is_better: bool
    default_sort: bool = False


class SetupParamInfo(_Open):
    """A parameter of ``setup``: kind is bool, int, float, enum, column or string. A column
    parameter ``accepts`` only columns of these kinds (those of ``ColumnInfo.kind``; null: any);
    ``required`` ones must be set."""

    name: str
    kind: str
    group: str | None = None
    default: Any = None
    choices: list[Any] | None = None
    min: float | None = None
    max: float | None = None
    description: str = ""
    accepts: list[str] | None = None
    required: bool = False


class PlanParamInfo(_Open):
    """A keyword of a plan (null default: the engine's). Kinds: models, model, metric, int,
    float, choice (one of ``choices``), bool, weights, space, run (a finished run of the same
    experiment), source_model / source_models (ids on that run's leaderboard)."""

    name: str
    kind: str
    default: Any = None
    description: str = ""
    required: bool = False
    choices: list[Any] | None = None


class PlanInfo(_Open):
    """A plan a run executes (``plan`` of a run submission) and its ``plan_params``."""

    id: str
    description: str
    takes_model: bool
    params: list[PlanParamInfo]


class SampleInfo(_Open):
    """A bundled scikit-learn sample, referenced as ``sklearn:<id>``."""

    id: str
    name: str
    task: str
    target: str
    rows: int
    columns: int


class PlotInfo(_Open):
    """A plot of a task: ``source`` ``predictions`` (drawn from stored predictions) or
    ``analysis`` (computed by a model's analysis job)."""

    id: str
    title: str
    source: Literal["predictions", "analysis"]
    description: str
