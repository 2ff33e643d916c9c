"""describe: JSON-serialisable, task-aware lists a UI renders without hard-coding."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from podium.engine import DataError, describe, infer_schema, samples
from podium.engine.prepare.schema import KINDS, infer_task, suggest_tasks
from podium.engine.prepare.targets import suggest_task


def test_everything_is_json_serialisable() -> None:
    for task in ("binary", "multiclass", "regression"):
        json.dumps([describe.models(task), describe.metrics(task), describe.setup_params(task)])
    json.dumps([describe.tasks(), describe.samples()])


def test_setup_params_shape_and_kinds() -> None:
    keys = {"name", "kind", "group", "default", "choices", "min", "max", "description"}
    keys |= {"accepts", "required"}
    for task in ("clustering", "forecasting"):
        assert all(set(p) == keys for p in describe.setup_params(task))
    for task in ("binary", "regression"):
        params = describe.setup_params(task)
        assert all(set(p) == keys for p in params)
        assert {p["kind"] for p in params} <= {"bool", "int", "float", "enum", "column", "string"}
        assert all(p["choices"] for p in params if p["kind"] == "enum")
    names = {p["name"] for p in describe.setup_params("binary")}
    assert {"target", "task", "folds", "train_size", "seed", "stratify", "normalize"} <= names


def test_column_params_declare_the_column_kinds_they_accept() -> None:
    """The kinds are the schema's (``prepare.schema.KINDS``); None accepts any column."""
    for task in ("binary", "regression", "clustering", "forecasting"):
        for p in describe.setup_params(task):
            assert p["accepts"] is None or set(p["accepts"]) <= set(KINDS)
            assert p["accepts"] is None or p["kind"] == "column"
    fc = {p["name"]: p for p in describe.setup_params("forecasting")}
    assert fc["time_column"]["accepts"] == ["datetime"]
    assert fc["time_column"]["required"]
    assert fc["exogenous_columns"]["accepts"] == ["numeric"]
    assert fc["series_column"]["accepts"] is None
    assert not fc["series_column"]["required"]
    binary = {p["name"]: p for p in describe.setup_params("binary")}
    assert binary["ignore_features"]["accepts"] is None


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
    with pytest.raises(DataError, match="unknown task 'nope': use one of binary, multiclass"):
        describe.models("nope")


def test_infer_schema_roles_without_target() -> None:
    df, _ = samples.load("iris")
    schema = infer_schema(df)
    assert {c["role"] for c in schema} == {"feature"}
    assert schema[-1]["kind"] == "categorical"


def _targets_table() -> pd.DataFrame:
    n = 120
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "price": rng.choice([1.5, 2.25, 3.75], size=n),  # few values, but fractions
            "grade": np.arange(n) % 4,
            "age": 18 + np.arange(n) % 60,
            "flag": rng.choice(["yes", "no"], size=n),
            "truth": np.arange(n) % 2 == 0,
            "rating": pd.array([1, None, 3, 5] * (n // 4), dtype="Int64"),
            "maybe": [1.0, np.nan, 2.0, 3.0] * (n // 4),  # whole numbers stored as float
            "city": [f"city {i % 70}" for i in range(n)],  # too many classes
            "same": ["k"] * n,
        }
    )


def test_suggested_tasks_are_what_setup_infers() -> None:
    """Every column's suggestion is infer_task's own answer (None where it has none)."""
    df = _targets_table()
    suggested = dict(zip(df.columns, suggest_tasks(df, infer_schema(df)), strict=True))
    for name, suggestion in suggested.items():
        values = df[name].dropna()
        if values.nunique() < 2:
            assert suggestion is None, name
            continue
        try:
            expected: str | None = infer_task(values)
        except DataError:
            expected = None
        assert (suggestion and suggestion["task"]) == expected, name
    assert suggested["price"] == {
        "task": "regression",
        "reason": "“price” holds numbers with fractions",
    }
    assert suggested["grade"] == {
        "task": "multiclass",
        "reason": "“grade” is numeric with only 4 distinct values",
    }
    assert suggested["truth"] == {"task": "binary", "reason": "“truth” is true/false"}
    assert suggested["city"] is None


def test_suggestion_from_stored_facts_alone() -> None:
    """A stored schema (no values at hand) gets the same answer except for fractional floats."""
    df = _targets_table()
    schema = infer_schema(df)
    with_values = suggest_tasks(df, schema)
    for column, exact in zip(schema, with_values, strict=True):
        from_facts = suggest_task(column)
        if column["name"] == "price":  # a float column is taken as whole numbers
            assert from_facts is not None
            assert from_facts["task"] == "multiclass"
        else:
            assert from_facts == exact, column["name"]
