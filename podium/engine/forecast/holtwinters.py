"""Holt-Winters exponential smoothing fitted by least squares (statsmodels'
``ExponentialSmoothing``), one fit per series.

The same model family as statsforecast's ETS, a different estimator: smoothing parameters and
initial states minimise the in-sample squared one-step errors (R's ``stats::HoltWinters``,
sktime's and PyCaret's ``exp_smooth``), where AutoETS maximises a likelihood and picks the
form by AICc. The two disagree most on short strongly seasonal series (AirPassengers: AutoETS
chose ETS(M,N,M), no trend). The form follows PyCaret's and sktime's rule: an additive trend,
a multiplicative season when every value is positive (additive otherwise), no season when the
season length is 1 or the series holds fewer than two seasons.

Intervals are simulated (``HoltWintersResults.simulate``: 500 paths with the fit's residual
scale, errors of the season's kind) from a generator seeded with the run seed, so a refit on
the same history reproduces them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from podium.engine.forecast.data import DS, ID, Y

PATHS = 500
NAME = "HoltWinters"


def form(values: np.ndarray[Any, Any], season_length: int) -> str | None:
    """The seasonal component for these values: ``"mul"``, ``"add"`` or None.

    >>> form(np.array([1.0, 2.0, 3.0, 4.0]), 2), form(np.array([1.0, -2.0, 3.0, 4.0]), 2)
    ('mul', 'add')
    >>> form(np.array([1.0, 2.0, 3.0]), 2) is None
    True
    """
    if season_length <= 1 or len(values) < 2 * season_length:
        return None
    return "mul" if bool(np.all(values > 0)) else "add"


class HoltWinters:
    """Holt-Winters per series of a long frame; :meth:`predict` returns statsforecast's
    layout (``unique_id``, ``ds``, ``HoltWinters``, ``HoltWinters-lo-<level>``, …)."""

    def __init__(self, season_length: int, freq: str, seed: int) -> None:
        self.season_length, self.freq, self.seed = season_length, freq, seed
        self.fits_: list[tuple[str, pd.Timestamp, Any, str | None]] = []

    def fit(self, frame: pd.DataFrame) -> HoltWinters:
        """Fit one model per ``unique_id`` of ``frame`` (``unique_id``, ``ds``, ``y``)."""
        from statsmodels.tsa.holtwinters import ExponentialSmoothing

        self.fits_ = []
        for uid, part in frame.groupby(ID, sort=False):
            values = part[Y].to_numpy(dtype="float64")
            seasonal = form(values, self.season_length)
            model = ExponentialSmoothing(
                values,
                trend="add",
                seasonal=seasonal,
                seasonal_periods=self.season_length if seasonal else None,
                initialization_method="estimated",
            )
            self.fits_.append((str(uid), pd.Timestamp(part[DS].iloc[-1]), model.fit(), seasonal))
        return self

    def predict(self, h: int, level: list[int] | None = None) -> pd.DataFrame:
        """``h`` steps per series, with simulated intervals at ``level`` (percent)."""
        parts = []
        for uid, last, res, seasonal in self.fits_:
            dates = pd.date_range(last, periods=h + 1, freq=self.freq)[1:]
            part = pd.DataFrame({ID: uid, DS: dates, NAME: np.asarray(res.forecast(h))})
            if level:
                rng = np.random.default_rng(self.seed)
                error = "mul" if seasonal == "mul" else "add"
                paths = np.asarray(
                    res.simulate(h, anchor="end", repetitions=PATHS, error=error, rng=rng)
                ).reshape(h, PATHS)
                for lv in level:
                    tail = (100 - lv) / 200
                    part[f"{NAME}-lo-{lv}"] = np.quantile(paths, tail, axis=1)
                    part[f"{NAME}-hi-{lv}"] = np.quantile(paths, 1 - tail, axis=1)
            parts.append(part)
        return pd.concat(parts, ignore_index=True)
