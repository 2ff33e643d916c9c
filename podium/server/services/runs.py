"""Runs: submission (validated, snapshotted), reads, cancel."""

from __future__ import annotations

import uuid
from typing import Any, NotRequired, TypedDict, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.db.models import TERMINAL, Event, Experiment, Run
from podium.server.errors import Conflict, Forbidden, InvalidInput, NotFound, not_found
from podium.server.schemas.runs import EventRead, RunCreate
from podium.server.services import (
    access,
    audit,
    data_sources,
    engine,
    events,
    experiments,
    queue,
)


class ExperimentSnapshot(TypedDict):
    """The experiment's settings as they were when the run was submitted."""

    id: str
    task: str
    target: str
    setup_params: dict[str, Any]


class DataSnapshot(TypedDict):
    """Which data the run uses, with its checksum and size."""

    data_source_id: str | None
    sklearn_dataset: str | None
    sha256: str
    rows: int
    columns: int


class RunSnapshot(TypedDict):
    """Everything needed to reproduce a run; the worker runs from it, not from the (editable)
    experiment."""

    request: dict[str, Any]
    plan: str
    model_id: str | None
    plan_params: dict[str, Any]
    experiment: ExperimentSnapshot
    data: DataSnapshot
    seed: int
    versions: dict[str, str]
    models: NotRequired[dict[str, Any]]  # improving plans: the source run's models, as recipes
    replay_of: NotRequired[str]


class RunData(TypedDict):
    """The data a submission resolved to (an upload or a bundled sample) and its facts."""

    data_source_id: uuid.UUID | None
    sklearn_dataset: str | None
    columns: list[str]
    sha256: str
    rows: int


def snapshot(run: Run) -> RunSnapshot:
    """The run's snapshot, typed (stored as JSON by :func:`submit`)."""
    return cast(RunSnapshot, run.snapshot)


def list_for_experiment(
    session: Session, user_id: uuid.UUID, experiment_id: uuid.UUID
) -> list[Run]:
    """Runs of an experiment, newest first."""
    experiment = experiments.get(session, user_id, experiment_id, "viewer")
    return list(
        session.scalars(
            select(Run)
            .where(Run.experiment_id == experiment.id)
            .order_by(Run.created_at.desc(), Run.id)
        )
    )


def submit(session: Session, user_id: uuid.UUID, experiment_id: uuid.UUID, body: RunCreate) -> Run:
    """Validate the plan and data, snapshot everything needed to reproduce it, queue it."""
    experiment = experiments.get(session, user_id, experiment_id, "editor")
    plan_params = engine.check_plan(experiment.task, body.plan, body.model_id, body.plan_params)
    source = _source_run(session, experiment, plan_params)
    data = _resolve_data(session, experiment, body, source)
    experiments.check_data(
        experiment.task, experiment.target, experiment.setup_params, data["columns"]
    )
    run = Run(
        workspace_id=experiment.workspace_id,
        experiment_id=experiment.id,
        data_source_id=data["data_source_id"],
        sklearn_dataset=data["sklearn_dataset"],
        plan=body.plan,
        model_id=body.model_id,
        plan_params=plan_params,
        status="queued",
        snapshot=_snapshot(experiment, body, data, plan_params),
        created_by=user_id,
    )
    if source is not None:
        models = _source_models(source, plan_params)
        if body.plan == "tune":  # a model it can tune, a space that fits it
            model = models[plan_params["model_id"]]
            engine.check_search_space(experiment.task, model, plan_params.get("search_space"))
        run.snapshot = {**run.snapshot, "models": models}
    session.add(run)
    session.flush()
    _record(session, run, "run.create")
    session.commit()
    return run


def _source_run(
    session: Session, experiment: Experiment, plan_params: dict[str, Any]
) -> Run | None:
    """The finished run an improving plan takes its models from (None for other plans)."""
    ident = plan_params.get("source_run_id")
    if ident is None:
        return None
    try:
        run_id = uuid.UUID(str(ident))
    except ValueError:
        raise InvalidInput(f"plan_params.source_run_id must be a run id, not {ident!r}") from None
    run = session.get(Run, run_id)
    if run is None or run.workspace_id != experiment.workspace_id:
        raise not_found("run", run_id)
    if run.experiment_id != experiment.id:
        raise InvalidInput(
            f"run {run_id} belongs to another experiment; improve models of this experiment's "
            "runs (same task, target and settings)"
        )
    if run.status not in ("succeeded", "cancelled") or not run.leaderboard:
        raise Conflict(
            f"run {run_id} is {run.status}; improve the models of a run that has finished "
            "(succeeded, or cancelled with models on its leaderboard)"
        )
    return run


def _source_models(source: Run, plan_params: dict[str, Any]) -> dict[str, Any]:
    """The recipes of the source run's models the plan names, by id."""
    ids = plan_params.get("model_ids") or [plan_params["model_id"]]
    stored: dict[str, Any] = (source.result or {}).get("models") or {}
    task = str(snapshot(source)["experiment"]["task"])
    rows = (source.leaderboard or {}).get("rows", [])
    if source.plan == "create":
        ok = {source.model_id} if any(r.get("Fold") == "Mean" for r in rows) else set()
    else:
        ok = {str(r["model_id"]) for r in rows if r.get("model_id") and not r.get("Error")}
    out = {}
    for model_id in ids:
        if model_id not in ok:
            known = ", ".join(sorted(str(m) for m in ok)) or "none"
            raise InvalidInput(
                f"model {model_id!r} is not a successful model of run {source.id}; "
                f"choose one of {known}"
            )
        params = dict(source.plan_params) if source.plan == "create" else {}
        out[model_id] = stored.get(model_id) or engine.plain_recipe(task, model_id, params)
    return out


def get(session: Session, user_id: uuid.UUID, run_id: uuid.UUID, role: str = "viewer") -> Run:
    """A run the caller may access with ``role``."""
    return access.fetch(session, Run, run_id, user_id, role, kind="run")


def list_events(
    session: Session, user_id: uuid.UUID, run_id: uuid.UUID, after_id: int, limit: int
) -> list[Event]:
    """Stored events of a run after ``after_id``."""
    run = get(session, user_id, run_id)
    return events.after(session, run.id, after_id, limit)


def cancel(session: Session, user_id: uuid.UUID, run_id: uuid.UUID) -> Run:
    """Cancel: a queued run ends at once; a running one gets the flag its worker polls."""
    run = get(session, user_id, run_id, "editor")
    if run.status in TERMINAL:
        raise Conflict(f"run {run_id} already {run.status}; nothing to cancel")
    if not queue.cancel_queued(session, run.id, stage=lambda: _record(session, run, "run.cancel")):
        session.execute(
            update(Run)
            .where(Run.id == run.id, Run.status == "running")
            .values(cancel_requested=True)
        )
        _record(session, run, "run.cancel")
        session.commit()
    return session.get_one(Run, run.id, populate_existing=True)


def _record(session: Session, run: Run, action: str) -> None:
    audit.record(
        session,
        workspace_id=run.workspace_id,
        action=action,
        resource_type="run",
        resource_id=run.id,
        detail={"plan": run.plan},
    )


def _resolve_data(
    session: Session, experiment: Experiment, body: RunCreate, source: Run | None = None
) -> RunData:
    """The run's data: the body's, else the source run's (improving plans), else the
    experiment's."""
    source_id, sample = body.data_source_id, body.sklearn_dataset
    if source_id is not None and sample is not None:
        raise InvalidInput("give at most one of data_source_id or sklearn_dataset")
    if source_id is None and sample is None and source is not None:
        source_id, sample = source.data_source_id, source.sklearn_dataset
    if source_id is None and sample is None:
        source_id, sample = experiment.data_source_id, experiment.sklearn_dataset
    if source_id is not None:
        row = data_sources.in_workspace(session, experiment.workspace_id, source_id)
        return {
            "data_source_id": row.id,
            "sklearn_dataset": None,
            "columns": data_sources.column_names(row),
            "sha256": row.sha256,
            "rows": row.n_rows,
        }
    assert sample is not None
    name = engine.sample_name(sample)
    columns, digest, n_rows = engine.sample_profile(name)
    return {
        "data_source_id": None,
        "sklearn_dataset": name,
        "columns": list(columns),
        "sha256": digest,
        "rows": n_rows,
    }


def _snapshot(
    experiment: Experiment, body: RunCreate, data: RunData, plan_params: dict[str, Any]
) -> RunSnapshot:
    seed = experiment.setup_params.get("seed", engine.setup_default(experiment.task, "seed"))
    return {
        "request": body.model_dump(mode="json"),
        "plan": body.plan,
        "model_id": body.model_id,
        "plan_params": plan_params,
        "experiment": {
            "id": str(experiment.id),
            "task": experiment.task,
            "target": experiment.target,
            "setup_params": experiment.setup_params,
        },
        "data": {
            "data_source_id": str(data["data_source_id"]) if data["data_source_id"] else None,
            "sklearn_dataset": data["sklearn_dataset"],
            "sha256": data["sha256"],
            "rows": data["rows"],
            "columns": len(data["columns"]),
        },
        "seed": seed,
        "versions": engine.versions(),
    }


def for_stream(session: Session, user_id: uuid.UUID, run_id: uuid.UUID) -> Run:
    """A run for the events WebSocket: NotFound if unknown, Forbidden if not a member.

    (REST hides other workspaces' runs as 404; the socket's close codes tell 4403 from 4404.)
    """
    run = session.get(Run, run_id)
    if run is None:
        raise not_found("run", run_id)
    try:
        access.membership(session, run.workspace_id, user_id, kind="run", ident=run_id)
    except NotFound:
        raise Forbidden(f"you are not a member of run {run_id}'s workspace") from None
    return run


def closed_event_id(session: Session, run_id: uuid.UUID) -> int | None:
    """The id of the run's ``run.closed`` sentinel (None while its stream is open)."""
    return events.closed_id(session, run_id)


def event_dicts(
    session: Session, run_id: uuid.UUID, after_id: int, limit: int
) -> list[dict[str, Any]]:
    """Events after ``after_id`` in their wire shape (identical to the REST ``EventRead``)."""
    return [
        EventRead.model_validate(event).model_dump(mode="json")
        for event in events.after(session, run_id, after_id, limit)
    ]
