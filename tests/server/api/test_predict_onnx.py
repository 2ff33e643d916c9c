"""Serving with the verified ONNX export: the API answers as the skops pipeline does (labels
exact, probabilities and values within the export's tolerance), JSON and CSV, and falls back to
skops when there is no export or it does not agree."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from podium.engine import samples, save_pipeline, setup
from podium.engine.artifacts.onnx import export_onnx
from podium.engine.standalone import read_manifest
from podium.server.config import Settings
from podium.server.db.models import Run
from podium.server.services import predictions
from podium.server.services.onnx_scoring import TOLERANCE, OnnxScorer
from podium.server.services.predictions import PipelineCache
from tests.conftest import make_settings
from tests.server.api.serving import deploy, promote, wait_pipeline, worker
from tests.server.conftest import World

pytest.importorskip("onnxruntime", reason="the onnx extra is not installed (make install adds it)")


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Real pipeline builds: SQLite only, to keep the suite fast."""
    return make_settings(tmp_path, sqlite_url, max_upload_bytes=4 * 1024 * 1024)


def _built(world: World, model: str, sample: str, **data: Any) -> dict[str, Any]:
    """A pipeline of ``model`` promoted from a finished run on ``sample`` (or on ``data``:
    the experiment's data source, task and setup parameters), built by a worker."""
    task = data.get("task") or ("regression" if sample == "diabetes" else "multiclass")
    board = {
        "columns": ["Model", "R2" if task == "regression" else "Accuracy"],
        "rows": [{"Model": model, "model_id": model, "Accuracy": 0.9, "R2": 0.5}],
    }
    source = {} if "data_source_id" in data else {"sklearn_dataset": f"sklearn:{sample}"}
    exp = world.experiment(world.project(), **{**source, **data, "task": task})
    run_id = world.run(exp, plan="compare", plan_params={"models": ["dt"]})["id"]
    with world.client.app.state.db.sessions() as session:  # type: ignore[attr-defined]
        values = {"status": "succeeded", "leaderboard": board}  # no training: a finished run
        session.execute(update(Run).where(Run.id == uuid.UUID(run_id)).values(**values))
        session.commit()
    r = promote(world, run_id, name=f"{sample}-{model}", model_id=model)
    assert r.status_code == 202, r.text
    with worker(world.settings):
        pipe = wait_pipeline(world, r.json()["id"])
    assert pipe["status"] == "ready", pipe
    return pipe


def _loaded(client: TestClient, sha256: str) -> predictions.Loaded:
    hit = client.app.state.pipeline_cache.lookup(sha256)  # type: ignore[attr-defined]
    assert hit is not None
    return hit


def _same(onnx: dict[str, Any], skops: dict[str, Any], regression: bool) -> None:
    if regression:
        np.testing.assert_allclose(onnx["predictions"], skops["predictions"], rtol=TOLERANCE)
        assert onnx["probabilities"] is skops["probabilities"] is None
        return
    assert onnx["predictions"] == skops["predictions"]
    for got, want in zip(onnx["probabilities"], skops["probabilities"], strict=True):
        assert got.keys() == want.keys()
        assert all(abs(got[k] - want[k]) <= TOLERANCE for k in want)


@pytest.mark.parametrize(
    ("model", "sample"),
    [("lightgbm", "iris"), ("xgboost", "iris"), ("lightgbm", "diabetes"), ("xgboost", "diabetes"),
     ("hgb", "iris"), ("hgb", "diabetes")],
)  # fmt: skip
def test_the_api_answers_the_same_on_both_paths(world: World, model: str, sample: str) -> None:
    pipe = _built(world, model, sample)
    assert pipe["onnx"]["available"] is True, pipe["onnx"]
    slug = f"{sample}-{model}"
    deploy(world, pipe["id"], slug=slug)
    assert _loaded(world.client, pipe["sha256"]).onnx is not None  # ONNX serves here
    frame, target = samples.load(sample)
    rows = frame.drop(columns=target).sample(20, random_state=3)
    body = {"rows": rows.to_dict("records")}
    csv = rows.to_csv(index=False).encode()
    path = f"/api/v1/deployments/{slug}/predict"
    onnx = world.client.post(path, json=body).json()
    onnx_csv = pd.read_csv(io.BytesIO(world.client.post(f"{path}/csv", content=csv).content))
    # the same app as a process started with PODIUM_SERVE_ONNX=false: skops serves
    world.client.app.state.pipeline_cache = PipelineCache(onnx=False)  # type: ignore[attr-defined]
    skops = world.client.post(path, json=body).json()
    assert _loaded(world.client, pipe["sha256"]).onnx is None
    skops_csv = pd.read_csv(io.BytesIO(world.client.post(f"{path}/csv", content=csv).content))
    _same(onnx, skops, sample == "diabetes")
    assert list(onnx_csv.columns) == list(skops_csv.columns)
    if sample == "diabetes":
        np.testing.assert_allclose(onnx_csv["prediction"], skops_csv["prediction"], rtol=TOLERANCE)
    else:
        assert onnx_csv["prediction"].tolist() == skops_csv["prediction"].tolist()
        proba = [c for c in skops_csv.columns if c.startswith("proba_")]
        np.testing.assert_allclose(onnx_csv[proba], skops_csv[proba], atol=TOLERANCE)


def _mixed_csv(task: str, n: int = 240) -> pd.DataFrame:
    """Numbers with gaps, a one-hot city, a 40-value code (target or ordinal encoded) and two
    date columns (hours, days) with missing values: every kind the export feeds."""
    rng = np.random.default_rng(11)
    x = rng.normal(size=n)
    when = pd.Timestamp("1965-01-01") + pd.to_timedelta(rng.integers(0, 60 * 8766, n), unit="h")
    df = pd.DataFrame(
        {
            "x": x,
            "city": rng.choice(["oslo", "lima", "pune"], size=n),
            "code": rng.choice([f"c{i:02d}" for i in range(40)], size=n),
            "when": when.strftime("%Y-%m-%d %H:%M"),
            "day": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 400, n), "D"))
            .strftime("%Y-%m-%d"),
        }
    )  # fmt: skip
    signal = x + (df["city"] == "oslo") + (df["code"] < "c10") + (when.month > 6)
    df["y"] = signal if task == "regression" else np.where(signal > 0.7, "yes", "no")
    df.loc[df.index % 10 == 3, "x"] = np.nan
    df.loc[df.index % 12 == 4, ["city", "code"]] = None
    df.loc[df.index % 9 == 5, "when"] = None
    df.loc[df.index % 11 == 6, "day"] = None
    return df


@pytest.mark.parametrize(
    ("model", "task", "setup_params"),
    [("hgb", "binary", {}), ("lr", "binary", {"categorical_imputation": "mode"}),
     ("hgb", "regression", {"high_cardinality_encoding": "ordinal"}),
     ("lightgbm", "binary", {"high_cardinality_encoding": "ordinal"})],
)  # fmt: skip
def test_dates_and_encodings_are_served_from_onnx(
    world: World, model: str, task: str, setup_params: dict[str, Any]
) -> None:
    """A deployment whose pipeline holds date columns, one-hot, target or ordinal encodings
    (missing as a category or the mode) serves from ONNX and answers as skops does, dates
    given as text in JSON and CSV, missing ones included."""
    table = _mixed_csv(task)
    held = table.iloc[-30:]
    source = world.upload(content=table.iloc[:-30].to_csv(index=False), name="mixed.csv")
    data = {"data_source_id": source, "target": "y", "setup_params": setup_params}
    pipe = _built(world, model, "mixed", task=task, **data)
    assert pipe["onnx"]["available"] is True, pipe["onnx"]
    kinds = {i["column"]: i["type"] for i in pipe["onnx"]["inputs"]}
    assert kinds["when"] == kinds["day"] == "datetime"
    slug = f"mixed-{model}-{task}"
    deploy(world, pipe["id"], slug=slug)
    assert _loaded(world.client, pipe["sha256"]).onnx is not None  # ONNX serves here
    rows = held.drop(columns="y")
    body = {"rows": [{k: (None if pd.isna(v) else v) for k, v in r.items()}
                     for r in rows.to_dict("records")]}  # fmt: skip
    path = f"/api/v1/deployments/{slug}/predict"
    onnx = world.client.post(path, json=body).json()
    onnx_csv = pd.read_csv(
        io.BytesIO(
            world.client.post(f"{path}/csv", content=rows.to_csv(index=False).encode()).content
        )
    )
    world.client.app.state.pipeline_cache = PipelineCache(onnx=False)  # type: ignore[attr-defined]
    skops = world.client.post(path, json=body).json()
    assert _loaded(world.client, pipe["sha256"]).onnx is None
    skops_csv = pd.read_csv(
        io.BytesIO(
            world.client.post(f"{path}/csv", content=rows.to_csv(index=False).encode()).content
        )
    )
    _same(onnx, skops, task == "regression")
    pd.testing.assert_frame_equal(onnx_csv, skops_csv, atol=TOLERANCE, check_exact=False)


def test_a_pipeline_without_export_is_served_by_skops(world: World) -> None:
    pipe = _built(world, "dummy", "iris")  # no converter: the worker kept no pipeline.onnx
    assert pipe["onnx"]["available"] is False
    deploy(world, pipe["id"], slug="iris-dummy")
    assert _loaded(world.client, pipe["sha256"]).onnx is None
    rows = samples.load("iris")[0].drop(columns="target").head(3).to_dict("records")
    r = world.client.post("/api/v1/deployments/iris-dummy/predict", json={"rows": rows})
    assert r.status_code == 200, r.text
    assert len(r.json()["predictions"]) == 3


def test_an_export_that_disagrees_at_load_is_not_used(tmp_path: Path) -> None:
    """The load checks the export against the skops pipeline again: an ONNX graph that answers
    otherwise (here: another model's) is refused, and the pipeline is served by skops."""
    df, target = samples.load("iris")
    exp = setup(df, target, folds=2, seed=0)
    pipe = exp.finalize("lr")
    save_pipeline(
        pipe, tmp_path, name="x", extra={"onnx": export_onnx(pipe, tmp_path, exp.sample_rows())}
    )
    manifest = read_manifest(tmp_path)
    assert OnnxScorer.build(tmp_path, manifest, pipe, predictions._engine_predict) is not None
    other = setup(df, target, folds=2, seed=0).finalize("dt")
    other.podium_metadata_ = pipe.podium_metadata_
    assert OnnxScorer.build(tmp_path, manifest, other, predictions._engine_predict) is None
