"""The clustering / anomaly tasks' ``models``, ``metrics`` and ``plots`` parts, in the shapes of
:class:`~podium.engine.tasks.TaskDef`'s signatures."""

from __future__ import annotations

from typing import Any

from podium.engine.unsupervised import catalogue, plots
from podium.engine.unsupervised import metrics as m


def describe_models(task: str) -> list[dict[str, Any]]:
    """``[{id, name, family, is_available, reason, turbo}]`` of ``task``'s models."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "family": "pyod" if s.requires == "pyod" else "sklearn",
            "is_available": s.is_available,
            "reason": s.reason,
            "turbo": s.turbo,
        }
        for s in catalogue.specs(task)
    ]


def describe_metrics(task: str) -> list[dict[str, Any]]:
    """``[{id, name, greater_is_better}]`` in leaderboard column order, every column a run may
    show (ARI, AUC and P@k only when a label column is named)."""
    return [
        {"id": c.id, "name": c.name, "greater_is_better": c.higher}
        for c in m.columns(task, labelled=True)
    ]


def describe_plots(task: str) -> list[dict[str, str]]:
    """``[{id, title, source, description}]`` of ``task``'s plots."""
    return [p.describe() for p in plots.plots(task)]
