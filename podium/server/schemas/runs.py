"""Runs and their events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, computed_field

from podium.engine.run.metrics import default_sort
from podium.server.schemas.common import Input, Output

Plan = Literal["setup", "create", "compare", "tune", "ensemble", "blend", "stack", "auto"]
#: plans whose result is one new model (``result.model_id``; ``result.best`` when cancelled)
MODEL_PLANS = ("tune", "ensemble", "blend", "stack", "auto")
# both given and not null: refused (422 from the service, which says so in words)
BOTH_DATA_SOURCES: JsonValue = {
    "required": ["data_source_id", "sklearn_dataset"],
    "properties": {"data_source_id": {"type": "string"}, "sklearn_dataset": {"type": "string"}},
}
RunStatus = Literal["queued", "running", "succeeded", "failed", "cancelled"]


class RunCreate(Input):
    """A run submission. Data defaults to the experiment's (give at most one of
    ``data_source_id`` / ``sklearn_dataset`` to change it); ``create`` needs ``model_id``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"not": BOTH_DATA_SOURCES})

    plan: Plan
    model_id: str | None = Field(None, max_length=64)
    plan_params: dict[str, Any] = Field(
        default_factory=dict,
        description="compare: models, sort, n_select, budget_s, model_time_limit_s, race; create: "
        "params; tune, ensemble: source_run_id, model_id, …; blend, stack: source_run_id, "
        "model_ids, …; auto: budget_s, sort (GET /describe/plans lists each plan's params)",
    )
    data_source_id: uuid.UUID | None = None
    sklearn_dataset: str | None = Field(None, max_length=100)


class Leaderboard(Output):
    """A JSON table: columns in the engine's order, one dict per row."""

    columns: list[str]
    rows: list[dict[str, Any]]


class BestModel(BaseModel):
    """A run's best model: compare's first successful row, create's model and its CV mean, or
    the model an improving plan made (tune, ensemble, blend, stack, auto)."""

    model_id: str
    model: str
    metric: str = Field(description="the sort metric (plan_params.sort, else the task's default)")
    score: float | None


def sort_metric(plan_params: dict[str, Any], result: dict[str, Any] | None) -> str | None:
    """The metric a run ranked by: ``plan_params.sort``, else its task's default (None before
    the run knows its task)."""
    if plan_params.get("sort"):
        return str(plan_params["sort"])
    if not result or "task" not in result:
        return None
    return default_sort(str(result["task"]), result.get("findings") or [])


def best_of(
    plan: str,
    plan_params: dict[str, Any],
    leaderboard: Leaderboard | None,
    result: dict[str, Any] | None,
    model_id: str | None,
) -> BestModel | None:
    """The best model of a stored leaderboard, scored by the metric the run ranked by."""
    metric = sort_metric(plan_params, result)
    if leaderboard is None or metric is None:
        return None
    rows = leaderboard.rows
    if plan == "compare":
        ok = (r for r in rows if r.get("model_id") and not r.get("Error") and not r.get("partial"))
        row = next(ok, None)
        if row is None:
            return None
        best_id, name = str(row["model_id"]), str(row.get("Model") or row["model_id"])
    elif plan == "create" and model_id:
        row = next((r for r in rows if r.get("Fold") == "Mean"), None)
        if row is None:
            return None
        best_id, name = model_id, model_id
    elif plan in MODEL_PLANS:
        made = made_model(result)
        row = next((r for r in rows if made and r.get("model_id") == made), None)
        if row is None or row.get("Error"):
            return None
        best_id, name = str(made), str(row.get("Model") or made)
    else:
        return None
    value = row.get(metric)
    score = float(value) if isinstance(value, int | float) else None
    return BestModel(model_id=best_id, model=name, metric=str(metric), score=score)


def made_model(result: dict[str, Any] | None) -> str | None:
    """The model an improving run made: ``result.model_id``, or for a stopped run the best so
    far (``result.best``)."""
    result = result or {}
    made = result.get("model_id") or next(iter(result.get("best") or []), None)
    return str(made) if made else None


def promotable(status: str, plan: str, result: dict[str, Any] | None) -> bool:
    """Whether a run's model can become a pipeline: a succeeded run of a plan that makes
    models, or a cancelled tune / ensemble / blend / stack / auto run that kept one (the best
    so far). A cancelled compare is not: its leaderboard is what it ran, not its choice."""
    if plan == "setup":
        return False
    if status == "succeeded":
        return True
    return status == "cancelled" and plan in MODEL_PLANS and made_model(result) is not None


class RunRead(Output):
    """A run: request, state, leaderboard and result."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    experiment_id: uuid.UUID
    plan: str
    model_id: str | None
    plan_params: dict[str, Any]
    data_source_id: uuid.UUID | None
    sklearn_dataset: str | None
    status: RunStatus
    snapshot: dict[str, Any]
    leaderboard: Leaderboard | None
    result: dict[str, Any] | None
    error: str | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def best(self) -> BestModel | None:
        """The best model and its score by the run's sort metric (null until the run has one)."""
        return best_of(self.plan, self.plan_params, self.leaderboard, self.result, self.model_id)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def promotable(self) -> bool:
        """Whether ``POST /runs/{id}/promote`` can build a pipeline from this run now."""
        return promotable(self.status, self.plan, self.result)


class RunList(Output):
    """Runs of an experiment, newest first."""

    data: list[RunRead]
    count: int


class EventRead(Output):
    """One run event (the same shape is sent over the WebSocket)."""

    id: int
    run_id: uuid.UUID
    ts: datetime
    kind: str
    duration_ms: int | None
    payload: dict[str, Any]


class EventList(Output):
    """Events of a run after ``after_id``, oldest first."""

    data: list[EventRead]
    count: int
