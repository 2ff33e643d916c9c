"""Clustering (owner: the unsupervised work, podium/engine/unsupervised/).

Its parts are in podium/engine/unsupervised/; run end to end by the server, worker and web.
"""

from __future__ import annotations

from podium.engine.tasks.base import TaskDef

CLUSTERING = TaskDef(
    id="clustering",
    name="Clustering",
    description="Group similar rows; no target column.",
    model_kind="clustering",
    target="none",
    inferable=False,
    available=True,
    default_metric="Silhouette",
    output="cluster",
    setup="podium.engine.unsupervised:setup",
    models="podium.engine.unsupervised.describe:describe_models",
    metrics="podium.engine.unsupervised.describe:describe_metrics",
    setup_params="podium.engine.unsupervised.data:setup_params",
    cv="podium.engine.unsupervised.data:whole_table",
    plots="podium.engine.unsupervised.describe:describe_plots",
    predict="podium.engine.artifacts.pipeline:predict",
    prepare_input="podium.engine.standalone:prepare_rows",
)
