"""Workspaces, members and API keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from podium.server.schemas.common import Email, Input, Name, Output, Role


class WorkspaceCreate(Input):
    """A new workspace; the caller becomes its owner."""

    name: Name


class WorkspaceUpdate(Input):
    """Rename a workspace."""

    name: Name


class WorkspaceRead(Output):
    """A workspace with the caller's role in it."""

    id: uuid.UUID
    name: str
    role: str
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
