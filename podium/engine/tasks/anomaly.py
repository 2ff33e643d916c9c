"""Anomaly detection (owner: the unsupervised work, podium/engine/unsupervised/).

Hidden (``available=False``) until its setup, models and metrics are wired in. The optional
target is a label column the detectors are scored against, never trained on.
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
    available=False,
    default_metric="AUC",
    output="anomaly",
)
