"""Podium's AutoML engine: a standalone library (see README.md and docs/contracts.md).

>>> from podium.engine import samples, setup
>>> exp = setup(*samples.load("iris"), folds=2, seed=0)
>>> exp.compare(models=["lr", "dt"]).leaderboard["columns"][:3]
['Model', 'Accuracy', 'AUC']
"""

from __future__ import annotations

from podium.engine import describe, samples
from podium.engine.artifacts import (
    PipelineManifest,
    load_pipeline,
    predict,
    save_pipeline,
    validate_input,
)
from podium.engine.data import read_table
from podium.engine.errors import ArtifactError, Cancelled, DataError
from podium.engine.events import EngineEvent
from podium.engine.executors import DaskExecutor, ProcessExecutor
from podium.engine.experiment import CompareResult, CreateResult, Experiment, finalize
from podium.engine.prepare import setup
from podium.engine.schema import infer_schema

__all__ = [
    "ArtifactError",
    "Cancelled",
    "CompareResult",
    "CreateResult",
    "DaskExecutor",
    "DataError",
    "EngineEvent",
    "Experiment",
    "PipelineManifest",
    "ProcessExecutor",
    "describe",
    "finalize",
    "infer_schema",
    "load_pipeline",
    "predict",
    "read_table",
    "samples",
    "save_pipeline",
    "setup",
    "validate_input",
]
