"""Forecasting's setup parameters as data (the web form renders them; setup checks them)."""

from __future__ import annotations

from typing import Any

from podium.engine.errors import DataError

# name, kind, group, default, choices, min, max, description, the column kinds a column
# parameter accepts (prepare.schema.KINDS; None = any), required
_Param = tuple[
    str,
    str,
    str,
    Any,
    list[Any] | None,
    float | None,
    float | None,
    str,
    tuple[str, ...] | None,
    bool,
]
_PARAMS: tuple[_Param, ...] = (
    (
        "time_column",
        "column",
        "data",
        None,
        None,
        None,
        None,
        "Column of the dates/times.",
        ("datetime",),
        True,
    ),
    (
        "series_column",
        "column",
        "data",
        None,
        None,
        None,
        None,
        "Column naming the series, when the table holds several (optional).",
        None,
        False,
    ),
    (
        "exogenous_columns",
        "column",
        "data",
        [],
        None,
        None,
        None,
        "Numeric columns the machine-learning models also read; their future values are then "
        "needed to forecast (several allowed, optional).",
        ("numeric",),
        False,
    ),
    (
        "horizon",
        "int",
        "forecast",
        12,
        None,
        1,
        1000,
        "How many steps ahead to forecast.",
        None,
        False,
    ),
    (
        "windows",
        "int",
        "validation",
        3,
        None,
        1,
        20,
        "Backtest windows: the last windows of each series, each one horizon long.",
        None,
        False,
    ),
    (
        "freq",
        "str",
        "forecast",
        None,
        None,
        None,
        None,
        "pandas frequency alias (D, W-SUN, MS, QS, h...); inferred from the times when empty.",
        None,
        False,
    ),
    (
        "season_length",
        "int",
        "forecast",
        None,
        None,
        1,
        1000,
        "Seasonal period in steps (12 for monthly data); from the frequency when empty.",
        None,
        False,
    ),
    (
        "levels",
        "int",
        "forecast",
        [80, 95],
        None,
        1,
        99,
        "Prediction interval levels in percent (several allowed).",
        None,
        False,
    ),
    ("seed", "int", "validation", 42, None, 0, 2147483647, "Seed of every model.", None, False),
)
NAMES = tuple(p[0] for p in _PARAMS)
# Parameters of the supervised tasks a generic caller may pass: accepted and not used.
IGNORED = ("folds", "train_size")


def setup_params(task: str = "forecasting") -> list[dict[str, Any]]:
    """``[{name, kind, group, default, choices, min, max, description, accepts, required}]``."""
    keys = ("name", "kind", "group", "default", "choices", "min", "max", "description")
    return [
        dict(zip(keys, p, strict=False))
        | {"accepts": list(p[8]) if p[8] else None, "required": p[9]}
        for p in _PARAMS
    ]


def _int(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise DataError(f"{name} must be a whole number, got {value!r}")
    if not low <= int(value) <= high:
        raise DataError(f"{name} must be between {low} and {high}, got {int(value)}")
    return int(value)


def check(settings: dict[str, Any]) -> dict[str, Any]:
    """Checked settings with defaults filled in (DataError naming the parameter)."""
    unknown = [k for k in settings if k not in NAMES and k not in IGNORED]
    if unknown:
        raise DataError(
            f"unknown forecasting setting(s) {', '.join(map(repr, unknown))}: use "
            + ", ".join(NAMES)
        )
    out = {p[0]: p[3] for p in _PARAMS}
    out.update({k: v for k, v in settings.items() if k in NAMES and v is not None})
    out["horizon"] = _int("horizon", out["horizon"], 1, 1000)
    out["windows"] = _int("windows", out["windows"], 1, 20)
    out["seed"] = _int("seed", out["seed"], 0, 2**31 - 1)
    if out["season_length"] is not None:
        out["season_length"] = _int("season_length", out["season_length"], 1, 1000)
    levels = out["levels"]
    if isinstance(levels, str):
        try:
            levels = [float(v) for v in levels.replace(" ", "").split(",") if v]
        except ValueError:
            raise DataError(f"levels must be numbers such as '80,95', got {levels!r}") from None
    levels = [levels] if isinstance(levels, int | float) else list(levels or [])
    out["levels"] = sorted({_int("levels", v, 1, 99) for v in levels})
    exog = out["exogenous_columns"]
    out["exogenous_columns"] = [exog] if isinstance(exog, str) else list(exog or [])
    if out["freq"] is not None and not isinstance(out["freq"], str):
        raise DataError(f"freq must be a pandas frequency alias such as 'MS', got {out['freq']!r}")
    return out
