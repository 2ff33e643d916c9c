"""Describe endpoints' logic (thin: the engine owns the facts)."""

from __future__ import annotations

from typing import Any

from podium.server.services import engine


def tasks() -> list[dict[str, Any]]:
    """Learning tasks."""
    return engine.describe_tasks()


def models(task: str) -> list[dict[str, Any]]:
    """Models of a task, with availability."""
    return engine.describe_models(task)


def metrics(task: str) -> list[dict[str, Any]]:
    """Metrics of a task."""
    return engine.describe_metrics(task)


def setup_params(task: str) -> list[dict[str, Any]]:
    """Setup parameters of a task."""
    return engine.describe_setup_params(task)


def plans(task: str | None = None) -> list[dict[str, Any]]:
    """Plans a run can execute (all, or those of ``task``), with their parameters."""
    return engine.describe_plans(task)


def plots(task: str) -> list[dict[str, Any]]:
    """Plots of a task and where their data comes from."""
    return engine.describe_plots(task)


def samples() -> list[dict[str, Any]]:
    """Bundled samples (``iris`` …; runs and experiments also accept ``sklearn:iris``)."""
    return engine.describe_samples()
