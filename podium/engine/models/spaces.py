"""Search spaces of the models, as data: what ``Experiment.tune`` samples for each model.

One entry per (task kind, model id) of the catalogue, in the estimator's own parameter names
(``ModelSpec.space`` reads it; a contract test checks every name is a parameter of the model).
A space is ``{param: dimension}``; a dimension is one of

* ``{"type": "float", "low": a, "high": b, "log": bool}``
* ``{"type": "int", "low": a, "high": b, "log": bool}``
* ``{"type": "categorical", "choices": [...]}`` (None, bool, int, float or str)

PyCaret 3.3's ``tune_distributions`` were the start; where these differ, and why, is listed in
docs/DESIGN.md ("Search spaces"). In short: learning rates start at 0.01 (not 1e-6: 300 rounds
at 1e-6 learn nothing), penalties and kernel widths are searched on a log scale, ranges include
the model's own defaults (the default model is trial 0 of every study and the tuned ranges
should be able to keep what works), and parameters that only matter in combination with one
PyCaret leaves fixed are searched together with it (LDA's shrinkage with its solver).
A caller's ``search_space`` replaces the model's (:func:`check_space`).
"""

from __future__ import annotations

import math
from typing import Any

from podium.engine.errors import DataError

Space = dict[str, dict[str, Any]]


def f(low: float, high: float, log: bool = False) -> dict[str, Any]:
    """A float dimension."""
    return {"type": "float", "low": low, "high": high, "log": log}


def i(low: int, high: int, log: bool = False) -> dict[str, Any]:
    """An integer dimension."""
    return {"type": "int", "low": low, "high": high, "log": log}


def c(*choices: Any) -> dict[str, Any]:
    """A categorical dimension."""
    return {"type": "categorical", "choices": list(choices)}


_TREE = {
    "max_depth": c(None, 4, 6, 8, 12, 16, 24),
    "min_samples_leaf": i(1, 32, log=True),
    "min_samples_split": i(2, 20),
}
_FOREST = {
    **_TREE,
    "n_estimators": i(50, 400, log=True),
    "max_features": c("sqrt", "log2", 0.25, 0.5, 0.75, 1.0),
}
_GB = {
    "n_estimators": i(50, 500, log=True),
    "learning_rate": f(0.01, 0.3, log=True),
    "subsample": f(0.5, 1.0),
    "max_depth": i(2, 8),
    "min_samples_leaf": i(1, 50, log=True),
    "max_features": c(None, "sqrt", 0.5, 0.75),
}
_HGB = {
    "max_iter": i(50, 500, log=True),
    "learning_rate": f(0.01, 0.3, log=True),
    "max_leaf_nodes": i(8, 128, log=True),
    "min_samples_leaf": i(5, 100, log=True),
    "l2_regularization": f(1e-8, 10.0, log=True),
}
_XGB = {
    "n_estimators": i(50, 500, log=True),
    "learning_rate": f(0.01, 0.3, log=True),
    "max_depth": i(2, 10),
    "subsample": f(0.5, 1.0),
    "colsample_bytree": f(0.4, 1.0),
    "min_child_weight": f(0.5, 20.0, log=True),
    "reg_alpha": f(1e-8, 10.0, log=True),
    "reg_lambda": f(1e-8, 10.0, log=True),
}
_LGBM = {
    "n_estimators": i(50, 500, log=True),
    "learning_rate": f(0.01, 0.3, log=True),
    "num_leaves": i(8, 256, log=True),
    "min_child_samples": i(5, 100, log=True),
    "subsample": f(0.5, 1.0),
    "subsample_freq": i(0, 7),
    "colsample_bytree": f(0.4, 1.0),
    "reg_alpha": f(1e-8, 10.0, log=True),
    "reg_lambda": f(1e-8, 10.0, log=True),
}
_CAT = {
    "n_estimators": i(100, 1000, log=True),
    "learning_rate": f(0.01, 0.3, log=True),
    "depth": i(4, 10),
    "l2_leaf_reg": f(1.0, 30.0, log=True),
    "random_strength": f(0.0, 2.0),
}
_KNN = {"n_neighbors": i(1, 51), "weights": c("uniform", "distance")}
_MLP = {
    "alpha": f(1e-6, 1e-1, log=True),
    "learning_rate_init": f(1e-4, 1e-2, log=True),
}
_BAYES = {
    "alpha_1": f(1e-10, 1.0, log=True),
    "alpha_2": f(1e-10, 1.0, log=True),
    "lambda_1": f(1e-10, 1.0, log=True),
    "lambda_2": f(1e-10, 1.0, log=True),
}

CLASSIFICATION: dict[str, Space] = {
    "lr": {"C": f(1e-3, 100.0, log=True), "class_weight": c(None, "balanced")},
    "knn": _KNN,
    "nb": {"var_smoothing": f(1e-12, 1.0, log=True)},
    "dt": {**_TREE, "criterion": c("gini", "entropy"), "max_features": c(None, "sqrt", 0.5)},
    "svm": {"alpha": f(1e-6, 1e-1, log=True), "penalty": c("l2", "l1", "elasticnet")},
    "rbfsvm": {"C": f(1e-2, 1000.0, log=True), "gamma": f(1e-4, 10.0, log=True)},
    "gpc": {"max_iter_predict": i(100, 1000)},
    "mlp": _MLP,
    "ridge": {"alpha": f(1e-3, 100.0, log=True), "class_weight": c(None, "balanced")},
    "rf": {**_FOREST, "class_weight": c(None, "balanced", "balanced_subsample")},
    "qda": {"reg_param": f(0.0, 1.0)},
    "ada": {"n_estimators": i(10, 300, log=True), "learning_rate": f(0.01, 2.0, log=True)},
    "gbc": _GB,
    "lda": {"solver": c("lsqr", "eigen"), "shrinkage": f(1e-4, 1.0, log=True)},
    "et": {**_FOREST, "class_weight": c(None, "balanced", "balanced_subsample")},
    "xgboost": _XGB,
    "lightgbm": _LGBM,
    "catboost": _CAT,
    "hgb": _HGB,
    "dummy": {},
}
REGRESSION: dict[str, Space] = {
    "lr": {},
    "lasso": {"alpha": f(1e-4, 10.0, log=True)},
    "ridge": {"alpha": f(1e-3, 100.0, log=True)},
    "en": {"alpha": f(1e-4, 10.0, log=True), "l1_ratio": f(0.01, 1.0)},
    "lar": {"eps": f(1e-5, 0.1, log=True)},
    "llar": {"alpha": f(1e-6, 1.0, log=True)},
    "omp": {},
    "br": _BAYES,
    "ard": {**_BAYES, "threshold_lambda": f(1e3, 1e5, log=True)},
    "par": {"eta0": f(1e-3, 10.0, log=True), "epsilon": f(1e-3, 1.0, log=True)},
    "ransac": {"min_samples": f(0.1, 0.9), "max_trials": i(50, 200)},
    "tr": {},
    "huber": {"epsilon": f(1.01, 2.0), "alpha": f(1e-6, 1.0, log=True)},
    "kr": {
        "alpha": f(1e-6, 10.0, log=True),
        "kernel": c("linear", "rbf"),
        "gamma": f(1e-4, 10.0, log=True),
    },
    "svm": {
        "C": f(1e-2, 1000.0, log=True),
        "epsilon": f(1e-3, 1.0, log=True),
        "gamma": f(1e-4, 10.0, log=True),
    },
    "knn": _KNN,
    "dt": {**_TREE, "max_features": c(None, "sqrt", 0.5)},
    "rf": _FOREST,
    "et": _FOREST,
    "ada": {
        "n_estimators": i(10, 300, log=True),
        "learning_rate": f(0.01, 2.0, log=True),
        "loss": c("linear", "square", "exponential"),
    },
    "gbr": _GB,
    "mlp": _MLP,
    "xgboost": _XGB,
    "lightgbm": _LGBM,
    "catboost": _CAT,
    "hgb": _HGB,
    "dummy": {},
}
SPACES: dict[str, dict[str, Space]] = {"classification": CLASSIFICATION, "regression": REGRESSION}


def space_of(kind: str, model_id: str) -> Space:
    """The declared space of a model (a copy; ``{}`` when it has nothing to tune)."""
    return {k: dict(v) for k, v in SPACES[kind].get(model_id, {}).items()}


def check_space(space: Any, model_id: str) -> Space:
    """A caller's search space checked and normalised to the shape above.

    A dimension may also be given as a list of choices (categorical) or as
    ``{"low", "high"}`` (int when both are integers, else float; ``log`` optional).

    Raises
    ------
    DataError
        Not a mapping of parameter names to dimensions, or a dimension that is malformed.

    Examples
    --------
    >>> check_space({"C": {"low": 0.1, "high": 10, "log": True}, "penalty": ["l2"]}, "lr")
    {'C': {'type': 'float', 'low': 0.1, 'high': 10.0, 'log': True}, 'penalty': {'type': \
'categorical', 'choices': ['l2']}}
    """
    if not isinstance(space, dict) or not space:
        raise DataError(
            f"search_space for {model_id!r} must be a non-empty object of parameter → range, "
            'e.g. {"C": {"low": 0.01, "high": 10, "log": true}, "penalty": ["l1", "l2"]}'
        )
    return {str(name): _dimension(str(name), dim) for name, dim in space.items()}


def _dimension(name: str, dim: Any) -> dict[str, Any]:
    where = f"search_space.{name}"
    if isinstance(dim, list):
        dim = {"type": "categorical", "choices": dim}
    if not isinstance(dim, dict):
        raise DataError(f"{where} must be a list of choices or {{low, high, log?}}")
    kind = dim.get("type")
    if kind == "categorical" or (kind is None and "choices" in dim):
        choices = dim.get("choices")
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(v, bool | int | float | str | type(None)) for v in choices)
        ):
            raise DataError(f"{where}: choices must be a non-empty list of numbers, text or null")
        return {"type": "categorical", "choices": list(choices)}
    low, high, log = dim.get("low"), dim.get("high"), dim.get("log", False)
    numbers = all(
        isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
        for v in (low, high)
    )
    if not numbers or not low < high:  # type: ignore[operator]
        raise DataError(f"{where} needs numbers low < high, not low={low!r}, high={high!r}")
    if not isinstance(log, bool) or (log and low <= 0):  # type: ignore[operator]
        raise DataError(f"{where}: log must be true or false, and a log range must start above 0")
    if kind is None:
        kind = "int" if isinstance(low, int) and isinstance(high, int) else "float"
    if kind not in ("int", "float"):
        raise DataError(f"{where}: type must be float, int or categorical, not {kind!r}")
    cast = int if kind == "int" else float
    return {"type": kind, "low": cast(low), "high": cast(high), "log": log}  # type: ignore[arg-type]
