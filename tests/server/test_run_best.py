"""A run's best model and score, derived from its stored leaderboard by the sort metric."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from podium.server.schemas.runs import RunRead

COMPARE_BOARD = {
    "columns": ["Model", "Accuracy", "AUC", "TT (Sec)"],
    "rows": [
        {"Model": "Broken", "model_id": "svm", "Accuracy": None, "AUC": None, "Error": "boom"},
        {"Model": "Random Forest", "model_id": "rf", "Accuracy": 0.91, "AUC": 0.97},
        {"Model": "Logistic Regression", "model_id": "lr", "Accuracy": 0.88, "AUC": 0.95},
    ],
}


def _run(**over: Any) -> RunRead:
    base: dict[str, Any] = {
        "id": uuid.uuid4(),
        "workspace_id": uuid.uuid4(),
        "experiment_id": uuid.uuid4(),
        "plan": "compare",
        "model_id": None,
        "plan_params": {},
        "data_source_id": None,
        "sklearn_dataset": "iris",
        "status": "succeeded",
        "snapshot": {},
        "leaderboard": COMPARE_BOARD,
        "result": {"task": "multiclass", "findings": []},
        "error": None,
        "cancel_requested": False,
        "created_at": datetime.now(UTC),
        "started_at": None,
        "finished_at": None,
    }
    return RunRead.model_validate({**base, **over})


def test_compare_best_is_first_successful_row_scored_by_default_metric() -> None:
    best = _run().model_dump()["best"]
    assert best == {"model_id": "rf", "model": "Random Forest", "metric": "Accuracy", "score": 0.91}


def test_imbalanced_classes_rank_by_auc_and_explicit_sort_wins() -> None:
    findings = [{"code": "class_imbalance", "level": "warning", "message": "m"}]
    imbalanced = _run(result={"task": "binary", "findings": findings}).best
    assert imbalanced is not None
    assert (imbalanced.metric, imbalanced.score) == ("AUC", 0.97)
    sorted_by = _run(plan_params={"sort": "AUC"}).best
    assert sorted_by is not None
    assert (sorted_by.metric, sorted_by.score) == ("AUC", 0.97)


def test_create_best_is_its_model_with_the_cv_mean() -> None:
    board = {
        "columns": ["Fold", "MAE", "R2"],
        "rows": [
            {"Fold": 0, "MAE": 1.0, "R2": 0.5},
            {"Fold": "Mean", "MAE": 1.2, "R2": 0.61},
            {"Fold": "Std", "MAE": 0.1, "R2": 0.02},
        ],
    }
    run = _run(plan="create", model_id="ridge", leaderboard=board, result={"task": "regression"})
    assert run.model_dump()["best"] == {
        "model_id": "ridge",
        "model": "ridge",
        "metric": "R2",
        "score": 0.61,
    }


def test_no_best_before_a_leaderboard_or_when_every_model_failed() -> None:
    assert _run(leaderboard=None, result=None, status="running").best is None
    failed = {"columns": ["Model"], "rows": [COMPARE_BOARD["rows"][0]]}
    assert _run(leaderboard=failed).best is None
    assert _run(plan="setup", leaderboard=None).best is None
