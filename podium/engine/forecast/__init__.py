"""Time-series forecasting (task ``forecasting``): statsforecast and mlforecast models
backtested on expanding windows, ranked by MASE, finalized into a pickle-free pipeline.

>>> import numpy as np, pandas as pd
>>> from podium.engine import forecast
>>> df = pd.DataFrame({"month": pd.date_range("2018-01-01", periods=60, freq="MS"),
...                    "sales": np.arange(60.0) % 12 + np.arange(60.0) / 10})
>>> exp = forecast.setup(df, "sales", time_column="month", horizon=12, windows=2)
>>> exp.compare(models=["naive", "snaive"]).best
['snaive']
"""

from __future__ import annotations

from podium.engine.forecast.experiment import ForecastExperiment, setup
from podium.engine.forecast.pipeline import ForecastPipeline

__all__ = ["ForecastExperiment", "ForecastPipeline", "setup"]
