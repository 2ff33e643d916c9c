"""A run's plan and plan params are checked by one rule, the engine's (``run.plans``)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from podium.engine import DataError, Experiment
from podium.engine.run.plans import PLANS, check_plan

_SRC = {"source_run_id": "4f1c0b8e-0000-4000-8000-000000000000"}


@pytest.mark.parametrize("plan", ["tune", "ensemble", "blend", "stack", "auto"])
def test_improve_params_are_the_methods_keywords(plan: str) -> None:
    """The improving plans' params (but the source references the server resolves) are
    keywords of the Experiment method of the same name, with the same defaults."""
    spec = next(p for p in PLANS if p.id == plan)
    keywords = inspect.signature(getattr(Experiment, plan)).parameters
    for param in spec.params:
        if param.name in ("source_run_id", "model_id", "model_ids"):
            continue
        assert param.name in keywords, param.name
        if param.default is not None:
            assert keywords[param.name].default == param.default


def test_compare_params_are_compares_keywords() -> None:
    """Every declared compare param is a keyword of ``Experiment.compare`` (and so is passed
    through as it is), so the declaration cannot drift from the method."""
    compare = next(p for p in PLANS if p.id == "compare")
    keywords = inspect.signature(Experiment.compare).parameters
    for param in compare.params:
        assert param.name in keywords
        if param.default is not None:
            assert keywords[param.name].default == param.default


@pytest.mark.parametrize(
    ("plan", "model_id", "params", "expected"),
    [
        ("compare", None, {"sort": "auc", "n_select": 2.0}, {"sort": "AUC", "n_select": 2}),
        (
            "compare",
            None,
            {"models": ["lr", "dt"], "budget_s": 30},
            {"models": ["lr", "dt"], "budget_s": 30.0},
        ),
        ("compare", None, {"sort": None}, {}),
        ("create", "lr", {"C": 0.5}, {"C": 0.5}),
        (
            "tune",
            None,
            {**_SRC, "model_id": "lr", "n_trials": 5.0, "search_space": {"C": [0.1, 1]}},
            {
                **_SRC,
                "model_id": "lr",
                "n_trials": 5,
                "search_space": {"C": {"type": "categorical", "choices": [0.1, 1]}},
            },
        ),
        (
            "blend",
            None,
            {**_SRC, "model_ids": ["lr", "dt"], "weights": [1, 2]},
            {**_SRC, "model_ids": ["lr", "dt"], "weights": [1.0, 2.0]},
        ),
        ("setup", None, {}, {}),
    ],
)
def test_accepted(plan: str, model_id: str | None, params: dict[str, Any], expected: Any) -> None:
    assert check_plan("binary", plan, model_id, params) == expected


@pytest.mark.parametrize(
    ("plan", "model_id", "params", "message"),
    [
        ("wat", None, {}, "unknown plan 'wat'"),
        ("tune", None, {}, "needs plan_params source_run_id, model_id"),
        ("tune", "lr", {}, "takes its model(s) in plan_params"),
        ("tune", None, {**_SRC, "model_id": "lr", "search_space": {"C": [1, [2]]}}, "choices"),
        ("blend", None, {**_SRC, "model_ids": ["lr", "lr"]}, "two or more different"),
        ("blend", None, {**_SRC, "model_ids": ["lr", "dt"], "method": "x"}, "one of soft, hard"),
        ("blend", None, {**_SRC, "model_ids": ["lr", "dt"], "weights": [-1, 1]}, "numbers ≥ 0"),
        ("stack", None, {**_SRC, "model_ids": ["lr", "dt"], "meta_model": "zzz"}, "unknown model"),
        ("stack", None, {**_SRC, "model_ids": ["lr", "dt"], "passthrough": 1}, "true or false"),
        ("ensemble", None, {"source_run_id": 3, "model_id": "lr"}, "must be a run id"),
        ("create", None, {}, "needs model_id"),
        ("create", "zzz", {}, "unknown model id 'zzz'"),
        ("create", "lr", {"C": [1]}, "model param 'C' must be"),
        ("compare", "lr", {}, "only for plan 'create'"),
        ("compare", None, {"wat": 1}, "unknown compare param(s) wat"),
        ("compare", None, {"models": []}, "non-empty list"),
        ("compare", None, {"models": ["lr", 3]}, "non-empty list"),
        ("compare", None, {"sort": "Area under the ROC curve"}, "use an id"),
        ("compare", None, {"sort": 1}, "must be a metric id"),
        ("compare", None, {"n_select": 1.5}, "positive integer"),
        ("compare", None, {"n_select": True}, "positive integer"),
        ("compare", None, {"budget_s": 0}, "positive number"),
        ("compare", None, {"model_time_limit_s": float("nan")}, "positive number"),
        ("setup", None, {"x": 1}, "takes no plan_params"),
    ],
)
def test_refused(plan: str, model_id: str | None, params: dict[str, Any], message: str) -> None:
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_plan("binary", plan, model_id, params)
