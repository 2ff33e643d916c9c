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


def _dated_table(task: str, n: int = 400) -> pd.DataFrame:
    """:func:`_categorical_table` with two date columns: hours over 1950–2040 (leap days,
    year ends and dates before 1970 among them) and days, each with missing values."""
    df = _categorical_table(task, n)
    rng = np.random.default_rng(8)
    hours = pd.Timestamp("1950-01-01") + pd.to_timedelta(rng.integers(0, 90 * 8766, n), unit="h")
    df["when"] = hours.strftime("%Y-%m-%d %H:%M")
    df.loc[[0, 1, 2], "when"] = ["1968-02-29 23:00", "1969-12-31 23:59", "2000-02-29 00:30"]
    df["day"] = pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 500, n), "D")
    df.loc[df.index % 9 == 4, "when"] = None
    df.loc[df.index % 11 == 5, "day"] = None
    late = (df["day"].dt.month > 6).to_numpy()
    if task == "regression":
        df["y"] = df["y"] + late + hours.hour.to_numpy() / 12
    else:
        df.loc[late & (hours.hour.to_numpy() < 6), "y"] = "high"
    return df


def _table(sample: str) -> tuple[pd.DataFrame, str, dict[str, str]]:
    if sample.startswith("dates"):
        task = "regression" if sample.endswith("regression") else "multiclass"
        df = _dated_table(task)
        if sample.endswith("binary"):
            df["y"] = np.where(df["y"] == "high", "high", "other")
        return df, "y", {}
    if sample.startswith("categorical"):
        imputation = "mode" if "mode" in sample else "constant"
        task = "regression" if sample.endswith("regression") else "multiclass"
        encoding = "ordinal" if "ordinal" in sample else "target"
        settings = {"high_cardinality_encoding": encoding, "categorical_imputation": imputation}
        return _categorical_table(task), "y", settings
    df, target = samples.load(sample)
    return df, target, {}


@pytest.mark.parametrize("model_id", ["lightgbm", "xgboost", "hgb"])
@pytest.mark.parametrize(
    "sample",
    ["iris", "breast_cancer", "diabetes", "categorical", "categorical-ordinal",
     "categorical-regression", "categorical-mode", "categorical-ordinal-mode-regression",
     "dates", "dates-binary", "dates-regression"],
)  # fmt: skip
def test_boosters_export_and_agree_on_held_out_rows(
    tmp_path: Path, sample: str, model_id: str
) -> None:
    """LightGBM and XGBoost convert through onnxmltools, histogram gradient boosting through
    skl2onnx; with one-hot, target and ordinal encodings (missing as a category or the mode)
    and date columns, the ONNX answers on rows the pipeline never saw equal the skops
    pipeline's."""
    available = {m["id"]: m["is_available"] for m in describe.models("binary")}
    if not available.get(model_id):
        pytest.skip(f"{model_id} is not installed")
    df, target, settings = _table(sample)
    _held_out_agrees(tmp_path, df, target, model_id, **settings)


def _held_out_agrees(
    tmp_path: Path, df: pd.DataFrame, target: str, model_id: str, **settings: str
) -> dict[str, object]:
    """Export ``model_id`` fitted without 30 rows; ONNX answers those rows as skops does."""
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
        return result
    assert np.ravel(outputs[0]).tolist() == want["prediction"].tolist()
    np.testing.assert_allclose(outputs[1], want.drop(columns="prediction"), atol=1e-4)
    return result


@pytest.mark.parametrize("sample", ["dates", "dates-binary"])
def test_a_linear_model_on_dates_exports_and_agrees(tmp_path: Path, sample: str) -> None:
    """Date columns are fed as hours since 1970 (NaN when missing) and their parts computed in
    the graph; the manifest's inputs say so."""
    df, target, settings = _table(sample)
    result = _held_out_agrees(tmp_path, df, target, "lr", **settings)
    kinds = {i["column"]: i["type"] for i in result["inputs"]}  # type: ignore[attr-defined]
    assert kinds == {"x": "float", "city": "string", "member": "string", "code": "string",
                     "when": "datetime", "day": "datetime"}  # fmt: skip


@pytest.mark.parametrize(
    ("encoding", "imputation", "values"),
    [("target", "constant", 60), ("target", "mode", 60), ("ordinal", "constant", 60),
     ("ordinal", "mode", 60), ("ordinal", "constant", 300), ("target", "constant", 300)],
)  # fmt: skip
def test_every_categorical_encoding_exports_and_agrees(
    tmp_path: Path, encoding: str, imputation: str, values: int
) -> None:
    """One-hot and the bounded encodings (target, ordinal — over 255 values: infrequent ones
    share a code), missing as a category of its own or the mode, unseen values held out."""
    df = _categorical_table("multiclass", n=900)
    rng = np.random.default_rng(9)
    df["code"] = rng.choice([f"k{i:03d}" for i in range(values)], size=len(df))
    df.loc[df.index % 13 == 0, ["code", "city"]] = None
    settings = {"high_cardinality_encoding": encoding, "categorical_imputation": imputation}
    _held_out_agrees(tmp_path, df, "y", "lr", **settings)


def test_the_date_graph_equals_the_date_step_over_pandas_range() -> None:
    """Year, month, day, hour and weekday of every kind of date pandas holds (1678–2261, hours
    and minutes, before 1970, leap days) and of missing ones equal the date step's, exactly."""
    from skl2onnx import convert_sklearn
    from sklearn.pipeline import Pipeline

    from podium.engine.artifacts.onnx import _input_types, _opsets
    from podium.engine.artifacts.onnx_converters import register
    from podium.engine.artifacts.onnx_steps import exportable
    from podium.engine.prepare.preprocessing import build_preprocessor

    rng = np.random.default_rng(4)
    start, span = pd.Timestamp("1678-01-01"), (pd.Timestamp("2261-12-31") - pd.Timestamp("1678"))
    minutes = rng.integers(0, span // pd.Timedelta(minutes=1), size=(4000, 2))
    frame = pd.DataFrame(
        {c: start + pd.to_timedelta(minutes[:, j], unit="min") for j, c in enumerate("ab")}
    )
    frame.iloc[:3, 0] = pd.to_datetime(["1900-02-28 23:59", "2000-02-29 00:00", "1969-12-31 23:01"])
    frame.iloc[5::7, 0] = pd.NaT
    frame.iloc[6::9, 1] = pd.NaT
    schema = [{"name": c, "kind": "datetime", "role": "feature", "dtype": "datetime64[ns]",
               "unique": 4000} for c in "ab"]  # fmt: skip
    pipe = Pipeline([("preprocess", build_preprocessor(schema, {}, "regression", 0))])  # type: ignore[arg-type]
    pipe.fit(frame)
    register()
    graph = convert_sklearn(exportable(pipe), initial_types=_input_types(schema),
                            target_opset=_opsets())  # fmt: skip
    session = ort.InferenceSession(graph.SerializeToString(), providers=["CPUExecutionProvider"])
    specs = [{"column": c, "onnx_input": c, "type": "datetime"} for c in "ab"]
    (got,) = session.run(None, onnx_inputs(frame, specs))
    np.testing.assert_array_equal(got, pipe.transform(frame).astype(np.float32))


def test_a_date_export_that_disagrees_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A graph that fills missing dates otherwise than the pipeline (here: a day later) is not
    kept: the sample rows with a missing date score differently."""
    from podium.engine.artifacts import onnx_steps

    learned = onnx_steps.DateParts.of

    def a_day_late(step: object) -> onnx_steps.DateParts:
        return onnx_steps.DateParts([m + 24.0 for m in learned(step).modes_])

    monkeypatch.setattr(onnx_steps.DateParts, "of", staticmethod(a_day_late))
    df, target, _ = _table("dates")
    exp = setup(df, target, folds=2, seed=0)
    result = export_onnx(exp.finalize("lr"), tmp_path, exp.sample_rows())
    assert result["available"] is False
    assert result["error"].startswith("onnx: converted, but "), result
    assert result["error"].endswith("score differently from the pipeline; not exported")
    assert not (tmp_path / "pipeline.onnx").exists()
