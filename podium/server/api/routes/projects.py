"""Projects."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.projects import ProjectCreate, ProjectList, ProjectRead, ProjectUpdate
from podium.server.services import projects

router = APIRouter(tags=["projects"])


@router.get("/workspaces/{ws}/projects", name="list", responses=errors(401, 404, 422))
def list_projects(member: WorkspaceMember, session: SessionDep) -> ProjectList:
    """Projects of a workspace, newest first."""
    rows = projects.list_projects(session, member)
    return ProjectList(data=[ProjectRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/workspaces/{ws}/projects",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 422),
)
def create_project(
    body: ProjectCreate, member: WorkspaceMember, session: SessionDep
) -> ProjectRead:
    """Create a project (editors)."""
    return ProjectRead.model_validate(projects.create(session, member, body.name, body.description))


@router.get("/projects/{project_id}", name="get", responses=errors(401, 404, 422))
def get_project(project_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> ProjectRead:
    """One project."""
    return ProjectRead.model_validate(projects.get(session, user.id, project_id, "viewer"))


@router.patch("/projects/{project_id}", name="update", responses=errors(401, 403, 404, 422))
def update_project(
    project_id: uuid.UUID, body: ProjectUpdate, session: SessionDep, user: CurrentUser
) -> ProjectRead:
    """Rename or re-describe a project (editors)."""
    row = projects.update(session, user.id, project_id, body.name, body.description)
    return ProjectRead.model_validate(row)


@router.delete(
    "/projects/{project_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def delete_project(
    project_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> None:
    """Delete a project with its experiments and runs (editors; 409 while runs are active)."""
    projects.delete(session, store, user.id, project_id)
