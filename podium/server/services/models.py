"""A run's models: where their predictions live in the artifact store, the model view
(hyperparameters, preprocessing, per-fold table, CV and holdout scores, plots) and its plots.

Predictions are arrays in the artifact store, never in the database; the run's result keeps
only scores (each model's holdout metrics) and the preprocessing steps. The engine is imported
on first use (see :mod:`podium.server.services.engine`).
"""

from __future__ import annotations

import importlib
import io
import re
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy.orm import Session

from podium.engine.run.leaderboard import HOLDOUT_COLUMN, ROW_KEYS
from podium.server.db.models import TERMINAL, Run
from podium.server.errors import Conflict, NotFound
from podium.server.services import runs
from podium.server.services.analysis import find, plot_key, read_plot
from podium.server.services.run_files import run_prefix
from podium.server.storage import ArtifactStore

if TYPE_CHECKING:
    from podium.engine.records import PlotData
    from podium.engine.run.predictions import ModelPredictions

MAX_PREDICTIONS_BYTES = 2 * 1024**3
_SAFE_ID = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")


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
    from podium.engine.run.predictions import ModelPredictions

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


@dataclass(frozen=True)
class _Found:
    run: Run
    task: str
    row: dict[str, Any]  # the model's leaderboard row (compare) or the Mean row (create)
    name: str


def _find(session: Session, user_id: uuid.UUID, run_id: uuid.UUID, model_id: str) -> _Found:
    """The run (membership checked) and its model's row; 404 naming the run's models."""
    run = runs.get(session, user_id, run_id)
    board = run.leaderboard or {}
    rows: list[dict[str, Any]] = board.get("rows") or []
    task = str((run.result or {}).get("task") or runs.snapshot(run)["experiment"]["task"])
    if run.plan == "create" and run.model_id and rows:
        if model_id == run.model_id:
            mean = next((r for r in rows if r.get("Fold") == "Mean"), {})
            return _Found(run, task, mean, _model_name(task, model_id))
        known = [run.model_id]
    else:
        row = next((r for r in rows if r.get("model_id") == model_id), None)
        if row is not None:
            return _Found(run, task, row, str(row.get("Model") or model_id))
        known = [str(r["model_id"]) for r in rows if r.get("model_id")]
    if not known and run.status not in TERMINAL:
        raise Conflict(f"run {run.id} is {run.status}: its models can be read once it ends")
    models = ", ".join(known) if known else "none (it trained no model)"
    raise NotFound(f"model {model_id!r} is not in run {run.id}; its models: {models}")


def _model_name(task: str, model_id: str) -> str:
    from podium.engine.models import registry

    try:
        return registry.get(task, model_id).name
    except Exception:
        return model_id


# what a plot request imports: NumPy and the engine's plot code (no scikit-learn: the curves are
# NumPy, evaluate/curves.py), about 0.1 CPU-second
_PLOT_MODULES = ("podium.engine.evaluate.plots", "podium.engine.run.leaderboard")
_warming: list[threading.Thread] = []


def warm_plots() -> None:
    """Import what drawing a plot needs in a background thread, once: started when the API
    starts (and by the model view, should that come first), so the first plot request does not
    pay for the import."""
    if _warming:
        return
    thread = threading.Thread(
        target=lambda: [importlib.import_module(m) for m in _PLOT_MODULES],
        name="podium-plot-imports",
        daemon=True,
    )
    _warming.append(thread)
    thread.start()


def get_model(
    session: Session, store: ArtifactStore, user_id: uuid.UUID, run_id: uuid.UUID, model_id: str
) -> dict[str, Any]:
    """The model view (``ModelRead``'s fields) of one model of a run."""
    from podium.engine.evaluate import plots

    warm_plots()
    found = _find(session, user_id, run_id, model_id)
    run = found.run
    stored = read_predictions(store, run.workspace_id, run.id, model_id)
    error = found.row.get("Error")
    folds = _folds(found, stored)
    cv = _cv(folds, found.row)
    holdout = ((run.result or {}).get("holdout") or {}).get(model_id)
    listed = []
    if _fit_plots(found.task):  # clustering / anomaly: plots stored by the worker at the end
        for info in _fit_plots(found.task):
            key = plot_key(run.workspace_id, run.id, model_id, info["id"])
            listed.append({"id": info["id"], "title": info["title"], "source": info["source"],
                           "available": _exists(store, key)})  # fmt: skip
    for spec in plots.plots(found.task):
        if spec.source == "analysis":
            available = _exists(store, plot_key(run.workspace_id, run.id, model_id, spec.id))
        else:
            available = spec.available(stored)
        listed.append({"id": spec.id, "title": spec.title, "source": spec.source,
                       "available": available})  # fmt: skip
    return {
        "run_id": run.id,
        "model_id": model_id,
        "name": found.name,
        "task": found.task,
        "params": stored.params if stored is not None else {},
        "preprocessing": list((run.result or {}).get("preprocessing") or []),
        "folds": folds,
        "cv": cv,
        "holdout": holdout,
        "no_holdout": None if holdout else _why_no_holdout(found),
        "error": str(error) if error else None,
        "no_predictions": None
        if stored is not None or _fit_plots(found.task)
        else _why_none(found),
        "plots": listed,
        "analysis": None if (job := find(session, run.id, model_id)) is None else job.status,
    }


def _folds(found: _Found, stored: ModelPredictions | None) -> dict[str, Any] | None:
    """The per-fold table: the run's own leaderboard for create, else from the stored scores."""
    from podium.engine.run.leaderboard import ModelOutcome, create_table

    if found.run.plan == "create":
        return dict(found.run.leaderboard or {}) or None
    if stored is None or not stored.fold_scores:
        return None
    outcome = ModelOutcome(stored.model_id, stored.name, fold_scores=dict(stored.fold_scores))
    return dict(create_table(found.task, outcome))


def _cv(folds: dict[str, Any] | None, row: dict[str, Any]) -> dict[str, float | None]:
    mean = next((r for r in (folds or {}).get("rows", []) if r.get("Fold") == "Mean"), None)
    source = mean if mean is not None else row
    return {k: v for k, v in source.items() if k not in ROW_KEYS}


def _why_none(found: _Found) -> str:
    """Why a model has no stored predictions, in words a model page shows."""
    row = found.row
    if row.get("Error"):
        return f"the model failed: {row['Error']}"
    if row.get("partial"):
        done = row.get("folds_done")
        when = f" after {done} fold(s)" if done is not None else ""
        return f"the race stopped it{when}, so not every row has an out-of-fold prediction"
    return "the run stored none (it ran before predictions were kept)"


def _why_no_holdout(found: _Found) -> str:
    """Why a model has no holdout scores, in words a model page shows."""
    run, row = found.run, found.row
    scored = (run.result or {}).get("holdout") or {}
    if not scored and HOLDOUT_COLUMN not in ((run.leaderboard or {}).get("columns") or []):
        return "the run scored no model on a holdout split (it kept none)"
    if row.get("Error"):
        return "the model failed"
    if row.get("partial"):
        return "the race stopped it before its last fold, so it was never fitted for the holdout"
    if run.plan == "auto":
        return (
            "auto scores the holdout only for the model it returns and its ensemble's members: "
            "the holdout chooses nothing, and fitting every model again would spend the budget"
        )
    return "its fit on the training part did not finish (the run was stopped or ran out of time)"


def _exists(store: ArtifactStore, key: str) -> bool:
    try:
        with store.open(key):
            return True
    except (FileNotFoundError, IsADirectoryError):
        return False


def get_plot(
    session: Session,
    store: ArtifactStore,
    user_id: uuid.UUID,
    run_id: uuid.UUID,
    model_id: str,
    plot_id: str,
    split: str = "oof",
) -> PlotData:
    """One plot of a model: drawn from its stored predictions, or the analysis job's JSON.

    Raises
    ------
    NotFound
        Unknown run, model or plot (for the model's task).
    Conflict
        Predictions not stored (the model failed, or the run predates them), the scores the
        plot needs missing, no holdout, or an analysis plot not computed yet.
    """
    from podium.engine.errors import DataError
    from podium.engine.evaluate import plots

    found = _find(session, user_id, run_id, model_id)
    run = found.run
    fit_plots = _fit_plots(found.task)
    if fit_plots:
        if plot_id not in [p["id"] for p in fit_plots]:
            known = ", ".join(p["id"] for p in fit_plots)
            raise NotFound(f"unknown plot {plot_id!r} for task {found.task!r}: use one of {known}")
        why = (
            "was not stored: the model failed, or it cannot draw it (the elbow when "
            "n_clusters was given, the silhouette with 1 cluster)"
        )
        return _kept_plot(store, run, model_id, plot_id, why)
    try:
        spec = plots.get(found.task, plot_id)
    except DataError as exc:
        raise NotFound(str(exc)) from None
    if spec.source == "analysis":
        why = (
            f"is not computed yet; POST /api/v1/runs/{run.id}/models/{model_id}/analysis "
            "to compute it"
        )
        return _kept_plot(store, run, model_id, plot_id, why)
    stored = read_predictions(store, run.workspace_id, run.id, model_id)
    if stored is None:
        why = _why_none(found)
        raise Conflict(f"model {model_id!r} of run {run.id} has no stored predictions: {why}")
    try:
        return plots.draw(plot_id, stored, split)
    except DataError as exc:
        raise Conflict(str(exc)) from None


def _fit_plots(task: str) -> list[dict[str, Any]]:
    """The plots of a task drawn from the fit and stored by the worker (clustering, anomaly:
    no out-of-fold predictions); empty for the supervised tasks."""
    from podium.engine import tasks

    found = tasks.get(task)
    if found.model_kind not in ("clustering", "anomaly") or found.plots is None:
        return []
    return list(found.part("plots")(task))


def _kept_plot(store: ArtifactStore, run: Run, model_id: str, plot_id: str, why: str) -> PlotData:
    """A plot the worker stored for the model; 409 saying ``why`` when there is none."""
    data = read_plot(store, run.workspace_id, run.id, model_id, plot_id)
    if data is None:
        raise Conflict(f"plot {plot_id!r} of model {model_id!r} {why}")
    return cast("PlotData", data)
