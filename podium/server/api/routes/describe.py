"""What the engine offers (any signed-in user)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from podium.server.api.deps import CurrentUser
from podium.server.api.responses import errors
from podium.server.schemas.describe import (
    MetricInfo,
    ModelInfo,
    PlanInfo,
    PlotInfo,
    SampleInfo,
    SetupParamInfo,
    TaskInfo,
)
from podium.server.services import describe

router = APIRouter(prefix="/describe", tags=["describe"])
# Checked by the engine (an unknown or not yet available task is a 422 in its words).
Task = Annotated[
    str, Query(min_length=1, max_length=50, description="A task id of GET /describe/tasks.")
]


@router.get("/tasks", name="tasks", responses=errors(401))
def tasks(_user: CurrentUser) -> list[TaskInfo]:
    """Learning tasks a user may run: ``target`` says whether an experiment names a target
    column (``required``, ``optional``, ``none``)."""
    return [TaskInfo.model_validate(t) for t in describe.tasks()]


@router.get("/models", name="models", responses=errors(401, 422))
def models(task: Task, _user: CurrentUser) -> list[ModelInfo]:
    """Models of a task; ``is_available`` is false when a library is missing."""
    return [ModelInfo.model_validate(m) for m in describe.models(task)]


@router.get("/metrics", name="metrics", responses=errors(401, 422))
def metrics(task: Task, _user: CurrentUser) -> list[MetricInfo]:
    """Metrics of a task."""
    return [MetricInfo.model_validate(m) for m in describe.metrics(task)]


@router.get("/setup-params", name="setup_params", responses=errors(401, 422))
def setup_params(task: Task, _user: CurrentUser) -> list[SetupParamInfo]:
    """Parameters ``setup`` accepts for a task."""
    return [SetupParamInfo.model_validate(p) for p in describe.setup_params(task)]


@router.get("/plans", name="plans", responses=errors(401, 422))
def plans(
    _user: CurrentUser,
    task: Annotated[
        str | None,
        Query(min_length=1, max_length=50, description="Only the plans this task offers."),
    ] = None,
) -> list[PlanInfo]:
    """Plans a run executes and the ``plan_params`` each takes."""
    return [PlanInfo.model_validate(p) for p in describe.plans(task)]


@router.get("/plots", name="plots", responses=errors(401, 422))
def plots(task: Task, _user: CurrentUser) -> list[PlotInfo]:
    """Plots of a task: ``predictions`` (drawn from a model's stored out-of-fold/holdout
    predictions) or ``analysis`` (computed by the model's analysis job)."""
    return [PlotInfo.model_validate(p) for p in describe.plots(task)]


@router.get("/samples", name="samples", responses=errors(401))
def samples(_user: CurrentUser) -> list[SampleInfo]:
    """Bundled sample datasets (use as ``sklearn_dataset``)."""
    return [SampleInfo.model_validate(s) for s in describe.samples()]
