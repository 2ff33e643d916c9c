"""Which task a target implies: the one rule behind ``infer_task`` and the UI's suggestion.

Plain Python (no pandas), so a server can answer from a stored schema without loading the
engine's data stack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypedDict

REGRESSION_MIN_UNIQUE = 20
"""A numeric target with more distinct values than this is regression."""
MAX_CLASSES = 50
"""More distinct values than this is no classification target the engine infers."""
_NUMERIC_DTYPE = re.compile(r"^(u?int|float)\d*$", re.IGNORECASE)
_INTEGER_DTYPE = re.compile(r"^u?int\d*$", re.IGNORECASE)


class TaskSuggestion(TypedDict):
    """The task a column implies as a target, and why (a sentence for people)."""

    task: str
    reason: str


def task_for(n_unique: int, *, numeric: bool, integral: bool) -> str | None:
    """The task ``setup`` infers for a target with these facts; None when there is none.

    Numbers are regression unless they are few distinct whole numbers; otherwise two values are
    binary and up to :data:`MAX_CLASSES` are multiclass.

    Examples
    --------
    >>> task_for(2, numeric=True, integral=True), task_for(4, numeric=True, integral=False)
    ('binary', 'regression')
    >>> task_for(500, numeric=False, integral=False) is None
    True
    """
    if numeric and (not integral or n_unique > REGRESSION_MIN_UNIQUE):
        return "regression"
    if n_unique == 2:
        return "binary"
    if n_unique > MAX_CLASSES:
        return None
    return "multiclass"


def suggest_task(
    column: Mapping[str, Any], *, numeric: bool | None = None, integral: bool | None = None
) -> TaskSuggestion | None:
    """The task ``setup`` would infer were ``column`` the target, with the reason.

    Parameters
    ----------
    column : mapping
        One column of :func:`podium.engine.prepare.schema.infer_schema` (``name``, ``dtype``,
        ``kind``, ``unique``).
    numeric, integral : bool, optional
        Whether the values are numbers, and all whole: known when the values are at hand. Without
        them they are read from ``dtype``, and a float column is taken as whole numbers (most
        such columns are integers with missing values).

    Returns
    -------
    dict or None
        ``{task, reason}``; None when the column cannot be a target (fewer than two values) or
        the engine would infer no task (too many distinct texts).

    Examples
    --------
    >>> suggest_task({"name": "age", "dtype": "int64", "kind": "numeric", "unique": 60})
    {'task': 'regression', 'reason': '“age” is numeric with 60 distinct values'}
    >>> suggest_task({"name": "c", "dtype": "object", "kind": "constant", "unique": 1}) is None
    True
    """
    name, dtype, unique = column["name"], str(column.get("dtype") or ""), column.get("unique")
    if numeric is None:
        numeric = column.get("kind") == "numeric" or bool(_NUMERIC_DTYPE.match(dtype))
    if integral is None:
        integral = bool(_INTEGER_DTYPE.match(dtype)) or numeric
    if column.get("kind") == "constant" or (unique is not None and unique < 2):
        return None
    if unique is None:  # not profiled: numbers are regression, anything else unknown
        return TaskSuggestion(task="regression", reason=f"“{name}” is numeric") if numeric else None
    task = task_for(unique, numeric=numeric, integral=integral)
    if task is None:
        return None
    reason = _reason(name, column.get("kind"), task, unique, numeric)
    return TaskSuggestion(task=task, reason=reason)


def _reason(name: str, kind: Any, task: str, unique: int, numeric: bool) -> str:
    if kind == "boolean":
        return f"“{name}” is true/false"
    if task == "regression":
        if unique <= REGRESSION_MIN_UNIQUE:
            return f"“{name}” holds numbers with fractions"
        return f"“{name}” is numeric with {unique} distinct values"
    if numeric:
        return f"“{name}” is numeric with only {unique} distinct values"
    return f"“{name}” has {unique} distinct values"
