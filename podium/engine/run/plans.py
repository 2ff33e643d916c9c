"""The plans a run executes and their parameters, as data: one rule for every caller.

``describe.plans()`` lists them (so a form can be rendered from them), the server checks a
submission with :func:`check_plan` before queueing it, and the ``Experiment`` methods of the
same names are what the plans call, with these parameters as their keywords (the improving
plans' ``source_run_id`` / ``model_id(s)`` name the models, which the server resolves from
the source run).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.models import registry
from podium.engine.models.spaces import check_space
from podium.engine.models.spec import KINDS
from podium.engine.run.metrics import scorer


@dataclass(frozen=True)
class PlanParam:
    """One keyword of a plan; ``default`` None means the engine decides.

    Kinds: ``models`` (registry model ids), ``model`` (one registry id), ``metric`` (a metric
    id), ``int`` / ``float`` (positive numbers), ``choice`` (one of ``choices``), ``bool``,
    ``weights`` (numbers ≥ 0), ``space`` (a search space: parameter → range or choices),
    ``run`` (a finished run of the same experiment), ``source_model`` /
    ``source_models`` (model ids on that run's leaderboard: the server checks them).
    """

    name: str
    kind: str
    default: Any
    description: str
    required: bool = False
    choices: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Plan:
    """A plan: its id, what it does, whether it takes one model, and its keywords."""

    id: str
    description: str
    takes_model: bool
    params: tuple[PlanParam, ...] = ()


_SORT = PlanParam("sort", "metric", None, "Metric id to rank by; the task's default.")
_SOURCE = PlanParam(
    "source_run_id", "run", None, "The finished run whose model(s) to improve.", required=True
)
_ONE = PlanParam(
    "model_id", "source_model", None, "A model id on the source run's leaderboard.", True
)
_SEVERAL = PlanParam(
    "model_ids",
    "source_models",
    None,
    "Two or more model ids on the source run's leaderboard.",
    True,
)

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
            _SORT,
            PlanParam("n_select", "int", 1, "How many of the best models the result names."),
            PlanParam("budget_s", "float", None, "Wall-time budget of the comparison (s)."),
            PlanParam(
                "model_time_limit_s",
                "float",
                None,
                "Fit-time limit per model (s); derived from the budget or the others' times.",
            ),
            PlanParam(
                "race",
                "bool",
                True,
                "Race: stop a model another beats beyond noise on the folds both ran (its row "
                "is marked partial), after halving on subsamples on large tables; false runs "
                "every fold of every model on every row.",
            ),
        ),
    ),
    Plan(
        "tune",
        "Tune a model's hyperparameters (Optuna, cross-validated); trial 0 is the model as given.",
        False,
        (
            _SOURCE,
            _ONE,
            PlanParam(
                "n_trials",
                "int",
                None,
                "Trials to sample (30 without a budget), after trial 0: the model as given.",
            ),
            PlanParam("budget_s", "float", None, "Wall-time budget of the search (s)."),
            PlanParam(
                "search_space",
                "space",
                None,
                "Parameter → {low, high, log} or [choices]; the model's own space when left out.",
            ),
            _SORT,
        ),
    ),
    Plan(
        "ensemble",
        "Bag or boost a model (scikit-learn's Bagging / AdaBoost), cross-validated.",
        False,
        (
            _SOURCE,
            _ONE,
            PlanParam(
                "method",
                "choice",
                "bagging",
                "bagging or boosting.",
                choices=("bagging", "boosting"),
            ),
            PlanParam("n_estimators", "int", 10, "Copies of the model in the ensemble."),
            _SORT,
        ),
    ),
    Plan(
        "blend",
        "Blend models by voting (averaged probabilities or majority labels), cross-validated.",
        False,
        (
            _SOURCE,
            _SEVERAL,
            PlanParam(
                "method",
                "choice",
                "soft",
                "soft (average probabilities) or hard (vote).",
                choices=("soft", "hard"),
            ),
            PlanParam("weights", "weights", None, "One weight per model; equal when left out."),
            _SORT,
        ),
    ),
    Plan(
        "stack",
        "Stack models: a meta model learns from their out-of-fold predictions.",
        False,
        (
            _SOURCE,
            _SEVERAL,
            PlanParam(
                "meta_model",
                "model",
                None,
                "Meta model id; logistic / ridge regression when left out.",
            ),
            PlanParam("passthrough", "bool", False, "Give the meta model the features too."),
            _SORT,
        ),
    ),
    Plan(
        "auto",
        "Best model within a time budget: race the zoo, tune the leaders, ensemble them.",
        False,
        (
            PlanParam("budget_s", "float", 300.0, "Wall-time budget of the whole search (s)."),
            _SORT,
        ),
    ),
)
_BY_ID = {p.id: p for p in PLANS}
#: the plans that improve models of a finished run (``source_run_id``)
IMPROVE_PLANS = ("tune", "ensemble", "blend", "stack")


def plans(task: str | None = None) -> list[dict[str, Any]]:
    """``[{id, description, takes_model, params: [{name, kind, default, description,
    required, choices}]}]``: every plan, or those ``task`` offers (its TaskDef's ``plans``)."""
    offered = tasks.get(task).plans if task is not None else tuple(_BY_ID)
    return [
        {
            "id": p.id,
            "description": p.description,
            "takes_model": p.takes_model,
            "params": [
                {
                    "name": q.name,
                    "kind": q.kind,
                    "default": q.default,
                    "description": q.description,
                    "required": q.required,
                    "choices": list(q.choices) or None,
                }
                for q in p.params
            ],
        }
        for p in PLANS
        if p.id in offered
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
    offered = tasks.get(task).plans
    if plan not in offered:
        raise DataError(f"task {task!r} has no plan {plan!r}: use one of {', '.join(offered)}")
    if spec.takes_model:
        if not model_id:
            raise DataError(f"plan {plan!r} needs model_id (see /describe/models?task=…)")
        check_model(task, model_id)
        return _hyperparameters(params)
    if model_id is not None and plan in IMPROVE_PLANS:
        raise DataError(
            f"plan {plan!r} takes its model(s) in plan_params (source_run_id with "
            f"{'model_ids' if plan in ('blend', 'stack') else 'model_id'}), not model_id"
        )
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
    missing = [q.name for q in spec.params if q.required and params.get(q.name) is None]
    if missing:
        raise DataError(f"plan {plan!r} needs plan_params {', '.join(missing)}")
    return {
        name: _check(task, declared[name], value)
        for name, value in params.items()
        if value is not None
    }


def _check(task: str, param: PlanParam, value: Any) -> Any:
    name = f"plan_params.{param.name}"
    if param.kind in ("models", "source_models"):
        if not isinstance(value, list) or not value or not all(isinstance(m, str) for m in value):
            raise DataError(f"{name} must be a non-empty list of model ids")
        if param.kind == "models":
            for model_id in value:
                check_model(task, model_id)
        elif len(set(value)) < 2 or len(set(value)) < len(value):
            raise DataError(f"{name} must name two or more different models, each once")
        return list(value)
    if param.kind in ("run", "source_model", "model"):
        if not isinstance(value, str) or not value.strip():
            what = "a run id" if param.kind == "run" else "a model id"
            raise DataError(f"{name} must be {what} (a string), not {value!r}")
        if param.kind == "model":
            check_model(task, value)
        return value.strip()
    if param.kind == "metric":
        if not isinstance(value, str):
            raise DataError(f"{name} must be a metric id (a string), not {value!r}")
        return metric_id(task, value)
    if param.kind == "choice":
        if value not in param.choices:
            raise DataError(f"{name} must be one of {', '.join(map(str, param.choices))}")
        return value
    if param.kind == "bool":
        if not isinstance(value, bool):
            raise DataError(f"{name} must be true or false, not {value!r}")
        return value
    if param.kind == "weights":
        if not isinstance(value, list) or not all(_number(w) and w >= 0 for w in value):
            raise DataError(f"{name} must be a list of numbers ≥ 0, one per model")
        return [float(w) for w in value]
    if param.kind == "space":
        return check_space(value, "the model")
    if param.kind == "int":
        ok = _number(value) and float(value).is_integer() and value > 0
        if not ok:
            raise DataError(f"{name} must be a positive integer, not {value!r}")
        return int(value)
    if not _number(value) or not math.isfinite(value) or value <= 0:
        raise DataError(f"{name} must be a positive number of seconds, not {value!r}")
    return float(value)


def check_model(task: str, model_id: str) -> None:
    """Refuse a model id ``task`` does not have (or cannot build here), listing its ids.

    The supervised tasks ask the model registry; any other task its TaskDef's ``models`` part.
    """
    found = tasks.get(task)
    if found.model_kind in KINDS:
        registry.get(task, model_id)
        return
    rows = {m["id"]: m for m in found.part("models")(task)}
    row = rows.get(model_id.strip())
    if row is None:
        raise DataError(
            f"unknown model id {model_id!r} for task {task!r}: use one of {', '.join(rows)}"
        )
    if row.get("is_available") is False:
        raise DataError(f"model {model_id!r} is unavailable: {row.get('reason')}")


def metric_id(task: str, given: str) -> str:
    """The metric id of ``task`` that ``given`` names (case-insensitive).

    Raises
    ------
    DataError
        Unknown id, listing the task's ids.
    """
    found = tasks.get(task)
    if found.model_kind in KINDS:
        return scorer(task, given).id
    rows = found.part("metrics")(task)
    for m in rows:
        if m["id"].lower() == given.strip().lower():
            return str(m["id"])
    ids = ", ".join(m["id"] for m in rows)
    raise DataError(f"unknown sort metric {given!r} for task {task!r}: use an id, one of {ids}")


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _hyperparameters(params: dict[str, Any]) -> dict[str, Any]:
    for name, value in params.items():
        if value is not None and not isinstance(value, str | int | float | bool):
            raise DataError(f"model param {name!r} must be a number, string or boolean")
    return dict(params)
