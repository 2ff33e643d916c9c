"""Every available registered model fits tiny data in every task it claims, and round-trips."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from podium.engine import describe, load_pipeline, predict, save_pipeline, setup
from podium.engine.errors import DataError
from podium.engine.models import registry
from podium.engine.models.catalogue import SPECS
from tests.engine.conftest import make_table

PYCARET_IDS = {
    "classification": "lr knn nb dt svm rbfsvm gpc mlp ridge rf qda ada gbc lda et xgboost "
    "lightgbm catboost dummy hgb",
    "regression": "lr lasso ridge en lar llar omp br ard par ransac tr huber kr svm knn dt rf et "
    "ada gbr mlp xgboost lightgbm catboost dummy hgb",
}


@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_registry_holds_every_issue_model(kind: str) -> None:
    task = "regression" if kind == "regression" else "binary"
    ids = [m["id"] for m in describe.models(task)]
    assert sorted(ids) == sorted(PYCARET_IDS[kind].split())


def test_optional_models_say_why_they_are_unavailable() -> None:
    for task in ("binary", "regression"):
        xgb = next(m for m in describe.models(task) if m["id"] == "xgboost")
        assert xgb["is_available"] is True
        assert xgb["reason"] is None
        cat = next(m for m in describe.models(task) if m["id"] == "catboost")
        if not cat["is_available"]:
            assert cat["reason"] == "catboost is not installed: pip install 'podium[catboost]'"


def test_catalogue_refuses_a_duplicate_id_and_an_unknown_cost_law() -> None:
    again = dataclasses.replace(SPECS[0], name="another")
    with pytest.raises(ValueError, match="duplicate model id 'lr' for classification"):
        registry.index([*SPECS, again])
    with pytest.raises(ValueError, match="unknown growth 'cubic'"):
        dataclasses.replace(SPECS[0], growth="cubic")
    with pytest.raises(ValueError, match="kind 'clustering'"):
        dataclasses.replace(SPECS[0], kind="clustering")
    # the same id in the other kind is a different model
    other = dataclasses.replace(SPECS[0], kind="regression", id="lr2")
    assert ("regression", "lr2") in registry.index([*SPECS, other])


def test_unavailable_model_is_refused_by_name() -> None:
    spec = registry.get("binary", "catboost", require_available=False)
    if spec.is_available:
        pytest.skip("catboost is installed here")
    exp = setup(make_table("binary"), "y", folds=2)
    with pytest.raises(DataError, match=r"model 'catboost' is unavailable: .*podium\[catboost\]"):
        exp.compare(models=["catboost"])


def test_every_model_fits_every_task_it_claims(task: str, executor: object) -> None:
    exp = setup(make_table(task), "y", folds=2, seed=3)
    ids = [s.id for s in registry.models_for(task) if s.is_available]
    res = exp.compare(models=ids, executor=executor)  # type: ignore[arg-type]
    rows = res.leaderboard["rows"]
    assert sorted(r["model_id"] for r in rows) == sorted(ids)
    assert "Error" not in res.leaderboard["columns"], [r.get("Error") for r in rows]
    first_metric = res.leaderboard["columns"][1]
    assert all(isinstance(r[first_metric], float) for r in rows)


@pytest.mark.parametrize("task", ["multiclass", "regression"])  # binary holds no other types
def test_every_model_finalizes_saves_and_loads(task: str, tmp_path: Path) -> None:
    df = make_table(task)
    exp = setup(df, "y", folds=2, seed=3)
    for spec in registry.models_for(task):
        if not spec.is_available:
            continue
        pipe = exp.finalize(spec.id)
        save_pipeline(pipe, tmp_path / f"{task}-{spec.id}")
        loaded = load_pipeline(tmp_path / f"{task}-{spec.id}")
        before = predict(pipe, df.head(5))
        after = predict(loaded, df.head(5))
        assert before.equals(after), spec.id
