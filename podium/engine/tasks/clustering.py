"""Clustering (owner: the unsupervised work, podium/engine/unsupervised/).

Its engine parts are in podium/engine/unsupervised/; hidden (``available=False``) until the
server, worker and web run it end to end.
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
    available=False,
    default_metric="Silhouette",
    output="cluster",
    setup="podium.engine.unsupervised:setup",
    models="podium.engine.unsupervised.describe:describe_models",
    metrics="podium.engine.unsupervised.describe:describe_metrics",
    setup_params="podium.engine.unsupervised.data:setup_params",
    plots="podium.engine.unsupervised.describe:describe_plots",
    predict="podium.engine.artifacts.pipeline:predict",
    prepare_input="podium.engine.standalone:prepare_rows",
)
