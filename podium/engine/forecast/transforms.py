"""The deseasonalized, detrended target of the ``*_cds_dt`` ML models (mlforecast target
transform; mlforecast and coreforecast have differences, scalers and Box-Cox, not this).

Per series, as sktime's ``ConditionalDeseasonalizer`` + ``Detrender`` (PyCaret's ``*_cds_dt``
models): when the autocorrelation test finds the season, subtract the additive seasonal indices
of a classical decomposition (statsmodels ``seasonal_decompose``); then subtract a least-squares
line over the time steps. The model forecasts the remainder from its lags; the inverse adds the
line, extrapolated, and the indices back to every column (point forecast and interval bounds).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from mlforecast.target_transforms import BaseTargetTransform

Array = np.ndarray[Any, Any]


def seasonality_test(values: Array, season_length: int) -> bool:
    """Whether the autocorrelation at the season lag exceeds its 90 % limit under Bartlett's
    formula (the test of the M4 competition's benchmarks, used by sktime and PyCaret); False
    for season length 1 or fewer than three seasons of values.

    >>> t = np.arange(48.0)
    >>> seasonality_test(np.sin(2 * np.pi * t / 12), 12), seasonality_test(t * 0 + 1.0, 1)
    (True, False)
    """
    n = len(values)
    if season_length <= 1 or n < 3 * season_length or np.ptp(values) == 0:
        return False
    from statsmodels.tsa.stattools import acf

    coefs = acf(values, nlags=season_length, fft=False)
    limits = 1.645 / np.sqrt(n) * np.sqrt(np.cumsum(np.append(1.0, 2 * coefs[1:] ** 2)))
    return bool(abs(coefs[season_length]) > limits[season_length - 1])


def seasonal_indices(values: Array, season_length: int) -> Array | None:
    """Additive seasonal indices (one per position of the season, from the first value) when
    the season is found, else None."""
    if not seasonality_test(values, season_length):
        return None
    from statsmodels.tsa.seasonal import seasonal_decompose

    parts = seasonal_decompose(values, model="additive", period=season_length)
    return np.asarray(parts.seasonal[:season_length], dtype="float64")


class DeseasonalizeDetrend(BaseTargetTransform):
    """Conditional additive deseasonalization, then a linear detrend, per series."""

    def __init__(self, season_length: int) -> None:
        self.season_length = season_length
        self.state_: dict[Any, tuple[int, Array | None, Array]] = {}

    def _offsets(self, uid: Any, steps: Array) -> Array:
        _, indices, line = self.state_[uid]
        out = np.polyval(line, steps)
        if indices is not None:
            out = out + indices[steps % self.season_length]
        return np.asarray(out)

    def fit_transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Remove each series' season (when found) and line from the target."""
        values = df[self.target_col].to_numpy(dtype="float64").copy()
        self.state_ = {}
        for uid, rows in df.groupby(self.id_col, sort=False).indices.items():
            y = values[rows]
            indices = seasonal_indices(y, self.season_length)
            steps = np.arange(len(y))
            flat = y if indices is None else y - indices[steps % self.season_length]
            self.state_[uid] = (len(y), indices, np.polyfit(steps, flat, 1))
            values[rows] = y - self._offsets(uid, steps)
        out = df.copy()
        out[self.target_col] = values
        return out

    def inverse_transform(self, df: pd.DataFrame) -> pd.DataFrame:
        """Add the line and season back to every value column of forecasts that start right
        after each series' training end (mlforecast's predictions, in time order)."""
        out = df.copy()
        shift = np.zeros(len(out))
        for uid, rows in out.groupby(self.id_col, sort=False).indices.items():
            shift[rows] = self._offsets(uid, self.state_[uid][0] + np.arange(len(rows)))
        for col in out.columns:
            if col not in (self.id_col, self.time_col):
                out[col] = out[col].to_numpy(dtype="float64") + shift
        return out
