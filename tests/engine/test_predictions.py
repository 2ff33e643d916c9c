"""Out-of-fold and holdout predictions: kept by compare and create, stored as .npz, and
consistent with the scores on the leaderboard."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from podium.engine import setup
from podium.engine.models.hyperparams import hyperparameters
from podium.engine.run import metrics
from podium.engine.run.fits import HOLDOUT
from podium.engine.run.predictions import ModelPredictions
from tests.engine.conftest import make_table


def test_compare_keeps_every_models_oof_and_holdout(task: str, executor: Any) -> None:
    exp = setup(make_table(task, n=90), "y", folds=3, seed=3)
    res = exp.compare(models=["dt", "dummy", "lr"], executor=executor)
    assert set(res.predictions) == {"dt", "dummy", "lr"}
    rows = exp.validation_rows()
    train = np.sort(np.concatenate([rows[f] for f in range(3)]))
    k = exp.n_classes
    for p in res.predictions.values():
        assert p.task == task
        assert p.classes == [str(c) for c in exp.classes]
        # every training row once, predicted by the fold model that did not see it
        assert np.array_equal(p.oof.rows, train)
        assert p.oof.fold is not None
        for fold in range(3):
            assert np.array_equal(p.oof.rows[p.oof.fold == fold], np.sort(rows[fold]))
            mine = p.oof.fold == fold
            again = metrics.score_predictions(
                task, p.oof.y[mine], p.oof.pred[mine], _scores(p, mine), k
            )
            assert again == pytest.approx(p.fold_scores[fold], abs=1e-6, nan_ok=True)
        # the holdout: fitted on the whole training part, predicting the held-out rows
        assert p.holdout is not None
        assert p.holdout_scores is not None
        assert np.array_equal(p.holdout.rows, np.sort(rows[HOLDOUT]))
        assert p.holdout.fold is None
        held = metrics.score_predictions(task, p.holdout.y, p.holdout.pred, p.holdout.scores, k)
        assert {m: round(v, 4) for m, v in held.items() if v is not None} == {
            m: v for m, v in p.holdout_scores.items() if v is not None
        }
        if task == "regression":
            assert p.oof.scores is None
            assert p.oof.y.dtype == np.float64
        else:
            assert p.oof.scores is not None
            assert p.oof.scores.shape == (len(train), k)
            assert p.score_kind == "probability"
            assert np.allclose(p.oof.scores.sum(axis=1), 1, atol=1e-5)
        assert p.params  # every hyperparameter of the fitted model
    lr = res.predictions["lr"].params
    assert "C" in lr or "fit_intercept" in lr


def _scores(p: ModelPredictions, mine: np.ndarray[Any, Any]) -> Any:
    return None if p.oof.scores is None else p.oof.scores[mine].astype("float64")


def test_predictions_round_trip_without_pickle(executor: Any) -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    res = exp.create("dt", executor=executor)
    p = res.predictions
    assert p is not None
    assert p.holdout_scores == res.holdout
    blob = p.to_bytes()
    back = ModelPredictions.load(blob)
    assert back.meta() == p.meta()
    for name in ("rows", "y", "pred", "scores", "fold"):
        assert np.array_equal(getattr(back.oof, name), getattr(p.oof, name))
    assert back.holdout is not None
    assert p.holdout is not None
    assert np.array_equal(back.holdout.scores, p.holdout.scores)
    assert back.oof.scores is not None
    assert back.oof.scores.dtype == np.float32


def test_no_holdout_when_train_size_is_one(executor: Any) -> None:
    exp = setup(make_table("binary"), "y", folds=2, train_size=1.0)
    res = exp.compare(models=["dt"], executor=executor)
    assert "Holdout" not in res.leaderboard["columns"]
    p = res.predictions["dt"]
    assert p.holdout is None
    assert p.holdout_scores is None
    assert len(p.oof) == 60


def test_decision_scores_are_one_column_per_class(executor: Any) -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    res = exp.compare(models=["ridge"], executor=executor)
    p = res.predictions["ridge"]
    assert p.score_kind == "decision"
    assert p.oof.scores is not None
    assert p.oof.scores.shape[1] == 2
    assert np.allclose(p.oof.scores[:, 0], -p.oof.scores[:, 1])


def test_hyperparameters_are_all_and_json() -> None:
    forest = RandomForestClassifier(n_estimators=7, random_state=1)
    params = hyperparameters(forest)
    assert set(params) == set(forest.get_params())
    assert params["n_estimators"] == 7
    assert params["max_features"] == "sqrt"
    nested = hyperparameters(make_pipeline(StandardScaler(), forest))
    assert nested["randomforestclassifier__n_estimators"] == 7
    assert nested["standardscaler"] == "StandardScaler"
    assert hyperparameters(object()) == {}


def test_finalized_manifest_params_are_every_hyperparameter() -> None:
    exp = setup(make_table("binary"), "y", folds=2)
    pipe = exp.finalize("dt", max_depth=3)
    params = pipe.podium_metadata_["params"]
    assert params["max_depth"] == 3
    assert "min_samples_leaf" in params
    assert "criterion" in params
