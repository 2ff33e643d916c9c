"""The plans a run executes and their parameters, as data: one rule for every caller.

``describe.plans()`` lists them (so a form can be rendered from them), the server checks a
submission with :func:`check_plan` before queueing it, and ``Experiment.compare`` /
``Experiment.create`` are what the plans call, with these parameters as their keywords.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from podium.engine.errors import DataError
from podium.engine.models import registry
from podium.engine.run.metrics import scorer


@dataclass(frozen=True)
class PlanParam:
    """One keyword of a plan: ``models`` (model ids), ``metric`` (a metric id), ``int`` or
    ``float`` (a positive number); ``default`` None means the engine decides."""

    name: str
    kind: str
    default: Any
    description: str


@dataclass(frozen=True)
class Plan:
    """A plan: its id, what it does, whether it takes one model, and its keywords."""

    id: str
    description: str
    takes_model: bool
    params: tuple[PlanParam, ...] = ()


PLANS: tuple[Plan, ...] = (
    Plan("setup", "Check the data: schema, guardrails, folds; no model is trained.", False),
    Plan(
        "create",
        "Cross-validate one model (model_id); plan_params are its hyperparameters.",
        True,
    ),
    Plan(
        "compare",
        "Cross-validate the zoo of models in parallel and rank them.",
        False,
        (
            PlanParam(
                "models",
                "models",
                None,
                "Model ids to compare; the default list for this table when left out.",
            ),
            PlanParam("sort", "metric", None, "Metric id to rank by; the task's default."),
            PlanParam("n_select", "int", 1, "How many of the best models the result names."),
            PlanParam("budget_s", "float", None, "Wall-time budget of the comparison (s)."),
            PlanParam(
                "model_time_limit_s",
                "float",
                None,
                "Fit-time limit per model (s); derived from the budget or the others' times.",
            ),
        ),
    ),
)
_BY_ID = {p.id: p for p in PLANS}


def plans() -> list[dict[str, Any]]:
    """``[{id, description, takes_model, params: [{name, kind, default, description}]}]``."""
    return [
        {
            "id": p.id,
            "description": p.description,
            "takes_model": p.takes_model,
            "params": [
                {"name": q.name, "kind": q.kind, "default": q.default, "description": q.description}
                for q in p.params
            ],
        }
        for p in PLANS
    ]


def check_plan(
    task: str, plan: str, model_id: str | None, params: dict[str, Any]
) -> dict[str, Any]:
    """A submission checked against the plan's declaration; the params to store, normalised.

    Raises
    ------
    DataError
        Unknown plan, a missing or superfluous model id, unknown or unavailable models,
        unknown parameters, a metric that is not an id, a number that is not positive.

    Examples
    --------
    >>> check_plan("binary", "compare", None, {"sort": "auc", "n_select": 2})
    {'sort': 'AUC', 'n_select': 2}
    """
    spec = _BY_ID.get(plan)
    if spec is None:
        raise DataError(f"unknown plan {plan!r}: use one of {', '.join(_BY_ID)}")
    if spec.takes_model:
        if not model_id:
            raise DataError(f"plan {plan!r} needs model_id (see /describe/models?task=…)")
        registry.get(task, model_id)
        return _hyperparameters(params)
    if model_id is not None:
        raise DataError(f"model_id is only for plan 'create'; {plan} takes none")
    declared = {q.name: q for q in spec.params}
    unknown = sorted(set(params) - set(declared))
    if unknown and not declared:
        raise DataError(f"plan {plan!r} takes no plan_params")
    if unknown:
        raise DataError(
            f"unknown {plan} param(s) {', '.join(unknown)}; known: {', '.join(sorted(declared))}"
        )
    return {
        name: _check(task, declared[name], value)
        for name, value in params.items()
        if value is not None
    }


def _check(task: str, param: PlanParam, value: Any) -> Any:
    name = f"plan_params.{param.name}"
    if param.kind == "models":
        if not isinstance(value, list) or not value or not all(isinstance(m, str) for m in value):
            raise DataError(f"{name} must be a non-empty list of model ids")
        for model_id in value:
            registry.get(task, model_id)
        return list(value)
    if param.kind == "metric":
        if not isinstance(value, str):
            raise DataError(f"{name} must be a metric id (a string), not {value!r}")
        return scorer(task, value).id
    number = isinstance(value, int | float) and not isinstance(value, bool)
    if param.kind == "int":
        ok = number and float(value).is_integer() and value > 0
        if not ok:
            raise DataError(f"{name} must be a positive integer, not {value!r}")
        return int(value)
    if not number or not math.isfinite(value) or value <= 0:
        raise DataError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def _hyperparameters(params: dict[str, Any]) -> dict[str, Any]:
    for name, value in params.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise DataError(f"model param {name!r} must be a number, string or boolean")
    return dict(params)
