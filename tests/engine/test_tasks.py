"""The task registry: one TaskDef per task, read by every layer; setup dispatches by it."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from podium.engine import DataError, describe, samples, setup, tasks
from podium.engine.models import registry
from podium.engine.prepare import params
from podium.engine.run import metrics


def test_six_tasks_in_display_order_all_offered() -> None:
    assert [t.id for t in tasks.ALL] == [
        "binary",
        "multiclass",
        "regression",
        "forecasting",
        "clustering",
        "anomaly",
    ]
    assert tasks.ids() == [
        "binary",
        "multiclass",
        "regression",
        "forecasting",
        "clustering",
        "anomaly",
    ]
    assert {t.id: t.target for t in tasks.ALL} == {
        "binary": "required",
        "multiclass": "required",
        "regression": "required",
        "forecasting": "required",
        "clustering": "none",
        "anomaly": "optional",
    }
    assert [t.id for t in tasks.ALL if t.inferable] == ["binary", "multiclass", "regression"]


def test_every_offered_task_has_every_part() -> None:
    """An offered task's parts import and answer (the contract the server relies on)."""
    for task in tasks.listed():
        for part in tasks.PARTS:
            if part in tasks.OPTIONAL_PARTS and getattr(task, part) is None:
                continue  # no rule of that kind for this task
            assert callable(task.part(part)), (task.id, part)
        assert task.default_metric in [m["id"] for m in task.part("metrics")(task.id)]


def test_layers_read_the_registry() -> None:
    assert registry.task_kind("multiclass") == "classification"
    assert registry.get("binary", "lr").tasks == ("binary", "multiclass")
    choices = next(p for p in params.supervised_params() if p["name"] == "task")["choices"]
    assert choices == tasks.ids()
    assert metrics.default_sort("regression", []) == "R2"
    assert metrics.default_sort("binary", [{"code": "class_imbalance"}]) == "AUC"
    assert [t["id"] for t in describe.tasks()] == tasks.ids()


def test_hidden_and_unknown_tasks_are_refused_in_words() -> None:
    with pytest.raises(DataError, match="unknown task 'nope': use one of binary, multiclass"):
        tasks.get("nope")
    with pytest.raises(DataError, match="is not scored by the supervised metrics"):
        metrics.scorers("clustering")


def test_target_rule() -> None:
    assert tasks.check_target("clustering", "") == ""
    assert tasks.check_target("anomaly", None) == ""
    assert tasks.check_target("anomaly", "label") == "label"
    with pytest.raises(DataError, match="task 'binary' needs a target column"):
        tasks.check_target("binary", " ")
    with pytest.raises(DataError, match="task 'clustering' takes no target column, got 'y'"):
        tasks.check_target("clustering", "y")


def test_a_target_named_with_spaces_is_kept_as_named() -> None:
    """A header such as ' Monthly Charge ($) ' (spreadsheets write them) is the target as named:
    trimming it named a column the table does not have ("unknown target column")."""
    assert tasks.check_target("regression", " Monthly Charge ") == " Monthly Charge "
    assert tasks.check_target("anomaly", "fault ") == "fault "
    frame = pd.DataFrame({"x": [float(i) for i in range(40)], " y ": [i % 2 for i in range(40)]})
    exp = setup(frame, " y ", task="binary", folds=2, seed=0)
    assert exp.target == " y "


def test_setup_dispatches_to_the_supervised_setup() -> None:
    df, target = samples.load("iris")
    exp = setup(df, target, task="multiclass", folds=2, seed=0)
    assert (exp.task, exp.target, exp.folds) == ("multiclass", target, 2)
    assert setup(df, target, folds=2, seed=0).task == "multiclass"  # inferred


def test_setup_refuses_what_the_task_cannot_take() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, 1.0, 2.0]})
    with pytest.raises(DataError, match=r"give target= .* or task= for a task without one"):
        setup(df)
    assert setup(df, task="clustering", n_clusters=2).task == "clustering"  # wired, no target
    with pytest.raises(DataError, match="takes no target column"):
        setup(df, "a", task="clustering")
    with pytest.raises(DataError, match="task 'regression' needs a target column"):
        setup(df, task="regression")
    with pytest.raises(DataError, match="unknown task 'nope'"):
        setup(df, "a", task="nope")


SEEN: dict[str, object] = {}


def fake_setup(data: object, target: str | None, *, task: str, **settings: object) -> str:
    SEEN.update(target=target, task=task, settings=settings)
    return "experiment"


def test_a_wired_task_dispatches_to_its_own_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new task's helper does: name its setup in the TaskDef; setup() calls it."""
    wired = dataclasses.replace(tasks.get("clustering"), setup=f"{__name__}:fake_setup")
    monkeypatch.setitem(tasks._BY_ID, "clustering", wired)
    assert setup(pd.DataFrame({"a": [1.0]}), task="clustering", n_clusters=3) == "experiment"
    assert SEEN == {"target": None, "task": "clustering", "settings": {"n_clusters": 3}}


def test_a_task_that_is_available_must_name_its_parts() -> None:
    with pytest.raises(ValueError, match="available but its setup/models/metrics are unset"):
        dataclasses.replace(tasks.get("clustering"), available=True, setup=None)
    with pytest.raises(ValueError, match="target 'maybe' is not one of"):
        dataclasses.replace(tasks.get("binary"), target="maybe")


def test_a_column_parameter_without_a_list_default_takes_one_column() -> None:
    """A task's own column settings (a time column, a series id) name one column or none."""
    one = {"name": "time", "kind": "column", "default": None}
    many = {"name": "ignore_features", "kind": "column", "default": []}
    assert params._check(one, "d", ["d", "y"], "y") == "d"
    assert params._check(one, None, ["d", "y"], "y") is None
    assert params._check(many, "d", ["d", "y"], "y") == ["d"]
    with pytest.raises(DataError, match="'time' takes one column name, got \\['d'\\]"):
        params._check(one, ["d"], ["d", "y"], "y")
    with pytest.raises(DataError, match="'time': 'y' is the target, not a feature"):
        params._check(one, "y", ["d", "y"], "y")


def fake_models(task: str) -> list[dict[str, object]]:
    return [
        {"id": "km", "name": "k-means", "family": "centroid", "is_available": True},
        {"id": "hdb", "name": "HDBSCAN", "family": "density", "is_available": False,
         "reason": "hdbscan is not installed"},
    ]  # fmt: skip


def fake_metrics(task: str) -> list[dict[str, object]]:
    return [{"id": "Silhouette", "name": "Silhouette", "greater_is_better": True}]


def test_plans_are_per_task(monkeypatch: pytest.MonkeyPatch) -> None:
    from podium.engine.run import plans

    assert [p["id"] for p in plans.plans("binary")] == list(tasks.ALL_PLANS)
    assert describe.plans("regression") == describe.plans()
    assert [p["id"] for p in describe.plans("forecasting")] == ["setup", "create", "compare"]
    wired = dataclasses.replace(
        tasks.get("clustering"),
        available=True,
        setup=f"{__name__}:fake_setup",
        models=f"{__name__}:fake_models",
        metrics=f"{__name__}:fake_metrics",
    )
    monkeypatch.setitem(tasks._BY_ID, "clustering", wired)
    assert [p["id"] for p in describe.plans("clustering")] == ["setup", "create", "compare"]
    checked = plans.check_plan(
        "clustering", "compare", None, {"models": ["km"], "sort": "silhouette"}
    )
    assert checked == {"models": ["km"], "sort": "Silhouette"}
    assert plans.check_plan("clustering", "create", "km", {}) == {}
    with pytest.raises(DataError, match="task 'clustering' has no plan 'tune': use one of setup"):
        plans.check_plan("clustering", "tune", None, {"source_run_id": "r", "model_id": "km"})
    with pytest.raises(DataError, match="unknown model id 'rf' for task 'clustering': use one of"):
        plans.check_plan("clustering", "create", "rf", {})
    with pytest.raises(DataError, match="model 'hdb' is unavailable: hdbscan is not installed"):
        plans.check_plan("clustering", "compare", None, {"models": ["hdb"]})
    with pytest.raises(DataError, match="unknown sort metric 'AUC' for task 'clustering'"):
        plans.check_plan("clustering", "compare", None, {"sort": "AUC"})
