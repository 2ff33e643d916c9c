"""Workspaces and members."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.workspaces import (
    MemberCreate,
    MemberList,
    MemberRead,
    MemberUpdate,
    WorkspaceCreate,
    WorkspaceList,
    WorkspaceRead,
    WorkspaceUpdate,
)
from podium.server.services import workspaces

router = APIRouter(prefix="/workspaces", tags=["workspaces"])


@router.get("", name="list", responses=errors(401))
def list_workspaces(session: SessionDep, user: CurrentUser) -> WorkspaceList:
    """Workspaces you belong to, with your role."""
    data = workspaces.list_for_user(session, user.id)
    return WorkspaceList(data=data, count=len(data))


@router.post("", name="create", status_code=status.HTTP_201_CREATED, responses=errors(401, 422))
def create_workspace(
    body: WorkspaceCreate, session: SessionDep, user: CurrentUser
) -> WorkspaceRead:
    """Create a workspace; you become its owner."""
    return workspaces.create(session, user.id, body.name)


@router.get("/{ws}", name="get", responses=errors(401, 404, 422))
def get_workspace(member: WorkspaceMember, session: SessionDep) -> WorkspaceRead:
    """One workspace."""
    return workspaces.get(session, member)


@router.patch("/{ws}", name="update", responses=errors(401, 403, 404, 422))
def update_workspace(
    body: WorkspaceUpdate, member: WorkspaceMember, session: SessionDep
) -> WorkspaceRead:
    """Rename a workspace (owners)."""
    return workspaces.rename(session, member, body.name)


@router.delete(
    "/{ws}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def delete_workspace(member: WorkspaceMember, session: SessionDep, store: StoreDep) -> None:
    """Delete a workspace, everything in it and its files (owners; 409 while runs are active)."""
    workspaces.delete(session, store, member)


@router.get("/{ws}/members", name="list_members", responses=errors(401, 404, 422))
def list_members(member: WorkspaceMember, session: SessionDep) -> MemberList:
    """Members and their roles."""
    data = workspaces.list_members(session, member)
    return MemberList(data=data, count=len(data))


@router.post(
    "/{ws}/members",
    name="add_member",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 409, 422),
)
def add_member(body: MemberCreate, member: WorkspaceMember, session: SessionDep) -> MemberRead:
    """Add an existing user by email (owners)."""
    return workspaces.add_member(session, member, body.email, body.role)


@router.patch(
    "/{ws}/members/{user_id}", name="update_member", responses=errors(401, 403, 404, 409, 422)
)
def update_member(
    user_id: uuid.UUID, body: MemberUpdate, member: WorkspaceMember, session: SessionDep
) -> MemberRead:
    """Change a member's role (owners)."""
    return workspaces.change_role(session, member, user_id, body.role)


@router.delete(
    "/{ws}/members/{user_id}",
    name="remove_member",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def remove_member(user_id: uuid.UUID, member: WorkspaceMember, session: SessionDep) -> None:
    """Remove a member (owners), or leave the workspace yourself."""
    workspaces.remove_member(session, member, user_id)
