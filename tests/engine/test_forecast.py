"""Forecasting: backtest windows never see the future, metrics and a seasonal-naive forecast
checked by hand, compare's events and cancel, and clear errors for bad input."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine.errors import Cancelled, DataError
from podium.engine.events import EngineEvent
from podium.engine.forecast import metrics, setup
from podium.engine.forecast.data import DS, ID, window_rows
from podium.engine.forecast.models import Forecaster


def monthly(n: int = 48, seed: int = 0, start: str = "2018-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    value = 50 + 0.5 * t + 8 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, n)
    return pd.DataFrame({"month": pd.date_range(start, periods=n, freq="MS"), "sales": value})


def two_series() -> pd.DataFrame:
    a = monthly(40, seed=1).assign(store="a")
    b = monthly(34, seed=2, start="2018-07-01").assign(store="b")
    return pd.concat([b, a], ignore_index=True)  # unsorted on purpose


class TestWindows:
    def test_no_training_row_at_or_after_its_window_start(self) -> None:
        exp = setup(two_series(), "sales", time_column="month", series_column="store",
                    horizon=5, windows=3)  # fmt: skip
        frame = exp.data.frame
        for w, (train, test) in enumerate(window_rows(exp.data)):
            for uid in ("a", "b"):
                tr = frame.iloc[train][frame.iloc[train][ID] == uid]
                te = frame.iloc[test][frame.iloc[test][ID] == uid]
                assert len(te) == 5
                assert tr[DS].max() < te[DS].min()  # no training row at/after the first forecast
                # expanding, stepping by the horizon, the last window ends the series
                n = int((frame[ID] == uid).sum())
                assert len(tr) == n - (3 - w) * 5
            assert set(train).isdisjoint(test)

    def test_windows_are_positions_never_shuffled(self) -> None:
        exp = setup(monthly(30), "sales", time_column="month", horizon=4, windows=2)
        (tr0, te0), (tr1, te1) = window_rows(exp.data)
        assert tr0.tolist() == list(range(22))
        assert te0.tolist() == list(range(22, 26))
        assert tr1.tolist() == list(range(26))
        assert te1.tolist() == list(range(26, 30))


class TestMetricsByHand:
    def test_mase_scaled_by_seasonal_naive_of_the_training_part(self) -> None:
        train = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])
        # lag-2 naive in-sample errors: |4-1|, |3-2|, |5-4|, |6-3| -> mean 2.0
        assert metrics.mase_scale(train, 2) == 2.0
        y, f = np.array([7.0, 8.0]), np.array([6.0, 11.0])  # MAE 2.0
        assert metrics.mase(y, f, 2.0) == 1.0
        assert metrics.mase_scale(np.ones(5), 1) is None  # constant: no scale

    def test_smape_mae_rmse_coverage(self) -> None:
        y, f = np.array([10.0, 20.0, 0.0]), np.array([12.0, 20.0, 0.0])
        assert metrics.smape(y, f) == pytest.approx((2 * 2 / 22) / 3)
        assert metrics.mae(y, f) == pytest.approx(2 / 3)
        assert metrics.rmse(y, f) == pytest.approx(np.sqrt(4 / 3))
        lo, hi = np.array([9.0, 21.0, -1.0]), np.array([11.0, 22.0, 1.0])
        assert metrics.coverage(y, lo, hi) == pytest.approx(2 / 3)


def test_seasonal_naive_forecast_by_hand() -> None:
    exp = setup(monthly(36), "sales", time_column="month", horizon=12, windows=1)
    pipe = exp.finalize("snaive")
    last_year = exp.data.frame["y"].to_numpy()[-12:]
    np.testing.assert_allclose(pipe.forecast_["value"].to_numpy(), last_year)
    assert pipe.forecast_[DS].iloc[0] == pd.Timestamp("2021-01-01")
    # h beyond one season repeats it
    np.testing.assert_allclose(pipe.forecast(15)["value"].to_numpy()[12:], last_year[:3])
    # a horizon whose dates pandas cannot hold is a DataError saying so, not OutOfBoundsDatetime
    with pytest.raises(DataError, match=r"h=5000 steps of 'MS' after 2020-12-01 .* 2262-04-11"):
        pipe.forecast(5000)
    # the backtest of window 0 forecasts the 12 points after its training part by hand too
    res = exp.create("snaive")
    values = exp.data.frame["y"].to_numpy()
    bt = exp.backtests["snaive"]
    np.testing.assert_allclose(bt["value"].to_numpy(), values[12:24])
    mase = metrics.mase(values[24:], values[12:24], metrics.mase_scale(values[:24], 12))
    assert res.leaderboard["rows"][0]["MASE"] == pytest.approx(mase, abs=1e-4)


class TestCompare:
    def test_events_leaderboard_and_sort(self) -> None:
        events: list[EngineEvent] = []
        exp = setup(monthly(48), "sales", time_column="month", horizon=6, windows=2)
        res = exp.compare(models=["naive", "snaive", "ets"], on_event=events.append)
        board = res.leaderboard
        assert board["columns"] == ["Model", "MASE", "sMAPE", "MAE", "RMSE", "Coverage", "TT (Sec)"]
        mase = [r["MASE"] for r in board["rows"]]
        assert mase == sorted(mase)
        assert res.best == [board["rows"][0]["model_id"]]
        fitted = [e.payload for e in events if e.kind == "model.fitted"]
        assert [(p["model_id"], p["fold"]) for p in fitted] == [
            (m, w) for m in ("naive", "snaive", "ets") for w in (0, 1)
        ]
        assert set(fitted[0]["scores"]) == {"MASE", "sMAPE", "MAE", "RMSE", "Coverage"}
        kinds = [e.kind for e in events]
        assert kinds.count("leaderboard.updated") == 3
        assert kinds[-1] == "compare.finished"

    def test_cancel_keeps_finished_rows(self) -> None:
        exp = setup(monthly(48), "sales", time_column="month", horizon=6, windows=2)
        fits = []

        def on_event(e: EngineEvent) -> None:
            if e.kind == "model.fitted":
                fits.append(e.payload["model_id"])

        with pytest.raises(Cancelled) as info:
            exp.compare(models=["naive", "snaive", "ets"], on_event=on_event,
                        should_stop=lambda: len(fits) >= 3)  # fmt: skip
        rows = info.value.leaderboard["rows"]
        assert [r["model_id"] for r in rows] == ["naive"]  # snaive stopped after 1 window
        assert fits == ["naive", "naive", "snaive"]

    def test_ml_models_read_exogenous_columns_in_backtests(self) -> None:
        df = monthly(48).assign(price=np.arange(48.0))
        exp = setup(df, "sales", time_column="month", horizon=6, windows=2,
                    exogenous_columns=["price"])  # fmt: skip
        res = exp.compare(models=["naive", "linear"])
        assert all(r.get("Error") is None for r in res.leaderboard["rows"])
        assert exp.backtests["linear"]["value"].notna().all()

    def test_default_models_follow_the_season(self) -> None:
        from podium.engine.forecast.experiment import models_to_run

        seasonal = setup(monthly(48), "sales", time_column="month", horizon=6, windows=2)
        ids = [s.id for s in models_to_run(seasonal, None)]
        assert {"snaive", "mstl", "ets", "arima", "lightgbm", "linear"} <= set(ids)
        assert {"hw", "seas_avg", "ridge_cds_dt", "lightgbm_cds_dt"} <= set(ids)
        assert "croston" not in ids  # not intermittent
        yearly = pd.DataFrame({"year": pd.date_range("1950", periods=40, freq="YS"),
                               "v": np.arange(40.0)})  # fmt: skip
        plain = setup(yearly, "v", time_column="year", horizon=3, windows=2)
        assert plain.season_length == 1
        assert "snaive" not in [s.id for s in models_to_run(plain, None)]


class TestBadInput:
    @pytest.mark.parametrize(
        ("change", "settings", "words"),
        [
            (lambda d: d, {}, "needs a time column"),
            (lambda d: d, {"time_column": "when"}, "'time_column': unknown column 'when'"),
            (lambda d: d.assign(month="soon"), {"time_column": "month"}, "not a date in row 0"),
            (lambda d: d.assign(sales="x"), {"time_column": "month"}, "'sales' is not numeric"),
            (lambda d: pd.concat([d, d.tail(1)]), {"time_column": "month"}, "repeats"),
            (lambda d: d.drop(index=[5, 17, 30]), {"time_column": "month"}, "could not infer"),
            (
                lambda d: d.drop(index=[5]),
                {"time_column": "month", "freq": "MS"},
                r"irregular for frequency 'MS': no row for 2018-06-01 \(one step after "
                r"2018-05-01; the next row is 2018-07-01\); add a row for every missing step",
            ),
            (lambda d: d.head(20), {"time_column": "month", "horizon": 6}, "too short"),
            (lambda d: d.assign(month=np.arange(len(d))), {"time_column": "month"}, "numbers"),
            (lambda d: d, {"time_column": "month", "horizon": 0}, "'horizon' must be between"),
            (lambda d: d, {"time_column": "month", "bogus": 1}, "unknown setup parameter 'bogus'"),
            (lambda d: d.assign(sales=np.nan), {"time_column": "month"}, "missing or infinite"),
        ],
    )
    def test_clear_data_errors(self, change, settings, words) -> None:  # type: ignore[no-untyped-def]
        with pytest.raises(DataError, match=words):
            setup(change(monthly(48)), "sales", **settings)

    def test_duplicate_per_series_names_the_series(self) -> None:
        df = two_series()
        df = pd.concat([df, df[df["store"] == "b"].head(1)])
        with pytest.raises(DataError, match="in series 'b'"):
            setup(df, "sales", time_column="month", series_column="store", horizon=3)

    def test_unknown_model(self) -> None:
        exp = setup(monthly(48), "sales", time_column="month", horizon=6, windows=2)
        with pytest.raises(DataError, match="unknown forecasting model 'prophet'"):
            exp.compare(models=["prophet"])


def test_forecaster_gives_intervals_in_order() -> None:
    frame = monthly(48).rename(columns={"month": DS, "sales": "y"}).assign(unique_id="s")
    out = Forecaster("ets", freq="MS", season_length=12, levels=[95, 80], seed=0).fit(frame, 6)
    pred = out.predict(6)
    assert (pred["lo-95"] <= pred["lo-80"]).all()
    assert (pred["lo-80"] <= pred["value"]).all()
    assert (pred["value"] <= pred["hi-80"]).all()
    assert (pred["hi-80"] <= pred["hi-95"]).all()


def test_cli_compare_forecasting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from podium.cli import app

    path = tmp_path / "series.csv"
    monthly(48).to_csv(path, index=False)
    args = ["compare", str(path), "--task", "forecasting", "--time", "month", "--target", "sales",
            "--horizon", "6", "--folds", "2", "--models", "naive,snaive", "--json"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout.strip().splitlines()[-1])
    assert table["columns"][:2] == ["Model", "MASE"]
    assert {r["model_id"] for r in table["rows"]} == {"naive", "snaive"}


class TestFutureExogenousValues:
    """A deployment's caller types the future values: every mistake is a DataError that says
    what to send (the server answers it as a 4xx), never the library's own error."""

    @pytest.fixture(scope="class")
    def pipe(self) -> Any:
        df = monthly(36).assign(price=np.linspace(1, 2, 36))
        exp = setup(df, "sales", time_column="month", horizon=3, windows=2,
                    exogenous_columns=["price"])  # fmt: skip
        return exp.finalize("linear")

    @staticmethod
    def future(months: list[str] | None, prices: list[Any]) -> pd.DataFrame:
        return pd.DataFrame({"price": prices} | ({"month": months} if months else {}))

    def test_rows_for_every_step_forecast(self, pipe: Any) -> None:
        out = pipe.forecast(3, self.future(["2021-01-01", "2021-02-01", "2021-03-01"], [2, 2, 2]))
        assert len(out) == 3

    @pytest.mark.parametrize(
        ("months", "prices", "words"),
        [
            (["2021-01-01", "2021-02-01"], [2, 2], "no row for 2021-03-01: give one row per "
             "future step, 2021-01-01 to 2021-03-01"),
            (["2030-01-01", "2030-02-01", "2030-03-01"], [2, 2, 2], "no row for 2021-01-01, "
             "2021-02-01, 2021-03-01"),
            (["2021-01-01", "2021-02-01", "2021-03-01"], ["a", "b", "c"],
             "exogenous column 'price' is not numeric"),
            (None, [2, 2, 2], "lack column(s) 'month': each row holds 'month', 'price'"),
        ],
    )  # fmt: skip
    def test_missing_steps_or_bad_values_say_what_to_send(
        self, pipe: Any, months: list[str] | None, prices: list[Any], words: str
    ) -> None:
        with pytest.raises(DataError, match=re.escape(words)):
            pipe.forecast(3, self.future(months, prices))
