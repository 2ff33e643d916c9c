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


class ApiKeyCreate(Input):
    """A new workspace API key."""

    name: Name


class ApiKeyRead(Output):
    """An API key (the secret itself is shown only once, at creation)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    """A just-created API key, with its secret (store it now: it is never shown again)."""

    key: str = Field(description="The secret; send it as the X-API-Key header.")


class ApiKeyList(Output):
    """API keys of a workspace."""

    data: list[ApiKeyRead]
    count: int
