"""Projects."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.models import Project
from podium.server.services import access, audit, run_files, usage
from podium.server.services.access import Member
from podium.server.storage import ArtifactStore


def list_projects(session: Session, member: Member) -> list[Project]:
    """Projects of the member's workspace, newest first."""
    return list(
        session.scalars(
            select(Project)
            .where(Project.workspace_id == member.workspace_id)
            .order_by(Project.created_at.desc(), Project.id)
        )
    )


def create(session: Session, member: Member, name: str, description: str) -> Project:
    """A new project (editors and owners)."""
    member.require("editor")
    project = Project(
        workspace_id=member.workspace_id,
        name=name,
        description=description,
        created_by=member.user_id,
    )
    session.add(project)
    session.flush()
    _record(session, project, "project.create")
    session.commit()
    return project


def get(session: Session, user_id: uuid.UUID, project_id: uuid.UUID, role: str) -> Project:
    """A project the caller may access with ``role``."""
    return access.fetch(session, Project, project_id, user_id, role, kind="project")


def update(
    session: Session,
    user_id: uuid.UUID,
    project_id: uuid.UUID,
    name: str | None,
    description: str | None,
) -> Project:
    """Rename or re-describe a project."""
    project = get(session, user_id, project_id, "editor")
    if name is not None:
        project.name = name
    if description is not None:
        project.description = description
    _record(session, project, "project.update")
    session.commit()
    return project


def delete(
    session: Session, store: ArtifactStore, user_id: uuid.UUID, project_id: uuid.UUID
) -> None:
    """Delete a project, its experiments, their runs and the runs' files (refused while a run
    is active)."""
    project = get(session, user_id, project_id, "editor")
    usage.refuse_if_active(session, project_id=project.id)
    doomed = run_files.folders(session, project_id=project.id)
    _record(session, project, "project.delete")
    session.delete(project)
    session.commit()
    run_files.delete(store, doomed)


def _record(session: Session, project: Project, action: str) -> None:
    audit.record(
        session,
        workspace_id=project.workspace_id,
        action=action,
        resource_type="project",
        resource_id=project.id,
        detail={"name": project.name},
    )
