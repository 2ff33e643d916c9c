"""The audit log as the API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from podium.server.schemas.common import Output


class AuditEventRead(Output):
    """One change (or sign-in attempt): when, who, where, what, to what, how it ended, from
    which address. ``detail`` holds plain facts (a name, a new role); never secrets."""

    id: uuid.UUID
    at: datetime
    actor_id: uuid.UUID | None
    actor_email: str
    workspace_id: uuid.UUID | None
    action: str
    resource_type: str
    resource_id: str
    outcome: Literal["success", "failure"] | str
    client: str
    detail: dict[str, Any]


class AuditEventList(Output):
    """One page of the log, newest first; ``total`` rows match the filters."""

    data: list[AuditEventRead]
    count: int
    total: int
    limit: int
    offset: int
