"""Metrics as scorers carrying their sign, so sorting never needs to know a metric's name."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import metrics as skm

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Scorer:
    """One leaderboard metric.

    Parameters
    ----------
    id : str
        Leaderboard column name (``"Accuracy"``, ``"MAE"`` ...).
    name : str
        Human name.
    greater_is_better : bool
        The sign: sorting multiplies by -1 when False, the displayed value stays positive.
    needs : str
        ``"pred"`` (labels or values) or ``"score"`` (probabilities / decision values).
    """

    id: str
    name: str
    greater_is_better: bool
    needs: str
    fn: Callable[[Array, Array, int], float | None]

    def sort_key(self, value: float | None) -> float:
        """A number where larger is better; missing values sort last."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return -math.inf
        return value if self.greater_is_better else -value


def _avg(n_classes: int) -> str:
    return "binary" if n_classes == 2 else "weighted"


def _auc(y: Array, s: Array, n_classes: int) -> float | None:
    if n_classes == 2:
        col = s[:, 1] if s.ndim == 2 else s
        if len(np.unique(y)) < 2:
            return None
        return float(skm.roc_auc_score(y, col))
    if s.ndim != 2 or s.shape[1] != n_classes:
        return None
    total, weight = 0.0, 0
    for c in range(n_classes):
        support = int((y == c).sum())
        if support == 0 or support == len(y):
            continue
        total += support * float(skm.roc_auc_score(y == c, s[:, c]))
        weight += support
    return total / weight if weight else None


def _rmsle(y: Array, p: Array, _: int) -> float | None:
    if (y < 0).any() or (p < 0).any():
        return None
    return float(np.sqrt(skm.mean_squared_log_error(y, p)))


CLASSIFICATION: tuple[Scorer, ...] = (
    Scorer("Accuracy", "Accuracy", True, "pred", lambda y, p, k: skm.accuracy_score(y, p)),
    Scorer("AUC", "Area under the ROC curve", True, "score", _auc),
    Scorer(
        "Recall",
        "Recall",
        True,
        "pred",
        lambda y, p, k: skm.recall_score(y, p, average=_avg(k), zero_division=0),
    ),
    Scorer(
        "Prec.",
        "Precision",
        True,
        "pred",
        lambda y, p, k: skm.precision_score(y, p, average=_avg(k), zero_division=0),
    ),
    Scorer("F1", "F1 score", True, "pred", lambda y, p, k: skm.f1_score(y, p, average=_avg(k))),
    Scorer("Kappa", "Cohen's kappa", True, "pred", lambda y, p, k: skm.cohen_kappa_score(y, p)),
    Scorer(
        "MCC", "Matthews correlation", True, "pred", lambda y, p, k: skm.matthews_corrcoef(y, p)
    ),
)
REGRESSION: tuple[Scorer, ...] = (
    Scorer(
        "MAE", "Mean absolute error", False, "pred", lambda y, p, k: skm.mean_absolute_error(y, p)
    ),
    Scorer(
        "MSE", "Mean squared error", False, "pred", lambda y, p, k: skm.mean_squared_error(y, p)
    ),
    Scorer(
        "RMSE",
        "Root mean squared error",
        False,
        "pred",
        lambda y, p, k: skm.root_mean_squared_error(y, p),
    ),
    Scorer("R2", "Coefficient of determination", True, "pred", lambda y, p, k: skm.r2_score(y, p)),
    Scorer("RMSLE", "Root mean squared log error", False, "pred", _rmsle),
    Scorer(
        "MAPE",
        "Mean absolute percentage error",
        False,
        "pred",
        lambda y, p, k: skm.mean_absolute_percentage_error(y, p),
    ),
)


def scorers(task: str) -> tuple[Scorer, ...]:
    """The leaderboard metrics of ``task``, in column order."""
    return REGRESSION if task == "regression" else CLASSIFICATION


def scorer(task: str, metric_id: str) -> Scorer:
    """Look up one metric of ``task`` by its column name (case-insensitive)."""
    for s in scorers(task):
        if s.id.lower() == metric_id.lower():
            return s
    names = ", ".join(s.id for s in scorers(task))
    raise ValueError(f"unknown sort metric {metric_id!r} for task {task!r}: use one of {names}")


def continuous_scores(model: Any, X: Array) -> Array | None:
    """``predict_proba`` when the model has it, else ``decision_function``, else None."""
    for method in ("predict_proba", "decision_function"):
        fn = getattr(model, method, None)
        if fn is None:
            continue
        try:
            out = np.asarray(fn(X), dtype="float64")
        except (AttributeError, NotImplementedError):
            continue
        if np.isfinite(out).all():
            return out
    return None


def score(task: str, model: Any, X: Array, y: Array, n_classes: int) -> dict[str, float | None]:
    """Score a fitted model on ``(X, y)``: every metric of the task (unrounded) or None.

    AUC uses ``predict_proba``, else ``decision_function``, and is None (never 0.0) when the
    model has neither. RMSLE is None when a target or prediction is negative.
    """
    pred = np.asarray(model.predict(X))
    cont = continuous_scores(model, X) if task != "regression" else None
    out: dict[str, float | None] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for s in scorers(task):
            if s.needs == "score":
                value = None if cont is None else s.fn(y, cont, n_classes)
            else:
                value = s.fn(y, pred, n_classes)
            out[s.id] = _clean(value)
    return out


def _clean(value: float | None) -> float | None:
    if value is None:
        return None
    v = float(value)
    return None if math.isnan(v) or math.isinf(v) else v
