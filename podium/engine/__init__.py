"""Podium's AutoML engine: a standalone library (see README.md and docs/contracts.md).

Names are imported on first use, so worker processes that only run fits do not import
pandas-heavy modules they never touch.

>>> from podium.engine import samples, setup
>>> exp = setup(*samples.load("iris"), folds=2, seed=0)
>>> exp.compare(models=["lr", "dt"]).leaderboard["columns"][:3]
['Model', 'Accuracy', 'AUC']
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from podium.engine import describe, samples, tasks
    from podium.engine.artifacts.pipeline import (
        PipelineManifest,
        load_pipeline,
        predict,
        save_pipeline,
        validate_input,
    )
    from podium.engine.errors import ArtifactError, Cancelled, DataError, Failed, Interrupted
    from podium.engine.events import EngineEvent, OnEvent, ShouldStop
    from podium.engine.experiment import Experiment, finalize
    from podium.engine.prepare.data import read_table
    from podium.engine.prepare.profile import Profile, profile
    from podium.engine.prepare.schema import infer_schema
    from podium.engine.run.executors import DaskExecutor, Executor, ProcessExecutor
    from podium.engine.run.results import CompareResult, CreateResult
    from podium.engine.search.results import ImproveResult, Trial
    from podium.engine.setup_experiment import setup

_WHERE = {
    "describe": "podium.engine.describe",
    "samples": "podium.engine.samples",
    "tasks": "podium.engine.tasks",
    "PipelineManifest": "podium.engine.artifacts.pipeline",
    "load_pipeline": "podium.engine.artifacts.pipeline",
    "predict": "podium.engine.artifacts.pipeline",
    "save_pipeline": "podium.engine.artifacts.pipeline",
    "validate_input": "podium.engine.artifacts.pipeline",
    "read_table": "podium.engine.prepare.data",
    "profile": "podium.engine.prepare.profile",
    "Profile": "podium.engine.prepare.profile",
    "ArtifactError": "podium.engine.errors",
    "Cancelled": "podium.engine.errors",
    "DataError": "podium.engine.errors",
    "Failed": "podium.engine.errors",
    "Interrupted": "podium.engine.errors",
    "EngineEvent": "podium.engine.events",
    "OnEvent": "podium.engine.events",
    "ShouldStop": "podium.engine.events",
    "DaskExecutor": "podium.engine.run.executors",
    "Executor": "podium.engine.run.executors",
    "ProcessExecutor": "podium.engine.run.executors",
    "CompareResult": "podium.engine.run.results",
    "CreateResult": "podium.engine.run.results",
    "ImproveResult": "podium.engine.search.results",
    "Trial": "podium.engine.search.results",
    "Experiment": "podium.engine.experiment",
    "finalize": "podium.engine.experiment",
    "setup": "podium.engine.setup_experiment",
    "infer_schema": "podium.engine.prepare.schema",
}

__all__ = [
    "ArtifactError",
    "Cancelled",
    "CompareResult",
    "CreateResult",
    "DaskExecutor",
    "DataError",
    "EngineEvent",
    "Executor",
    "Experiment",
    "Failed",
    "ImproveResult",
    "Interrupted",
    "OnEvent",
    "PipelineManifest",
    "ProcessExecutor",
    "Profile",
    "ShouldStop",
    "Trial",
    "describe",
    "finalize",
    "infer_schema",
    "load_pipeline",
    "predict",
    "profile",
    "read_table",
    "samples",
    "save_pipeline",
    "setup",
    "tasks",
    "validate_input",
]


def __getattr__(name: str) -> Any:
    module_name = _WHERE.get(name)
    if module_name is None:
        raise AttributeError(f"module 'podium.engine' has no attribute {name!r}")
    module = importlib.import_module(module_name)
    value = module if module_name == f"podium.engine.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
