"""Dates written as text are read one way per column — in training, in the profile, in every
prediction and in forecasting — and the day-first layout (31/12/2024) is read as such."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from podium.engine import predict, profile, setup, standalone
from podium.engine.forecast import setup as forecast_setup
from podium.engine.prepare.schema import infer_schema

DAYS = pd.date_range("2021-01-01", periods=400, freq="D")


def day_first(stamps: pd.DatetimeIndex) -> list[str]:
    return [t.strftime("%d/%m/%Y") for t in stamps]


def churn(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    when = DAYS[:n]
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "signed": day_first(when),
            "x": x,
            "y": np.where(x + 0.1 * rng.normal(size=n) > 0, "yes", "no"),
        }
    )


def test_a_day_first_column_is_read_day_first_in_every_row() -> None:
    df = churn()
    (col,) = [c for c in infer_schema(df, "y") if c["name"] == "signed"]
    assert col["kind"] == "datetime"
    assert col.get("dayfirst") is True
    exp = setup(df, "y", folds=3, seed=1)
    parsed = standalone.prepare_input(df[["signed", "x"]], exp.input_schema())["signed"]
    # 02/01/2021 is 2 January, not 1 February: the same reading as 13/01/2021's
    assert list(pd.to_datetime(parsed)) == list(DAYS[:400])


def test_month_first_and_iso_columns_keep_their_reading() -> None:
    us = pd.DataFrame({"d": [t.strftime("%m/%d/%Y") for t in DAYS[:40]]})
    iso = pd.DataFrame({"d": [t.strftime("%Y-%m-%d") for t in DAYS[:40]]})
    for frame in (us, iso):
        (col,) = infer_schema(frame)
        assert col["kind"] == "datetime"
        assert "dayfirst" not in col
        read = standalone.to_datetime(frame["d"], bool(col.get("dayfirst")))
        assert list(read) == list(DAYS[:40])


def test_ambiguous_monthly_dates_with_a_fixed_day_are_day_first() -> None:
    months = pd.date_range("2021-01-01", periods=12, freq="MS")
    (col,) = infer_schema(pd.DataFrame({"d": day_first(months)}))
    assert col.get("dayfirst") is True
    assert list(standalone.to_datetime(pd.Series(day_first(months)), True)) == list(months)


def test_iso_values_sent_to_a_day_first_pipeline_stay_year_month_day() -> None:
    df = churn()
    exp = setup(df, "y", folds=3, seed=1)
    pipe = exp.finalize("lr")
    sent = pd.DataFrame({"signed": ["2021-01-02", "02/01/2021", "2021-01-02T00:00"], "x": 0.3})
    parsed = standalone.prepare_input(sent, exp.input_schema())["signed"]
    assert list(pd.to_datetime(parsed)) == [pd.Timestamp("2021-01-02")] * 3
    answers = predict(pipe, sent)
    assert answers.iloc[0].equals(answers.iloc[1])
    assert answers.iloc[1].equals(answers.iloc[2])


def test_the_profile_reads_the_dates_as_training_does() -> None:
    p = profile(churn(), "y")
    (col,) = [c for c in p["columns"] if c["name"] == "signed"]
    assert (col["min"], col["max"]) == (DAYS[0].isoformat(), DAYS[399].isoformat())


@pytest.mark.parametrize("spelled", [day_first, lambda t: [s.strftime("%d.%m.%Y") for s in t]])
def test_forecasting_reads_a_day_first_time_column(spelled) -> None:  # type: ignore[no-untyped-def]
    months = pd.date_range("2018-01-01", periods=48, freq="MS")
    t = np.arange(48)
    df = pd.DataFrame({"month": spelled(months), "sales": 100 + t + 10 * np.sin(t * np.pi / 6)})
    exp = forecast_setup(df, "sales", time_column="month", horizon=6, windows=2)
    assert exp.freq == "MS"
    assert list(exp.data.frame["ds"]) == list(months)
    pipe = exp.finalize("naive")
    assert pipe.spec.get("dayfirst") is True
    first = pipe.records(1)[0]
    assert first["time"] == pd.Timestamp("2022-01-01").isoformat()
