"""Shared schema bases and field types."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    Field(description="1-200 characters; spaces around it are removed"),
]
Description = Annotated[str, StringConstraints(max_length=10_000)]
Email = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=320,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
    ),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
Role = Literal["owner", "editor", "viewer"]

Offset = Annotated[int, Field(ge=0, le=2**31 - 1, description="rows to skip")]
"""Rows a page query skips (bounded: the database's integers are)."""

_NUMBER = re.compile(r"\s*[-+]?\d+(\.\d*)?\s*")


def _not_a_number(value: object) -> object:
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError(
            "give a date-time in ISO 8601 with a time zone, e.g. 2026-01-31T12:00:00Z, not a number"
        )
    return value


def _zoned(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-01-31T12:00:00Z")
    return value


Instant = Annotated[
    datetime,
    BeforeValidator(_not_a_number),
    AfterValidator(_zoned),
    Field(description="ISO 8601 with a time zone, e.g. 2026-01-31T12:00:00Z"),
]
"""A point in time a caller gives (filters, windows): ISO 8601 with a time zone, never a bare
number (pydantic would read one as seconds since 1970)."""


class Input(BaseModel):
    """Request bodies: unknown fields are refused, so typos do not pass silently."""

    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    """Response bodies, built from ORM rows or dicts."""

    model_config = ConfigDict(from_attributes=True)


class ErrorResponse(BaseModel):
    """Every error answer (4xx, 5xx): one human-readable sentence saying what is wrong and how to
    fix it. Validation errors name each field's location (``rows[0].age: …``)."""

    detail: str
