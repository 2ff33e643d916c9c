"""tune, ensemble, blend and stack on tiny data: scores, trials, events, cancel, refusals."""

from __future__ import annotations

import pytest

from podium.engine import (
    Cancelled,
    DataError,
    EngineEvent,
    Failed,
    ImproveResult,
    ProcessExecutor,
    setup,
)
from podium.engine.models import registry
from podium.engine.models.recipes import build
from tests.engine.conftest import make_table


@pytest.fixture(scope="module")
def exp():  # type: ignore[no-untyped-def]
    return setup(make_table("binary", n=120), "y", folds=3, seed=0)


def test_tune_trials_events_and_the_tuned_row(exp, executor: ProcessExecutor) -> None:  # type: ignore[no-untyped-def]
    events: list[EngineEvent] = []
    res = exp.tune("dt", n_trials=6, on_event=events.append, executor=executor)
    assert isinstance(res, ImproveResult)
    assert res.model_id == "dt_tuned"
    assert res.model["kind"] == "model"
    assert [t.number for t in sorted(res.trials, key=lambda t: t.number)] == list(range(7))
    assert {t.state for t in res.trials} <= {"complete", "pruned", "failed"}
    trial0 = next(t for t in res.trials if t.number == 0)
    assert trial0.params == {}
    assert trial0.state == "complete"
    complete = [t for t in res.trials if t.state == "complete"]
    best = max(t.score for t in complete if t.score is not None)
    rows = res.leaderboard["rows"]
    assert next(r["model_id"] for r in rows) == "dt_tuned"
    assert rows[0]["AUC"] == pytest.approx(best, abs=1e-4)  # AUC: binary's default sort
    assert {r["model_id"] for r in rows} == {"dt_tuned", "dt"}
    assert res.cv["AUC"] == rows[0]["AUC"]
    assert res.holdout is not None
    assert set(res.holdout) >= {"AUC", "Accuracy"}
    assert [r["Fold"] for r in res.folds["rows"]] == [0, 1, 2, "Mean", "Std"]
    finished = [e.payload for e in events if e.kind == "trial.finished"]
    assert len(finished) == 7
    assert all(
        set(p) >= {"model_id", "trial", "params", "score", "state", "best_score", "progress"}
        for p in finished
    )
    assert finished[-1]["best_score"] == pytest.approx(best, abs=1e-4)
    assert finished[-1]["progress"]["models_done"] == 7
    assert [e.kind for e in events][-1] == "tune.finished"
    assert exp.model("dt_tuned") == res.model  # remembered: usable by id


def test_tune_accepts_a_search_space_and_refuses_bad_ones(exp, executor: ProcessExecutor) -> None:  # type: ignore[no-untyped-def]
    space = {"C": {"low": 0.01, "high": 10, "log": True}}
    res = exp.tune("lr", n_trials=2, search_space=space, executor=executor, sort="Accuracy")
    sampled = [t.params["C"] for t in res.trials if t.number > 0]
    assert all(0.01 <= c <= 10 for c in sampled)
    assert res.sort == "Accuracy"
    with pytest.raises(DataError, match="not parameters of 'lr'"):
        exp.tune("lr", search_space={"depth": [1, 2]})
    with pytest.raises(DataError, match="low < high"):
        exp.tune("lr", search_space={"C": {"low": 2, "high": 1}})
    with pytest.raises(DataError, match="declares no hyperparameters"):
        exp.tune("dummy")
    with pytest.raises(DataError, match="n_trials must be a positive integer"):
        exp.tune("lr", n_trials=0)


def test_budget_only_runs_until_the_budget(exp, executor: ProcessExecutor) -> None:  # type: ignore[no-untyped-def]
    res = exp.tune("nb", budget_s=4.0, executor=executor)
    assert len(res.trials) >= 1  # as many as fit: no n_trials given


def test_cancel_mid_tune_keeps_the_best_so_far(exp) -> None:  # type: ignore[no-untyped-def]
    events: list[EngineEvent] = []

    def after_three() -> bool:
        return sum(e.kind == "trial.finished" for e in events) >= 3

    with pytest.raises(Cancelled) as err:
        exp.tune(
            "dt",
            n_trials=200,
            on_event=events.append,
            should_stop=after_three,
            executor=ProcessExecutor(n_jobs=2),
        )
    kept = err.value.result
    assert kept["best"] == ["dt_tuned"]
    assert kept["models"]["dt_tuned"]["model_id"] == "dt"
    assert len(kept["trials"]) >= 3
    assert err.value.leaderboard["rows"][0]["model_id"] == "dt_tuned"
    assert "dt_tuned" in err.value.predictions  # its plots still draw
    pipe = exp.finalize(kept["models"]["dt_tuned"])  # still a model you can finalize
    assert pipe.podium_metadata_["model_id"] == "dt_tuned"


@pytest.mark.parametrize("task", ["multiclass", "regression"])
def test_blend_stack_ensemble(task: str, executor: ProcessExecutor) -> None:
    e = setup(make_table(task, n=90), "y", folds=2, seed=1)
    events: list[EngineEvent] = []
    blend = e.blend(["knn", "dt"], on_event=events.append, executor=executor)
    assert blend.model_id == "blend_2"
    assert {r["model_id"] for r in blend.leaderboard["rows"]} == {"blend_2", "knn", "dt"}
    assert "blend.finished" in [ev.kind for ev in events]
    stack = e.stack([blend, "dt"], meta_model="knn", executor=executor)  # a result is a model
    assert stack.model["members"][0]["kind"] == "blend"
    assert stack.model["meta"]["model_id"] == "knn"
    bagged = e.ensemble({"Model": "x", "model_id": "dt"}, n_estimators=3, executor=executor)
    assert bagged.model_id == "dt_bagged"
    boosted = e.ensemble("dt", method="boosting", n_estimators=3, executor=executor)
    assert boosted.holdout is not None
    pipe = e.finalize("stack_2")
    assert pipe.podium_metadata_["recipe"]["kind"] == "stack"


def test_refusals(exp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="at least two different models"):
        exp.blend(["lr", "lr"])
    with pytest.raises(DataError, match="give none: leave them out or use method 'hard'"):
        exp.blend(["lr", "svm"], method="soft")
    with pytest.raises(DataError, match="takes no sample weights"):
        exp.ensemble("knn", method="boosting")
    with pytest.raises(DataError, match="unknown ensemble method"):
        exp.ensemble("dt", method="voting")
    with pytest.raises(DataError, match="weights must be 2 numbers"):
        exp.blend(["lr", "dt"], weights=[1])
    with pytest.raises(DataError, match="unknown model id 'zzz'"):
        exp.tune("zzz")
    with pytest.raises(DataError, match="model must be a model id"):
        exp.tune(3)


@pytest.mark.parametrize("key", sorted(registry.REGISTRY), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_space_names_real_parameters_and_builds(key: tuple[str, str]) -> None:
    """Contract: each declared dimension is a parameter of the model, and its ends build."""
    spec = registry.REGISTRY[key]
    if not spec.is_available:
        pytest.skip(spec.reason or "")
    task = "binary" if spec.kind == "classification" else "regression"
    params = set(spec.build(0).get_params())
    assert set(spec.space) <= params
    for end in ("low", "high"):
        values = {
            name: dim["choices"][-1 if end == "high" else 0]
            if dim["type"] == "categorical"
            else dim[end]
            for name, dim in spec.space.items()
        }
        recipe = {
            "id": spec.id,
            "name": spec.name,
            "kind": "model",
            "model_id": spec.id,
            "params": values,
        }
        build(task, recipe, 0)  # type: ignore[arg-type]


def test_auto_races_tunes_and_selects_an_ensemble(executor: ProcessExecutor) -> None:
    e = setup(make_table("regression", n=120), "y", folds=3, seed=0)
    events: list[EngineEvent] = []
    res = e.auto(budget_s=40, on_event=events.append, executor=executor)
    kinds = [ev.kind for ev in events]
    stages = [ev.payload["stage"] for ev in events if ev.kind == "auto.stage"]
    assert stages[0] == "race"
    assert "ensemble" in stages
    assert kinds[-1] == "auto.finished"
    ids = [r["model_id"] for r in res.leaderboard["rows"]]
    assert res.model_id in ids
    assert set(ids) <= set(res.models)
    assert res.holdout is not None
    assert [r["Fold"] for r in res.folds["rows"]][-2:] == ["Mean", "Std"]
    if res.model["kind"] == "blend":  # Caruana: weights are how often a member was picked
        assert all(w >= 1 and float(w).is_integer() for w in res.model["weights"] or [])
    pipe = e.finalize(res)
    assert pipe.podium_metadata_["model_id"] == res.model_id


def test_auto_refuses_a_bad_budget(exp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError, match="budget_s must be a positive number"):
        exp.auto(budget_s=0)


class _RefusedWrite(OSError):
    """What a worker's event write meets when the database refuses it (a locked SQLite)."""


@pytest.mark.parametrize("plan", ["tune", "blend", "auto"])
def test_an_unexpected_error_keeps_the_finished_models(exp, plan: str) -> None:  # type: ignore[no-untyped-def]
    """An error that is no model's (here the event sink refuses a write after the first rows)
    ends the plan as Failed carrying what finished, as a cancel does: their plots still draw."""
    seen: list[EngineEvent] = []

    def sink(event: EngineEvent) -> None:
        seen.append(event)
        if sum(e.kind in ("leaderboard.updated", "trial.finished") for e in seen) >= 2:
            raise _RefusedWrite("database is locked")

    call = {
        "tune": lambda: exp.tune(
            "dt", n_trials=40, on_event=sink, executor=ProcessExecutor(n_jobs=2)
        ),
        "blend": lambda: exp.blend(
            ["nb", "dt", "lr"], on_event=sink, executor=ProcessExecutor(n_jobs=2)
        ),
        "auto": lambda: exp.auto(budget_s=60, on_event=sink, executor=ProcessExecutor(n_jobs=2)),
    }[plan]
    with pytest.raises(Failed) as err:
        call()
    assert isinstance(err.value.__cause__, _RefusedWrite)
    assert err.value.predictions  # the models that finished keep their plots
    shown = [e.payload["leaderboard"] for e in seen if e.kind == "leaderboard.updated"]
    for board in shown[-1:]:  # every complete row the user saw among them
        complete = {r["model_id"] for r in board["rows"] if r.get("partial") is not True}
        assert complete <= set(err.value.predictions)
