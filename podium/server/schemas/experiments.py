"""Experiments: what to predict from which data, with which setup params."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, JsonValue, model_validator

from podium.server.schemas.common import Description, Input, Name, Output

Task = Annotated[
    str,
    Field(
        min_length=1,
        max_length=50,
        description="A task id of GET /describe/tasks (the engine checks it).",
        examples=["binary"],
    ),
]
# exactly one of the two is given and not null (the model validator says so in words)
ONE_DATA_SOURCE: list[JsonValue] = [
    {"required": ["data_source_id"], "properties": {"data_source_id": {"type": "string"}}},
    {"required": ["sklearn_dataset"], "properties": {"sklearn_dataset": {"type": "string"}}},
]


class ExperimentCreate(Input):
    """What to predict from which data: exactly one of ``data_source_id`` / ``sklearn_dataset``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": ONE_DATA_SOURCE})

    name: Name
    description: Description = ""
    task: Task
    target: str = Field(
        "",
        max_length=500,
        description='The column to predict; "" for a task whose target is "none" '
        '(GET /describe/tasks), optional where it is "optional".',
    )
    data_source_id: uuid.UUID | None = None
    sklearn_dataset: str | None = Field(
        None, max_length=100, description="A bundled sample: iris or sklearn:iris …"
    )
    setup_params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_data(self) -> ExperimentCreate:
        if (self.data_source_id is None) == (self.sklearn_dataset is None):
            raise ValueError("give exactly one of data_source_id or sklearn_dataset")
        return self


class ExperimentUpdate(Input):
    """Change an experiment's name, description, target or setup params."""

    name: Name | None = None
    description: Description | None = None
    target: str | None = Field(None, max_length=500)
    setup_params: dict[str, Any] | None = None


class ExperimentRead(Output):
    """An experiment."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    project_id: uuid.UUID
    name: str
    description: str
    task: str
    target: str
    data_source_id: uuid.UUID | None
    sklearn_dataset: str | None
    setup_params: dict[str, Any]
    created_at: datetime


class ExperimentList(Output):
    """Experiments of a project."""

    data: list[ExperimentRead]
    count: int
