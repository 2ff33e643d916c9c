"""Uploaded data sources."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, Field, model_validator

from podium.engine.prepare.targets import suggest_task
from podium.server.schemas.common import Output


class TaskSuggestion(Output):
    """The task the engine would infer for a target column, and why."""

    task: str
    reason: str = Field(description="A sentence for people, e.g. “age” has 3 distinct values")


class ColumnInfo(Output):
    """One column of an inferred schema (the engine's ``infer_schema``)."""

    model_config = ConfigDict(from_attributes=True, extra="allow")

    name: str
    dtype: str
    kind: str
    missing: float | int | None = None
    unique: int | None = None
    role: str | None = None
    dayfirst: bool | None = Field(
        None,
        description="A date column written as text with the day first (31/12/2024), read so "
        "in training and in every prediction (absent: ISO 8601 or month first)",
    )
    task: TaskSuggestion | None = Field(
        None,
        description="What the engine would infer were this column the target "
        "(null: it cannot be one, or the engine infers no task)",
    )

    @model_validator(mode="before")
    @classmethod
    def _suggest(cls, data: Any) -> Any:
        """Schemas stored before uploads recorded ``task`` get it from their stored facts."""
        if isinstance(data, dict) and "task" not in data and "name" in data:
            return {**data, "task": suggest_task(data)}
        return data


class DataSourceRead(Output):
    """A stored table and its profile."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    description: str
    kind: str
    filename: str
    size_bytes: int
    sha256: str
    n_rows: int
    n_columns: int
    columns: list[ColumnInfo] = Field(validation_alias="schema_", description="Inferred schema")
    created_at: datetime


class DataSourceList(Output):
    """Data sources of a workspace."""

    data: list[DataSourceRead]
    count: int


class DataSourcePreview(Output):
    """The first rows of a data source as a JSON table."""

    columns: list[str]
    rows: list[dict[str, Any]]
