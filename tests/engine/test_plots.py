"""Every evaluation plot's data against scikit-learn's own functions on fixed data, the
registry per task, and the downsampling of large runs."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_curve,
)

from podium.engine import describe, setup
from podium.engine.errors import DataError
from podium.engine.evaluate import plots
from podium.engine.evaluate.classification import threshold_points
from podium.engine.run.predictions import ModelPredictions, PredictionSet
from tests.engine.conftest import make_table

Array = np.ndarray[Any, Any]


def _classified(k: int, n: int = 400, seed: int = 7, kind: str = "probability") -> ModelPredictions:
    """Fixed predictions of a k-class model that is right more often than not."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    scores = proba if kind == "probability" else logits - logits.mean(axis=1, keepdims=True)
    oof = PredictionSet(
        rows=np.arange(n),
        y=y.astype("int32"),
        pred=proba.argmax(axis=1).astype("int32"),
        scores=scores.astype("float32"),
        fold=(np.arange(n) % 3).astype("int16"),
    )
    classes = ["no", "yes"] if k == 2 else [f"c{i}" for i in range(k)]
    task = "binary" if k == 2 else "multiclass"
    return ModelPredictions("m", "Model", task, classes, kind, oof, None, fold_scores={0: {}})


def _regressed(n: int = 300, seed: int = 3) -> ModelPredictions:
    rng = np.random.default_rng(seed)
    y = rng.normal(50, 10, size=n)
    pred = y + rng.normal(0, 3, size=n)
    oof = PredictionSet(rows=np.arange(n), y=y, pred=pred)
    return ModelPredictions("m", "Model", "regression", [], "", oof, None)


def _s(plot: Any, name: str) -> dict[str, Any]:
    return next(s for s in plot["series"] if s["name"].startswith(name))


@pytest.mark.parametrize("normalize", [False, True])
@pytest.mark.parametrize("k", [2, 3])
def test_confusion_matrix_equals_sklearns(k: int, normalize: bool) -> None:
    m = _classified(k)
    pid = "confusion_matrix_normalized" if normalize else "confusion_matrix"
    plot = plots.draw(pid, m)
    expected = confusion_matrix(m.oof.y, m.oof.pred, normalize="true" if normalize else None)
    assert plot["kind"] == "heatmap"
    assert np.allclose(plot["heatmap"]["values"], expected)
    assert plot["heatmap"]["rows"] == plot["heatmap"]["cols"] == m.classes


@pytest.mark.parametrize("kind", ["probability", "decision"])
def test_binary_roc_and_pr_equal_sklearns(kind: str) -> None:
    m = _classified(2, kind=kind)
    assert m.oof.scores is not None
    score, positive = m.oof.scores[:, 1], m.oof.y == 1
    fpr, tpr, _ = roc_curve(positive, score)
    roc = _s(plots.draw("roc", m), "yes")
    assert np.allclose(roc["x"], fpr)
    assert np.allclose(roc["y"], tpr)
    precision, recall, _ = precision_recall_curve(positive, score)
    pr = _s(plots.draw("pr", m), "yes")
    assert np.allclose(pr["x"], recall)
    assert np.allclose(pr["y"], precision)


def test_multiclass_roc_is_one_curve_per_class_against_the_rest() -> None:
    m = _classified(3)
    assert m.oof.scores is not None
    plot = plots.draw("roc", m)
    for i, name in enumerate(m.classes):
        fpr, tpr, _ = roc_curve(m.oof.y == i, m.oof.scores[:, i])
        curve = _s(plot, name)
        assert np.allclose(curve["x"], fpr)
        assert np.allclose(curve["y"], tpr)
    assert _s(plot, "chance")["dashed"] is True


@pytest.mark.parametrize("k", [2, 3])
def test_calibration_equals_sklearns(k: int) -> None:
    m = _classified(k)
    assert m.oof.scores is not None
    plot = plots.draw("calibration", m)
    column = 1 if k == 2 else 0
    observed, predicted = calibration_curve(m.oof.y == column, m.oof.scores[:, column], n_bins=10)
    curve = _s(plot, m.classes[column])
    assert np.allclose(curve["x"], predicted)
    assert np.allclose(curve["y"], observed)


def test_calibration_needs_probabilities() -> None:
    m = _classified(2, kind="decision")
    assert not plots.get("binary", "calibration").available(m)
    with pytest.raises(DataError, match="needs probabilities"):
        plots.draw("calibration", m)


@pytest.mark.parametrize("kind", ["probability", "decision"])
def test_threshold_equals_sklearns_scores_at_each_threshold(kind: str) -> None:
    m = _classified(2, kind=kind)
    assert m.oof.scores is not None
    plot = plots.draw("threshold", m)
    ts = threshold_points(m.oof, kind)
    positive = m.oof.y == 1
    for t_i in range(0, len(ts), 7):
        predicted = m.oof.scores[:, 1] >= ts[t_i]
        for name, fn in (
            ("Precision", precision_score),
            ("Recall", recall_score),
            ("F1", f1_score),
        ):
            expected = fn(positive, predicted, zero_division=0)
            assert _s(plot, name)["y"][t_i] == pytest.approx(expected), (name, ts[t_i])


def test_gain_and_lift_count_positives_in_the_best_scored_rows() -> None:
    m = _classified(2, n=200)
    assert m.oof.scores is not None
    gain, lift = plots.draw("gain", m), plots.draw("lift", m)
    order = np.argsort(-m.oof.scores[:, 1], kind="stable")
    positives = (m.oof.y == 1).sum()
    for pct in (1, 10, 37, 50, 100):
        top = order[: int(np.ceil(pct / 100 * 200))]
        found = (m.oof.y[top] == 1).sum() / positives
        assert _s(gain, "model")["y"][pct] == pytest.approx(found)  # [0] is the origin
        assert _s(lift, "model")["y"][pct - 1] == pytest.approx(found / (pct / 100))
    assert _s(gain, "model")["y"][-1] == pytest.approx(1.0)


def test_class_distribution_counts_actual_and_predicted() -> None:
    m = _classified(3)
    plot = plots.draw("class_distribution", m)
    assert _s(plot, "actual")["y"] == np.bincount(m.oof.y, minlength=3).tolist()
    assert _s(plot, "predicted")["y"] == np.bincount(m.oof.pred, minlength=3).tolist()


def test_regression_plots() -> None:
    m = _regressed()
    resid = m.oof.y - m.oof.pred
    residuals = plots.draw("residuals", m)
    assert np.allclose(_s(residuals, "rows")["x"], m.oof.pred)
    assert np.allclose(_s(residuals, "rows")["y"], resid)
    hist = plots.draw("residual_distribution", m)
    counts, edges = np.histogram(resid, bins=40)
    bars = _s(hist, "rows")
    assert bars["y"] == counts.tolist()
    assert np.allclose(bars["x"], edges[:-1])
    assert np.allclose(bars["x2"], edges[1:])
    error = plots.draw("prediction_error", m)
    assert np.allclose(_s(error, "rows")["x"], m.oof.y)
    assert np.allclose(_s(error, "rows")["y"], m.oof.pred)
    assert residuals["notes"] == ["out-of-fold predictions, all folds, 300 rows"]


def test_large_runs_are_downsampled_and_say_so() -> None:
    big = _classified(2, n=100_000)
    roc = plots.draw("roc", big)
    assert len(_s(roc, "yes")["x"]) <= 1000
    assert any("thinned to 1,000" in n for n in roc["notes"])
    rng = np.random.default_rng(0)
    y = rng.normal(size=100_000)
    reg = ModelPredictions(
        "m", "M", "regression", [], "", PredictionSet(np.arange(100_000), y, y + 1), None
    )
    scatter = plots.draw("residuals", reg)
    assert len(_s(scatter, "rows")["x"]) == 2000
    assert any("sample of 2,000 of 100,000 rows" in n for n in scatter["notes"])
    hist = plots.draw("residual_distribution", reg)
    assert sum(_s(hist, "rows")["y"]) == 100_000  # histograms count every row


def test_registry_per_task() -> None:
    ids = {t: [p["id"] for p in describe.plots(t)] for t in ("binary", "multiclass", "regression")}
    assert {"threshold", "lift", "gain"} <= set(ids["binary"])
    assert not {"threshold", "lift", "gain"} & set(ids["multiclass"])
    assert {"residuals", "residual_distribution", "prediction_error"} <= set(ids["regression"])
    analysis = [
        "feature_importance",
        "permutation_importance",
        "learning_curve",
        "shap_summary",
        "shap_beeswarm",
    ]
    for task_ids in ids.values():
        assert [i for i in task_ids if i in analysis] == analysis
    sources = {p["id"]: p["source"] for p in describe.plots("binary")}
    assert sources["roc"] == "predictions"
    assert sources["shap_summary"] == "analysis"
    with pytest.raises(DataError, match="unknown task"):
        describe.plots("ranking")


def test_draw_refuses_what_it_cannot_draw() -> None:
    m = _classified(2)
    with pytest.raises(DataError, match="unknown plot 'residuals' for task 'binary'"):
        plots.draw("residuals", m)
    with pytest.raises(DataError, match="analysis"):
        plots.draw("shap_summary", m)
    with pytest.raises(DataError, match="no holdout"):
        plots.draw("roc", m, split="holdout")
    with pytest.raises(DataError, match="unknown split"):
        plots.draw("roc", m, split="test")


def test_every_plot_of_a_real_run_draws_on_both_splits(task: str, executor: Any) -> None:
    exp = setup(make_table(task, n=90), "y", folds=3, seed=2)
    res = exp.compare(models=["lr"], executor=executor)
    m = res.predictions["lr"]
    for spec in plots.plots(task):
        if spec.source != "predictions":
            continue
        for split in ("oof", "holdout"):
            plot = plots.draw(spec.id, m, split)
            assert plot["id"] == spec.id
            assert plot["series"] or plot.get("heatmap"), spec.id
            assert plot["notes"][0].startswith("holdout" if split == "holdout" else "out-of-fold")
