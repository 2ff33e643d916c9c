"""The global SHAP plots of a model: mean |contribution| per column (``shap_summary``) and each
row's contribution per column (``shap_beeswarm``).

Multiclass keeps every class: each series names its class in ``facet`` and the plot lists the
classes in ``facets``, so the browser shows one class at a time and lets the user pick (the
summary also offers "All classes", the magnitudes summed over classes). Binary explains the
positive class, regression the predicted value: one view, no facets.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from podium.engine.evaluate.explain import Shap
from podium.engine.records import PlotData, Series

ALL = "All classes"
TOP_COLUMNS = 20  # columns the beeswarm shows, by mean |SHAP|
SWARM_POINTS = 2_000  # rows the beeswarm shows across every class (at least 100 per class)
_SPACE = {"log-odds": "log-odds", "probability": "probability", "value": "predicted value"}
_HALVES = {
    "high": "value above median",
    "low": "value at or below median",
    "other": "non-numeric or missing",
}


def summary_plots(
    shap_: Shap, frame: pd.DataFrame, notes: list[str], classes: list[str] | None = None
) -> list[PlotData]:
    """The summary (a ``barh`` per view) and the beeswarm (``dot``s per view) of ``shap_``,
    explained on the rows of ``frame`` (the raw columns, for the beeswarm's colours);
    ``classes`` names the outputs of a multiclass model."""
    views = _views(shap_, classes or [])
    magnitude = np.abs(shap_.values).mean(axis=0)  # (columns, outputs)
    total = magnitude.sum(axis=1)
    order = [int(j) for j in np.argsort(-total, kind="stable")]
    what = _SPACE[shap_.space]
    bars: list[Series] = []
    if len(views) > 1:
        bars.append(_bar(shap_, total, order, ALL))
    for name, out in views:
        bars.append(_bar(shap_, magnitude[:, out], _sorted(magnitude[:, out]), name))
    summary: PlotData = {
        "id": "shap_summary",
        "title": "SHAP: mean |contribution| per column",
        "kind": "xy",
        "x": {"label": f"mean |SHAP value| ({what})"},
        "y": {"label": "column", "scale": "band"},
        "series": bars if len(views) > 1 else [_bar(shap_, total, order, None)],
        "notes": [*notes, f"{shap_.method} explainer; values in {what}"],
    }
    swarm = _beeswarm(shap_, frame, order, views, [*notes, f"top {TOP_COLUMNS} columns"], what)
    if len(views) > 1:
        summary["facets"] = {"label": "Class", "values": [ALL, *(n for n, _ in views)]}
        swarm["facets"] = {"label": "Class", "values": [n for n, _ in views]}
    return [summary, swarm]


def _views(shap_: Shap, classes: list[str]) -> list[tuple[str, int]]:
    """``(class name, output index)`` of each class a multiclass model explains; one unnamed
    view otherwise."""
    if len(shap_.outputs) < 2:
        return [("", 0)]
    return [
        (classes[label] if label < len(classes) else str(label), out)
        for out, label in enumerate(shap_.outputs)
    ]


def _sorted(magnitude: Any) -> list[int]:
    return [int(j) for j in np.argsort(-magnitude, kind="stable")]


def _bar(shap_: Shap, magnitude: Any, order: list[int], facet: str | None) -> Series:
    series: Series = {
        "name": "mean |SHAP|",
        "mark": "barh",
        "x": [float(magnitude[j]) for j in order],
        "y": [shap_.columns[j] for j in order],
    }
    if facet is not None:
        series["facet"] = facet
    return series


def _beeswarm(
    shap_: Shap,
    frame: pd.DataFrame,
    order: list[int],
    views: list[tuple[str, int]],
    notes: list[str],
    what: str,
) -> PlotData:
    n = len(shap_.values)
    shown = min(n, max(100, SWARM_POINTS // len(views)))
    rows = np.linspace(0, n - 1, shown).round().astype(int) if shown < n else np.arange(n)
    if shown < n:
        notes = [*notes, f"{shown:,} of {n:,} explained rows shown per class"]
    halves = _halves(frame, [shap_.columns[j] for j in order[:TOP_COLUMNS]])
    series: list[Series] = []
    for name, out in views:
        for key, label in _HALVES.items():
            xs: list[float] = []
            ys: list[str] = []
            for j in order[:TOP_COLUMNS]:
                column = shap_.columns[j]
                keep = rows[halves[column][rows] == key]
                xs.extend(float(v) for v in shap_.values[keep, j, out])
                ys.extend([column] * len(keep))
            if xs:
                part: Series = {"name": label, "mark": "dot", "x": xs, "y": ys}
                if len(views) > 1:
                    part["facet"] = name
                series.append(part)
    return {
        "id": "shap_beeswarm",
        "title": "SHAP: contribution of each row per column",
        "kind": "xy",
        "x": {"label": f"SHAP value ({what})"},
        "y": {"label": "column", "scale": "band"},
        "series": series,
        "notes": notes,
    }


def _halves(frame: pd.DataFrame, columns: list[str]) -> dict[str, Any]:
    """Per column, each row's colour key: its value above / at or below the column's median,
    or ``other`` (not a number, missing, or not a column of ``frame``)."""
    out = {}
    for column in columns:
        keys = np.full(len(frame), "other", dtype=object)
        if column in frame:
            raw = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64")
            known = ~np.isnan(raw)
            if known.any():
                median = float(np.median(raw[known]))
                keys[known] = np.where(raw[known] > median, "high", "low")
        out[column] = keys
    return out
