"""The evaluation curves in NumPy, the same numbers as scikit-learn's ``confusion_matrix``,
``roc_curve``, ``roc_auc_score``, ``precision_recall_curve``, ``average_precision_score`` and
``calibration_curve`` (tests compare them on tied and untied scores).

Why not call scikit-learn: the API process draws plots, and importing ``sklearn.metrics`` costs
about a CPU-second (seconds of wall time on a loaded machine), which the first plot after the API
starts would wait for. These are a few vectorised lines each.
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]


def confusion(y: Array, pred: Array, k: int, normalize: bool) -> Array:
    """Counts of actual class (rows) by predicted class (columns); ``normalize``: each row's
    share (a class never actual keeps a row of zeros)."""
    y, pred = np.asarray(y, dtype="int64"), np.asarray(pred, dtype="int64")
    keep = (y >= 0) & (y < k) & (pred >= 0) & (pred < k)
    cm = np.bincount(y[keep] * k + pred[keep], minlength=k * k).reshape(k, k)
    if not normalize:
        return cm
    totals = cm.sum(axis=1, keepdims=True)
    shares: Array = np.divide(cm, totals, out=np.zeros((k, k)), where=totals != 0)
    return shares


def _counts(positive: Array, score: Array) -> tuple[Array, Array, Array]:
    """False and true positives at each distinct score, highest first, and those scores."""
    order = np.argsort(np.asarray(score, dtype="float64"), kind="mergesort")[::-1]
    s = np.asarray(score, dtype="float64")[order]
    t = np.asarray(positive, dtype="float64")[order]
    last = np.r_[np.where(np.diff(s))[0], len(s) - 1]
    tps = np.cumsum(t)[last]
    fps = 1 + last - tps
    return fps, tps, s[last]


def roc(positive: Array, score: Array) -> tuple[Array, Array, Array]:
    """False and true positive rates and thresholds, collinear points dropped
    (``roc_curve``'s ``drop_intermediate``), starting at (0, 0) with threshold ∞."""
    fps, tps, thresholds = _counts(positive, score)
    if len(fps) > 2:
        keep = np.where(np.r_[True, np.logical_or(np.diff(fps, 2), np.diff(tps, 2)), True])[0]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0, fps], np.r_[0, tps]
    thresholds = np.r_[np.inf, thresholds]
    fpr = fps / fps[-1] if fps[-1] > 0 else np.full(fps.shape, np.nan)
    tpr = tps / tps[-1] if tps[-1] > 0 else np.full(tps.shape, np.nan)
    return fpr, tpr, thresholds


def roc_auc(positive: Array, score: Array) -> float:
    """Area under the ROC curve (trapezoids)."""
    fpr, tpr, _ = roc(positive, score)
    return float(np.trapezoid(tpr, fpr))


def precision_recall(positive: Array, score: Array) -> tuple[Array, Array]:
    """Precision and recall at each distinct score, recall decreasing, ending at (1, 0)."""
    fps, tps, _ = _counts(positive, score)
    predicted = tps + fps
    precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
    recall = tps / tps[-1] if tps[-1] > 0 else np.ones_like(tps)
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0]


def average_precision(positive: Array, score: Array) -> float:
    """Σ (Rₙ − Rₙ₋₁) Pₙ over the precision–recall points."""
    precision, recall = precision_recall(positive, score)
    return float(-np.sum(np.diff(recall) * precision[:-1]))


def calibration(positive: Array, score: Array, bins: int) -> tuple[Array, Array]:
    """Observed share of positives and mean score per non-empty bin of ``bins`` equal-width
    bins over [0, 1]."""
    s = np.asarray(score, dtype="float64")
    edges = np.linspace(0.0, 1.0, bins + 1)
    ids = np.searchsorted(edges[1:-1], s)
    total = np.bincount(ids, minlength=bins)
    summed = np.bincount(ids, weights=s, minlength=bins)
    hits = np.bincount(ids, weights=np.asarray(positive, dtype="float64"), minlength=bins)
    full = total != 0
    return hits[full] / total[full], summed[full] / total[full]
