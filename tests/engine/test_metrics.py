"""The engine's metrics equal scikit-learn's definitions, degenerate folds included."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pytest
from sklearn import metrics as skm
from sklearn.datasets import make_classification
from sklearn.svm import SVC

from podium.engine.run import metrics
from podium.engine.run.metrics import CLASSIFICATION, REGRESSION

RNG = np.random.default_rng(7)


def _reference_classification(y: Any, p: Any, s: Any, k: int) -> dict[str, float]:
    avg = "binary" if k == 2 else "weighted"
    auc = (
        skm.roc_auc_score(y, s[:, 1])
        if k == 2
        else skm.roc_auc_score(y, s, multi_class="ovr", average="weighted", labels=range(k))
    )
    return {
        "Accuracy": skm.accuracy_score(y, p),
        "AUC": auc,
        "Recall": skm.recall_score(y, p, average=avg, zero_division=0),
        "Prec.": skm.precision_score(y, p, average=avg, zero_division=0),
        "F1": skm.f1_score(y, p, average=avg, zero_division=0),
        "Kappa": skm.cohen_kappa_score(y, p),
        "MCC": skm.matthews_corrcoef(y, p),
    }


def _cases(k: int) -> list[tuple[Any, Any]]:
    n = 97
    y = RNG.integers(0, k, n)
    noisy = np.where(RNG.uniform(size=n) < 0.3, RNG.integers(0, k, n), y)
    one_class_predicted = np.zeros(n, dtype=int)
    class_never_predicted = np.where(y == k - 1, 0, y)
    return [(y, noisy), (y, y), (y, one_class_predicted), (y, class_never_predicted)]


@pytest.mark.parametrize("k", [2, 3, 5])
def test_classification_metrics_equal_scikit_learn(k: int) -> None:
    for y, p in _cases(k):
        s = RNG.dirichlet(np.ones(k), size=len(y))
        s[:5] = s[0]  # ties
        want = _reference_classification(y, p, s, k)
        got = {m.id: m.fn(y, s if m.needs == "score" else p, k) for m in CLASSIFICATION}
        assert got.keys() == want.keys()
        for name, value in want.items():
            assert got[name] == pytest.approx(value, abs=1e-12), (name, k)


def test_kappa_without_agreement_by_chance_is_undefined() -> None:
    y = np.zeros(10, dtype=int)
    kappa = next(m for m in CLASSIFICATION if m.id == "Kappa")
    assert np.isnan(kappa.fn(y, y, 2))


def test_regression_metrics_equal_scikit_learn() -> None:
    y = RNG.gamma(2.0, 3.0, 80)
    cases = [(y, y + RNG.normal(0, 1, 80).clip(-y)), (y, y), (np.full(5, 2.0), np.full(5, 2.0))]
    for truth, pred in cases:
        want = {
            "MAE": skm.mean_absolute_error(truth, pred),
            "MSE": skm.mean_squared_error(truth, pred),
            "RMSE": skm.root_mean_squared_error(truth, pred),
            "R2": skm.r2_score(truth, pred),
            "RMSLE": skm.root_mean_squared_log_error(truth, pred),
            "MAPE": skm.mean_absolute_percentage_error(truth, pred),
        }
        got = {m.id: m.fn(truth, pred, 0) for m in REGRESSION}
        for name, value in want.items():
            assert got[name] == pytest.approx(value, abs=1e-12), name
    rmsle = next(m for m in REGRESSION if m.id == "RMSLE")
    assert rmsle.fn(np.array([1.0, -1.0]), np.array([1.0, 1.0]), 0) is None


class _CountingSVC(SVC):
    """A real SVC that records its passes over the rows to predict: each evaluates the kernel
    of every row against every support vector, the cost of scoring a fold."""

    calls: ClassVar[list[str]] = []

    def predict(self, X: Any) -> Any:
        self.calls.append("predict")
        return super().predict(X)

    def decision_function(self, X: Any) -> Any:
        self.calls.append("decision_function")
        return super().decision_function(X)


@pytest.mark.filterwarnings("ignore:The `probability` parameter:FutureWarning")  # 1.9's
@pytest.mark.parametrize("probability", [False, True])
@pytest.mark.parametrize("k", [2, 3])
def test_a_kernel_svm_is_scored_exactly_and_once_where_it_can_be(k: int, probability: bool) -> None:
    """A two-class SVC's labels come from its decision values (one kernel pass, not two),
    the very labels ``predict`` gives; other cases call ``predict`` as before."""
    X, y = make_classification(
        600, n_informative=4, n_classes=k, flip_y=0.3, class_sep=0.5, random_state=3
    )
    platt = {"probability": True} if probability else {}  # the default: no probabilities
    model = _CountingSVC(random_state=0, **platt).fit(X[:400], y[:400])
    rows = X[400:]
    model.calls.clear()
    pred, cont, kind = metrics.predict("binary" if k == 2 else "multiclass", model, rows)
    calls = list(model.calls)
    want = model.predict(rows)
    assert pred.dtype == want.dtype
    np.testing.assert_array_equal(pred, want)
    assert 0 < (pred == 1).mean() < 1
    if probability:
        np.testing.assert_array_equal(cont, model.predict_proba(rows))
        assert kind == "probability"
    else:
        np.testing.assert_array_equal(cont, model.decision_function(rows))
        assert kind == "decision"
    if k == 2:
        assert np.abs(model.decision_function(rows)).min() < 0.05  # rows near the boundary
    if k == 2 and not probability:
        assert calls == ["decision_function"]
    else:
        assert calls[0] == "predict"  # labels from predict, as before
