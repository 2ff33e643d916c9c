"""Time-series forecasting (owner: the forecast work, podium/engine/forecast/).

Hidden (``available=False``) until its setup, models and metrics are wired in and the server,
worker and web app run it end to end.
"""

from __future__ import annotations

from podium.engine.tasks.base import TaskDef

FORECASTING = TaskDef(
    id="forecasting",
    name="Time-series forecasting",
    description="Predict the next values of one or many time series.",
    model_kind="forecasting",
    target="required",
    inferable=False,
    available=False,
    default_metric="MASE",
    output="forecast",
    setup="podium.engine.forecast.experiment:setup",
    models="podium.engine.forecast.models:describe_models",
    metrics="podium.engine.forecast.metrics:describe_metrics",
    setup_params="podium.engine.forecast.params:setup_params",
    cv="podium.engine.forecast.data:window_rows",
    plots="podium.engine.forecast.plots:describe_plots",
    predict="podium.engine.forecast.pipeline:to_records",
)
