"""SHAP values in the table's own column names: for a fitted model on encoded rows, and for a
finalized pipeline on input rows.

Tree models (decision trees, forests, extra trees, gradient boosting, LightGBM, XGBoost,
CatBoost, histogram boosting) get ``shap.TreeExplainer`` (exact, no background); every other
model Kernel SHAP over a bounded background sample (:data:`BACKGROUND_ROWS` training rows,
at most :data:`KERNEL_EVALS` model rows per explained row). Both are additive: a row's contributions
plus the base value equal the model's output for that row, in the explainer's output space:

- ``log-odds`` — classification by boosters (the raw margin before the sigmoid / softmax);
- ``probability`` — classification by every other model (trees, forests, model-agnostic);
- ``value`` — regression (the predicted value).

Binary classification explains the second (positive) class; multiclass the class the model
predicts for the row (rows) or every class (the global summary: :mod:`.shap_summary`). Encoded
parts (one-hot categories, date parts, TF-IDF words, per-class target encodings) are summed back
to their column (:mod:`podium.engine.evaluate.encoded`), which keeps the sum exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.errors import DataError
from podium.engine.evaluate.encoded import source_columns, sum_by_column
from podium.engine.standalone import quiet

Array = np.ndarray[Any, Any]
BACKGROUND_ROWS = 50  # background sample of the model-agnostic explainer
KERNEL_SAMPLES = 2048  # coalitions per row beyond 2 × columns (shap's own default)
KERNEL_EVALS = 50_000  # ... bounded so that coalitions × background rows stay under this
SUMMARY_ROWS = 500  # rows the global summary explains (tree explainer)
AGNOSTIC_SUMMARY_ROWS = 100  # ... with the model-agnostic explainer
TOP = 10


@dataclass(frozen=True)
class Shap:
    """SHAP values per source column: ``values[row, column, output]``, ``base[row, output]``.

    ``outputs`` are class labels' indices (classification) or ``[0]`` (regression, binary
    boosters: one margin); ``space`` is ``log-odds``, ``probability`` or ``value``; ``method``
    ``tree`` or ``kernel``.
    """

    columns: list[str]
    values: Array
    base: Array
    outputs: list[int]
    space: str
    method: str


def inner_model(model: Any) -> Any:
    """The estimator a finalized classifier wraps (a one-member ``VotingClassifier`` fitted on
    labels 0..k-1), or ``model`` itself."""
    members = getattr(model, "estimators_", None)
    if type(model).__name__ == "VotingClassifier" and members and len(members) == 1:
        return members[0]
    return model


def explain(
    model: Any, X: Array, sources: list[str], task: str, background: Array | None = None
) -> Shap:
    """SHAP values of ``model`` (fitted on encoded rows) for the encoded rows ``X``, summed per
    source column (``sources[j]`` is the column of encoded column ``j``).

    ``background`` (encoded training rows, up to :data:`BACKGROUND_ROWS` are used) is needed
    by the model-agnostic explainer only; without one a tree model is required.
    """
    X = np.asarray(X, dtype="float64")
    tree = tree_explainer(model)
    if tree is not None:
        values, base = _tree_values(tree, X)
        method = "tree"
    elif background is None or len(background) == 0:
        raise ValueError("a model-agnostic explanation needs background rows")
    else:
        values, base = _kernel_values(model, X, np.asarray(background, "float64"), task)
        method = "kernel"
    space = _space(model, task, method, X[:5], values[:5], base[:5])
    if task == "binary" and values.shape[2] == 2:  # both classes' probabilities: keep class 1
        values, base = values[:, :, 1:], base[:, 1:]
    outputs = [1] if task == "binary" else list(range(values.shape[2]))
    columns, summed = sum_by_column(np.transpose(values, (0, 2, 1)), sources)
    return Shap(columns, np.transpose(summed, (0, 2, 1)), base, outputs, space, method)


def tree_explainer(model: Any) -> Any:
    import shap

    try:
        with quiet():
            return shap.TreeExplainer(model)
    except Exception:  # not a tree model shap knows (or multiclass sklearn GBC): agnostic
        return None


def _tree_values(explainer: Any, X: Array) -> tuple[Array, Array]:
    with quiet():
        out = explainer(X, check_additivity=True)
    values = np.asarray(out.values, dtype="float64")
    base = np.asarray(out.base_values, dtype="float64").reshape(len(X), -1)
    if values.ndim == 2:
        values = values[:, :, None]
    return values, base


def _kernel_values(model: Any, X: Array, background: Array, task: str) -> tuple[Array, Array]:
    """Kernel SHAP over a seeded background sample. Additive by construction (its weighted
    regression is constrained to ``f(x) - E[f(background)]``); plain NumPy, so no JIT
    compilation delays the first request."""
    import shap

    rng = np.random.default_rng(0)
    if len(background) > BACKGROUND_ROWS:
        background = background[rng.choice(len(background), BACKGROUND_ROWS, replace=False)]
    predict = model.predict_proba if task != "regression" else model.predict
    width = X.shape[1]
    samples = max(2 * width + 2, min(2 * width + KERNEL_SAMPLES, KERNEL_EVALS // len(background)))
    with quiet():
        np.random.seed(0)  # Kernel SHAP samples coalitions with NumPy's global generator
        explainer = shap.KernelExplainer(predict, background)
        raw = explainer.shap_values(X, nsamples=samples, l1_reg=False, silent=True)
    values = np.asarray(raw, dtype="float64")
    if isinstance(raw, list):  # older shap: one array per output
        values = np.stack([np.asarray(r, dtype="float64") for r in raw], axis=-1)
    if values.ndim == 2:
        values = values[:, :, None]
    expected = np.atleast_1d(np.asarray(explainer.expected_value, dtype="float64"))
    return values, np.tile(expected, (len(X), 1))


def _space(model: Any, task: str, method: str, X: Array, values: Array, base: Array) -> str:
    """Which output the values add up to: the predicted value, a probability, or a margin."""
    if task == "regression":
        return "value"
    if method == "kernel":
        return "probability"
    total = values.sum(axis=1) + base
    proba = np.asarray(model.predict_proba(X), dtype="float64")
    if total.shape == proba.shape and np.allclose(total, proba, atol=1e-6):
        return "probability"
    return "log-odds"


def explain_pipeline(
    pipe: Any, frame: pd.DataFrame, top: int = TOP, background: Array | None = None
) -> list[dict[str, Any]]:
    """Per-row explanations of a finalized pipeline for prepared input rows ``frame``.

    Each row: ``{base_value, output, label?, contributions: [{column, value, contribution}],
    rest}`` with the ``top`` largest contributions by size (``value``: the row's input value;
    ``rest``: the sum of the others, so base + contributions + rest is the model's output);
    ``label`` is the class explained (binary: the second class; multiclass: the predicted one).

    Raises
    ------
    DataError
        A model-agnostic explanation without background rows (a pipeline saved before
        finalized pipelines kept them).
    """
    pre = pipe.named_steps["preprocess"]
    model = inner_model(pipe.named_steps["model"])
    meta = getattr(pipe, "podium_metadata_", {}) or {}
    task = str(meta.get("task", "regression"))
    classes = list(meta.get("classes") or [])
    with quiet():
        X = np.asarray(pre.transform(frame), dtype="float64")
    if background is None:
        background = getattr(pipe, "podium_background_", None)
    if background is None and tree_explainer(model) is None:
        raise DataError(
            "this pipeline was saved before pipelines kept the training rows its model's "
            "explanations average over; promote the run again to explain its predictions"
        )
    shap_ = explain(model, X, source_columns(pre), task, background)
    chosen = _chosen_outputs(model, X, shap_, task)
    return [
        _row_explanation(frame.iloc[i], shap_, i, out, classes, top) for i, out in enumerate(chosen)
    ]


def _chosen_outputs(model: Any, X: Array, shap_: Shap, task: str) -> list[int]:
    """Which output each row's explanation is about: the predicted class (multiclass)."""
    if task != "multiclass":
        return [0] * len(X)
    return [int(k) for k in np.asarray(model.predict(X)).astype(int)]


def _row_explanation(
    row: pd.Series, shap_: Shap, i: int, out: int, classes: list[Any], top: int
) -> dict[str, Any]:
    values = shap_.values[i, :, out]
    order = np.argsort(-np.abs(values), kind="stable")[:top]
    contributions = [
        {
            "column": shap_.columns[j],
            "value": _jsonable(row.get(shap_.columns[j])),
            "contribution": float(values[j]),
        }
        for j in order
    ]
    body: dict[str, Any] = {
        "base_value": float(shap_.base[i, out]),
        "output": shap_.space,
        "contributions": contributions,
        "rest": float(values.sum() - values[order].sum()),
    }
    label = shap_.outputs[out] if out < len(shap_.outputs) else None
    if classes and label is not None and label < len(classes):
        body["label"] = _jsonable(classes[label])
    return body


def _jsonable(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):  # a date as sent when it has no time
        stamp = pd.Timestamp(value)
        return str(stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value
