"""Every forecasting model fits a tiny series and gives h forecasts (contract test), and a
finalized pipeline round-trips through save/load without pickle."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from podium.engine.artifacts.pipeline import load_pipeline, read_manifest, save_pipeline
from podium.engine.errors import ArtifactError, DataError
from podium.engine.forecast import setup
from podium.engine.forecast.models import SPECS


def tiny(n: int = 40, zeros: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    t = np.arange(n)
    value = 20 + 0.3 * t + 4 * np.sin(2 * np.pi * t / 4) + rng.normal(0, 0.5, n)
    if zeros:
        value = np.where(rng.uniform(size=n) < 0.5, 0.0, rng.poisson(3, n) + 1.0)
    return pd.DataFrame({"q": pd.date_range("2010-01-01", periods=n, freq="QS"), "v": value})


@pytest.mark.parametrize("spec", SPECS, ids=[s.id for s in SPECS])
def test_every_model_backtests_a_tiny_series(spec) -> None:  # type: ignore[no-untyped-def]
    exp = setup(tiny(zeros=spec.intermittent), "v", time_column="q", horizon=4, windows=2)
    res = exp.create(spec.id)
    rows = res.leaderboard["rows"]
    assert [r["Fold"] for r in rows] == [0, 1, "Mean", "Std"]
    assert rows[0]["MAE"] is not None
    assert np.isfinite(rows[0]["MAE"])
    bt = exp.backtests[spec.id]
    assert len(bt) == 8
    assert bt["value"].notna().all()
    assert bt["lo-95"].notna().all() == spec.intervals
    pipe = exp.finalize(spec.id)
    assert len(pipe.forecast(4)) == 4


@pytest.mark.parametrize("model", ["ets", "lightgbm", "hw", "ridge_cds_dt"])
def test_save_load_round_trip_without_pickle(tmp_path: Path, model: str) -> None:
    exp = setup(tiny(), "v", time_column="q", horizon=4, windows=2)
    pipe = exp.finalize(model)
    manifest = save_pipeline(pipe, tmp_path, metrics={"MASE": 0.5})
    assert manifest.task == "forecasting"
    assert manifest.artifact == "forecast.json"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["forecast.json", "history.parquet", "manifest.json"]
    for p in tmp_path.iterdir():  # nothing pickled: JSON and parquet only
        assert b"\x80\x04\x95" not in p.read_bytes()[:3]
    assert read_manifest(tmp_path).extra["forecast"]["horizon"] == 4
    loaded = load_pipeline(tmp_path)
    pd.testing.assert_frame_equal(loaded.forecast(6), pipe.forecast(6))
    assert loaded.records(2)[0].keys() == {"time", "value", "lo", "hi"}


def test_load_refuses_a_changed_file_or_a_forecast_it_cannot_reproduce(tmp_path: Path) -> None:
    pipe = setup(tiny(), "v", time_column="q", horizon=4, windows=2).finalize("theta")
    save_pipeline(pipe, tmp_path)
    spec = json.loads((tmp_path / "forecast.json").read_text())
    spec["forecast"]["value"][0] += 1.0
    (tmp_path / "forecast.json").write_text(json.dumps(spec))
    with pytest.raises(ArtifactError, match="SHA-256"):
        load_pipeline(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())  # re-vouch the bytes
    import hashlib

    digest = hashlib.sha256((tmp_path / "forecast.json").read_bytes()).hexdigest()
    manifest["files"]["forecast.json"]["sha256"] = manifest["sha256"] = digest
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArtifactError, match="did not reproduce"):
        load_pipeline(tmp_path)


def test_exogenous_model_needs_future_values() -> None:
    df = tiny().assign(price=np.linspace(1, 2, 40))
    exp = setup(df, "v", time_column="q", horizon=4, windows=2, exogenous_columns=["price"])
    pipe = exp.finalize("linear")
    with pytest.raises(DataError, match="give their values for the 4 future steps"):
        pipe.forecast(4)
    future = pd.DataFrame({"q": pd.date_range("2020-01-01", periods=4, freq="QS"),
                           "price": [2.0, 2.1, 2.2, 2.3]})  # fmt: skip
    assert len(pipe.forecast(4, future)) == 4


def test_seasonal_average_is_each_season_positions_mean() -> None:
    df = tiny(40)
    exp = setup(df, "v", time_column="q", horizon=4, windows=2)
    got = exp.finalize("seas_avg").forecast(4)["value"].to_numpy()
    by_hand = df["v"].to_numpy().reshape(10, 4).mean(axis=0)  # 10 full years, 4 quarters
    np.testing.assert_allclose(got, by_hand)


def test_deseasonalize_detrend_removes_the_season_and_line_and_puts_them_back() -> None:
    from podium.engine.forecast.transforms import DeseasonalizeDetrend, seasonality_test

    t = np.arange(48)
    season = np.tile([3.0, -1.0, -4.0, 2.0], 12)
    y = 10 + 0.5 * t + season + np.random.default_rng(0).normal(0, 0.1, 48)
    df = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2000", periods=48, freq="QS"),
                       "y": y})  # fmt: skip
    tr = DeseasonalizeDetrend(4)
    tr.set_column_names("unique_id", "ds", "y")
    rest = tr.fit_transform(df)["y"].to_numpy()
    assert np.std(rest) < 0.2
    assert abs(np.polyfit(t, rest, 1)[0]) < 1e-9
    future = pd.DataFrame({"unique_id": "a", "ds": pd.date_range("2012", periods=4, freq="QS"),
                           "model": 0.0})  # fmt: skip
    back = tr.inverse_transform(future)["model"].to_numpy()
    np.testing.assert_allclose(back, 10 + 0.5 * np.arange(48, 52) + season[:4], atol=0.2)
    noise = np.random.default_rng(1).normal(size=48)
    assert seasonality_test(y - 0.5 * t, 4)
    assert not seasonality_test(noise, 4)


def test_holt_winters_takes_a_multiplicative_season_for_positive_series_and_seeds_intervals() -> (
    None
):
    from podium.engine.forecast.holtwinters import form

    assert form(tiny()["v"].to_numpy(), 4) == "mul"
    assert form(tiny()["v"].to_numpy() - 30, 4) == "add"
    exp = setup(tiny(), "v", time_column="q", horizon=4, windows=2)
    one, two = exp.finalize("hw").forecast(4), exp.finalize("hw").forecast(4)
    pd.testing.assert_frame_equal(one, two)
    assert (one["lo-95"] < one["value"]).all()
    assert (one["value"] < one["hi-95"]).all()
