"""Validation of user-given parameters against the engine's declarations."""

from __future__ import annotations

from typing import Any

from podium.server.errors import InvalidInput
from podium.server.services import engine

RESERVED = ("target", "task")


def check_setup_params(task: str, params: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    """Check each param against ``describe.setup_params(task)``; return them unchanged.

    Raises
    ------
    InvalidInput
        Naming the parameter and what it accepts.
    """
    declared = {
        p["name"]: p for p in engine.describe_setup_params(task) if p["name"] not in RESERVED
    }
    for name, value in params.items():
        if name in RESERVED:
            raise InvalidInput(f"{name!r} is a field of the experiment, not a setup param")
        spec = declared.get(name)
        if spec is None:
            raise InvalidInput(
                f"unknown setup param {name!r}; known: {', '.join(sorted(declared))}"
            )
        _check_one(name, value, spec, columns)
    return dict(params)


def _check_one(name: str, value: Any, spec: dict[str, Any], columns: list[str]) -> None:
    kind = spec.get("kind")
    if value is None:
        return
    if kind == "bool" and not isinstance(value, bool):
        raise InvalidInput(f"setup param {name!r} must be true or false, not {value!r}")
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(f"setup param {name!r} must be an integer, not {value!r}")
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise InvalidInput(f"setup param {name!r} must be a number, not {value!r}")
    if kind in ("int", "float"):
        _check_range(name, value, spec)
    if kind == "enum" and value not in (spec.get("choices") or []):
        raise InvalidInput(
            f"setup param {name!r} must be one of {spec.get('choices')}, not {value!r}"
        )
    if kind == "string" and not isinstance(value, str):
        raise InvalidInput(f"setup param {name!r} must be a string, not {value!r}")
    if kind == "column":
        _check_columns(name, value, columns)


def _check_range(name: str, value: float, spec: dict[str, Any]) -> None:
    low, high = spec.get("min"), spec.get("max")
    if low is not None and value < low:
        raise InvalidInput(f"setup param {name!r} must be ≥ {low}, not {value}")
    if high is not None and value > high:
        raise InvalidInput(f"setup param {name!r} must be ≤ {high}, not {value}")


def _check_columns(name: str, value: Any, columns: list[str]) -> None:
    names = value if isinstance(value, list) else [value]
    for item in names:
        if not isinstance(item, str):
            raise InvalidInput(f"setup param {name!r} takes column names, not {item!r}")
        if item not in columns:
            raise InvalidInput(f"setup param {name!r}: column {item!r} is not in the data")
