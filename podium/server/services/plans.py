"""Validation of a run's plan, model id and plan params against the engine's registry."""

from __future__ import annotations

from typing import Any

from podium.server.errors import InvalidInput
from podium.server.services import engine

COMPARE_PARAMS = {"models", "sort", "n_select", "budget_s", "model_time_limit_s"}


def check_plan(
    task: str, plan: str, model_id: str | None, params: dict[str, Any]
) -> dict[str, Any]:
    """Check a submission; return the plan params to store.

    Raises
    ------
    InvalidInput
        ``create`` without ``model_id``, unknown/unavailable models, unknown params or metrics.
    """
    if plan == "create":
        if not model_id:
            raise InvalidInput("plan 'create' needs model_id (see /describe/models?task=…)")
        check_model(task, model_id)
        _check_create_params(params)
        return dict(params)
    if model_id is not None:
        raise InvalidInput(f"model_id is only for plan 'create'; {plan} takes none")
    if plan == "setup":
        if params:
            raise InvalidInput("plan 'setup' takes no plan_params")
        return {}
    return _check_compare_params(task, params)


def check_model(task: str, model_id: str) -> None:
    """InvalidInput when the model is unknown for the task or its library is missing."""
    known = {m["id"]: m for m in engine.describe_models(task)}
    spec = known.get(model_id)
    if spec is None:
        raise InvalidInput(
            f"unknown model {model_id!r} for task {task}; known: {', '.join(sorted(known))}"
        )
    if not spec.get("is_available", True):
        reason = spec.get("reason") or "its library is not installed"
        raise InvalidInput(f"model {model_id!r} is not available: {reason}")


def _check_create_params(params: dict[str, Any]) -> None:
    for name, value in params.items():
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise InvalidInput(f"model param {name!r} must be a number, string or boolean")


def _check_compare_params(task: str, params: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(params) - COMPARE_PARAMS)
    if unknown:
        raise InvalidInput(
            f"unknown compare param(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(COMPARE_PARAMS))}"
        )
    models = params.get("models")
    if models is not None:
        if (
            not isinstance(models, list)
            or not all(isinstance(m, str) for m in models)
            or not models
        ):
            raise InvalidInput("plan_params.models must be a non-empty list of model ids")
        for model_id in models:
            check_model(task, model_id)
    out = dict(params)
    if params.get("sort") is not None:  # the engine decides, so nothing it refuses is queued
        out["sort"] = engine.metric_id(task, params["sort"])
    _positive(params, "n_select", int)
    _positive(params, "budget_s", float)
    _positive(params, "model_time_limit_s", float)
    return out


def _positive(params: dict[str, Any], name: str, kind: type) -> None:
    value = params.get(name)
    if value is None:
        return
    ok_type = isinstance(value, int) if kind is int else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type or value <= 0:
        word = "a positive integer" if kind is int else "a positive number of seconds"
        raise InvalidInput(f"plan_params.{name} must be {word}, not {value!r}")
