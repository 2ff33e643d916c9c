"""Projects: folders of experiments inside a workspace."""

from __future__ import annotations

import uuid
from datetime import datetime

from podium.server.schemas.common import Description, Input, Name, Output


class ProjectCreate(Input):
    """A new project."""

    name: Name
    description: Description = ""


class ProjectUpdate(Input):
    """Change a project's name or description."""

    name: Name | None = None
    description: Description | None = None


class ProjectRead(Output):
    """A project."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    description: str
    created_at: datetime


class ProjectList(Output):
    """Projects of a workspace."""

    data: list[ProjectRead]
    count: int
