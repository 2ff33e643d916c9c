"""What the engine offers, as JSON-serialisable lists a UI can render without hard-coding."""

from __future__ import annotations

from typing import Any

from podium.engine import samples as _samples
from podium.engine import tasks as _tasks
from podium.engine.run import plans as _plans


def tasks() -> list[dict[str, Any]]:
    """``[{id, name, description, target, inferable, model_kind, output}]`` of the tasks a
    user may run, in display order (``target``: ``"required"``, ``"optional"`` or ``"none"``).

    Examples
    --------
    >>> [(t["id"], t["target"]) for t in tasks()][:2]
    [('binary', 'required'), ('multiclass', 'required')]
    """
    return [t.describe() for t in _tasks.listed()]


def models(task: str) -> list[dict[str, Any]]:
    """``[{id, name, family, is_available, reason, turbo}]`` of the models of ``task``.

    Examples
    --------
    >>> "hgb" in [m["id"] for m in models("regression")]
    True
    """
    return list(_tasks.check(task).part("models")(task))


def metrics(task: str) -> list[dict[str, Any]]:
    """``[{id, name, greater_is_better, default_sort}]`` in leaderboard column order."""
    found = _tasks.check(task)
    return [
        {**m, "default_sort": m["id"] == found.default_metric} for m in found.part("metrics")(task)
    ]


def setup_params(task: str) -> list[dict[str, Any]]:
    """``[{name, kind, group, default, choices, min, max, description, accepts, required}]``
    that apply to ``task``; ``accepts`` lists the column kinds (``prepare.schema.KINDS``) a
    ``column`` parameter takes, None for any.

    Examples
    --------
    >>> "stratify" in [p["name"] for p in setup_params("regression")]
    False
    """
    return list(_tasks.check(task).part("setup_params")(task))


def plans(task: str | None = None) -> list[dict[str, Any]]:
    """``[{id, description, takes_model, params}]``: what a run can do, and its keywords
    (every plan, or those ``task`` offers).

    Examples
    --------
    >>> [p["id"] for p in plans()]
    ['setup', 'create', 'compare', 'tune', 'ensemble', 'blend', 'stack', 'auto']
    """
    return _plans.plans(_tasks.check(task).id if task is not None else None)


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
    return list(_tasks.check(task).part("plots")(task))
