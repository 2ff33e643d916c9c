"""Metrics as scorers carrying their sign, so sorting never needs to know a metric's name."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.standalone import quiet

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Scorer:
    """One leaderboard metric.

    Parameters
    ----------
    id : str
        The metric's one id in every layer: the leaderboard column, ``compare(sort=...)``,
        ``describe.metrics`` and the API's ``plan_params.sort`` (``"Accuracy"``, ``"MAE"`` ...).
    name : str
        Human name shown beside the id (``"Area under the ROC curve"``).
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


# Classification metrics are computed from one confusion matrix and AUC from ranks, with
# scikit-learn's definitions (``average="binary"`` for two classes, support-weighted
# otherwise; ``zero_division=0``): every fold of every model is scored, and scikit-learn's
# per-call input validation cost more than the arithmetic. tests/engine/test_metrics.py
# checks each against scikit-learn.


def _confusion(y: Array, p: Array, k: int) -> Array:
    """``cm[i, j]``: rows of class ``i`` predicted ``j`` (labels encoded 0..k-1)."""
    y, p = np.asarray(y, dtype=np.int64), np.asarray(p, dtype=np.int64)
    size = max(k, int(y.max(initial=0)) + 1, int(p.max(initial=0)) + 1)
    return np.bincount(y * size + p, minlength=size * size).reshape(size, size).astype(float)


def _ratio(num: Array, den: Array) -> Array:
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _averaged(part: str) -> Callable[[Array, Array, int], float]:
    """Recall, precision or F1: of class 1 for two classes, else weighted by support."""

    def fn(y: Array, p: Array, k: int) -> float:
        cm = _confusion(y, p, k)
        tp, support, predicted = np.diag(cm), cm.sum(axis=1), cm.sum(axis=0)
        den = {"recall": support, "precision": predicted, "f1": (support + predicted) / 2}[part]
        per_class = _ratio(tp, den)
        if k == 2:
            return float(per_class[1])
        total = support.sum()
        return float((per_class * support).sum() / total) if total else 0.0

    return fn


def _accuracy(y: Array, p: Array, k: int) -> float:
    cm = _confusion(y, p, k)
    return float(np.trace(cm) / cm.sum())


def _kappa(y: Array, p: Array, k: int) -> float:
    cm = _confusion(y, p, k)
    n = cm.sum()
    observed, expected = np.trace(cm) / n, float(cm.sum(axis=1) @ cm.sum(axis=0)) / n**2
    return float((observed - expected) / (1 - expected)) if expected != 1 else math.nan


def _mcc(y: Array, p: Array, k: int) -> float:
    cm = _confusion(y, p, k)
    t, q, n = cm.sum(axis=1), cm.sum(axis=0), cm.sum()
    cov_tp = np.trace(cm) * n - t @ q
    cov_pp, cov_tt = n**2 - q @ q, n**2 - t @ t
    return float(cov_tp / math.sqrt(cov_tt * cov_pp)) if cov_tt * cov_pp else 0.0


def _rank_auc(positive: Array, s: Array) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count one half, as the ROC curve does)."""
    from scipy.stats import rankdata

    n_pos = int(positive.sum())
    n_neg = len(positive) - n_pos
    ranks = rankdata(s)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def _auc(y: Array, s: Array, n_classes: int) -> float | None:
    y = np.asarray(y)
    if n_classes == 2:
        col = s[:, 1] if s.ndim == 2 else s
        if len(np.unique(y)) < 2:
            return None
        return _rank_auc(y == 1, col)
    if s.ndim != 2 or s.shape[1] != n_classes:
        return None
    total, weight = 0.0, 0
    for c in range(n_classes):
        support = int((y == c).sum())
        if support == 0 or support == len(y):
            continue
        total += support * _rank_auc(y == c, s[:, c])
        weight += support
    return total / weight if weight else None


def _mae(y: Array, p: Array, _: int) -> float:
    return float(np.mean(np.abs(y - p)))


def _mse(y: Array, p: Array, _: int) -> float:
    return float(np.mean((y - p) ** 2))


def _rmse(y: Array, p: Array, _: int) -> float:
    return math.sqrt(_mse(y, p, 0))


def _r2(y: Array, p: Array, _: int) -> float:
    residual, total = float(((y - p) ** 2).sum()), float(((y - y.mean()) ** 2).sum())
    if total == 0:
        return 1.0 if residual == 0 else 0.0
    return 1 - residual / total


def _rmsle(y: Array, p: Array, _: int) -> float | None:
    if (y < 0).any() or (p < 0).any():
        return None
    return math.sqrt(float(np.mean((np.log1p(y) - np.log1p(p)) ** 2)))


def _mape(y: Array, p: Array, _: int) -> float:
    eps = np.finfo(np.float64).eps
    return float(np.mean(np.abs(p - y) / np.maximum(np.abs(y), eps)))


CLASSIFICATION: tuple[Scorer, ...] = (
    Scorer("Accuracy", "Accuracy", True, "pred", _accuracy),
    Scorer("AUC", "Area under the ROC curve", True, "score", _auc),
    Scorer("Recall", "Recall", True, "pred", _averaged("recall")),
    Scorer("Prec.", "Precision", True, "pred", _averaged("precision")),
    Scorer("F1", "F1 score", True, "pred", _averaged("f1")),
    Scorer("Kappa", "Cohen's kappa", True, "pred", _kappa),
    Scorer("MCC", "Matthews correlation", True, "pred", _mcc),
)
REGRESSION: tuple[Scorer, ...] = (
    Scorer("MAE", "Mean absolute error", False, "pred", _mae),
    Scorer("MSE", "Mean squared error", False, "pred", _mse),
    Scorer("RMSE", "Root mean squared error", False, "pred", _rmse),
    Scorer("R2", "Coefficient of determination", True, "pred", _r2),
    Scorer("RMSLE", "Root mean squared log error", False, "pred", _rmsle),
    Scorer("MAPE", "Mean absolute percentage error", False, "pred", _mape),
)


_BY_KIND = {"classification": CLASSIFICATION, "regression": REGRESSION}


def default_sort(task: str, findings: list[dict[str, Any]] | list[Any]) -> str:
    """The metric a run ranks by when none is given: the task's ``default_metric`` (R2 for
    regression, Accuracy for classification); AUC when setup found imbalanced classes
    (``class_imbalance``)."""
    found = tasks.get(task)
    if found.model_kind != "classification":
        return found.default_metric
    codes = {f.get("code") if isinstance(f, dict) else getattr(f, "code", None) for f in findings}
    return "AUC" if "class_imbalance" in codes else found.default_metric


def scorers(task: str) -> tuple[Scorer, ...]:
    """The leaderboard metrics of a supervised ``task``, in column order.

    Raises
    ------
    DataError
        For a task without these scorers (its metrics are its TaskDef's ``metrics`` part).
    """
    kind = tasks.get(task).model_kind
    if kind not in _BY_KIND:
        raise DataError(f"task {task!r} is not scored by the supervised metrics")
    return _BY_KIND[kind]


def describe_metrics(task: str) -> list[dict[str, Any]]:
    """``[{id, name, greater_is_better}]`` in leaderboard column order (the supervised tasks'
    ``metrics`` part)."""
    return [
        {"id": s.id, "name": s.name, "greater_is_better": s.greater_is_better}
        for s in scorers(task)
    ]


def scorer(task: str, metric_id: str) -> Scorer:
    """Look up one metric of ``task`` by its id (case-insensitive).

    Raises
    ------
    DataError
        Unknown id (a display name is not an id), listing the ids with their names.

    Examples
    --------
    >>> scorer("binary", "auc").id
    'AUC'
    """
    for s in scorers(task):
        if s.id.lower() == metric_id.strip().lower():
            return s
    ids = ", ".join(f"{s.id} ({s.name})" if s.name != s.id else s.id for s in scorers(task))
    raise DataError(f"unknown sort metric {metric_id!r} for task {task!r}: use an id, one of {ids}")


def continuous_scores(model: Any, X: Array) -> Array | None:
    """``predict_proba`` when the model has it, else ``decision_function``, else None."""
    return scores_of(model, X)[0]


def scores_of(model: Any, X: Array) -> tuple[Array | None, str]:
    """The model's continuous scores and their kind: ``predict_proba`` (``"probability"``),
    else ``decision_function`` (``"decision"``), else ``(None, "")``."""
    for method, kind in (("predict_proba", "probability"), ("decision_function", "decision")):
        fn = getattr(model, method, None)
        if fn is None:
            continue
        try:
            out = np.asarray(fn(X), dtype="float64")
        except (AttributeError, NotImplementedError):
            continue
        if np.isfinite(out).all():
            return out, kind
    return None, ""


def predict(task: str, model: Any, X: Array) -> tuple[Array, Array | None, str]:
    """``(predictions, continuous scores or None, their kind)`` of a fitted model on ``X``:
    labels (encoded 0..k-1) or values, and for classification :func:`scores_of`."""
    if task != "regression" and _labels_from_decision(model):
        return _kernel_svm(model, X)
    pred = np.asarray(model.predict(X))
    if pred.ndim == 2 and pred.shape[1] == 1:  # a regressor answering a column
        pred = pred[:, 0]
    if task == "regression":
        return pred, None, ""
    cont, kind = scores_of(model, X)
    return pred, cont, kind


def _labels_from_decision(model: Any) -> bool:
    """A two-class kernel SVM without probabilities (scikit-learn's ``SVC``, ``NuSVC``): its
    ``predict`` and ``decision_function`` each evaluate the kernel of every row against every
    support vector, most of a 10,000-row fold's fit time again. Its labels follow from its
    decision values exactly (:func:`_kernel_svm`), so it is evaluated once."""
    svm = sys.modules.get("sklearn.svm")  # not imported: not such a model
    return (
        svm is not None
        and isinstance(model, svm.SVC | svm.NuSVC)
        and not hasattr(model, "predict_proba")  # probabilities: scores_of's, from Platt's fit
        and len(model.classes_) == 2
    )


def _kernel_svm(model: Any, X: Array) -> tuple[Array, Array | None, str]:
    """:func:`predict` of a model :func:`_labels_from_decision` names. Both of its methods
    compute libsvm's ``sum`` per row, bit for bit; ``predict`` answers ``classes_[0]`` when
    ``sum > 0`` (else ``classes_[1]``, NaN included) and ``decision_function`` returns
    ``-sum`` for two classes: ``classes_[0]`` exactly where the decision value is ``< 0``."""
    dec = np.asarray(model.decision_function(X))
    pred = model.classes_.take(np.where(dec < 0, 0, 1))
    cont = np.asarray(dec, dtype="float64")
    if not np.isfinite(cont).all():  # as scores_of: no continuous scores then
        return pred, None, ""
    return pred, cont, "decision"


def score(task: str, model: Any, X: Array, y: Array, n_classes: int) -> dict[str, float | None]:
    """Score a fitted model on ``(X, y)``: every metric of the task (unrounded) or None.

    AUC uses ``predict_proba``, else ``decision_function``, and is None (never 0.0) when the
    model has neither. RMSLE is None when a target or prediction is negative.
    """
    pred, cont, _ = predict(task, model, X)
    return score_predictions(task, y, pred, cont, n_classes)


def score_predictions(
    task: str, y: Array, pred: Array, cont: Array | None, n_classes: int
) -> dict[str, float | None]:
    """Every metric of ``task`` from predictions already made (see :func:`score`)."""
    out: dict[str, float | None] = {}
    with quiet():
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
