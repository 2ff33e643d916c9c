"""``podium forecast``: a saved forecasting pipeline forecasts from the shell, with the future
exogenous values from a file when its model reads some."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from podium.cli import app
from podium.engine import save_pipeline
from podium.engine.forecast import setup

runner = CliRunner()


def history(n: int = 36) -> pd.DataFrame:
    t = np.arange(n)
    return pd.DataFrame({"month": pd.date_range("2018-01-01", periods=n, freq="MS"),
                         "sales": 50 + 0.5 * t + 8 * np.sin(2 * np.pi * t / 12),
                         "price": np.linspace(1, 2, n)})  # fmt: skip


def test_forecast_writes_the_pipelines_forecast_under_the_tables_names(tmp_path: Path) -> None:
    pipe = setup(history().drop(columns="price"), "sales", time_column="month", horizon=3,
                 windows=2).finalize("snaive")  # fmt: skip
    save_pipeline(pipe, tmp_path / "fc")
    out = tmp_path / "next.csv"
    result = runner.invoke(app, ["forecast", str(tmp_path / "fc"), "--h", "4", "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = pd.read_csv(out)
    assert list(got.columns[:2]) == ["month", "sales"]
    assert got["month"].tolist() == ["2021-01-01", "2021-02-01", "2021-03-01", "2021-04-01"]
    np.testing.assert_allclose(got["sales"], pipe.forecast(4)["value"])


def test_forecast_reads_future_exogenous_values_from_a_file(tmp_path: Path) -> None:
    pipe = setup(history(), "sales", time_column="month", horizon=3, windows=2,
                 exogenous_columns=["price"]).finalize("linear")  # fmt: skip
    save_pipeline(pipe, tmp_path / "fc")
    result = runner.invoke(app, ["forecast", str(tmp_path / "fc")])
    assert result.exit_code != 0
    assert "give their values for the 3 future steps" in result.output
    future = tmp_path / "future.csv"
    pd.DataFrame({"month": ["2021-01-01", "2021-02-01"], "price": [2.0, 2.1]}).to_csv(future)
    result = runner.invoke(app, ["forecast", str(tmp_path / "fc"), "--exogenous", str(future)])
    assert result.exit_code != 0
    assert "no row for 2021-03-01" in result.output
    pd.DataFrame({"month": ["2021-01-01", "2021-02-01", "2021-03-01"],
                  "price": [2.0, 2.1, 2.2]}).to_csv(future, index=False)  # fmt: skip
    result = runner.invoke(app, ["forecast", str(tmp_path / "fc"), "--exogenous", str(future)])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.strip().splitlines()) == 1 + 3


def test_a_pipeline_that_predicts_rows_is_pointed_to_predict(tmp_path: Path) -> None:
    from podium.engine import samples
    from podium.engine.unsupervised import setup as setup_unsupervised

    df, target = samples.load("iris")
    save_pipeline(setup_unsupervised(df.drop(columns=target), task="anomaly").finalize("iforest"),
                  tmp_path / "p")  # fmt: skip
    result = runner.invoke(app, ["forecast", str(tmp_path / "p")])
    assert result.exit_code != 0
    assert "podium predict" in result.output


def test_create_takes_the_forecasting_options_compare_takes(tmp_path: Path) -> None:
    """--time, --series and --horizon, and --folds as backtest windows, as in compare."""
    table = pd.concat([history().assign(store=s) for s in ("north", "south")])
    table.drop(columns="price").to_csv(tmp_path / "sales.csv", index=False)
    args = ["create", str(tmp_path / "sales.csv"), "--task", "forecasting", "--time", "month",
            "--series", "store", "--target", "sales", "--horizon", "4", "--folds", "2",
            "--model", "snaive", "--save", str(tmp_path / "fc"), "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert [r["Fold"] for r in json.loads(result.stdout)["rows"]][:2] == [0, 1]  # two windows
    result = runner.invoke(app, ["forecast", str(tmp_path / "fc")])
    assert result.exit_code == 0, result.output
    got = pd.read_csv(io.StringIO(result.stdout))
    assert list(got.columns[:3]) == ["store", "month", "sales"]
    assert len(got) == 2 * 4  # the horizon given, per series


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # error messages on one line
