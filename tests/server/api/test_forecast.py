"""Forecasting through the API with a real worker: an experiment on an uploaded series, a
compare run (per-window events, MASE leaderboard, each model's forecast plot), promote,
deploy and ``POST /deployments/{slug}/forecast``."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.server.config import Settings
from tests.conftest import make_settings
from tests.server.api.serving import deploy, wait_pipeline, worker
from tests.server.conftest import World


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Real training: SQLite only, to keep the suite fast."""
    return make_settings(tmp_path, sqlite_url)


def series_csv() -> str:
    t = np.arange(48)
    sales = (
        100 + 2 * t + 10 * np.sin(2 * np.pi * t / 12) + np.random.default_rng(0).normal(0, 1, 48)
    )
    frame = pd.DataFrame(
        {"date": pd.date_range("2020-01-01", periods=48, freq="MS"), "sales": sales}
    )
    return frame.to_csv(index=False)


def _upload(world: World) -> str:
    r = world.client.post(
        f"/api/v1/workspaces/{world.ws}/data-sources/upload",
        files={"file": ("sales.csv", io.BytesIO(series_csv().encode()), "text/csv")},
        data={"name": "sales"},
        headers=world.owner.headers,
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_compare_promote_deploy_forecast(world: World) -> None:
    params = {"time_column": "date", "horizon": 6, "windows": 2}
    exp = world.experiment(world.project(), task="forecasting", target="sales",
                           data_source_id=_upload(world), setup_params=params)  # fmt: skip
    run = world.run(exp, plan="compare", plan_params={"models": ["naive", "snaive", "ets"]})
    with worker(world.settings):
        done = world.client.get(
            f"/api/v1/runs/{run['id']}/wait?timeout=240", headers=world.owner.headers
        ).json()
        assert done["status"] == "succeeded", done
        board = done["leaderboard"]
        assert board["columns"][:2] == ["Model", "MASE"]
        assert {r["model_id"] for r in board["rows"]} == {"naive", "snaive", "ets"}
        items = world.client.get(
            f"/api/v1/runs/{run['id']}/events", headers=world.owner.headers
        ).json()["data"]
        fitted = [e for e in items if e["kind"] == "model.fitted"]
        assert sorted((e["payload"]["model_id"], e["payload"]["fold"]) for e in fitted) == [
            (m, w) for m in ("ets", "naive", "snaive") for w in (0, 1)
        ]
        best = board["rows"][0]["model_id"]
        plot = world.client.get(
            f"/api/v1/runs/{run['id']}/models/{best}/plots/forecast", headers=world.owner.headers
        )
        assert plot.status_code == 200, plot.text
        names = [s["name"] for s in plot.json()["series"]]
        assert names == ["history", "backtest window 1", "backtest window 2", "forecast"]
        promoted = world.client.post(
            f"/api/v1/runs/{run['id']}/promote", json={"name": "sales"},
            headers=world.editor.headers,
        )  # fmt: skip
        assert promoted.status_code == 202, promoted.text
        pipe = wait_pipeline(world, promoted.json()["id"])
    assert pipe["status"] == "ready", pipe
    assert pipe["task"] == "forecasting"
    dep = deploy(world, pipe["id"], slug="sales")
    r = world.client.post(f"/api/v1/deployments/{dep['slug']}/forecast", json={"h": 12})
    assert r.status_code == 200, r.text
    points = r.json()["forecast"]
    assert len(points) == 12
    assert points[0]["time"].startswith("2024-01-01")
    assert points[0]["lo"]["95"] <= points[0]["value"] <= points[0]["hi"]["95"]
    bad = world.client.post(f"/api/v1/deployments/{dep['slug']}/forecast", json={"h": 0})
    assert bad.status_code == 422
    rows = world.client.post(f"/api/v1/deployments/{dep['slug']}/predict", json={"rows": [{}]})
    assert rows.status_code == 422
    assert "forecast" in rows.json()["detail"]
