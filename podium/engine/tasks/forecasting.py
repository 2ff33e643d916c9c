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
)
