"""Every hyperparameter of an estimator as JSON: what a model page and a manifest show."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def hyperparameters(estimator: Any) -> dict[str, Any]:
    """All of ``estimator.get_params()`` (nested estimators' as ``outer__inner`` keys, the
    estimator itself by its class name), as JSON values, sorted by name.

    Examples
    --------
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> hyperparameters(DecisionTreeClassifier(max_depth=3, random_state=1))["max_depth"]
    3
    """
    get_params = getattr(estimator, "get_params", None)
    if get_params is None:
        return {}
    try:
        params = get_params(deep=True)
    except TypeError:  # an estimator-like object whose get_params takes no ``deep``
        params = get_params()
    return {str(k): json_value(v) for k, v in sorted(params.items())}


def json_value(value: Any) -> Any:
    """A JSON value for one parameter: numbers, text, booleans and None as they are (NaN and
    infinities as text), lists and mappings item by item, an estimator or a function by its
    name, anything else by ``repr``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [json_value(v) for v in value.tolist()]
    if hasattr(value, "get_params") or isinstance(value, type):
        return getattr(value, "__name__", type(value).__name__)
    if callable(value):
        return getattr(value, "__qualname__", repr(value))
    return repr(value)
