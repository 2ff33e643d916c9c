"""Pipelines: promote a run's model, read the versioned artifacts."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field, field_validator

from podium.server.schemas.common import Description, Input, Name, Output
from podium.server.schemas.pipeline_labels import label_names

# a whole-string pattern (fullmatch): the same regex in the OpenAPI document, where ``$`` does
# not match before a trailing newline as Python's does
PIPELINE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")


class PipelinePromote(Input):
    """Promote a succeeded run's best (or named) model to a pipeline."""

    name: Name = Field(
        description="1-100 letters, digits, spaces, '.', '_' or '-'; starts with a letter or digit",
        json_schema_extra={"pattern": PIPELINE_NAME.pattern, "maxLength": 100},
    )
    description: Description = ""
    model_id: str | None = Field(None, max_length=64)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not PIPELINE_NAME.fullmatch(value):
            raise ValueError(
                "pipeline name must be 1-100 characters of letters, digits, spaces, '.', '_' "
                "or '-', starting with a letter or digit"
            )
        return value


class PipelineRead(Output):
    """A versioned pipeline artifact."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    name: str
    version: int
    description: str
    run_id: uuid.UUID | None
    model_id: str
    status: Literal["building", "ready", "failed"]
    error: str | None
    task: str | None
    metrics: dict[str, Any]
    input_schema: list[Any]
    sha256: str | None
    size_bytes: int | None
    library_versions: dict[str, Any]
    onnx: dict[str, Any] | None = Field(
        None, description="ONNX export: {available, error?} (from the manifest)"
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="every hyperparameter of the fitted model (from the manifest; JSON values, "
        "nested estimators' as outer__inner); empty while building",
    )
    examples: list[dict[str, Any]] = Field(
        default_factory=list,
        description="a few rows of the training data (input columns only, as JSON predict "
        "takes them), e.g. to start trying the pipeline from; empty for pipelines built "
        "before examples were kept",
    )
    labels: list[str] = Field(
        default_factory=list, description="'staging' / 'production' when this version has them"
    )
    created_at: datetime

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: Any) -> list[str]:
        return label_names(value)

    finished_at: datetime | None


class PipelineList(Output):
    """Pipelines of a workspace."""

    data: list[PipelineRead]
    count: int
