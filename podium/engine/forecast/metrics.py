"""Forecast metrics: MASE, sMAPE, MAE, RMSE and interval coverage, per backtest window.

Each is computed per series and averaged over the series of a window (MASE is scaled per
series, so series of different sizes weigh the same). Lower is better except Coverage, which
is read against its nominal level (a 95 % interval should cover about 0.95).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from podium.engine.errors import DataError
from podium.engine.run.metrics import Scorer

__all__ = [
    "SCORERS",
    "Scorer",
    "coverage",
    "mae",
    "mase",
    "mase_scale",
    "rmse",
    "score_window",
    "smape",
]

Array = np.ndarray[Any, Any]


def mase_scale(train: Array, season_length: int) -> float | None:
    """In-sample MAE of the seasonal naive forecast (lag ``season_length``, 1 when the series
    is too short for it) on ``train``; None when it is 0 (a constant series).

    >>> mase_scale(np.array([1.0, 3.0, 2.0, 4.0]), 2)
    1.0
    """
    m = season_length if len(train) > season_length else 1
    if len(train) <= m:
        return None
    scale = float(np.mean(np.abs(train[m:] - train[:-m])))
    return scale if scale > 0 else None


def mase(y: Array, f: Array, scale: float | None) -> float | None:
    """Mean absolute scaled error: MAE of the forecast over ``scale`` (:func:`mase_scale`).

    >>> mase(np.array([5.0, 6.0]), np.array([4.0, 8.0]), 1.0)
    1.5
    """
    return None if scale is None else float(np.mean(np.abs(y - f)) / scale)


def smape(y: Array, f: Array) -> float:
    """Symmetric MAPE as a fraction in [0, 2]: mean of ``2|y - f| / (|y| + |f|)`` (0 where
    both are 0), sktime's and PyCaret's definition.

    >>> round(smape(np.array([100.0, 0.0]), np.array([110.0, 0.0])), 6)
    0.047619
    """
    den = np.abs(y) + np.abs(f)
    ratio = np.divide(2 * np.abs(y - f), den, out=np.zeros_like(den), where=den > 0)
    return float(np.mean(ratio))


def mae(y: Array, f: Array) -> float:
    """Mean absolute error."""
    return float(np.mean(np.abs(y - f)))


def rmse(y: Array, f: Array) -> float:
    """Root mean squared error."""
    return float(np.sqrt(np.mean((y - f) ** 2)))


def coverage(y: Array, lo: Array, hi: Array) -> float:
    """Share of values inside ``[lo, hi]``.

    >>> coverage(np.array([1.0, 2.0, 3.0]), np.array([0.0, 2.5, 2.0]), np.array([2.0, 3.0, 4.0]))
    0.6666666666666666
    """
    return float(np.mean((y >= lo) & (y <= hi)))


def _never(y: Array, p: Array, k: int) -> float | None:
    raise DataError("forecast metrics are computed per series by podium.engine.forecast.metrics")


_MASE = "Mean absolute scaled error (vs in-sample seasonal naive)"
_COVERAGE = "Share of actual values inside the widest prediction interval"
SCORERS: tuple[Scorer, ...] = (
    Scorer("MASE", _MASE, False, "forecast", _never),
    Scorer("sMAPE", "Symmetric mean absolute percentage error (0 to 2)", False, "forecast", _never),
    Scorer("MAE", "Mean absolute error", False, "forecast", _never),
    Scorer("RMSE", "Root mean squared error", False, "forecast", _never),
    Scorer("Coverage", _COVERAGE, True, "forecast", _never),
)
DEFAULT_SORT = "MASE"


def scorer(metric_id: str) -> Scorer:
    """The forecasting metric ``metric_id`` (DataError naming the known ones)."""
    for s in SCORERS:
        if s.id.lower() == str(metric_id).lower():
            return s
    raise DataError(
        f"unknown sort metric {metric_id!r} for forecasting: use one of "
        + ", ".join(s.id for s in SCORERS)
    )


def describe_metrics(task: str = "forecasting") -> list[dict[str, Any]]:
    """``[{id, name, greater_is_better}]`` in leaderboard column order."""
    return [{"id": s.id, "name": s.name, "greater_is_better": s.greater_is_better} for s in SCORERS]


def score_window(
    parts: list[tuple[Array, Array, Array, tuple[Array, Array] | None]], season_length: int
) -> dict[str, float | None]:
    """Scores of one window: ``parts`` holds per series ``(train_y, test_y, forecast,
    (lo, hi) of the widest interval or None)``; each metric is the mean over series."""
    per: dict[str, list[float]] = {s.id: [] for s in SCORERS}
    for train, y, f, band in parts:
        value = mase(y, f, mase_scale(train, season_length))
        if value is not None:
            per["MASE"].append(value)
        per["sMAPE"].append(smape(y, f))
        per["MAE"].append(mae(y, f))
        per["RMSE"].append(rmse(y, f))
        if band is not None:
            per["Coverage"].append(coverage(y, *band))
    return {k: (float(np.mean(v)) if v else None) for k, v in per.items()}
