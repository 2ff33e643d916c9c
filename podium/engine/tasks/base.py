"""What a task is: the frozen :class:`TaskDef`, and how its parts are found.

A task's parts (setup, models, metrics, setup parameters, CV splitter, plots, predict, input
preparation, a check across settings) are named by reference, ``"module:attribute"``, and
imported on first use. So this
package sits below every engine layer that reads it (prepare, models, run, evaluate, describe,
setup) without importing any of them, and a task whose libraries are missing costs nothing
until it is used.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from podium.engine.errors import DataError

TARGETS = ("required", "optional", "none")
#: every run plan (``run.plans``); a task offers some of them
ALL_PLANS = ("setup", "create", "compare", "tune", "ensemble", "blend", "stack", "auto")
OUTPUTS = ("label", "value", "cluster", "anomaly", "forecast")
PARTS = (
    "setup",
    "models",
    "metrics",
    "setup_params",
    "cv",
    "plots",
    "predict",
    "prepare_input",
    "check_settings",
)
#: parts a task may leave out (None): it has no rule of that kind
OPTIONAL_PARTS = ("check_settings",)


@dataclass(frozen=True)
class TaskDef:
    """One learning task: what the wizard shows, and where each of its parts lives.

    Parameters
    ----------
    id : str
        ``"binary"``, ``"multiclass"``, ``"regression"``, ``"forecasting"``, ``"clustering"``
        or ``"anomaly"``.
    name, description : str
        Display name and one sentence.
    model_kind : str
        The model registry's kind of the task's models (``"classification"``, ...).
    target : {"required", "optional", "none"}
        Whether an experiment names a target column: ``"optional"`` is a label column scored
        against (anomaly); ``"none"`` stores ``target = ""``.
    inferable : bool
        ``infer_task`` may pick it from a target column.
    available : bool
        Runnable end to end (server, worker, web): only these are listed by
        ``describe.tasks()`` and accepted by the server.
    default_metric : str
        The metric id a leaderboard ranks by when none is given (the run may refine it, e.g.
        AUC for imbalanced classes).
    plans : tuple of str
        The run plans the task offers (``describe.plans(task)``; the others are refused):
        setup, create and compare unless the task says more.
    output : str
        What one predicted row holds: ``"label"`` (a class, with probabilities), ``"value"``
        (a number), ``"cluster"`` (``{"cluster": int}``), ``"anomaly"`` (``{"score", "anomaly"}``)
        or ``"forecast"`` (``{"forecast": [...]}`` for ``h`` steps).
    setup, models, metrics, setup_params, cv, plots, predict : str or None
    prepare_input, check_settings : str or None
        ``"module:attribute"`` of the task's part; None while it is not wired in. Signatures:
        ``setup(data, target, *, task, **settings) -> experiment``;
        ``models(task) -> [{id, name, family, is_available, reason, turbo}]``;
        ``metrics(task) -> [{id, name, greater_is_better}]`` in leaderboard column order;
        ``setup_params(task) -> [{name, kind, group, default, choices, min, max, description}]``;
        ``plots(task) -> [{id, title, source, description}]``; ``cv`` is the splitter the
        task's setup uses, ``predict`` the deployed pipeline's predict, ``prepare_input`` the
        preparation of JSON rows before predict;
        ``check_settings(settings, columns, target)`` raises DataError when settings that are
        each valid do not fit together or the table's columns (forecasting: a time column,
        three roles on three columns), so the server refuses them before storing an experiment.
    """

    id: str
    name: str
    description: str
    model_kind: str
    target: str
    inferable: bool
    available: bool = False
    default_metric: str = ""
    output: str = "value"
    plans: tuple[str, ...] = ("setup", "create", "compare")
    setup: str | None = None
    models: str | None = None
    metrics: str | None = None
    setup_params: str | None = None
    cv: str | None = None
    plots: str | None = None
    predict: str | None = None
    prepare_input: str | None = None
    check_settings: str | None = None

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(f"task {self.id!r}: target {self.target!r} is not one of {TARGETS}")
        if not set(self.plans) <= set(ALL_PLANS):
            raise ValueError(f"task {self.id!r}: unknown plans in {self.plans}: use {ALL_PLANS}")
        if self.output not in OUTPUTS:
            raise ValueError(f"task {self.id!r}: output {self.output!r} is not one of {OUTPUTS}")
        if self.available and any(getattr(self, p) is None for p in ("setup", "models", "metrics")):
            raise ValueError(
                f"task {self.id!r} is available but its setup/models/metrics are unset"
            )

    def part(self, name: str) -> Any:
        """The task's part ``name`` (one of :data:`PARTS`), imported.

        Raises
        ------
        DataError
            When the task does not have that part yet.
        """
        if name not in PARTS:
            raise ValueError(f"unknown task part {name!r}: one of {PARTS}")
        ref = getattr(self, name)
        if ref is None:
            raise DataError(
                f"task {self.id!r} ({self.name}) has no {name.replace('_', ' ')} yet: "
                "it is not wired into this version of the engine"
            )
        module, _, attr = ref.partition(":")
        return getattr(importlib.import_module(module), attr)

    def describe(self) -> dict[str, Any]:
        """``{id, name, description, target, inferable, model_kind, output}`` (JSON)."""
        return {
            "id": self.id,
            "name": self.name,
            "description": self.description,
            "target": self.target,
            "inferable": self.inferable,
            "model_kind": self.model_kind,
            "output": self.output,
        }
