"""Experiments: task, target, data, and setup params checked against the engine."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.models import Experiment
from podium.server.errors import InvalidInput
from podium.server.schemas.experiments import ExperimentCreate, ExperimentUpdate
from podium.server.services import (
    access,
    audit,
    data_sources,
    engine,
    projects,
    run_files,
    usage,
)
from podium.server.storage import ArtifactStore


def list_experiments(
    session: Session, user_id: uuid.UUID, project_id: uuid.UUID
) -> list[Experiment]:
    """Experiments of a project, newest first."""
    project = projects.get(session, user_id, project_id, "viewer")
    return list(
        session.scalars(
            select(Experiment)
            .where(Experiment.project_id == project.id)
            .order_by(Experiment.created_at.desc(), Experiment.id)
        )
    )


def create(
    session: Session, user_id: uuid.UUID, project_id: uuid.UUID, body: ExperimentCreate
) -> Experiment:
    """A new experiment; the target must exist in the data and the params must fit the task."""
    project = projects.get(session, user_id, project_id, "editor")
    sample = engine.sample_name(body.sklearn_dataset) if body.sklearn_dataset else None
    columns = data_columns(session, project.workspace_id, body.data_source_id, sample)
    target, params = check_data(body.task, body.target, body.setup_params, columns)
    check_target_profile(session, project.workspace_id, body.data_source_id, body.task, target)
    row = Experiment(
        workspace_id=project.workspace_id,
        project_id=project.id,
        name=body.name,
        description=body.description,
        task=body.task,
        target=target,
        data_source_id=body.data_source_id,
        sklearn_dataset=sample,
        setup_params=params,
        created_by=user_id,
    )
    session.add(row)
    session.flush()
    _record(session, row, "experiment.create")
    session.commit()
    return row


def get(session: Session, user_id: uuid.UUID, experiment_id: uuid.UUID, role: str) -> Experiment:
    """An experiment the caller may access with ``role``."""
    return access.fetch(session, Experiment, experiment_id, user_id, role, kind="experiment")


def update(
    session: Session, user_id: uuid.UUID, experiment_id: uuid.UUID, body: ExperimentUpdate
) -> Experiment:
    """Change name, description, target or setup params (re-validated)."""
    row = get(session, user_id, experiment_id, "editor")
    if body.target is not None or body.setup_params is not None:
        columns = data_columns(session, row.workspace_id, row.data_source_id, row.sklearn_dataset)
        target = body.target if body.target is not None else row.target
        params = body.setup_params if body.setup_params is not None else row.setup_params
        row.target, row.setup_params = check_data(row.task, target, params, columns)
        check_target_profile(session, row.workspace_id, row.data_source_id, row.task, row.target)
    if body.name is not None:
        row.name = body.name
    if body.description is not None:
        row.description = body.description
    _record(session, row, "experiment.update")
    session.commit()
    return row


def delete(
    session: Session, store: ArtifactStore, user_id: uuid.UUID, experiment_id: uuid.UUID
) -> None:
    """Delete an experiment, its runs and their files (refused while one is queued or running)."""
    row = get(session, user_id, experiment_id, "editor")
    usage.refuse_if_active(session, experiment_id=row.id)
    doomed = run_files.folders(session, experiment_id=row.id)
    _record(session, row, "experiment.delete")
    session.delete(row)
    session.commit()
    run_files.delete(store, doomed)


def _record(session: Session, row: Experiment, action: str) -> None:
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="experiment",
        resource_id=row.id,
        detail={"name": row.name},
    )


def data_columns(
    session: Session,
    workspace_id: uuid.UUID,
    data_source_id: uuid.UUID | None,
    sample: str | None,
) -> list[str]:
    """Column names of an upload of this workspace or of a sample."""
    if data_source_id is not None:
        return data_sources.column_names(
            data_sources.in_workspace(session, workspace_id, data_source_id)
        )
    assert sample is not None
    return list(engine.sample_profile(sample)[0])


def check_data(
    task: str, target: str, setup_params: dict[str, Any], columns: list[str]
) -> tuple[str, dict[str, Any]]:
    """The task, target and setup params checked against the engine and the data's columns;
    the target and params as stored (target ``""`` for a task without one)."""
    target = engine.check_target(task, target)
    check_column(target, columns)
    return target, engine.check_setup_params(task, target, setup_params, columns)


def check_target_profile(
    session: Session,
    workspace_id: uuid.UUID,
    data_source_id: uuid.UUID | None,
    task: str,
    target: str,
) -> None:
    """InvalidInput when the upload's profile already shows ``task`` cannot learn ``target``
    (constant, text for regression, not two classes for binary, …): said now, not by a run."""
    if data_source_id is None or not target:
        return
    source = data_sources.in_workspace(session, workspace_id, data_source_id)
    column = next((c for c in source.schema_ if c["name"] == target), None)
    if column is not None:
        engine.check_target_column(task, column)


def check_column(target: str, columns: list[str]) -> None:
    """InvalidInput naming the columns when a (non-empty) target is not one of them."""
    if target and target not in columns:
        shown = ", ".join(columns[:30]) + (" …" if len(columns) > 30 else "")
        raise InvalidInput(f"target column {target!r} is not in the data; columns are: {shown}")
