"""Anomaly detection (owner: the unsupervised work, podium/engine/unsupervised/).

Its parts are in podium/engine/unsupervised/; run end to end by the server, worker and web.
The optional target is a label column the detectors are scored against, never trained on.
"""

from __future__ import annotations

from podium.engine.tasks.base import TaskDef

ANOMALY = TaskDef(
    id="anomaly",
    name="Anomaly detection",
    description="Find unusual rows; a label column, when there is one, scores the detectors.",
    model_kind="anomaly",
    target="optional",
    inferable=False,
    available=True,
    default_metric="AUC",
    output="anomaly",
    setup="podium.engine.unsupervised:setup",
    models="podium.engine.unsupervised.describe:describe_models",
    metrics="podium.engine.unsupervised.describe:describe_metrics",
    setup_params="podium.engine.unsupervised.data:setup_params",
    cv="podium.engine.unsupervised.data:whole_table",
    plots="podium.engine.unsupervised.describe:describe_plots",
    predict="podium.engine.artifacts.pipeline:predict",
    prepare_input="podium.engine.standalone:prepare_rows",
)
