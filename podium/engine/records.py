"""The typed records that cross the engine's boundary: a schema column, a finding and a
leaderboard. Plain JSON once serialized; TypedDicts so mypy follows them from the engine to
the worker and the server. Imports nothing from Podium."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class ColumnInfo(TypedDict):
    """One column of :func:`podium.engine.prepare.schema.infer_schema`.

    ``kind`` is numeric, categorical, boolean, datetime, text, id or constant; ``role`` is
    target, feature or ignored (id and constant columns are not used).
    """

    name: str
    dtype: str
    kind: str
    missing: int
    unique: int
    role: str


class Finding(TypedDict):
    """A problem setup found (``level`` info | warning; fatal ones raise ``DataError``)."""

    level: str
    code: str
    message: str
    column: NotRequired[str]


class Leaderboard(TypedDict):
    """A JSON table: ``columns`` in display order and one object per row (cells are text,
    numbers or null)."""

    columns: list[str]
    rows: list[dict[str, Any]]
