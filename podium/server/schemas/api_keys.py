"""Workspace API keys (for deployments in ``api-key`` mode)."""

from __future__ import annotations

import uuid
from datetime import datetime

from podium.server.schemas.common import Input, Name, Output


class ApiKeyCreate(Input):
    """Create a workspace API key (for deployments in ``api-key`` mode)."""

    name: Name


class ApiKeyRead(Output):
    """An API key without its secret (only its prefix)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    """A new API key: ``secret`` is shown this once and never stored (send it as X-API-Key)."""

    secret: str


class ApiKeyList(Output):
    """API keys of a workspace."""

    data: list[ApiKeyRead]
    count: int
