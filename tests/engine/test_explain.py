"""Explanations: encoded columns map back to their input column exactly, SHAP values plus the
base value equal the model's output (tree models, on the explainer's output space; Kernel SHAP
on probabilities), and a finalized pipeline explains its predictions in the table's columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine import DataError, setup
from podium.engine.evaluate.encoded import source_columns, sum_by_column
from podium.engine.evaluate.explain import explain, explain_pipeline, inner_model
from podium.engine.models import registry
from tests.engine.conftest import make_table

TREES = ["dt", "rf", "et", "gb", "lightgbm", "xgboost", "hgb"]
Array = np.ndarray[Any, Any]


def wide_table(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """Every kind of column the preprocessing encodes differently."""
    rng = np.random.default_rng(seed)
    df = make_table("multiclass", n, seed)
    df["city"] = [f"c{i}" for i in rng.integers(0, 60, n)]  # high cardinality: target-encoded
    df["day"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), unit="D")
    words = ["red apple", "green pear", "ripe banana", "old grape", "fresh lime"]
    df["note"] = [" ".join(rng.choice(words, 3)) + f" w{i % 7}" for i in range(n)]
    df["flag"] = rng.choice(["Y", "N"], n)
    return df


def _fitted(df: pd.DataFrame, model_id: str, **settings: Any) -> tuple[Any, Any, pd.DataFrame]:
    exp = setup(df, "y", folds=2, seed=3, **settings)
    pipe = exp.finalize(model_id)
    X = df.drop(columns="y")
    return pipe, exp, X


class TestSourceColumns:
    def test_each_input_column_changes_only_its_own_encoded_columns(self) -> None:
        df = wide_table()
        pipe, exp, X = _fitted(df, "dt")
        pre = pipe.named_steps["preprocess"]
        sources = source_columns(pre)
        base = pre.transform(X)
        assert len(sources) == base.shape[1]
        features = [c["name"] for c in exp.schema if c["role"] == "feature"]
        assert set(sources) == set(features)
        rng = np.random.default_rng(1)
        for column in features:
            shuffled = X.copy()
            shuffled[column] = rng.permutation(shuffled[column].to_numpy())
            changed = np.flatnonzero((pre.transform(shuffled) != base).any(axis=0))
            assert changed.size, column
            assert {sources[j] for j in changed} == {column}

    def test_multiclass_target_encoding_gives_one_part_per_class(self) -> None:
        pipe, _exp, _X = _fitted(wide_table(), "dt")
        sources = source_columns(pipe.named_steps["preprocess"])
        assert sources.count("city") == 3  # low, mid, high
        assert sources.count("day") == 11  # year, month, day, hour and seven weekdays

    def test_summing_back_is_exact(self) -> None:
        sources = ["a", "b", "a", "c", "b", "a"]
        values = np.random.default_rng(0).normal(size=(4, 6))
        columns, summed = sum_by_column(values, sources)
        assert columns == ["a", "b", "c"]
        assert np.array_equal(summed[:, 0], values[:, 0] + values[:, 2] + values[:, 5])
        assert np.array_equal(summed[:, 2], values[:, 3])
        np.testing.assert_allclose(summed.sum(axis=1), values.sum(axis=1), rtol=0, atol=1e-12)


def _output(model: Any, X: Array, space: str, task: str) -> Array:
    """The model's own output in the explainer's space, one column per explained output."""
    if space == "value":
        return np.asarray(model.predict(X), dtype="float64").reshape(len(X), 1)
    if space == "probability":
        proba = np.asarray(model.predict_proba(X), dtype="float64")
    elif hasattr(model, "booster_"):  # LightGBM
        proba = np.asarray(model.predict(X, raw_score=True), dtype="float64")
    elif hasattr(model, "get_booster"):  # XGBoost
        proba = np.asarray(model.predict(X, output_margin=True), dtype="float64")
    else:
        proba = np.asarray(model.decision_function(X), dtype="float64")
    proba = proba.reshape(len(X), -1)
    if task == "binary":
        return proba[:, -1:]
    return proba


@pytest.mark.parametrize("model_id", TREES)
def test_tree_shap_adds_up_to_the_model_output(task: str, model_id: str) -> None:
    if model_id == "gb":
        model_id = "gbr" if task == "regression" else "gbc"
    if (task, model_id) == ("multiclass", "gbc"):
        pytest.skip("shap's tree explainer takes binary GradientBoostingClassifier only (kernel)")
    if not registry.get(task, model_id).is_available:
        pytest.skip(f"{model_id} is not installed")
    df = make_table(task, 150)
    pipe, _exp, X = _fitted(df, model_id)
    pre = pipe.named_steps["preprocess"]
    model = inner_model(pipe.named_steps["model"])
    encoded = pre.transform(X)
    shap_ = explain(model, encoded, source_columns(pre), task)
    assert shap_.method == "tree"
    assert sorted(shap_.columns) == ["color", "noise", "x1", "x2"]  # one-hot parts summed back
    total = shap_.values.sum(axis=1) + shap_.base
    # rtol: XGBoost predicts in float32
    np.testing.assert_allclose(
        total, _output(model, encoded, shap_.space, task), rtol=1e-6, atol=1e-5
    )
    boosters = {"lightgbm", "xgboost", "hgb", "gbc"}
    expected = (
        "value" if task == "regression" else "log-odds" if model_id in boosters else "probability"
    )
    assert shap_.space == expected


def test_kernel_shap_adds_up_to_the_probability(task: str) -> None:
    df = make_table(task, 80)
    model_id = "lr"
    pipe, _exp, X = _fitted(df, model_id)
    pre = pipe.named_steps["preprocess"]
    model = inner_model(pipe.named_steps["model"])
    encoded = pre.transform(X)
    shap_ = explain(model, encoded[:5], source_columns(pre), task, background=encoded)
    assert shap_.method == "kernel"
    total = shap_.values.sum(axis=1) + shap_.base
    np.testing.assert_allclose(total, _output(model, encoded[:5], shap_.space, task), atol=1e-6)


def test_a_pipeline_explains_rows_in_its_input_columns(task: str) -> None:
    df = make_table(task, 120)
    for model_id in ("lightgbm", "lr"):
        pipe, _exp, X = _fitted(df, model_id)
        rows = explain_pipeline(pipe, X.head(4), top=3)
        model = inner_model(pipe.named_steps["model"])
        encoded = pipe.named_steps["preprocess"].transform(X.head(4))
        assert len(rows) == 4
        for i, row in enumerate(rows):
            assert len(row["contributions"]) == 3
            assert {c["column"] for c in row["contributions"]} <= set(X.columns)
            sizes = [abs(c["contribution"]) for c in row["contributions"]]
            assert sizes == sorted(sizes, reverse=True)
            first = row["contributions"][0]
            assert first["value"] == _jsonable(X.iloc[i][first["column"]])
            total = row["base_value"] + sum(c["contribution"] for c in row["contributions"])
            total += row["rest"]
            out = _output(model, encoded[i : i + 1], row["output"], task)[0]
            if task == "multiclass":
                predicted = int(model.predict(encoded[i : i + 1])[0])
                assert row["label"] == pipe.podium_metadata_["classes"][predicted]
                out = out[predicted : predicted + 1]
            assert total == pytest.approx(float(out[0]), abs=1e-6)


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and np.isnan(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def test_a_date_is_shown_as_the_date_it_was_sent() -> None:
    from podium.engine.evaluate.explain import _jsonable as shown

    assert shown(pd.Timestamp("2021-08-20")) == "2021-08-20"  # not 2021-08-20T00:00:00
    assert shown(np.datetime64("2021-08-20T10:30")) == "2021-08-20T10:30:00"


def test_an_old_pipeline_without_background_says_to_promote_again() -> None:
    df = make_table("binary", 60)
    pipe, _exp, X = _fitted(df, "lr")
    del pipe.podium_background_  # as saved before pipelines kept one
    with pytest.raises(DataError, match="promote the run again"):
        explain_pipeline(pipe, X.head(2))
    tree, _exp, _X = _fitted(df, "dt")
    del tree.podium_background_
    assert len(explain_pipeline(tree, X.head(2))) == 2  # tree explainers need none
