"""The plot registry: every plot of every task, where its data comes from, and how to draw
it from a model's stored predictions (:class:`~podium.engine.run.predictions.ModelPredictions`).

Source ``predictions``: computed from the out-of-fold (or holdout) predictions on request,
nothing refit. Source ``analysis``: fitted explanations (importance, learning curve, SHAP)
that a separate job computes and stores; the registry only names them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.evaluate import classification as cls
from podium.engine.evaluate import regression as reg
from podium.engine.records import PlotData
from podium.engine.run.predictions import ModelPredictions, PredictionSet

CLASSIFICATION = tasks.of_kind("classification")
BINARY = frozenset({"binary"})
REGRESSION = tasks.of_kind("regression")
ALL = CLASSIFICATION | REGRESSION
SPLITS = ("oof", "holdout")

Draw = Callable[[PredictionSet, ModelPredictions], PlotData]


@dataclass(frozen=True)
class PlotSpec:
    """One plot: ``needs`` is ``""``, ``"scores"`` (probabilities or decision values) or
    ``"probability"``; ``draw`` is None for source ``analysis``."""

    id: str
    title: str
    source: str
    description: str
    tasks: frozenset[str]
    needs: str = ""
    draw: Draw | None = None

    def describe(self) -> dict[str, str]:
        """``{id, title, source, description}`` (``GET /describe/plots``)."""
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "description": self.description,
        }

    def available(self, predictions: ModelPredictions | None) -> bool:
        """Whether ``predictions`` can draw it (source ``predictions`` only)."""
        if self.source != "predictions" or predictions is None:
            return False
        if self.needs == "scores":
            return predictions.oof.scores is not None
        if self.needs == "probability":
            return predictions.score_kind == "probability" and predictions.oof.scores is not None
        return True


PLOTS: tuple[PlotSpec, ...] = (
    PlotSpec("confusion_matrix", "Confusion matrix", "predictions",
             "Rows of each actual class by predicted class (counts).", CLASSIFICATION,
             draw=lambda s, m: cls.confusion(s, m.classes, normalize=False)),
    PlotSpec("confusion_matrix_normalized", "Confusion matrix (normalised)", "predictions",
             "Each actual class's rows as shares of the predicted classes (the diagonal is "
             "each class's recall).", CLASSIFICATION,
             draw=lambda s, m: cls.confusion(s, m.classes, normalize=True)),
    PlotSpec("roc", "ROC curve", "predictions",
             "True against false positive rate over every threshold, with the AUC; one "
             "curve per class against the rest for more than two classes.", CLASSIFICATION,
             "scores", lambda s, m: cls.roc(s, m.classes)),
    PlotSpec("pr", "Precision–recall curve", "predictions",
             "Precision against recall over every threshold, with the average precision.",
             CLASSIFICATION, "scores", lambda s, m: cls.pr(s, m.classes)),
    PlotSpec("calibration", "Calibration", "predictions",
             "Observed share of the class against the predicted probability (10 bins): a "
             "calibrated model follows the diagonal.", CLASSIFICATION, "probability",
             lambda s, m: cls.calibration(s, m.classes)),
    PlotSpec("threshold", "Threshold", "predictions",
             "Precision, recall and F1 of the positive class at each decision threshold.",
             BINARY, "scores", lambda s, m: cls.threshold(s, m.classes, m.score_kind)),
    PlotSpec("lift", "Lift", "predictions",
             "How much richer in the positive class the best-scored rows are than all rows.",
             BINARY, "scores", lambda s, m: cls.lift(s, m.classes)),
    PlotSpec("gain", "Cumulative gain", "predictions",
             "Share of the positive class found in the best-scored share of rows.", BINARY,
             "scores", lambda s, m: cls.gain(s, m.classes)),
    PlotSpec("class_distribution", "Class distribution", "predictions",
             "Rows of each class: actual and predicted.", CLASSIFICATION,
             draw=lambda s, m: cls.class_distribution(s, m.classes)),
    PlotSpec("residuals", "Residuals", "predictions",
             "Residual (actual − predicted) against the prediction.", REGRESSION,
             draw=lambda s, m: reg.residuals(s)),
    PlotSpec("residual_distribution", "Residual distribution", "predictions",
             "Histogram of the residuals.", REGRESSION,
             draw=lambda s, m: reg.residual_distribution(s)),
    PlotSpec("prediction_error", "Prediction error", "predictions",
             "Predicted against actual values, with the identity line.", REGRESSION,
             draw=lambda s, m: reg.prediction_error(s)),
    PlotSpec("forecast", "Forecast", "analysis",
             "History, the backtest forecast of each window and the future forecast with its "
             "widest prediction interval (stored by the run).", frozenset({"forecasting"})),
    PlotSpec("feature_importance", "Feature importance", "analysis",
             "The model's own importance of each input column (models that have one).", ALL),
    PlotSpec("permutation_importance", "Permutation importance", "analysis",
             "How much the score drops when one column's values are shuffled.", ALL),
    PlotSpec("learning_curve", "Learning curve", "analysis",
             "Training and validation score as the training rows grow.", ALL),
    PlotSpec("shap_summary", "SHAP summary", "analysis",
             "Mean absolute SHAP value of each input column.", ALL),
    PlotSpec("shap_beeswarm", "SHAP per row", "analysis",
             "Each row's SHAP value per column, by whether the value is high or low.", ALL),
)  # fmt: skip


def plots(task: str) -> list[PlotSpec]:
    """The plots of ``task``, in display order."""
    return [p for p in PLOTS if task in p.tasks]


def describe_plots(task: str) -> list[dict[str, str]]:
    """``[{id, title, source, description}]`` of ``task`` (the supervised tasks' ``plots``
    part)."""
    return [p.describe() for p in plots(task)]


def get(task: str, plot_id: str) -> PlotSpec:
    """One plot of ``task``.

    Raises
    ------
    DataError
        Unknown for this task; the message lists the plot ids of the task.
    """
    for p in plots(task):
        if p.id == plot_id:
            return p
    known = ", ".join(p.id for p in plots(task))
    raise DataError(f"unknown plot {plot_id!r} for task {task!r}: use one of {known}")


def draw(plot_id: str, predictions: ModelPredictions, split: str = "oof") -> PlotData:
    """Compute a ``predictions`` plot from a model's stored predictions.

    ``split`` is ``"oof"`` (out-of-fold predictions of every training row) or ``"holdout"``
    (the model fitted on the training part, predicting the holdout rows).

    Raises
    ------
    DataError
        Unknown plot, an ``analysis`` plot, a split the model has no predictions for, or
        scores the plot needs that the model does not give.
    """
    spec = get(predictions.task, plot_id)
    if spec.draw is None:
        raise DataError(f"plot {plot_id!r} is computed by the model's analysis, not drawn here")
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")
    part = predictions.oof if split == "oof" else predictions.holdout
    if part is None:
        raise DataError("this model has no holdout predictions (setup kept no holdout rows)")
    if not spec.available(predictions):
        what = "probabilities" if spec.needs == "probability" else "scores"
        raise DataError(f"plot {plot_id!r} needs {what}, which model {predictions.model_id!r} "
                        "does not give")  # fmt: skip
    plot = spec.draw(part, predictions)
    plot["notes"] = [_source_note(predictions, split), *plot["notes"]]
    return plot


def _source_note(predictions: ModelPredictions, split: str) -> str:
    if split == "holdout":
        assert predictions.holdout is not None
        return (
            f"holdout predictions of the model fitted on the training part, "
            f"{len(predictions.holdout):,} rows"
        )
    folds = len(predictions.fold_scores) or "all"
    return f"out-of-fold predictions, {folds} folds, {len(predictions.oof):,} rows"
