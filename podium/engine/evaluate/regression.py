"""Regression plots from stored predictions: residuals, their distribution, predicted
against actual."""

from __future__ import annotations

from typing import Any

import numpy as np

from podium.engine.evaluate.sampling import MAX_SCATTER_POINTS, floats, sample_rows
from podium.engine.records import PlotData, Series
from podium.engine.run.predictions import PredictionSet

Array = np.ndarray[Any, Any]
BINS = 40


def _plot(pid: str, title: str, x: str, y: str, series: list[Series]) -> PlotData:
    return {
        "id": pid,
        "title": title,
        "kind": "xy",
        "x": {"label": x},
        "y": {"label": y},
        "series": series,
        "notes": [],
    }


def _sample(p: PredictionSet) -> tuple[Array, Array, list[str]]:
    """``(actual, predicted)`` of at most ``MAX_SCATTER_POINTS`` rows, and the note."""
    rows, sampled = sample_rows(len(p))
    note = []
    if sampled:
        note.append(f"a seeded random sample of {MAX_SCATTER_POINTS:,} of {len(p):,} rows is drawn")
    return p.y[rows].astype("float64"), p.pred[rows].astype("float64"), note


def _span(*arrays: Array) -> list[float]:
    lo = min(float(np.min(a)) for a in arrays)
    hi = max(float(np.max(a)) for a in arrays)
    return [lo, hi]


def residuals(p: PredictionSet) -> PlotData:
    """Residual (actual − predicted) against the prediction, with the zero line."""
    y, pred, note = _sample(p)
    span = _span(pred)
    series: list[Series] = [
        {"name": "rows", "mark": "dot", "x": floats(pred), "y": floats(y - pred)},
        {"name": "zero", "mark": "rule", "x": span, "y": [0.0, 0.0], "dashed": True},
    ]
    plot = _plot("residuals", "Residuals", "Predicted", "Residual (actual − predicted)", series)
    plot["notes"] = note
    return plot


def residual_distribution(p: PredictionSet, bins: int = BINS) -> PlotData:
    """Histogram of every residual (actual − predicted)."""
    resid = p.y.astype("float64") - p.pred.astype("float64")
    lo, hi = (float(resid.min()), float(resid.max())) if len(resid) else (0.0, 0.0)
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):  # all (nearly) equal: one unit around them
        lo, hi = lo - 0.5, hi + 0.5
    counts, edges = np.histogram(resid, bins=bins, range=(lo, hi))
    series: list[Series] = [
        {
            "name": "rows",
            "mark": "rect",
            "x": floats(edges[:-1]),
            "x2": [float(e) for e in edges[1:]],
            "y": counts.tolist(),
        }
    ]
    plot = _plot(
        "residual_distribution",
        "Residual distribution",
        "Residual (actual − predicted)",
        "Rows",
        series,
    )
    plot["notes"] = [f"{bins} equal-width bins over all {len(resid):,} rows"]
    return plot


def prediction_error(p: PredictionSet) -> PlotData:
    """Predicted against actual, with the identity line (a perfect model lies on it)."""
    y, pred, note = _sample(p)
    span = _span(y, pred)
    series: list[Series] = [
        {"name": "rows", "mark": "dot", "x": floats(y), "y": floats(pred)},
        {"name": "identity", "mark": "line", "x": span, "y": span, "dashed": True},
    ]
    plot = _plot("prediction_error", "Prediction error", "Actual", "Predicted", series)
    plot["notes"] = note
    return plot
