"""Analyses: queue the fit-based plots of one model of a run, read where they stand.

A ``POST`` leaves an ``analyses`` row in status ``queued`` (one per run and model: asking
again returns the same row, and re-queues it only after a failure). A worker claims it
(``queue.ANALYSES``), fits the model once on the run's training split and writes each plot
as JSON to :func:`plot_key` (``podium.worker.analysis``). Training never runs in the API.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.db.models import Analysis, Run
from podium.server.errors import Conflict, NotFound
from podium.server.schemas.runs import sort_metric
from podium.server.services import audit, pipelines, runs
from podium.server.storage import ArtifactStore

PLOT_MAX_BYTES = 64 << 20


def request(session: Session, user_id: uuid.UUID, run_id: uuid.UUID, model_id: str) -> Analysis:
    """Queue the analysis of ``model_id`` of a succeeded run (editors); idempotent.

    Raises
    ------
    Conflict
        The run did not succeed, or trained no model.
    InvalidInput
        ``model_id`` is not a successful model of the run.
    """
    run = runs.get(session, user_id, run_id, "editor")
    if run.status != "succeeded":
        raise Conflict(
            f"run {run_id} is {run.status}; only the models of a succeeded run can be analysed"
        )
    pipelines.choose_model(run, model_id)  # a successful model of this run, or 422 naming them
    row = find(session, run.id, model_id)
    if row is None:
        row = Analysis(
            workspace_id=run.workspace_id,
            run_id=run.id,
            model_id=model_id,
            status="queued",
            plots=[],
            created_by=user_id,
        )
        session.add(row)
        session.flush()
        _record(session, row)
        session.commit()
        return row
    if row.status == "failed":  # asked again after a failure: try again
        session.execute(
            update(Analysis)
            .where(Analysis.id == row.id, Analysis.status == "failed")
            .values(status="queued", error=None, worker_id=None, started_at=None, finished_at=None)
        )
        _record(session, row, again="after a failure")
        session.commit()
        session.refresh(row)
    return row


def _record(session: Session, row: Analysis, **detail: str) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action="analysis.request",
        resource_type="analysis",
        resource_id=row.id,
        detail={"run_id": str(row.run_id), "model_id": row.model_id, **detail},
    )


def get(session: Session, user_id: uuid.UUID, run_id: uuid.UUID, model_id: str) -> Analysis:
    """The analysis of ``model_id`` of a run the caller may read (viewers).

    Raises
    ------
    NotFound
        The run is unknown to the caller, or nobody asked for this analysis yet.
    """
    run = runs.get(session, user_id, run_id)
    row = find(session, run.id, model_id)
    if row is None:
        raise NotFound(
            f"model {model_id} of run {run_id} has not been analysed yet; "
            f"POST /api/v1/runs/{run_id}/models/{model_id}/analysis to compute it"
        )
    return row


def find(session: Session, run_id: uuid.UUID, model_id: str) -> Analysis | None:
    """The analysis row of ``model_id`` of a run, or None when nobody asked for it."""
    return session.scalar(
        select(Analysis).where(Analysis.run_id == run_id, Analysis.model_id == model_id)
    )


def job_inputs(session: Session, row: Analysis) -> tuple[Run, dict[str, Any], str | None]:
    """What a worker needs for a claimed analysis, detached: the run, the model's
    hyperparameters (a create run's ``plan_params``) and the metric the run ranked by."""
    run = session.get_one(Run, row.run_id)
    params = dict(run.plan_params) if run.plan == "create" else {}
    sort = sort_metric(run.plan_params, run.result)
    session.expunge_all()
    return run, params, sort


def plot_key(workspace_id: uuid.UUID, run_id: uuid.UUID, model_id: str, plot_id: str) -> str:
    """The artifact-store key of one stored analysis plot (PlotData JSON)."""
    return f"workspaces/{workspace_id}/runs/{run_id}/models/{model_id}/analysis/{plot_id}.json"


def store_plot(
    store: ArtifactStore,
    workspace_id: uuid.UUID,
    run_id: uuid.UUID,
    model_id: str,
    plot: dict[str, Any],
) -> str:
    """Write one plot's JSON to the store; its key."""
    key = plot_key(workspace_id, run_id, model_id, str(plot["id"]))
    writer = store.writer(key, PLOT_MAX_BYTES)
    try:
        writer.write(json.dumps(plot, allow_nan=False).encode())
    except BaseException:
        writer.abort()
        raise
    return writer.commit().key


def read_plot(
    store: ArtifactStore, workspace_id: uuid.UUID, run_id: uuid.UUID, model_id: str, plot_id: str
) -> dict[str, Any] | None:
    """A stored plot, or None when the analysis has not written it."""
    try:
        with store.open(plot_key(workspace_id, run_id, model_id, plot_id)) as handle:
            data: dict[str, Any] = json.load(handle)
    except (FileNotFoundError, IsADirectoryError):
        return None
    return data
