"""ONNX export: kept only when onnxruntime's answers equal the pipeline's; otherwise a reason."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from podium.engine import samples, setup
from podium.engine.artifacts.onnx import export_onnx
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
    result = export_onnx(exp.finalize("lightgbm"), tmp_path, exp.sample_rows())
    assert result == {
        "available": False,
        "error": "onnx: conversion failed: skl2onnx has no converter for LGBMClassifier",
    }
