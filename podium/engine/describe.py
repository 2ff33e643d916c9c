"""What the engine offers, as JSON-serialisable lists a UI can render without hard-coding."""

from __future__ import annotations

from typing import Any

from podium.engine import samples as _samples
from podium.engine.errors import DataError
from podium.engine.evaluate import plots as _plots
from podium.engine.models import registry
from podium.engine.prepare import params
from podium.engine.prepare.schema import TASKS
from podium.engine.run import plans as _plans
from podium.engine.run.metrics import scorers

_TASKS = {
    "binary": ("Binary classification", "Predict one of two classes."),
    "multiclass": ("Multiclass classification", "Predict one of three or more classes."),
    "regression": ("Regression", "Predict a number."),
}


def _check(task: str) -> None:
    if task not in TASKS:
        raise DataError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")


def tasks() -> list[dict[str, Any]]:
    """``[{id, name, description}]`` of the three tasks.

    Examples
    --------
    >>> [t["id"] for t in tasks()]
    ['binary', 'multiclass', 'regression']
    """
    return [{"id": t, "name": n, "description": d} for t, (n, d) in _TASKS.items()]


def models(task: str) -> list[dict[str, Any]]:
    """``[{id, name, family, is_available, reason, turbo}]`` of the models of ``task``.

    Examples
    --------
    >>> "hgb" in [m["id"] for m in models("regression")]
    True
    """
    _check(task)
    return [
        {
            "id": s.id,
            "name": s.name,
            "family": s.family,
            "is_available": s.is_available,
            "reason": s.reason,
            "turbo": s.turbo,
        }
        for s in registry.models_for(task)
    ]


def metrics(task: str) -> list[dict[str, Any]]:
    """``[{id, name, greater_is_better, default_sort}]`` in leaderboard column order."""
    _check(task)
    default = "R2" if task == "regression" else "Accuracy"
    return [
        {
            "id": s.id,
            "name": s.name,
            "greater_is_better": s.greater_is_better,
            "default_sort": s.id == default,
        }
        for s in scorers(task)
    ]


def setup_params(task: str) -> list[dict[str, Any]]:
    """``[{name, kind, group, default, choices, min, max, description}]`` that apply to ``task``.

    Examples
    --------
    >>> "stratify" in [p["name"] for p in setup_params("regression")]
    False
    """
    _check(task)
    return params.setup_params(task)


def plans() -> list[dict[str, Any]]:
    """``[{id, description, takes_model, params}]``: what a run can do, and its keywords.

    Examples
    --------
    >>> [p["id"] for p in plans()]
    ['setup', 'create', 'compare', 'tune', 'ensemble', 'blend', 'stack', 'auto']
    """
    return _plans.plans()


def samples() -> list[dict[str, Any]]:
    """``[{id, name, task, target, rows, columns}]`` of the bundled samples."""
    return _samples.describe()


def plots(task: str) -> list[dict[str, str]]:
    """``[{id, title, source, description}]`` of the plots of ``task``: source
    ``predictions`` (drawn from the stored out-of-fold/holdout predictions) or ``analysis``
    (fitted explanations a separate job computes).

    Examples
    --------
    >>> [p["id"] for p in plots("regression")][:3]
    ['residuals', 'residual_distribution', 'prediction_error']
    """
    _check(task)
    return [p.describe() for p in _plots.plots(task)]
