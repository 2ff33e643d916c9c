"""A run's models: where their predictions live in the artifact store, and the model view
(hyperparameters, preprocessing, per-fold table, CV and holdout scores, plots)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterable
from typing import Any

from podium.engine.run.predictions import ModelPredictions
from podium.server.storage import ArtifactStore

MAX_PREDICTIONS_BYTES = 2 * 1024**3
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


def run_prefix(workspace_id: uuid.UUID, run_id: uuid.UUID) -> str:
    """Where everything a run stored lives: ``workspaces/<ws>/runs/<run_id>``."""
    return f"workspaces/{workspace_id}/runs/{run_id}"


def predictions_key(workspace_id: uuid.UUID, run_id: uuid.UUID, model_id: str) -> str:
    """The artifact key of one model's out-of-fold and holdout predictions (``.npz``)."""
    if not _SAFE_ID.match(model_id):
        raise ValueError(f"model id {model_id!r} cannot name a file")
    return f"{run_prefix(workspace_id, run_id)}/predictions/{model_id}.npz"


def store_predictions(
    store: ArtifactStore,
    workspace_id: uuid.UUID,
    run_id: uuid.UUID,
    predictions: Iterable[ModelPredictions],
) -> list[str]:
    """Write each model's predictions; returns the keys written."""
    keys = []
    for p in predictions:
        key = predictions_key(workspace_id, run_id, p.model_id)
        store.put_stream(key, io.BytesIO(p.to_bytes()), MAX_PREDICTIONS_BYTES)
        keys.append(key)
    return keys


def read_predictions(
    store: ArtifactStore, workspace_id: uuid.UUID, run_id: uuid.UUID, model_id: str
) -> ModelPredictions | None:
    """One model's stored predictions, or None when the run stored none for it."""
    try:
        key = predictions_key(workspace_id, run_id, model_id)
        with store.open(key) as handle:
            return ModelPredictions.load(handle.read())
    except (FileNotFoundError, ValueError):
        return None


def holdout_scores(predictions: Iterable[ModelPredictions]) -> dict[str, Any]:
    """``{model_id: {metric: value}}`` of the models that scored a holdout (the run's result
    keeps it: a promoted pipeline's manifest carries its model's)."""
    return {p.model_id: p.holdout_scores for p in predictions if p.holdout_scores is not None}
