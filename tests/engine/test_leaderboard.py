"""Leaderboard shape, column order, sorting, and the AUC/RMSLE null semantics."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import RidgeClassifier
from sklearn.tree import DecisionTreeClassifier

from podium.engine import setup
from podium.engine.run import metrics
from podium.engine.run.leaderboard import ModelOutcome, compare_table
from tests.engine.conftest import make_table

CLS = ["Accuracy", "AUC", "Recall", "Prec.", "F1", "Kappa", "MCC"]
REG = ["MAE", "MSE", "RMSE", "R2", "RMSLE", "MAPE"]


def test_compare_columns_rows_and_order(task: str, executor: Any) -> None:
    exp = setup(make_table(task), "y", folds=2)
    res = exp.compare(models=["dt", "dummy", "knn"], n_select=2, executor=executor)
    metric_cols = REG if task == "regression" else CLS
    assert res.leaderboard["columns"] == ["Model", *metric_cols, "Holdout", "TT (Sec)"]
    rows = res.leaderboard["rows"]
    keys = {"Model", *metric_cols, "Holdout", "TT (Sec)", "model_id"}
    assert [set(r) for r in rows] == [keys] * 3
    sort = "R2" if task == "regression" else "Accuracy"
    # Holdout: the sort metric of the model fitted on the training part, on the holdout rows
    assert [r["Holdout"] for r in rows] == [
        res.predictions[r["model_id"]].holdout_scores[sort] for r in rows
    ]
    values = [r[sort] for r in rows]
    assert values == sorted(values, reverse=True)
    assert res.best == [r["model_id"] for r in rows[:2]]
    assert all(
        v is None or round(v, 4) == v for r in rows for v in r.values() if isinstance(v, float)
    )


def test_create_rows_are_folds_then_mean_and_std(executor: Any) -> None:
    exp = setup(make_table("binary"), "y", folds=3)
    res = exp.create("dt", executor=executor)
    assert res.leaderboard["columns"] == ["Fold", *CLS]
    assert [r["Fold"] for r in res.leaderboard["rows"]] == [0, 1, 2, "Mean", "Std"]
    folds = [r["Accuracy"] for r in res.leaderboard["rows"][:3]]
    assert res.leaderboard["rows"][3]["Accuracy"] == pytest.approx(np.mean(folds), abs=1e-4)
    assert res.holdout is not None
    assert set(res.holdout) == set(CLS)


def test_sort_through_the_scorer_sign(executor: Any) -> None:
    exp = setup(make_table("regression"), "y", folds=2)
    res = exp.compare(models=["dt", "dummy", "lr"], sort="MAE", executor=executor)
    maes = [r["MAE"] for r in res.leaderboard["rows"]]
    assert maes == sorted(maes)  # lower is better, displayed positive
    assert all(m > 0 for m in maes)


class NoScores:
    """A classifier with neither predict_proba nor decision_function."""

    def fit(self, X: Any, y: Any) -> NoScores:
        self.tree_ = DecisionTreeClassifier(random_state=0).fit(X, y)
        return self

    def predict(self, X: Any) -> Any:
        return self.tree_.predict(X)


def _xy(n_classes: int) -> tuple[Any, Any]:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (np.arange(60) % n_classes).astype(int)
    X[:, 0] += y
    return X, y


@pytest.mark.parametrize("n_classes", [2, 3])
def test_auc_is_null_without_scores_never_zero(n_classes: int) -> None:
    X, y = _xy(n_classes)
    task = "binary" if n_classes == 2 else "multiclass"
    scores = metrics.score(task, NoScores().fit(X, y), X, y, n_classes)
    assert scores["AUC"] is None
    assert scores["Accuracy"] is not None


@pytest.mark.parametrize("n_classes", [2, 3])
def test_auc_uses_decision_function_when_no_proba(n_classes: int) -> None:
    X, y = _xy(n_classes)
    model = RidgeClassifier().fit(X, y)
    assert not hasattr(model, "predict_proba")
    task = "binary" if n_classes == 2 else "multiclass"
    auc = metrics.score(task, model, X, y, n_classes)["AUC"]
    assert auc is not None
    assert 0.5 < auc <= 1.0


def test_rmsle_is_null_with_negative_values() -> None:
    y = np.array([-1.0, 2.0, 3.0])
    model = type("Const", (), {"predict": lambda self, X: np.array([1.0, 2.0, 3.0])})()
    scores = metrics.score("regression", model, np.zeros((3, 1)), y, 0)
    assert scores["RMSLE"] is None
    assert scores["MAE"] == pytest.approx(2 / 3)


def test_failed_model_row_carries_the_error_and_sorts_last() -> None:
    ok = ModelOutcome("dt", "Decision Tree", {0: {m: 0.5 for m in CLS}}, {0: 10})
    bad = ModelOutcome("lr", "Logistic Regression", error="ValueError: boom")
    table = compare_table("binary", [bad, ok], metrics.scorer("binary", "Accuracy"))
    assert table["columns"][-1] == "Error"
    assert [r["model_id"] for r in table["rows"]] == ["dt", "lr"]
    assert table["rows"][1]["Error"] == "ValueError: boom"
    assert all(table["rows"][1][m] is None for m in CLS)
    assert table["rows"][0]["Error"] is None


def test_tied_scores_keep_the_given_order_not_the_timing() -> None:
    """Two models with the same scores (lda and ridge often predict alike) keep the order they
    are given in (compare gives the catalogue's), whichever fitted faster: the board, and so
    its winner, depend on the data only, not on the machine."""
    sort = metrics.scorer("binary", "AUC")

    def outcome(model_id: str, ms: int) -> ModelOutcome:
        scores = {"AUC": 0.9, "Accuracy": 0.8}
        return ModelOutcome(model_id, model_id, {0: scores, 1: scores}, {0: ms, 1: ms})

    for slow, fast in ((900, 5), (5, 900)):
        given = [outcome("lda", slow), outcome("ridge", fast)]
        assert [r["model_id"] for r in compare_table("binary", given, sort)["rows"]] == [
            "lda",
            "ridge",
        ]
