"""ONNX export: kept only when onnxruntime's answers equal the pipeline's; otherwise a reason."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.engine import describe, predict, samples, setup
from podium.engine.artifacts.onnx import export_onnx
from podium.engine.standalone import onnx_inputs, prepare_input
from tests.engine.test_standalone import rich_table

pytest.importorskip("skl2onnx", reason="the onnx extra is not installed (make install adds it)")
ort = pytest.importorskip("onnxruntime")


@pytest.mark.parametrize(("sample", "model_id"), [("iris", "lr"), ("diabetes", "ridge")])
def test_numeric_pipelines_export_and_agree(tmp_path: Path, sample: str, model_id: str) -> None:
    df, target = samples.load(sample)
    exp = setup(df, target, folds=2, seed=0)
    pipe = exp.finalize(model_id)
    result = export_onnx(pipe, tmp_path, exp.sample_rows())
    assert result["available"] is True, result
    blob = (tmp_path / "pipeline.onnx").read_bytes()
    assert result["sha256"] == hashlib.sha256(blob).hexdigest()
    session = ort.InferenceSession(blob, providers=["CPUExecutionProvider"])
    rows = df.drop(columns=target).tail(5)
    feeds = {
        i["onnx_input"]: rows[[i["column"]]].to_numpy(dtype=np.float32) for i in result["inputs"]
    }
    got = session.run(None, feeds)[0]
    want = pipe.predict(rows)
    if exp.task == "regression":
        np.testing.assert_allclose(np.ravel(got), want, rtol=1e-4)
    else:
        assert list(got) == list(want)


def test_unconvertible_pipeline_says_why_and_writes_nothing(tmp_path: Path) -> None:
    exp = setup(rich_table(), "y", folds=2, seed=1)  # dates and TF-IDF text
    result = export_onnx(exp.finalize("lr"), tmp_path, exp.sample_rows())
    assert result["available"] is False
    assert result["error"].startswith("onnx: conversion failed: ")
    assert not (tmp_path / "pipeline.onnx").exists()


def test_a_model_without_converter_is_named(tmp_path: Path) -> None:
    exp = setup(*samples.load("iris"), folds=2, seed=0)
    result = export_onnx(exp.finalize("dummy"), tmp_path, exp.sample_rows())
    assert result == {
        "available": False,
        "error": "onnx: conversion failed: skl2onnx has no converter for DummyClassifier",
    }


def _categorical_table(task: str, n: int = 400) -> pd.DataFrame:
    """Numbers with gaps, one-hot (city, yes/no) and high-cardinality (code) columns."""
    df = rich_table(n, seed=5).drop(columns=["signup", "review"])
    rng = np.random.default_rng(5)
    df["code"] = rng.choice([f"c{i:02d}" for i in range(60)], size=n)
    df.loc[[7, 11], "code"] = None
    if task == "regression":
        df["y"] = df["x"].fillna(0) * 3 + (df["city"] == "oslo") + (df["code"] < "c10")
    return df


def _table(sample: str) -> tuple[pd.DataFrame, str, dict[str, str]]:
    if sample.startswith("categorical"):
        task = "regression" if sample.endswith("regression") else "multiclass"
        encoding = "ordinal" if "ordinal" in sample else "target"
        return _categorical_table(task), "y", {"high_cardinality_encoding": encoding}
    df, target = samples.load(sample)
    return df, target, {}


@pytest.mark.parametrize("model_id", ["lightgbm", "xgboost"])
@pytest.mark.parametrize(
    "sample",
    ["iris", "breast_cancer", "diabetes", "categorical", "categorical-ordinal",
     "categorical-regression"],
)  # fmt: skip
def test_boosters_export_and_agree_on_held_out_rows(
    tmp_path: Path, sample: str, model_id: str
) -> None:
    """LightGBM and XGBoost convert through onnxmltools; with one-hot, target and ordinal
    encodings the ONNX answers on rows the pipeline never saw equal the skops pipeline's."""
    available = {m["id"]: m["is_available"] for m in describe.models("binary")}
    if not available.get(model_id):
        pytest.skip(f"{model_id} is not installed")
    df, target, settings = _table(sample)
    held = df.sample(30, random_state=1)
    exp = setup(df.drop(index=held.index), target, folds=2, seed=0, **settings)
    pipe = exp.finalize(model_id)
    result = export_onnx(pipe, tmp_path, exp.sample_rows())
    assert result["available"] is True, result
    session = ort.InferenceSession(
        (tmp_path / "pipeline.onnx").read_bytes(), providers=["CPUExecutionProvider"]
    )
    rows = held.drop(columns=target)
    outputs = session.run(
        None, onnx_inputs(prepare_input(rows, exp.input_schema()), result["inputs"])
    )
    want = predict(pipe, rows)
    if exp.task == "regression":
        np.testing.assert_allclose(np.ravel(outputs[0]), want["prediction"], rtol=1e-4, atol=1e-4)
        return
    assert np.ravel(outputs[0]).tolist() == want["prediction"].tolist()
    np.testing.assert_allclose(outputs[1], want.drop(columns="prediction"), atol=1e-4)
