"""Classification plots from stored predictions (scikit-learn's own curve functions; tests
compare each with them on fixed data)."""

from __future__ import annotations

from typing import Any

import numpy as np

from podium.engine.evaluate import curves
from podium.engine.evaluate.sampling import MAX_CURVE_POINTS, floats, thin_curve
from podium.engine.records import Axis, PlotData, Series
from podium.engine.run.predictions import PredictionSet

Array = np.ndarray[Any, Any]
UNIT: list[float] = [0.0, 1.0]
THRESHOLDS = 101  # threshold plot: 0.00, 0.01, ... 1.00 (probabilities)
GAIN_POINTS = 100  # lift / gain: every percent of the rows, best scored first


def _plot(
    pid: str,
    title: str,
    x: str,
    y: str,
    series: list[Series],
    xs: dict[str, Any] | None = None,
    ys: dict[str, Any] | None = None,
) -> PlotData:
    """An ``xy`` plot; ``xs``/``ys`` add axis options (``scale``, ``domain``)."""
    x_axis: Axis = {"label": x, **(xs or {})}  # type: ignore[typeddict-item]
    y_axis: Axis = {"label": y, **(ys or {})}  # type: ignore[typeddict-item]
    return {
        "id": pid,
        "title": title,
        "kind": "xy",
        "x": x_axis,
        "y": y_axis,
        "series": series,
        "notes": [],
    }


def _diagonal(name: str = "chance") -> Series:
    return {"name": name, "mark": "line", "x": UNIT, "y": UNIT, "dashed": True}


def _thinned(note: list[str], *cols: Array) -> list[Array]:
    out, thinned = thin_curve(*cols)
    if thinned and not note:
        note.append(f"curves thinned to {MAX_CURVE_POINTS:,} evenly spaced points each")
    return out


def confusion(p: PredictionSet, classes: list[str], normalize: bool) -> PlotData:
    """Rows: actual class; columns: predicted; counts, or each row's share (recall)."""
    k = len(classes)
    cm = curves.confusion(p.y, p.pred, k, normalize)
    pid = "confusion_matrix_normalized" if normalize else "confusion_matrix"
    title = "Confusion matrix (share of each actual class)" if normalize else "Confusion matrix"
    plot = _plot(pid, title, "Predicted", "Actual", [], xs={"scale": "band"}, ys={"scale": "band"})
    plot["kind"] = "heatmap"
    plot["heatmap"] = {"rows": classes, "cols": classes, "values": [floats(r) for r in cm]}
    return plot


def _one_vs_rest(p: PredictionSet, classes: list[str]) -> list[tuple[str, Array, Array]]:
    """``(name, is that class, its score)`` per curve: the positive class for two classes,
    every class against the rest otherwise."""
    assert p.scores is not None
    if len(classes) == 2:
        return [(classes[1], p.y == 1, p.scores[:, 1])]
    return [(c, p.y == i, p.scores[:, i]) for i, c in enumerate(classes) if (p.y == i).sum() > 0]


def roc(p: PredictionSet, classes: list[str]) -> PlotData:
    """ROC curve (one per class against the rest for more than two classes) with its AUC."""
    note: list[str] = []
    series: list[Series] = []
    for name, positive, score in _one_vs_rest(p, classes):
        if positive.all():
            continue
        fpr, tpr, _ = curves.roc(positive, score)
        auc = curves.roc_auc(positive, score)
        fpr, tpr = _thinned(note, fpr, tpr)
        series.append(
            {"name": f"{name} (AUC {auc:.3f})", "mark": "line", "x": floats(fpr), "y": floats(tpr)}
        )
    series.append(_diagonal())
    plot = _plot(
        "roc",
        "ROC curve",
        "False positive rate",
        "True positive rate",
        series,
        xs={"domain": UNIT},
        ys={"domain": UNIT},
    )
    plot["notes"] = note
    return plot


def pr(p: PredictionSet, classes: list[str]) -> PlotData:
    """Precision against recall (one curve per class for more than two), with average precision."""
    note: list[str] = []
    series: list[Series] = []
    for name, positive, score in _one_vs_rest(p, classes):
        precision, recall = curves.precision_recall(positive, score)
        ap = curves.average_precision(positive, score)
        recall, precision = _thinned(note, recall, precision)
        label = f"{name} (AP {ap:.3f})"
        series.append({"name": label, "mark": "step", "x": floats(recall), "y": floats(precision)})
    if len(classes) == 2:
        base = float((p.y == 1).mean())
        series.append(
            {"name": "chance", "mark": "line", "x": UNIT, "y": [base, base], "dashed": True}
        )
    plot = _plot(
        "pr",
        "Precision–recall curve",
        "Recall",
        "Precision",
        series,
        xs={"domain": UNIT},
        ys={"domain": UNIT},
    )
    plot["notes"] = note
    return plot


def calibration(p: PredictionSet, classes: list[str], bins: int = 10) -> PlotData:
    """Observed share of the class against the mean predicted probability, in ``bins``
    equal-width bins (scikit-learn's ``calibration_curve``, in NumPy: ``curves``)."""
    series: list[Series] = []
    for name, positive, score in _one_vs_rest(p, classes):
        clipped = np.clip(score, 0.0, 1.0)
        observed, predicted = curves.calibration(positive, clipped, bins)
        series.append({"name": name, "mark": "line", "x": floats(predicted), "y": floats(observed)})
    series.append(_diagonal("perfectly calibrated"))
    plot = _plot(
        "calibration",
        "Calibration",
        "Mean predicted probability",
        "Observed share of the class",
        series,
        xs={"domain": UNIT},
        ys={"domain": UNIT},
    )
    plot["notes"] = [f"{bins} equal-width probability bins; empty bins are left out"]
    return plot


def threshold_points(p: PredictionSet, score_kind: str) -> Array:
    """Thresholds of the binary threshold plot: 0, 0.01 … 1 for probabilities; 101
    quantiles of the scores for decision values."""
    assert p.scores is not None
    if score_kind == "probability":
        return np.linspace(0.0, 1.0, THRESHOLDS)
    return np.unique(np.quantile(p.scores[:, 1], np.linspace(0.0, 1.0, THRESHOLDS)))


def threshold(p: PredictionSet, classes: list[str], score_kind: str) -> PlotData:
    """Precision, recall and F1 of the positive class when predicting it at score ≥ t."""
    assert p.scores is not None
    score, positive = p.scores[:, 1].astype("float64"), p.y == 1
    ts = threshold_points(p, score_kind)
    # for each threshold, how many rows (and positives) score at or above it
    order = np.sort(score)
    above = len(score) - np.searchsorted(order, ts, side="left")
    pos_scores = np.sort(score[positive])
    tp = len(pos_scores) - np.searchsorted(pos_scores, ts, side="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(above > 0, tp / np.maximum(above, 1), 0.0)
        recall = tp / max(1, int(positive.sum()))
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    x = floats(ts)
    series: list[Series] = [
        {"name": "Precision", "mark": "line", "x": x, "y": floats(precision)},
        {"name": "Recall", "mark": "line", "x": x, "y": floats(recall)},
        {"name": "F1", "mark": "line", "x": x, "y": floats(f1)},
    ]
    label = "Threshold (probability)" if score_kind == "probability" else "Threshold (score)"
    plot = _plot(
        "threshold",
        f"Precision, recall and F1 of {classes[1]!r} by threshold",
        label,
        "Value",
        series,
        ys={"domain": UNIT},
    )
    plot["notes"] = [
        f"the positive class is {classes[1]!r}: predicted when its score ≥ the threshold"
    ]
    return plot


def gain_points(p: PredictionSet) -> tuple[Array, Array]:
    """``(share of rows, share of positives found)``: rows taken best scored first, at every
    percent of the rows (ties broken by row order)."""
    assert p.scores is not None
    order = np.argsort(-p.scores[:, 1], kind="stable")
    hits = np.cumsum(p.y[order] == 1)
    n, total = len(order), max(1, int(hits[-1]) if len(hits) else 0)
    share = np.arange(1, GAIN_POINTS + 1) / GAIN_POINTS
    taken = np.maximum(1, np.ceil(share * n).astype(int))
    return share, hits[taken - 1] / total


def gain(p: PredictionSet, classes: list[str]) -> PlotData:
    """Cumulative gain: share of the positives found in the best-scored share of rows."""
    share, found = gain_points(p)
    series: list[Series] = [
        {"name": "model", "mark": "line", "x": [0.0, *floats(share)], "y": [0.0, *floats(found)]},
        _diagonal("random"),
    ]
    plot = _plot(
        "gain",
        f"Cumulative gain ({classes[1]!r})",
        "Share of rows (best scored first)",
        f"Share of {classes[1]!r} found",
        series,
        xs={"domain": UNIT},
        ys={"domain": UNIT},
    )
    plot["notes"] = ["at every percent of the rows; ties in score keep row order"]
    return plot


def lift(p: PredictionSet, classes: list[str]) -> PlotData:
    """Lift: the positive rate in the best-scored share of rows over the overall rate."""
    share, found = gain_points(p)
    series: list[Series] = [
        {"name": "model", "mark": "line", "x": floats(share), "y": floats(found / share)},
        {"name": "random", "mark": "line", "x": UNIT, "y": [1.0, 1.0], "dashed": True},
    ]
    plot = _plot(
        "lift",
        f"Lift ({classes[1]!r})",
        "Share of rows (best scored first)",
        "Lift",
        series,
        xs={"domain": UNIT},
    )
    plot["notes"] = ["at every percent of the rows; 1 is a random order"]
    return plot


def class_distribution(p: PredictionSet, classes: list[str]) -> PlotData:
    """How many rows of each class there are, and how many the model predicted."""
    k = len(classes)
    actual = np.bincount(p.y.astype(int), minlength=k)[:k]
    predicted = np.bincount(p.pred.astype(int), minlength=k)[:k]
    series: list[Series] = [
        {"name": "actual", "mark": "bar", "x": list(classes), "y": actual.tolist()},
        {"name": "predicted", "mark": "bar", "x": list(classes), "y": predicted.tolist()},
    ]
    return _plot(
        "class_distribution", "Class distribution", "Class", "Rows", series, xs={"scale": "band"}
    )
