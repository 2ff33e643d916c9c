"""Forecasting models as data: one frozen :class:`ForecastSpec` per model, and
:class:`Forecaster`, the one fit/predict interface over statsforecast and mlforecast.

statsforecast's numba code is compiled on first use (~4 s); ``NIXTLA_NUMBA_CACHE`` and
``NUMBA_CACHE_DIR`` are set (when unset) before it is imported, so compiled code is kept on
disk and reused by later processes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.errors import DataError
from podium.engine.forecast.data import DS, ID, Y
from podium.engine.standalone import quiet


def use_numba_cache(directory: str | Path | None = None) -> None:
    """Keep numba's compiled code in ``directory`` (default: ``$XDG_CACHE_HOME/podium/numba``
    or ``~/.cache/podium/numba``) unless ``NUMBA_CACHE_DIR`` is already set. Call it before
    statsforecast is imported (workers use the default today; a folder under the data dir
    is not wired)."""
    if directory is None:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        directory = Path(base) / "podium" / "numba"
    os.environ.setdefault("NUMBA_CACHE_DIR", str(directory))
    os.environ.setdefault("NIXTLA_NUMBA_CACHE", "1")


@dataclass(frozen=True)
class ForecastSpec:
    """One forecasting model.

    ``library`` is ``statsforecast``, ``mlforecast`` or ``statsmodels`` (Holt-Winters);
    ``needs_season`` models run only when
    the season length is above 1; ``intermittent`` ones are in the default list only for
    series with many zeros; ``max_season``: left out of the default list for longer seasons
    (seasonal AutoARIMA at 52 weeks takes about a minute per fit; MSTL covers long seasons);
    ``intervals`` says whether the model gives prediction intervals.
    """

    id: str
    name: str
    family: str
    library: str
    needs_season: bool = False
    intermittent: bool = False
    intervals: bool = True
    turbo: bool = True
    max_season: int | None = None  # left out of the default list above this season length


SPECS: tuple[ForecastSpec, ...] = (
    ForecastSpec("naive", "Naive (last value)", "baseline", "statsforecast"),
    ForecastSpec("snaive", "Seasonal naive", "baseline", "statsforecast", needs_season=True),
    ForecastSpec("drift", "Random walk with drift", "baseline", "statsforecast"),
    ForecastSpec("hist_avg", "Historic average", "baseline", "statsforecast"),
    ForecastSpec(
        "seas_avg",
        "Seasonal historic average (climatology)",
        "baseline",
        "statsforecast",
        needs_season=True,
        intervals=False,
    ),
    ForecastSpec("ets", "AutoETS (exponential smoothing)", "statistical", "statsforecast"),
    ForecastSpec("hw", "Holt-Winters (least squares, statsmodels)", "statistical", "statsmodels"),
    ForecastSpec("theta", "AutoTheta", "statistical", "statsforecast"),
    ForecastSpec("dyn_theta", "Dynamic optimized Theta", "statistical", "statsforecast"),
    ForecastSpec(
        "mstl",
        "MSTL (seasonal decomposition + ETS trend)",
        "statistical",
        "statsforecast",
        needs_season=True,
    ),
    ForecastSpec(
        "croston",
        "Croston optimized (intermittent demand)",
        "intermittent",
        "statsforecast",
        intermittent=True,
        intervals=False,
    ),
    ForecastSpec("lightgbm", "LightGBM on lags and calendar features", "ml", "mlforecast"),
    ForecastSpec("linear", "Ridge regression on lags and calendar features", "ml", "mlforecast"),
    ForecastSpec(
        "lightgbm_cds_dt",
        "LightGBM on lags of the deseasonalized, detrended series",
        "ml",
        "mlforecast",
    ),
    ForecastSpec(
        "ridge_cds_dt",
        "Ridge regression on lags of the deseasonalized, detrended series",
        "ml",
        "mlforecast",
    ),
    ForecastSpec("arima", "AutoARIMA", "statistical", "statsforecast", max_season=24),
)
_BY_ID = {s.id: s for s in SPECS}
if len(_BY_ID) != len(SPECS):
    raise ValueError("duplicate forecasting model id")


def get(model_id: str) -> ForecastSpec:
    """The spec of ``model_id`` (DataError naming the known ids)."""
    spec = _BY_ID.get(str(model_id))
    if spec is None:
        raise DataError(f"unknown forecasting model {model_id!r}: use one of {', '.join(_BY_ID)}")
    return spec


def resolve(
    models: list[str] | str | None, season_length: int, intermittent: bool
) -> list[ForecastSpec]:
    """The specs to compare: the named ones (in that order), or the default list for this
    season length and demand pattern."""
    if isinstance(models, str):
        models = [m.strip() for m in models.split(",") if m.strip()]
    if models is not None:
        specs = [get(m) for m in models]
        for s in specs:
            if s.needs_season and season_length <= 1:
                raise DataError(
                    f"model {s.id!r} needs a season length above 1 (it is {season_length}): "
                    "set season_length or leave the model out"
                )
        return specs
    return [
        s
        for s in SPECS
        if s.turbo
        and not (s.needs_season and season_length <= 1)
        and not (s.intermittent and not intermittent)
        and not (s.max_season is not None and season_length > s.max_season)
    ]


def describe_models(task: str = "forecasting") -> list[dict[str, Any]]:
    """``[{id, name, family, is_available, reason, turbo}]`` of the forecasting models."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "family": s.family,
            "is_available": True,
            "reason": None,
            "turbo": s.turbo,
            "intervals": s.intervals,
        }
        for s in SPECS
    ]


def _stats_model(model_id: str, m: int, shortest: int) -> Any:
    """The statsforecast model of ``model_id``; ``shortest`` is the shortest series' length
    (the seasonal average spans every full season of it)."""
    use_numba_cache()
    from statsforecast import models as sf

    makers: dict[str, Callable[[], Any]] = {
        "naive": sf.Naive,
        "snaive": lambda: sf.SeasonalNaive(season_length=m),
        "hist_avg": sf.HistoricAverage,
        "seas_avg": lambda: sf.SeasonalWindowAverage(
            season_length=m, window_size=max(1, shortest // m)
        ),
        "drift": sf.RandomWalkWithDrift,
        "dyn_theta": lambda: sf.DynamicOptimizedTheta(season_length=m),
        "ets": lambda: sf.AutoETS(season_length=m),
        "arima": lambda: sf.AutoARIMA(season_length=m),
        "theta": lambda: sf.AutoTheta(season_length=m),
        "mstl": lambda: sf.MSTL(season_length=m, trend_forecaster=sf.AutoETS(model="ZZN")),
        "croston": sf.CrostonOptimized,
    }
    return makers[model_id]()


_CALENDAR = {
    "h": ["hour", "dayofweek"],
    "min": ["minute", "hour"],
    "D": ["dayofweek", "month"],
    "B": ["dayofweek", "month"],
    "W": ["month"],
    "M": ["month"],
    "Q": ["quarter"],
}


def calendar_features(freq: str) -> list[str]:
    """Calendar features of the ML models for ``freq`` (none for yearly data)."""
    base = pd.tseries.frequencies.to_offset(freq).rule_code.split("-")[0]
    for key in ("min", "h", "B", "D", "W", "Q", "M"):
        if base.startswith(key) or (key == "M" and base in ("MS", "ME", "SMS", "BMS", "BME")):
            return list(_CALENDAR[key])
    return []


def ml_lags(season_length: int, train_size: int) -> list[int]:
    """Lags of the ML models: every lag up to the season (sktime's reduction default, window =
    season) when the season is at most 24 steps and the training part holds it twice; else
    1–3 and the season (when it fits twice)."""
    fits = 2 * season_length + 2 < train_size
    if 3 < season_length <= 24 and fits:
        return list(range(1, season_length + 1))
    return [1, 2, 3] + ([season_length] if season_length > 3 and fits else [])


class Forecaster:
    """Fit a model on a long frame and forecast ``h`` steps with intervals at ``levels``.

    Parameters
    ----------
    model_id : str
        A :data:`SPECS` id.
    freq : str
        pandas frequency alias of the series.
    season_length : int
    levels : list of int
        Interval levels in percent (e.g. ``[80, 95]``).
    seed : int
    exogenous : list of str
        Columns of the frame the ML models use (they then need their future values).
    """

    def __init__(
        self,
        model_id: str,
        *,
        freq: str,
        season_length: int,
        levels: list[int],
        seed: int,
        exogenous: list[str] | None = None,
    ) -> None:
        self.spec = get(model_id)
        self.freq, self.season_length, self.seed = freq, season_length, seed
        self.levels = sorted(int(v) for v in levels)
        self.exogenous = list(exogenous or []) if self.spec.library == "mlforecast" else []
        self._fitted: Any = None
        self._intervals = False
        self._interval_h: int | None = None  # conformal intervals reach this far (ML models)

    def params(self) -> dict[str, Any]:
        """The JSON parameters that rebuild this forecaster (the artifact stores them)."""
        return {
            "model_id": self.spec.id,
            "freq": self.freq,
            "season_length": self.season_length,
            "levels": self.levels,
            "seed": self.seed,
            "exogenous": self.exogenous,
        }

    def fit(self, frame: pd.DataFrame, h: int) -> Forecaster:
        """Fit on ``frame`` (``unique_id``, ``ds``, ``y`` and exogenous columns)."""
        with quiet():
            if self.spec.library == "statsforecast":
                self._fit_stats(frame[[ID, DS, Y]])
            elif self.spec.library == "statsmodels":
                from podium.engine.forecast.holtwinters import HoltWinters

                hw = HoltWinters(self.season_length, self.freq, self.seed)
                self._fitted = hw.fit(frame[[ID, DS, Y]])
                self._intervals = self.spec.intervals
            else:
                self._fit_ml(frame[[ID, DS, Y, *self.exogenous]], h)
        return self

    def _fit_stats(self, frame: pd.DataFrame) -> None:
        use_numba_cache()
        from statsforecast import StatsForecast

        shortest = int(frame.groupby(ID).size().min())
        model = _stats_model(self.spec.id, self.season_length, shortest)
        self._fitted = StatsForecast(models=[model], freq=self.freq, n_jobs=1).fit(frame)
        self._intervals = self.spec.intervals

    def _fit_ml(self, frame: pd.DataFrame, h: int) -> None:
        use_numba_cache()
        from mlforecast import MLForecast
        from mlforecast.target_transforms import Differences, LocalStandardScaler
        from mlforecast.utils import PredictionIntervals

        shortest = int(frame.groupby(ID).size().min())
        lags = ml_lags(self.season_length, shortest)
        if self.spec.id.endswith("_cds_dt"):  # PyCaret's *_cds_dt: lags of the remainder only
            from podium.engine.forecast.transforms import DeseasonalizeDetrend

            transforms: list[Any] = [DeseasonalizeDetrend(self.season_length)]
            transforms += [LocalStandardScaler()] if self.spec.id == "ridge_cds_dt" else []
            dates: list[str] = []
        else:
            transforms, dates = [Differences([1])], calendar_features(self.freq)
        fc = MLForecast(
            models={"model": self._estimator()},
            freq=self.freq,
            lags=lags,
            date_features=dates,
            target_transforms=transforms,
        )
        # conformal intervals need two extra windows of h points beyond the lags
        self._intervals = shortest >= 2 * h + max(lags) + 10
        intervals = PredictionIntervals(n_windows=2, h=h) if self._intervals else None
        self._fitted = fc.fit(frame, static_features=[], prediction_intervals=intervals)
        self._interval_h = h

    def _estimator(self) -> Any:
        if self.spec.id.startswith("lightgbm"):
            from lightgbm import LGBMRegressor

            return LGBMRegressor(
                n_estimators=100,
                learning_rate=0.05,
                num_leaves=15,
                min_child_samples=5,
                random_state=self.seed,
                n_jobs=1,
                verbose=-1,
                deterministic=True,
            )
        from sklearn.linear_model import Ridge

        return Ridge(alpha=1.0)

    def predict(self, h: int, future: pd.DataFrame | None = None) -> pd.DataFrame:
        """``unique_id``, ``ds``, ``value`` and ``lo-<level>``/``hi-<level>`` per level
        (NaN when the model gives no interval). ``future`` holds the exogenous values of the
        ``h`` steps (``unique_id``, ``ds`` and the exogenous columns) when the model uses them.
        """
        if self._fitted is None:
            raise DataError("fit the forecaster before predicting")
        # conformal intervals (ML models) are calibrated for the fitted horizon only
        beyond = self._interval_h is not None and h > self._interval_h
        level = self.levels if self._intervals and self.levels and not beyond else None
        with quiet():
            if self.spec.library == "statsmodels":
                out, name = self._fitted.predict(h, level), "HoltWinters"
            elif self.spec.library == "statsforecast":
                out = self._fitted.predict(h=h, level=level) if level else self._fitted.predict(h=h)
                name = type(self._fitted.models[0]).__name__
                name = str(self._fitted.models[0]) if str(self._fitted.models[0]) in out else name
            else:
                X_df = None
                if self.exogenous:
                    if future is None:
                        raise DataError(
                            "this model uses exogenous columns "
                            f"({', '.join(self.exogenous)}): give their values for the "
                            f"{h} future steps"
                        )
                    X_df = future[[ID, DS, *self.exogenous]]
                out = self._fitted.predict(h=h, level=level, X_df=X_df)
                name = "model"
        return _tidy(out.reset_index(drop=ID in out.columns), name, self.levels)


def _tidy(out: pd.DataFrame, name: str, levels: list[int]) -> pd.DataFrame:
    if ID not in out.columns and "index" in out.columns:
        out = out.rename(columns={"index": ID})
    tidy = pd.DataFrame(
        {
            ID: out[ID].astype(str).to_numpy(),
            DS: pd.to_datetime(out[DS]).to_numpy(),
            "value": out[name].to_numpy(dtype="float64"),
        }
    )
    for lv in levels:
        for side in ("lo", "hi"):
            col = f"{name}-{side}-{lv}"
            tidy[f"{side}-{lv}"] = out[col].to_numpy(dtype="float64") if col in out else np.nan
    return tidy
