"""A stacked level 2 for ``auto``: a regularized linear model (scikit-learn's
``StackingClassifier``/``StackingRegressor`` default final estimator — a logistic regression, or
a ridge regression with its own leave-one-out choice of alpha) learning from the members'
out-of-fold predictions (Wolpert, 1992; Ting & Witten, 1999: class probabilities as the
level-1 features, a linear level 2).

It competes with the averaged ensemble of greedy selection on a *nested* out-of-fold score:
for each fold, the combiner is chosen on the other folds only (greedy selection's picks, or
the linear model's coefficients) and predicts the fold it did not see; the two are compared on
these predictions, so neither is credited with fitting the rows it is scored on. Everything
here works on predictions already made: no model is fitted again.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from podium.engine.models.recipes import default_meta

Array = np.ndarray[Any, Any]


def features(task: str, outs: list[Array]) -> Array:
    """The level-2 inputs of ``outs`` (one member's output each): as scikit-learn's stacking
    makes them from ``predict_proba`` — every class's column, the first one left out for two
    classes (it is one minus the other) — or the predicted values for regression."""
    cols = []
    for out in outs:
        out = np.asarray(out, dtype="float64")
        if task == "regression":
            cols.append(out.reshape(-1, 1))
        else:
            cols.append(out[:, 1:] if out.shape[1] == 2 else out)
    return np.hstack(cols)


def level2(task: str, n_classes: int, x_fit: Array, y_fit: Array, x_new: Array) -> Array:
    """The level-2 model fitted on ``x_fit`` and its output for ``x_new``: values, or the
    probabilities of every class (0..k-1; zeros for a class ``y_fit`` lacks)."""
    meta = default_meta(task)
    meta.fit(x_fit, y_fit)
    if task == "regression":
        return np.asarray(meta.predict(x_new), dtype="float64")
    out = np.zeros((len(x_new), n_classes))
    out[:, [int(c) for c in meta.classes_]] = meta.predict_proba(x_new)
    return out


def nested(task: str, n_classes: int, x: Array, y: Array, fold_of: Array) -> Array:
    """Out-of-fold level-2 output: each fold's rows predicted by the level 2 fitted on the
    other folds' rows."""
    shape = (len(y),) if task == "regression" else (len(y), n_classes)
    out = np.zeros(shape)
    for f in np.unique(fold_of):
        test = fold_of == f
        out[test] = level2(task, n_classes, x[~test], y[~test], x[test])
    return out
