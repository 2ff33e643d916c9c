"""Setup parameters as data: the UI renders the setup form from them; setup validates them.

Each task declares its parameters (its :class:`~podium.engine.tasks.TaskDef`'s ``setup_params``
part); :data:`_PARAMS` are those of the supervised tasks. :func:`check_params` is the one rule
for every task's parameters: ``setup`` applies it, and the server applies it before storing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from podium.engine import tasks
from podium.engine.errors import DataError

# name, kind, group, default, choices, min, max, description, model kinds (None = all)
_P = tuple[
    str, str, str, Any, list[Any] | None, float | None, float | None, str, tuple[str, ...] | None
]
_CLS = ("classification",)
_TASK_CHOICES: list[Any] = []  # filled per call: the offered tasks
_PARAMS: tuple[_P, ...] = (
    ("target", "column", "data", None, None, None, None, "Column to predict.", None),
    (
        "task",
        "enum",
        "data",
        None,
        _TASK_CHOICES,
        None,
        None,
        "Guessed from the target when left empty.",
        None,
    ),
    (
        "ignore_features",
        "column",
        "data",
        [],
        None,
        None,
        None,
        "Columns left out of training (several allowed).",
        None,
    ),
    ("folds", "int", "validation", 5, None, 2, 20, "Cross-validation folds.", None),
    (
        "train_size",
        "float",
        "validation",
        0.7,
        None,
        0.3,
        1.0,
        "Share of rows used for cross-validation; the rest is the holdout.",
        None,
    ),
    (
        "stratify",
        "bool",
        "validation",
        True,
        None,
        None,
        None,
        "Keep class proportions in every fold and in the holdout.",
        _CLS,
    ),
    ("seed", "int", "validation", 42, None, 0, 2**31 - 1, "Seed of every random choice.", None),
    (
        "numeric_imputation",
        "enum",
        "preprocessing",
        "mean",
        ["mean", "median", "zero"],
        None,
        None,
        "How missing numbers are filled.",
        None,
    ),
    (
        "categorical_imputation",
        "enum",
        "preprocessing",
        "constant",
        ["constant", "mode"],
        None,
        None,
        "Missing categories: their own category, or the most frequent one.",
        None,
    ),
    (
        "max_onehot_cardinality",
        "int",
        "preprocessing",
        25,
        None,
        2,
        1000,
        "Categorical columns with at most this many values are one-hot encoded.",
        None,
    ),
    (
        "high_cardinality_encoding",
        "enum",
        "preprocessing",
        "target",
        ["target", "ordinal"],
        None,
        None,
        "Bounded encoding of categorical columns with many values.",
        None,
    ),
    (
        "text_max_features",
        "int",
        "preprocessing",
        100,
        None,
        10,
        5000,
        "Free-text columns become TF-IDF weights of at most this many words each.",
        None,
    ),
    (
        "normalize",
        "bool",
        "preprocessing",
        False,
        None,
        None,
        None,
        "Scale numeric features.",
        None,
    ),
    (
        "normalize_method",
        "enum",
        "preprocessing",
        "zscore",
        ["zscore", "minmax", "robust"],
        None,
        None,
        "Scaler used when normalize is on.",
        None,
    ),
    (
        "drop_id_columns",
        "bool",
        "guardrails",
        True,
        None,
        None,
        None,
        "Drop ID-like columns (all values distinct).",
        None,
    ),
    (
        "turbo",
        "bool",
        "compare",
        True,
        None,
        None,
        None,
        "Leave out of the default compare the models whose cost grows faster than the table "
        "(Gaussian processes, kernel SVMs, MLPs, Theil-Sen...) once a fit would take over 2 s.",
        None,
    ),
)
EXPLICIT = ("target", "task", "folds", "train_size", "seed")
APART = ("target", "task")  # given on their own, never among the setup parameters


def setup_params(task: str) -> list[dict[str, Any]]:
    """The setup parameters of ``task``: its TaskDef's ``setup_params`` part.

    Raises
    ------
    DataError
        Unknown task, or one whose parameters are not wired in yet.
    """
    return list(tasks.get(task).part("setup_params")(task))


def supervised_params(task: str | None = None) -> list[dict[str, Any]]:
    """The setup parameters of a supervised ``task`` (all of them when None)."""
    kind = tasks.get(task).model_kind if task is not None else None
    out = []
    for name, pkind, group, default, choices, lo, hi, desc, kinds in _PARAMS:
        if kind is not None and kinds is not None and kind not in kinds:
            continue
        out.append(
            {
                "name": name,
                "kind": pkind,
                "group": group,
                "default": default,
                "choices": tasks.ids() if choices is _TASK_CHOICES else choices,
                "min": lo,
                "max": hi,
                "description": desc,
                "accepts": None,  # the supervised column parameters take any column
                "required": name == "target",
            }
        )
    return out


def check_params(
    task: str, given: Mapping[str, Any], columns: Sequence[str], target: str | None = None
) -> dict[str, Any]:
    """The given setup parameters checked and normalised; no defaults added.

    A ``column`` parameter whose default is a list takes several columns (a list is returned);
    otherwise it takes one column name, or None.

    This is the one rule for setup parameters: ``setup`` applies it, and the server applies it
    to an experiment's ``setup_params`` before storing them.

    Parameters
    ----------
    task : str
        The task; parameters of other tasks (``stratify`` for regression) are unknown.
    given : mapping
        Parameter name → value, any of :func:`setup_params` but ``target`` and ``task``
        (those are given on their own).
    columns : sequence of str
        The table's columns, for ``column`` parameters.
    target : str, optional
        The target column, which no ``column`` parameter may name.

    Raises
    ------
    DataError
        Naming the parameter and what it accepts.

    Examples
    --------
    >>> check_params("binary", {"folds": 3.0, "ignore_features": "b"}, ["a", "b", "y"], "y")
    {'folds': 3, 'ignore_features': ['b']}
    """
    specs = {p["name"]: p for p in setup_params(task) if p["name"] not in APART}
    out = {}
    for name, value in given.items():
        if name in APART:
            raise DataError(f"{name!r} is given on its own, not as a setup parameter")
        if name not in specs:
            known = ", ".join(sorted(specs))
            raise DataError(
                f"unknown setup parameter {name!r} for task {task!r}: use one of {known}"
            )
        out[name] = _check(specs[name], value, columns, target)
    task_def = tasks.get(task)
    if task_def.check_settings is not None:
        task_def.part("check_settings")(out, columns, target)
    return out


def validate(
    task: str, settings: Mapping[str, Any], columns: Sequence[str], target: str | None = None
) -> dict[str, Any]:
    """Settings (parameters besides the explicit ones) checked, with defaults filled."""
    defaults = {p["name"]: p["default"] for p in setup_params(task) if p["name"] not in EXPLICIT}
    return defaults | check_params(task, settings, columns, target)


def _check(spec: dict[str, Any], value: Any, columns: Sequence[str], target: str | None) -> Any:
    name, kind = spec["name"], spec["kind"]
    if kind == "bool":
        if not isinstance(value, bool):
            raise DataError(f"setup parameter {name!r} must be true or false, got {value!r}")
        return value
    if kind == "enum":
        if value not in spec["choices"]:
            raise DataError(
                f"setup parameter {name!r} must be one of {spec['choices']}, got {value!r}"
            )
        return value
    if kind in ("int", "float"):
        return check_number(name, value, kind, spec["min"], spec["max"])
    if kind == "column" and not isinstance(spec["default"], list):  # one column, or none
        if value is not None and not isinstance(value, str):
            raise DataError(f"setup parameter {name!r} takes one column name, got {value!r}")
        return _check_columns(name, value, columns, target)[0] if value else None
    if kind == "column":
        return _check_columns(name, value, columns, target)
    if not isinstance(value, str):
        raise DataError(f"setup parameter {name!r} must be a string, got {value!r}")
    return value


def _check_columns(name: str, value: Any, columns: Sequence[str], target: str | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise DataError(
            f"setup parameter {name!r} takes a column name or a list of them, got {value!r}"
        )
    for col in value:
        if not isinstance(col, str):
            raise DataError(f"setup parameter {name!r} takes column names, got {col!r}")
        if col == target:
            raise DataError(
                f"setup parameter {name!r}: {col!r} is the target, not a feature; "
                "pick feature columns only"
            )
        if col not in columns:
            raise DataError(f"setup parameter {name!r}: unknown column {col!r}")
    return list(value)


def check_number(name: str, value: Any, kind: str, lo: float | None, hi: float | None) -> Any:
    """Validate an int/float parameter against its bounds."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(value, float) and not math.isfinite(value):
        raise DataError(f"setup parameter {name!r} must be a finite number, got {value!r}")
    if kind == "int" and isinstance(value, float):
        ok = value.is_integer()
    if not ok:
        what = "an integer" if kind == "int" else "a number"
        raise DataError(f"setup parameter {name!r} must be {what}, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise DataError(f"setup parameter {name!r} must be between {lo} and {hi}, got {value!r}")
    return int(value) if kind == "int" else float(value)


def bounds(name: str) -> tuple[float | None, float | None]:
    """The (min, max) of an explicit numeric parameter."""
    for p in supervised_params():
        if p["name"] == name:
            return p["min"], p["max"]
    raise KeyError(name)
