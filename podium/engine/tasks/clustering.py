"""Clustering (owner: the unsupervised work, podium/engine/unsupervised/).

Hidden (``available=False``) until its setup, models and metrics are wired in.
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
)
