"""Where a run's files live in the artifact store (its models' predictions and analysis plots),
and removing them with the run: the database cascade deletes the rows, these go after commit."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.models import Run
from podium.server.services import usage
from podium.server.storage import ArtifactStore


def run_prefix(workspace_id: uuid.UUID, run_id: uuid.UUID) -> str:
    """Where everything a run stored lives: ``workspaces/<ws>/runs/<run_id>``."""
    return f"workspaces/{workspace_id}/runs/{run_id}"


def folders(
    session: Session,
    *,
    project_id: uuid.UUID | None = None,
    experiment_id: uuid.UUID | None = None,
) -> list[str]:
    """The folders of the runs of a project or an experiment (read before deleting it)."""
    query = usage.runs_of(
        select(Run.workspace_id, Run.id), project_id=project_id, experiment_id=experiment_id
    )
    return [run_prefix(ws, run_id) for ws, run_id in session.execute(query)]


def delete(store: ArtifactStore, prefixes: list[str]) -> None:
    """Remove the runs' folders (after the rows are gone: a failed commit keeps the files)."""
    for prefix in prefixes:
        store.delete_prefix(prefix)
