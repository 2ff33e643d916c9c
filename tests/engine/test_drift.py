"""Drift statistics on fixed data, checked against SciPy and the PSI formula; severity rules."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from podium.engine.monitor import drift


def _frame(seed: int, shift: float = 0.0, n: int = 400) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "age": rng.normal(40 + shift, 10, n).round(1),
            "city": rng.choice(["a", "b", "c"], n, p=[0.5, 0.3, 0.2]),
        }
    )
    return frame, np.where(frame["age"] > 40, "yes", "no")


def test_psi_is_the_formula() -> None:
    expected, actual = [0.5, 0.3, 0.2], [0.4, 0.4, 0.2]
    by_hand = sum((a - e) * math.log(a / e) for e, a in zip(expected, actual, strict=True))
    assert drift.psi(expected, actual) == pytest.approx(by_hand, abs=1e-12)
    assert drift.psi([1.0, 0.0], [1.0, 0.0]) == 0.0  # empty bins floored, not infinite


def test_numeric_ks_and_categorical_chi2_equal_scipy() -> None:
    train, predictions = _frame(0)
    base = drift.baseline(train, predictions, "binary")
    now, now_pred = _frame(1, shift=3.0, n=300)
    report = drift.compare(base, now, now_pred)
    age, city = report["features"]
    ks = stats.ks_2samp(train["age"], now["age"])  # the sketch holds all 400 values
    assert age["ks"] == pytest.approx(ks.statistic, abs=1e-12)
    assert age["p_value"] == pytest.approx(ks.pvalue, rel=1e-9)
    shares = [base["features"][1]["shares"][k] for k in ["a", "b", "c"]]
    observed = [int((now["city"] == k).sum()) for k in ["a", "b", "c"]] + [0]
    expected = np.maximum([*shares, 0.0], drift.EPS)
    chi = stats.chisquare(observed, expected / expected.sum() * len(now))
    assert city["chi2"] == pytest.approx(chi.statistic, rel=1e-9)
    assert city["p_value"] == pytest.approx(chi.pvalue, rel=1e-9)
    assert sum(age["shares_now"]) == pytest.approx(1.0)
    assert len(age["bins"]) == len(age["shares_base"]) == len(base["features"][0]["edges"]) + 1


def test_same_distribution_is_quiet_shifted_is_high() -> None:
    train, predictions = _frame(0, n=2000)
    base = drift.baseline(train, predictions, "binary")
    same, same_pred = _frame(7, n=1000)
    quiet = drift.compare(base, same, same_pred)
    assert quiet["severity"] in ("none", "low")
    moved, moved_pred = _frame(7, shift=15.0, n=1000)
    loud = drift.compare(base, moved, moved_pred)
    assert loud["severity"] == "high"
    assert loud["features"][0]["severity"] == "high"
    assert loud["features"][1]["severity"] in ("none", "low")  # the city did not move
    assert loud["prediction"]["severity"] == "high"  # far more "yes" now


def test_missing_rate_and_too_few_rows() -> None:
    train, predictions = _frame(0)
    base = drift.baseline(train, predictions, "binary")
    now, now_pred = _frame(1, n=200)
    now.loc[:59, "city"] = None  # 30 % missing, 0 % in training
    report = drift.compare(base, now, now_pred)
    city = report["features"][1]
    assert city["missing_change"] == pytest.approx(0.3)
    assert city["severity"] == "high"
    few = drift.compare(base, now.head(5), now_pred[:5])
    assert few["severity"] == "unknown"
    assert "at least 30 are needed" in few["notes"][0]


@pytest.mark.parametrize(
    ("feature", "expected"),
    [
        ({"psi": 0.3, "missing_change": 0.0, "p_value": 0.01}, "high"),
        ({"psi": 0.3, "missing_change": 0.0, "p_value": 0.5}, "none"),  # small-window noise
        ({"psi": 0.01, "missing_change": -0.25, "p_value": 0.5}, "high"),
        ({"psi": 0.12, "missing_change": 0.0, "p_value": 0.04}, "medium"),
        ({"psi": 0.01, "missing_change": 0.06, "p_value": 0.5}, "medium"),
        ({"psi": 0.01, "missing_change": 0.0, "p_value": 0.001, "ks": 0.2}, "medium"),
        ({"psi": 0.01, "missing_change": 0.0, "p_value": 0.03}, "low"),
        ({"psi": 0.01, "missing_change": 0.0, "p_value": 0.5}, "none"),
    ],
)
def test_severity_rules(feature: dict[str, float], expected: str) -> None:
    assert drift.severity(feature) == expected


def test_plots_are_plot_data() -> None:
    train, predictions = _frame(0)
    report = drift.compare(drift.baseline(train, predictions, "binary"), *_frame(1, shift=5))
    plots = drift.plots(report)
    assert [p["id"] for p in plots] == ["psi", "feature:age", "feature:city", "feature:prediction"]
    assert plots[0]["series"][0]["y"] == ["age", "city", "prediction"]
    over = drift.over_time([("a", report), ("b", report)])
    assert [s["name"] for s in over["series"]] == ["age", "city", "prediction"]
    assert over["series"][0]["x"] == ["a", "b"]
