"""describe: JSON-serialisable, task-aware lists a UI renders without hard-coding."""

from __future__ import annotations

import json

import pytest

from podium.engine import DataError, describe, infer_schema, samples


def test_everything_is_json_serialisable() -> None:
    for task in ("binary", "multiclass", "regression"):
        json.dumps([describe.models(task), describe.metrics(task), describe.setup_params(task)])
    json.dumps([describe.tasks(), describe.samples()])


def test_setup_params_shape_and_kinds() -> None:
    keys = {"name", "kind", "group", "default", "choices", "min", "max", "description"}
    for task in ("binary", "regression"):
        params = describe.setup_params(task)
        assert all(set(p) == keys for p in params)
        assert {p["kind"] for p in params} <= {"bool", "int", "float", "enum", "column", "string"}
        assert all(p["choices"] for p in params if p["kind"] == "enum")
    names = {p["name"] for p in describe.setup_params("binary")}
    assert {"target", "task", "folds", "train_size", "seed", "stratify", "normalize"} <= names


def test_metrics_in_leaderboard_order_with_one_default_sort() -> None:
    cls = describe.metrics("binary")
    assert [m["id"] for m in cls] == ["Accuracy", "AUC", "Recall", "Prec.", "F1", "Kappa", "MCC"]
    reg = describe.metrics("regression")
    assert [m["id"] for m in reg if not m["greater_is_better"]] == [
        "MAE",
        "MSE",
        "RMSE",
        "RMSLE",
        "MAPE",
    ]
    assert [m["id"] for m in reg if m["default_sort"]] == ["R2"]


def test_samples_load_as_described() -> None:
    for sample in describe.samples():
        df, target = samples.load(sample["id"])
        assert (len(df), df.shape[1], target) == (
            sample["rows"],
            sample["columns"],
            sample["target"],
        )
    with pytest.raises(DataError, match="unknown sample 'nope'"):
        samples.load("nope")


def test_unknown_task_is_refused() -> None:
    with pytest.raises(DataError, match="unknown task 'clustering'"):
        describe.models("clustering")


def test_infer_schema_roles_without_target() -> None:
    df, _ = samples.load("iris")
    schema = infer_schema(df)
    assert {c["role"] for c in schema} == {"feature"}
    assert schema[-1]["kind"] == "categorical"
