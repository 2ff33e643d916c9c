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


def _upload(world: World, csv: str | None = None, name: str = "sales") -> str:
    """Upload ``csv`` (default: :func:`series_csv`) as data source ``name``; its id."""
    r = world.client.post(
        f"/api/v1/workspaces/{world.ws}/data-sources/upload",
        files={"file": (f"{name}.csv", io.BytesIO((csv or series_csv()).encode()), "text/csv")},
        data={"name": name},
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
    csv = world.client.post(
        f"/api/v1/deployments/{dep['slug']}/predict/csv",
        content=b"date\n2024-01-01\n",
        headers={"content-type": "text/csv"},
    )
    for refused in (rows, csv):  # both point at the forecast route, not the library
        assert refused.status_code == 422
        assert "POST /api/v1/deployments/{slug}/forecast" in refused.json()["detail"]


def test_a_model_reading_exogenous_columns_takes_their_future_values(world: World) -> None:
    """The pipeline's input schema names what a forecast call sends (the web's tester reads it);
    every mistake in the future values is a 422 saying what to send."""
    frame = pd.read_csv(io.StringIO(series_csv())).assign(price=np.linspace(1, 2, 48))
    source = _upload(world, frame.to_csv(index=False), "priced")
    params = {"time_column": "date", "horizon": 3, "windows": 2, "exogenous_columns": ["price"]}
    exp = world.experiment(world.project(), task="forecasting", target="sales",
                           data_source_id=source, setup_params=params)  # fmt: skip
    run = world.run(exp, plan="compare", plan_params={"models": ["linear"]})
    with worker(world.settings):
        done = world.client.get(
            f"/api/v1/runs/{run['id']}/wait?timeout=240", headers=world.owner.headers
        ).json()
        assert done["status"] == "succeeded", done
        promoted = world.client.post(
            f"/api/v1/runs/{run['id']}/promote", json={"name": "priced"},
            headers=world.editor.headers,
        )  # fmt: skip
        pipe = wait_pipeline(world, promoted.json()["id"])
    assert pipe["status"] == "ready", pipe
    assert [c["name"] for c in pipe["input_schema"]] == ["date", "price"]
    slug = deploy(world, pipe["id"], slug="priced")["slug"]
    months = ["2024-01-01", "2024-02-01", "2024-03-01"]
    answers = {
        "none": ({"h": 3}, "give their values for the 3 future steps"),
        "a step short": ({"h": 3, "exogenous": [{"date": m, "price": 2.0} for m in months[:2]]},
                         "no row for 2024-03-01"),
        "no time": ({"h": 3, "exogenous": [{"price": 2.0}] * 3}, "lack column(s) 'date'"),
        "text": ({"h": 3, "exogenous": [{"date": m, "price": "cheap"} for m in months]},
                 "exogenous column 'price' is not numeric"),
    }  # fmt: skip
    for case, (body, words) in answers.items():
        bad = world.client.post(f"/api/v1/deployments/{slug}/forecast", json=body)
        assert bad.status_code == 422, (case, bad.text)
        assert words in bad.json()["detail"], (case, bad.text)
    body = {"h": 3, "exogenous": [{"date": m, "price": 2.0} for m in months]}
    ok = world.client.post(f"/api/v1/deployments/{slug}/forecast", json=body)
    assert ok.status_code == 200, ok.text
    assert [p["time"][:10] for p in ok.json()["forecast"]] == months
