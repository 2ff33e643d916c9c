"""Deployment versions: which pipeline version a deployment serves, its history, switch/rollback."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from podium.server.schemas.common import Input, Output
from podium.server.schemas.pipeline_labels import Label, label_names


class DeploymentSwitch(Input):
    """Serve another version of the same pipeline name: give ``version`` or ``label``."""

    version: int | None = Field(
        None, ge=1, le=2**31 - 1, description="a version of the deployed pipeline name"
    )
    label: Label | None = Field(None, description="the version carrying this label")
    force: bool = Field(
        False,
        description="switch even when the version takes other input columns (callers sending "
        "the old columns would get 422)",
    )

    @model_validator(mode="after")
    def _one_target(self) -> DeploymentSwitch:
        if (self.version is None) == (self.label is None):
            raise ValueError("give exactly one of 'version' (e.g. 3) or 'label' (e.g. 'staging')")
        return self


class DeploymentVersionRead(Output):
    """One change of the served version: ``deploy``, ``switch`` or ``rollback``."""

    id: uuid.UUID
    action: Literal["deploy", "switch", "rollback"]
    pipeline_id: uuid.UUID | None
    pipeline_version: int
    from_pipeline_id: uuid.UUID | None
    from_version: int | None
    actor_id: uuid.UUID | None
    created_at: datetime


class PipelineVersionRead(Output):
    """A version of the deployed pipeline name that the deployment could serve."""

    id: uuid.UUID
    version: int
    status: str
    labels: list[str]
    metrics: dict[str, object]
    created_at: datetime

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> list[str]:
        return label_names(value)


class DeploymentVersions(Output):
    """What a deployment serves, what it served before (newest first), what it could serve."""

    pipeline_name: str
    current_pipeline_id: uuid.UUID
    current_version: int
    rollback_to: int | None = Field(
        description="the version a rollback would serve now (null: nothing to roll back to)"
    )
    history: list[DeploymentVersionRead]
    available: list[PipelineVersionRead]
