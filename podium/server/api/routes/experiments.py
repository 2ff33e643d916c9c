"""Experiments."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep
from podium.server.api.responses import errors
from podium.server.schemas.experiments import (
    ExperimentCreate,
    ExperimentList,
    ExperimentRead,
    ExperimentUpdate,
)
from podium.server.services import experiments

router = APIRouter(tags=["experiments"])


@router.get("/projects/{project_id}/experiments", name="list", responses=errors(401, 404, 422))
def list_experiments(
    project_id: uuid.UUID, session: SessionDep, user: CurrentUser
) -> ExperimentList:
    """Experiments of a project, newest first."""
    rows = experiments.list_experiments(session, user.id, project_id)
    return ExperimentList(data=[ExperimentRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/projects/{project_id}/experiments",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 422),
)
def create_experiment(
    project_id: uuid.UUID, body: ExperimentCreate, session: SessionDep, user: CurrentUser
) -> ExperimentRead:
    """Create an experiment (editors); the target must be a column of the data."""
    return ExperimentRead.model_validate(experiments.create(session, user.id, project_id, body))


@router.get("/experiments/{experiment_id}", name="get", responses=errors(401, 404, 422))
def get_experiment(
    experiment_id: uuid.UUID, session: SessionDep, user: CurrentUser
) -> ExperimentRead:
    """One experiment."""
    row = experiments.get(session, user.id, experiment_id, "viewer")
    return ExperimentRead.model_validate(row)


@router.patch("/experiments/{experiment_id}", name="update", responses=errors(401, 403, 404, 422))
def update_experiment(
    experiment_id: uuid.UUID, body: ExperimentUpdate, session: SessionDep, user: CurrentUser
) -> ExperimentRead:
    """Change an experiment (editors)."""
    row = experiments.update(session, user.id, experiment_id, body)
    return ExperimentRead.model_validate(row)


@router.delete(
    "/experiments/{experiment_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def delete_experiment(
    experiment_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> None:
    """Delete an experiment, its runs and their files (editors; 409 while runs are active)."""
    experiments.delete(session, store, user.id, experiment_id)
