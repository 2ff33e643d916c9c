"""The fit-based plots of one model: fitted once on the training split with the experiment's
preprocessing and seed, then importance, permutation importance, learning curve and SHAP.

:meth:`podium.engine.experiment.Experiment.analyse` builds the :class:`AnalysisInputs` (the
experiment's rows, split and folds) and calls :func:`analyse`. Plot ids (``PLOT_IDS``) are the
API's: ``feature_importance`` (only when the model has its own), ``permutation_importance``,
``learning_curve``, ``shap_summary`` (and ``shap_beeswarm`` beside it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.compose import ColumnTransformer
from sklearn.pipeline import Pipeline

from podium.engine.evaluate import explain, importance, shap_summary
from podium.engine.evaluate.encoded import source_columns
from podium.engine.models import recipes
from podium.engine.records import ModelRecipe, PlotData
from podium.engine.run.fits import FoldArrays, aligned, single_threaded
from podium.engine.run.metrics import scorer
from podium.engine.standalone import quiet

Array = np.ndarray[Any, Any]
PLOT_IDS = (
    "feature_importance",
    "permutation_importance",
    "learning_curve",
    "shap_summary",
    "shap_beeswarm",
)
OnPlot = Callable[[PlotData], None]


@dataclass(frozen=True)
class AnalysisInputs:
    """What the analysis reads from an experiment: raw rows of the fit and evaluation parts
    (encoded labels), the training part with its CV folds, and how to build the preprocessor."""

    task: str
    seed: int
    n_classes: int
    sort: str
    X_fit: pd.DataFrame
    y_fit: Array
    X_eval: pd.DataFrame
    y_eval: Array
    eval_name: str
    X_train: pd.DataFrame
    y_train: Array
    folds: list[tuple[Array, Array]]
    preprocessor: Callable[[], ColumnTransformer]
    notes: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # the target's labels, by encoded value


def analyse(
    inputs: AnalysisInputs, recipe: ModelRecipe, on_plot: OnPlot | None = None
) -> dict[str, PlotData]:
    """Every analysis plot of the model ``recipe`` builds (a registry model or a tuned,
    ensembled, blended or stacked one); ``on_plot`` hears each as soon as it is ready."""

    def build() -> Any:
        return recipes.build(inputs.task, recipe, inputs.seed)

    pre = inputs.preprocessor()
    with quiet():
        X_fit = np.asarray(pre.fit_transform(inputs.X_fit, inputs.y_fit), dtype="float64")
        X_eval = np.asarray(pre.transform(inputs.X_eval), dtype="float64")
    arrays = aligned(FoldArrays(X_fit, inputs.y_fit, X_eval, inputs.y_eval))
    model = build()
    with single_threaded(), parallel_config(backend="sequential"), quiet():
        model.fit(arrays.X_train, arrays.y_train)
    sources = source_columns(pre)
    metric = scorer(inputs.task, inputs.sort)
    fitted = f"{recipe['name']} fitted on {len(X_fit):,} training rows (seed {inputs.seed})"
    on_eval = f"scored on {len(X_eval):,} {inputs.eval_name} rows"
    plots: dict[str, PlotData] = {}

    def keep(plot: PlotData | None) -> None:
        if plot is not None:
            plots[plot["id"]] = plot
            if on_plot is not None:
                on_plot(plot)

    keep(importance.model_importance(model, sources, [*inputs.notes, fitted]))
    pipe = Pipeline([("preprocess", pre), ("model", model)])
    with single_threaded(), parallel_config(backend="sequential"):
        keep(
            importance.permutation_plot(
                pipe,
                inputs.X_eval,
                inputs.y_eval,
                metric,
                inputs.n_classes,
                inputs.seed,
                [*inputs.notes, fitted, on_eval],
            )
        )
        keep(learning_curve(inputs, build, metric))
        for plot in shap_plots(model, arrays, sources, inputs, [*inputs.notes, fitted]):
            keep(plot)
    return plots


def learning_curve(inputs: AnalysisInputs, build: Callable[[], Any], metric: Any) -> PlotData:
    """The learning curve on the experiment's folds (rows bounded: see ``importance``)."""
    X, y, folds = inputs.X_train, inputs.y_train, inputs.folds
    notes = list(inputs.notes)
    if len(X) > importance.LEARNING_ROWS:
        notes.append(f"folds sampled to {importance.LEARNING_ROWS:,} rows")
        rng = np.random.default_rng(inputs.seed)
        share = importance.LEARNING_ROWS / len(X)
        folds = [(np.sort(rng.choice(tr, int(len(tr) * share), False)), va) for tr, va in folds]

    def make() -> Pipeline:
        return Pipeline([("preprocess", inputs.preprocessor()), ("model", build())])

    return importance.learning_plot(make, X, y, folds, metric, inputs.n_classes, notes)


def shap_plots(
    model: Any, arrays: FoldArrays, sources: list[str], inputs: AnalysisInputs, notes: list[str]
) -> list[PlotData]:
    """The SHAP summary and beeswarm on (a bounded sample of) the evaluation rows."""
    tree = explain.tree_explainer(model) is not None
    limit = explain.SUMMARY_ROWS if tree else agnostic_rows(arrays.X_valid.shape[1])
    rows = np.arange(len(arrays.X_valid))
    if len(rows) > limit:
        rows = np.sort(np.random.default_rng(inputs.seed).choice(rows, limit, replace=False))
    values = explain.explain(
        model, arrays.X_valid[rows], sources, inputs.task, background=arrays.X_train
    )
    more = [f"{len(rows):,} {inputs.eval_name} rows explained"]
    if not tree:
        more.append(f"background: {min(len(arrays.X_train), explain.BACKGROUND_ROWS)} rows")
    frame = inputs.X_eval.iloc[rows]
    return shap_summary.summary_plots(values, frame, [*notes, *more], inputs.classes)


def agnostic_rows(width: int, budget: int = 20_000_000) -> int:
    """How many rows Kernel SHAP explains for the summary: rows × its model rows per row
    (``explain.KERNEL_EVALS`` at most) stay under ``budget`` (between 10 and 100 rows)."""
    per_row = min(
        explain.KERNEL_EVALS, (2 * width + explain.KERNEL_SAMPLES) * explain.BACKGROUND_ROWS
    )
    return int(min(explain.AGNOSTIC_SUMMARY_ROWS, max(10, budget // per_row)))
