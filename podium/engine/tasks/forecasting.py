"""Time-series forecasting (owner: the forecast work, podium/engine/forecast/).

Wired end to end: engine (setup, compare/create, finalize), worker (runs, forecast plots,
pipelines), server (``POST /deployments/{slug}/forecast``), web (the wizard's fields from
``describe``) and CLI.
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
    available=True,
    default_metric="MASE",
    output="forecast",
    setup="podium.engine.forecast.experiment:setup",
    models="podium.engine.forecast.models:describe_models",
    metrics="podium.engine.forecast.metrics:describe_metrics",
    setup_params="podium.engine.forecast.params:setup_params",
    cv="podium.engine.forecast.data:window_rows",
    plots="podium.engine.forecast.plots:describe_plots",
    predict="podium.engine.forecast.pipeline:to_records",
    prepare_input="podium.engine.forecast.pipeline:prepare_input",
    check_settings="podium.engine.forecast.data:check_settings",
)
