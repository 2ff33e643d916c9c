"""Setup parameters as data: the UI renders the setup form from them; setup validates them."""

from __future__ import annotations

from typing import Any

from podium.engine.errors import DataError

# name, kind, group, default, choices, min, max, description, tasks (None = all)
_P = tuple[
    str, str, str, Any, list[Any] | None, float | None, float | None, str, tuple[str, ...] | None
]
_CLS = ("binary", "multiclass")
_PARAMS: tuple[_P, ...] = (
    ("target", "column", "data", None, None, None, None, "Column to predict.", None),
    (
        "task",
        "enum",
        "data",
        None,
        ["binary", "multiclass", "regression"],
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
        "Skip the slow kernels (SVM, Gaussian process, MLP...) on large data.",
        None,
    ),
)
EXPLICIT = ("target", "task", "folds", "train_size", "seed")


def setup_params(task: str | None = None) -> list[dict[str, Any]]:
    """The setup parameters that apply to ``task`` (all when None)."""
    out = []
    for name, kind, group, default, choices, lo, hi, desc, tasks in _PARAMS:
        if task is not None and tasks is not None and task not in tasks:
            continue
        out.append(
            {
                "name": name,
                "kind": kind,
                "group": group,
                "default": default,
                "choices": choices,
                "min": lo,
                "max": hi,
                "description": desc,
            }
        )
    return out


def validate(task: str, settings: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """Settings with defaults filled; refuse unknown names and bad values, naming the parameter."""
    specs = {p["name"]: p for p in setup_params(task) if p["name"] not in EXPLICIT}
    for name in settings:
        if name not in specs:
            known = ", ".join(sorted(specs))
            raise DataError(
                f"unknown setup parameter {name!r} for task {task!r}: use one of {known}"
            )
    out = {name: spec["default"] for name, spec in specs.items()}
    for name, value in settings.items():
        out[name] = _check(specs[name], value, columns)
    return out


def _check(spec: dict[str, Any], value: Any, columns: list[str]) -> Any:
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
    if kind == "column":
        names = [value] if isinstance(value, str) else list(value or [])
        for col in names:
            if col not in columns:
                raise DataError(f"setup parameter {name!r}: unknown column {col!r}")
        return names
    return str(value)


def check_number(name: str, value: Any, kind: str, lo: float | None, hi: float | None) -> Any:
    """Validate an int/float parameter against its bounds."""
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "int":
        ok = ok and float(value).is_integer()
    if not ok:
        what = "an integer" if kind == "int" else "a number"
        raise DataError(f"setup parameter {name!r} must be {what}, got {value!r}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise DataError(f"setup parameter {name!r} must be between {lo} and {hi}, got {value!r}")
    return int(value) if kind == "int" else float(value)


def bounds(name: str) -> tuple[float | None, float | None]:
    """The (min, max) of an explicit numeric parameter."""
    for p in setup_params():
        if p["name"] == name:
            return p["min"], p["max"]
    raise KeyError(name)
