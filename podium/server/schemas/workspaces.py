"""Workspaces, members and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from podium.server.schemas.common import Email, Input, Name, Output, Role


class WorkspaceCreate(Input):
    """A new workspace; the caller becomes its owner."""

    name: Name


class WorkspaceUpdate(Input):
    """Rename a workspace."""

    name: Name


class WorkspaceAbilities(Output):
    """What a role may do in a workspace (from the server's role ranks)."""

    read: bool = Field(description="See its projects, data, runs, pipelines (viewer and up)")
    change: bool = Field(description="Create, edit and delete them (editor and up)")
    administer: bool = Field(description="Rename or delete the workspace, manage members (owner)")


class WorkspaceRead(Output):
    """A workspace with the caller's role in it."""

    id: uuid.UUID
    name: str
    role: str
    can: WorkspaceAbilities = Field(description="What the caller's role may do here")
    created_at: datetime


class WorkspaceList(Output):
    """Workspaces the caller belongs to."""

    data: list[WorkspaceRead]
    count: int


class MemberCreate(Input):
    """Add an existing user by email."""

    email: Email
    role: Role = "viewer"


class MemberUpdate(Input):
    """Change a member's role."""

    role: Role


class MemberRead(Output):
    """A member of a workspace."""

    user_id: uuid.UUID
    email: str
    display_name: str
    role: str
    created_at: datetime


class MemberList(Output):
    """Members of a workspace."""

    data: list[MemberRead]
    count: int
