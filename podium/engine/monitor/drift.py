"""Drift: a baseline of a pipeline's training inputs and predictions, and a comparison of
logged inputs and predictions with it.

Baseline (JSON, stored beside the artifact as ``baseline.json``): per feature its missing rate
and, for numbers, decile bin edges with the share of rows in each bin and a quantile sketch of
up to ``SKETCH`` values (every value when there are fewer); for other columns the shares of the
``TOP`` most frequent values and of the rest (``OTHER``). Predictions get the same treatment
(numbers for regression, labels for classification) under the name ``PREDICTION``.

Comparison, per feature (statistics from SciPy, checked against it in the tests):

- PSI (population stability index) over the baseline's bins or categories:
  ``sum((a - e) * ln(a / e))`` with shares floored at ``EPS``.
- numbers: the two-sample Kolmogorov-Smirnov statistic and p-value
  (``scipy.stats.ks_2samp``, baseline side = the sketch);
- categories: Pearson's chi-squared goodness of fit of the current counts against the
  baseline shares (``scipy.stats.chisquare``, shares floored at ``EPS``);
- the change of the missing rate (current minus baseline).

Severity rules (one per feature and one for the report, the worst of its features and the
prediction). PSI says how far a distribution moved, the test (KS or chi-squared) whether the
move is more than sampling noise — PSI alone reads high on small windows (about
``(bins - 1) * (1/n + 1/m)`` with nothing moved: 0.15 for 50 logged rows against 100):

- ``high``: PSI ≥ 0.25 with p < 0.05, or the missing rate moved by ≥ 0.20;
- ``medium``: PSI ≥ 0.10 with p < 0.05, or the missing rate moved by ≥ 0.05, or
  p < 0.01 with KS ≥ 0.10 (numbers);
- ``low``: p < 0.05; else ``none``.

With fewer than ``MIN_ROWS`` logged rows there is no verdict: ``unknown``.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.records import PlotData, Series

BINS = 10
SKETCH = 1000
TOP = 20
EPS = 1e-4
MIN_ROWS = 30
OTHER = "__other__"
PREDICTION = "prediction"
SEVERITIES = ("unknown", "none", "low", "medium", "high")
RULES = {"psi_high": 0.25, "psi_medium": 0.10, "missing_high": 0.20, "missing_medium": 0.05}


def baseline(frame: pd.DataFrame, predictions: Any, task: str) -> dict[str, Any]:
    """The baseline of ``frame`` (input columns) and ``predictions`` (one per row)."""
    features = [_profile(str(name), frame[name]) for name in frame.columns]
    features = [f for f in features if f is not None]
    pred = pd.Series(np.asarray(predictions))
    if task != "regression":
        pred = pred.astype(str)
    return {
        "version": 1,
        "rows": len(frame),
        "task": task,
        "features": features,
        "prediction": _profile(PREDICTION, pred),
    }


def _profile(name: str, values: pd.Series) -> dict[str, Any] | None:
    missing = float(values.isna().mean()) if len(values) else 0.0
    present = values.dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        return None  # dates are not compared (their range moves by design)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        numbers = present.to_numpy(dtype=float)
        numbers = numbers[np.isfinite(numbers)]
        edges = _edges(numbers)
        return {
            "name": name,
            "kind": "numeric",
            "missing": missing,
            "edges": edges,
            "shares": _shares(numbers, edges),
            "sketch": _sketch(numbers),
        }
    counts = present.astype(str).value_counts()
    top = counts.head(TOP)
    total = max(1, int(counts.sum()))
    shares = {str(k): int(v) / total for k, v in top.items()}
    shares[OTHER] = float(counts.iloc[TOP:].sum()) / total
    return {"name": name, "kind": "categorical", "missing": missing, "shares": shares}


def _edges(numbers: np.ndarray) -> list[float]:
    if not len(numbers):
        return []
    inner = np.quantile(numbers, np.linspace(0, 1, BINS + 1)[1:-1])
    return [float(x) for x in np.unique(inner)]


def _shares(numbers: np.ndarray, edges: list[float]) -> list[float]:
    counts = np.bincount(np.searchsorted(edges, numbers, side="right"), minlength=len(edges) + 1)
    return [float(c) / max(1, len(numbers)) for c in counts]


def _sketch(numbers: np.ndarray) -> list[float]:
    if len(numbers) <= SKETCH:
        return [float(x) for x in np.sort(numbers)]
    return [float(x) for x in np.quantile(numbers, np.linspace(0, 1, SKETCH))]


def psi(expected: list[float] | np.ndarray, actual: list[float] | np.ndarray) -> float:
    """Population stability index of two share vectors (each floored at ``EPS``)."""
    e = np.maximum(np.asarray(expected, dtype=float), EPS)
    a = np.maximum(np.asarray(actual, dtype=float), EPS)
    return float(np.sum((a - e) * np.log(a / e)))


def compare(base: dict[str, Any], frame: pd.DataFrame, predictions: Any) -> dict[str, Any]:
    """The drift of ``frame`` (logged input rows) and ``predictions`` against ``base``.

    Returns ``{rows, severity, features: [...], prediction, notes}``; each feature
    ``{name, kind, psi, ks?, chi2?, p_value, missing_base, missing_now, missing_change,
    severity, shares_base, shares_now, bins}``.
    """
    rows = len(frame)
    notes: list[str] = []
    features = []
    for spec in base["features"]:
        if spec["name"] not in frame.columns:
            notes.append(f"column {spec['name']!r} is not in the logged inputs")
            continue
        features.append(_compare_one(spec, frame[spec["name"]], rows))
    pred = pd.Series(np.asarray(predictions, dtype=object))
    if base.get("task") == "regression":
        pred = pd.to_numeric(pred, errors="coerce")
    else:
        pred = pred.where(pred.isna(), pred.astype(str))
    prediction = _compare_one(base["prediction"], pred, len(pred)) if len(pred) else None
    if rows < MIN_ROWS:
        notes.append(f"{rows} logged rows: at least {MIN_ROWS} are needed for a verdict")
    parts = [f["severity"] for f in features] + ([prediction["severity"]] if prediction else [])
    severity = max(parts, key=SEVERITIES.index) if parts else "unknown"
    return {
        "rows": rows,
        "severity": severity,
        "features": features,
        "prediction": prediction,
        "notes": notes,
    }


def _compare_one(spec: dict[str, Any], values: pd.Series, rows: int) -> dict[str, Any]:
    from scipy import stats

    missing_now = float(values.isna().mean()) if len(values) else 0.0
    out: dict[str, Any] = {
        "name": spec["name"],
        "kind": spec["kind"],
        "missing_base": spec["missing"],
        "missing_now": missing_now,
        "missing_change": missing_now - spec["missing"],
    }
    if spec["kind"] == "numeric":
        numbers = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
        shares = _shares(numbers, spec["edges"])
        out["bins"] = _bin_labels(spec["edges"])
        ks = stats.ks_2samp(spec["sketch"], numbers) if len(numbers) and spec["sketch"] else None
        out["ks"] = float(ks.statistic) if ks is not None else None
        out["p_value"] = float(ks.pvalue) if ks is not None else None
    else:
        text = values.dropna().astype(str)
        known = [k for k in spec["shares"] if k != OTHER]
        counts = text.value_counts()
        observed = [int(counts.get(k, 0)) for k in known]
        observed.append(len(text) - sum(observed))
        base = np.maximum([spec["shares"][k] for k in [*known, OTHER]], EPS)
        base = base / base.sum()
        shares = [o / max(1, len(text)) for o in observed]
        out["bins"] = [*known, OTHER]
        if len(text):
            chi = stats.chisquare(observed, base * len(text))
            out["chi2"], out["p_value"] = float(chi.statistic), float(chi.pvalue)
        else:
            out["chi2"], out["p_value"] = None, None
    base_shares = spec["shares"] if spec["kind"] == "numeric" else list(spec["shares"].values())
    out["shares_base"], out["shares_now"] = list(base_shares), shares
    out["psi"] = psi(base_shares, shares) if len(values.dropna()) else None
    out["severity"] = severity(out) if rows >= MIN_ROWS else "unknown"
    return out


def at_least(severity: str, least: str) -> bool:
    """Whether ``severity`` is ``least`` or worse (in the order of :data:`SEVERITIES`).

    >>> at_least("high", "medium"), at_least("low", "medium"), at_least("unknown", "low")
    (True, False, False)
    """
    return SEVERITIES.index(severity) >= SEVERITIES.index(least)


def severity(feature: dict[str, Any]) -> str:
    """The severity of one compared feature (rules in the module docstring)."""
    value = feature.get("psi") or 0.0
    moved = abs(feature.get("missing_change") or 0.0)
    p_value = feature.get("p_value")
    p_value = 1.0 if p_value is None or math.isnan(p_value) else p_value
    significant = p_value < 0.05
    if (value >= RULES["psi_high"] and significant) or moved >= RULES["missing_high"]:
        return "high"
    ks_moved = feature.get("ks") is not None and feature["ks"] >= 0.10 and p_value < 0.01
    medium = value >= RULES["psi_medium"] and significant
    if medium or moved >= RULES["missing_medium"] or ks_moved:
        return "medium"
    return "low" if significant else "none"


def _bin_labels(edges: list[float]) -> list[str]:
    if not edges:
        return ["all"]
    cuts = [f"{e:.4g}" for e in edges]
    return [
        f"< {cuts[0]}",
        *[f"{a} – {b}" for a, b in itertools.pairwise(cuts)],
        f"≥ {cuts[-1]}",
    ]


def plots(result: dict[str, Any]) -> list[PlotData]:
    """A report's plots: PSI per feature, then each feature's shares (baseline vs now)."""
    compared = [*result["features"], *([result["prediction"]] if result["prediction"] else [])]
    scored = [f for f in compared if f.get("psi") is not None]
    out: list[PlotData] = [
        {
            "id": "psi",
            "title": "PSI per feature",
            "kind": "xy",
            "x": {"label": "PSI", "scale": "linear"},
            "y": {"label": "feature", "scale": "band"},
            "series": [
                {
                    "name": "PSI",
                    "mark": "barh",
                    "x": [round(f["psi"], 4) for f in scored],
                    "y": [f["name"] for f in scored],
                }
            ],
            "notes": [
                f"{result['rows']} logged rows; PSI ≥ {RULES['psi_medium']} is medium drift, "
                f"≥ {RULES['psi_high']} high (when the test's p < 0.05)"
            ],
        }
    ]
    for feature in compared:
        out.append(
            {
                "id": f"feature:{feature['name']}",
                "title": f"{feature['name']}: share of rows (severity {feature['severity']})",
                "kind": "xy",
                "x": {"label": "bin" if feature["kind"] == "numeric" else "value", "scale": "band"},
                "y": {"label": "share of rows", "scale": "linear"},
                "series": [
                    {
                        "name": "training",
                        "mark": "bar",
                        "x": feature["bins"],
                        "y": feature["shares_base"],
                    },
                    {
                        "name": "logged",
                        "mark": "dot",
                        "x": feature["bins"],
                        "y": feature["shares_now"],
                    },
                ],
                "notes": [_summary(feature)],
            }
        )
    return out


def _summary(feature: dict[str, Any]) -> str:
    parts = [f"PSI {feature['psi']:.3f}" if feature.get("psi") is not None else "no values"]
    if feature.get("ks") is not None:
        parts.append(f"KS {feature['ks']:.3f}")
    if feature.get("chi2") is not None:
        parts.append(f"χ² {feature['chi2']:.2f}")
    if feature.get("p_value") is not None:
        parts.append(f"p {feature['p_value']:.3g}")
    parts.append(f"missing {feature['missing_base']:.1%} → {feature['missing_now']:.1%}")
    return ", ".join(parts)


def over_time(points: list[tuple[str, dict[str, Any]]]) -> PlotData:
    """PSI of each feature (and the prediction) across reports, oldest first:
    ``points`` are ``(time label, report result)``."""
    names: list[str] = []
    for _, result in points:
        for f in [*result["features"], *([result["prediction"]] if result["prediction"] else [])]:
            if f["name"] not in names:
                names.append(f["name"])
    series: list[Series] = []
    for name in names:
        xs, ys = [], []
        for label, result in points:
            found = [
                f
                for f in [*result["features"], result["prediction"] or {}]
                if f.get("name") == name and f.get("psi") is not None
            ]
            if found:
                xs.append(label)
                ys.append(round(found[0]["psi"], 4))
        series.append({"name": name, "mark": "line", "x": xs, "y": ys})
    return {
        "id": "psi_over_time",
        "title": "PSI per feature over time",
        "kind": "xy",
        "x": {"label": "report (UTC)", "scale": "band"},
        "y": {"label": "PSI", "scale": "linear"},
        "series": series,
        "notes": [f"{len(points)} reports"],
    }
