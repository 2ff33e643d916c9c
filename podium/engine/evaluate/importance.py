"""Importance plots in the table's own column names: the model's own (``feature_importances_``
or ``|coef_|``), permutation importance on held-out rows, and a learning curve.

Each returns a :class:`podium.engine.records.PlotData`; the model's own importance is summed
over a column's encoded parts (:mod:`podium.engine.evaluate.encoded`), permutation importance
shuffles the input columns themselves, so both name the columns of the uploaded table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from sklearn.inspection import permutation_importance
from sklearn.model_selection import learning_curve

from podium.engine.evaluate.encoded import sum_by_column
from podium.engine.records import PlotData, Series
from podium.engine.run.metrics import Scorer, continuous_scores
from podium.engine.standalone import quiet

Array = np.ndarray[Any, Any]
PERMUTATION_ROWS = 2000
PERMUTATION_REPEATS = 5
LEARNING_SIZES = (0.25, 0.5, 0.75, 1.0)
LEARNING_ROWS = 20_000


def sklearn_scorer(metric: Scorer, n_classes: int) -> Callable[[Any, Any, Array], float]:
    """A scikit-learn ``scoring`` callable computing ``metric`` the way the leaderboard does
    (higher is better: error metrics are negated)."""

    def score(estimator: Any, X: Any, y: Array) -> float:
        if metric.needs == "score":
            pred = continuous_scores(estimator, X)
            if pred is None:
                return float("nan")
        else:
            pred = np.asarray(estimator.predict(X))
        value = metric.fn(np.asarray(y), pred, n_classes)
        if value is None:
            return float("nan")
        return float(value) if metric.greater_is_better else -float(value)

    return score


def model_importance(model: Any, sources: list[str], notes: list[str]) -> PlotData | None:
    """The model's own importance per column, or None when it has none."""
    own = getattr(model, "feature_importances_", None)
    what = "importance (the model's feature_importances_)"
    if own is None and getattr(model, "coef_", None) is not None:
        coef = np.abs(np.atleast_2d(np.asarray(model.coef_, dtype="float64")))
        own, what = coef.sum(axis=0), "|coefficient| (summed over classes), encoded scale"
    if own is None:
        return None
    own = np.asarray(own, dtype="float64").ravel()
    if own.shape[0] != len(sources):
        return None
    columns, summed = sum_by_column(own, sources)
    return _barh(
        "feature_importance",
        "Feature importance (the model's own)",
        columns,
        summed,
        what,
        [*notes, "encoded parts summed per column"],
    )


def permutation_plot(
    pipe: Any,
    X: pd.DataFrame,
    y: Array,
    metric: Scorer,
    n_classes: int,
    seed: int,
    notes: list[str],
) -> PlotData:
    """Mean decrease of ``metric`` when one input column is shuffled (± its std over
    :data:`PERMUTATION_REPEATS` shuffles), on at most :data:`PERMUTATION_ROWS` rows."""
    if len(X) > PERMUTATION_ROWS:
        keep = np.sort(np.random.default_rng(seed).choice(len(X), PERMUTATION_ROWS, False))
        X, y = X.iloc[keep], y[keep]
        notes = [*notes, f"sampled to {PERMUTATION_ROWS:,} rows"]
    with quiet():
        result = permutation_importance(
            pipe,
            X,
            y,
            scoring=sklearn_scorer(metric, n_classes),
            n_repeats=PERMUTATION_REPEATS,
            random_state=seed,
            n_jobs=1,
        )
    mean = np.nan_to_num(np.asarray(result.importances_mean, dtype="float64"))
    return _barh(
        "permutation_importance",
        "Permutation importance",
        [str(c) for c in X.columns],
        mean,
        f"decrease in {metric.id} when the column is shuffled",
        [*notes, f"mean over {PERMUTATION_REPEATS} shuffles per column, seed {seed}"],
    )


def learning_plot(
    make: Callable[[], Any],
    X: pd.DataFrame,
    y: Array,
    folds: list[tuple[Array, Array]],
    metric: Scorer,
    n_classes: int,
    notes: list[str],
) -> PlotData:
    """Training and cross-validated ``metric`` against training rows (the experiment's folds,
    :data:`LEARNING_SIZES` of each fold's training part)."""
    with quiet():
        sizes, train, valid = learning_curve(
            make(),
            X,
            y,
            cv=folds,
            train_sizes=np.asarray(LEARNING_SIZES),
            scoring=sklearn_scorer(metric, n_classes),
            shuffle=False,
            n_jobs=1,
            error_score=np.nan,
        )
    sign = 1.0 if metric.greater_is_better else -1.0
    xs = [int(s) for s in sizes]

    def band(scores: Array, name: str, dashed: bool) -> Series:
        with quiet():  # a size where every fold failed: left out
            mean = np.nanmean(scores * sign, axis=1)
            std = np.nanstd(scores * sign, axis=1)
        ok = [i for i in range(len(xs)) if np.isfinite(mean[i])]
        return {
            "name": name,
            "mark": "line",
            "x": [xs[i] for i in ok],
            "y": [float(mean[i]) for i in ok],
            "y_low": [float(mean[i] - std[i]) for i in ok],
            "y_high": [float(mean[i] + std[i]) for i in ok],
            "dashed": dashed,
        }

    return {
        "id": "learning_curve",
        "title": "Learning curve",
        "kind": "xy",
        "x": {"label": "training rows"},
        "y": {"label": metric.id},
        "series": [band(train, "training", True), band(valid, "cross-validation", False)],
        "notes": [*notes, f"{len(folds)} folds; band: ± one standard deviation over folds"],
    }


def _barh(
    plot_id: str, title: str, columns: list[str], values: Array, label: str, notes: list[str]
) -> PlotData:
    order = np.argsort(-np.asarray(values), kind="stable")
    return {
        "id": plot_id,
        "title": title,
        "kind": "xy",
        "x": {"label": label},
        "y": {"label": "column", "scale": "band"},
        "series": [
            {
                "name": title,
                "mark": "barh",
                "x": [float(values[i]) for i in order],
                "y": [columns[i] for i in order],
            }
        ],
        "notes": notes,
    }
