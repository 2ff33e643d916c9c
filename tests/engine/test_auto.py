"""auto's ensemble selection and stages on tiny data: library, selection, warm-started tuning,
budget, cancel."""

from __future__ import annotations

import time

import numpy as np
import pytest

from podium.engine import Cancelled, EngineEvent, ProcessExecutor, setup
from podium.engine.models import recipes
from podium.engine.run.metrics import scorer
from podium.engine.run.predictions import FoldPrediction
from podium.engine.search import auto
from podium.engine.search.board import Board, CrossValidate
from podium.engine.search.loop import drive, opened
from tests.engine.conftest import make_table

FOLDS = 3


def _board(truth: list[np.ndarray]) -> Board:  # type: ignore[type-arg]
    exp = setup(make_table("regression", n=60), "y", folds=FOLDS, seed=0)
    board = Board(exp, scorer("regression", "R2"))  # type: ignore[arg-type]
    board.truth.update(dict(enumerate(truth)))
    return board


def _model(board: Board, model_id: str, estimator: str, preds: list[np.ndarray]) -> None:  # type: ignore[type-arg]
    from podium.engine.run.metrics import score_predictions

    outcome = board.add(
        {"id": model_id, "name": model_id, "kind": "model", "model_id": estimator, "params": {}}
    )
    for fold, pred in enumerate(preds):
        y = np.asarray(board.truth[fold])
        outcome.fold_scores[fold] = score_predictions("regression", y, pred, None, 0)
        outcome.durations_ms[fold] = 10
        board.predicted.setdefault(model_id, {})[fold] = FoldPrediction(pred, None, "")


def _truth(seed: int = 0) -> list[np.ndarray]:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    return [rng.normal(size=40) for _ in range(FOLDS)]


def test_a_model_no_blend_improves_is_returned_alone() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(1)
    _model(board, "exact", "lr", [y.copy() for y in truth])  # perfect out of fold
    for i in range(4):
        _model(board, f"noisy{i}", f"m{i}", [y + rng.normal(0, 1, y.shape) for y in truth])
    far = time.monotonic() + 60
    events: list[EngineEvent] = []
    chosen = auto._select(board, list(board.outcomes), far, far, 2, auto.Emitter(events.append))
    assert chosen["id"] == "exact"
    # the ensemble stage says how it ended, not only that it started
    said = [ev.payload["message"] for ev in events if ev.kind == "auto.stage"]
    assert said == ["no ensemble beats exact out of fold: it is the result"], said


def test_an_ensemble_that_only_fits_the_rows_it_is_scored_on_is_not_chosen() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(3)
    errors = [rng.normal(0, 0.5, y.shape) for y in truth]
    _model(board, "good", "lr", [y + e for y, e in zip(truth, errors, strict=True)])
    # b cancels good's errors on two folds and doubles them on the third: averaged with good,
    # it wins over all the rows pooled (the in-sample choice), but a combiner chosen on any
    # two folds loses on the third, which one level of nesting shows
    b = [y - e for y, e in zip(truth[:2], errors[:2], strict=True)] + [truth[2] + 2.5 * errors[2]]
    _model(board, "b", "dt", b)
    y = np.concatenate(truth)
    outs = {m: auto._stack(board, m, list(range(FOLDS))) for m in ("good", "b")}
    pooled = auto._greedy(board, y, outs, ["good", "b"])
    assert set(pooled) == {"good", "b"}  # in sample, the ensemble beats good
    events: list[EngineEvent] = []
    far = time.monotonic() + 60
    chosen = auto._select(board, ["good", "b"], far, far, 2, auto.Emitter(events.append))
    assert chosen["id"] == "good"
    said = [ev.payload["message"] for ev in events if ev.kind == "auto.stage"]
    assert "best single model" in said[-1], said
    assert said[-1].endswith("no ensemble carries over, good is the result"), said


def test_a_stopped_model_keeps_the_predictions_of_the_folds_it_ran() -> None:
    board = _board([])
    sizes = [len(board.exp.validation_rows()[f]) for f in range(FOLDS)]
    truth = [np.random.default_rng(f).normal(size=n) for f, n in enumerate(sizes)]
    board.truth.update(dict(enumerate(truth)))
    _model(board, "whole", "lr", [y.copy() for y in truth])
    _model(board, "stopped", "dt", [y + 1 for y in truth[:2]])  # the race stopped it at 2 of 3
    kept = board.predictions(["whole", "stopped"])
    assert len(kept["whole"].oof) == sum(sizes)
    fold = kept["stopped"].oof.fold
    assert fold is not None
    assert sorted(set(fold.tolist())) == [0, 1]  # its plots draw from the folds it ran
    assert len(kept["stopped"].oof) == sizes[0] + sizes[1]


def test_complementary_models_make_an_ensemble_of_both() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(2)
    # two models with independent errors: their average halves the error variance
    for name in ("a", "b"):
        _model(board, name, name, [y + rng.normal(0, 0.5, y.shape) for y in truth])
    far = time.monotonic() + 60
    chosen = auto._select(board, ["a", "b"], far, far, 2)
    assert chosen["id"] == auto.ENSEMBLE_ID
    assert {m["id"] for m in chosen["members"]} == {"a", "b"}
    if chosen["kind"] == "blend":
        assert all(w >= 1 and float(w).is_integer() for w in chosen["weights"])  # pick counts


def test_a_level_2_that_corrects_its_members_out_of_fold_is_stacked() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(5)
    # both models shrink the target by half: no average of them can undo it, a linear level 2
    # learns to (on the other folds, so the nested score credits it only for what carries over)
    for name in ("a", "b"):
        _model(board, name, name, [0.5 * y + rng.normal(0, 0.2, y.shape) for y in truth])
    events: list[EngineEvent] = []
    far = time.monotonic() + 60
    chosen = auto._select(board, ["a", "b"], far, far, 2, auto.Emitter(events.append))
    assert chosen["kind"] == "stack"
    assert chosen["id"] == auto.ENSEMBLE_ID
    assert chosen["meta"] is None  # scikit-learn's default level 2, as the finalized stack fits
    assert any("stacked level 2" in ev.payload["message"] for ev in events)


def test_a_stacks_fold_scores_are_its_nested_out_of_fold_predictions() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(6)
    for name in ("a", "b"):
        _model(board, name, name, [0.5 * y + rng.normal(0, 0.2, y.shape) for y in truth])
    members = [board.recipes["a"], board.recipes["b"]]
    stack = {"id": auto.ENSEMBLE_ID, "name": "s", "kind": "stack", "members": members}
    auto._score_ensemble(board, stack)  # type: ignore[arg-type]
    scores = board.outcomes[auto.ENSEMBLE_ID].fold_scores
    assert sorted(scores) == list(range(FOLDS))
    # each fold predicted by a level 2 that never saw it, yet better than either member
    for fold in range(FOLDS):
        assert scores[fold]["R2"] > board.outcomes["a"].fold_scores[fold]["R2"]
    assert board.outcomes[auto.ENSEMBLE_ID].holdout is None  # no member predicted a holdout


def test_a_stacked_result_is_scored_on_the_holdout(executor: ProcessExecutor) -> None:
    # its level 2 reads its members' outputs: the members are what is fitted for the holdout
    e = setup(make_table("regression", n=120), "y", folds=FOLDS, seed=0)
    board = Board(e, scorer("regression", "R2"))  # type: ignore[arg-type]
    members = [recipes.plain("regression", m) for m in ("lr", "dt")]
    stack = {"id": auto.ENSEMBLE_ID, "name": "s", "kind": "stack", "members": members}
    events: list[EngineEvent] = []
    with opened(board, executor, e.has_holdout) as ex:
        assert drive(ex, CrossValidate(board, members, auto.Emitter(events.append), holdout=False))
        fitted = auto._unique_members(stack)  # type: ignore[arg-type]
        auto._holdout(ex, board, fitted, None, [], [], time.monotonic() + 600)
    auto._score_ensemble(board, stack)  # type: ignore[arg-type]
    assert board.holdout[auto.ENSEMBLE_ID]["R2"] is not None
    assert [m["id"] for m in fitted] == ["lr", "dt"]


def test_one_estimators_trials_cannot_fill_the_library() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(3)
    for i in range(10):  # near copies: a tuned model's trials
        _model(board, f"et#{i}", "et", [y + rng.normal(0, 0.3, y.shape) for y in truth])
    for name in ("lr", "knn"):
        _model(board, name, name, [y + rng.normal(0, 0.6, y.shape) for y in truth])
    library = auto._library(board, list(board.outcomes))
    assert sum(m.startswith("et#") for m in library) == auto.PER_MODEL
    assert {"lr", "knn"} <= set(library)


def test_members_that_cannot_be_fitted_in_time_are_left_out() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(4)
    for name in ("a", "b", "c"):
        _model(board, name, name, [y + rng.normal(0, 0.5, y.shape) for y in truth])
    board.outcomes["c"].durations_ms = dict.fromkeys(range(FOLDS), 600_000)  # 10 min a fold
    kept = auto._affordable(board, {"a": 3, "b": 2, "c": 1}, left_s=5.0, slots=2)
    assert kept == {"a": 3, "b": 2}
    assert auto._affordable(board, {"c": 1}, left_s=5.0, slots=2) == {"c": 1}  # never empty


def test_models_the_race_stopped_are_completed_when_it_ends_early(
    executor: ProcessExecutor,
) -> None:
    e = setup(make_table("regression", n=200), "y", folds=5, seed=0)
    executor.warm(timeout=600)  # the race's time is for its fits, not a cold pool's imports
    board = Board(e, scorer("regression", "R2"))  # type: ignore[arg-type]
    zoo = [recipes.plain("regression", m) for m in ("dummy", "lr", "dt")]
    events: list[EngineEvent] = []
    with opened(board, executor, False) as ex:
        race = auto.Race(board, zoo, auto.Emitter(events.append), time.monotonic() + 600)
        assert drive(ex, race) == "done"
    assert "dummy" in race.stopped  # the leader beat it beyond noise on the folds both ran
    assert all(board.complete(m) for m in board.outcomes)  # then, with time left, it went on
    assert any("completing" in ev.payload.get("message", "") for ev in events)
    assert set(race.shown()) == set(board.outcomes)


def test_tuned_rows_beat_the_defaults_they_started_from(executor: ProcessExecutor) -> None:
    e = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    executor.warm(timeout=600)  # the budget is for the search, not a cold pool's imports
    events: list[EngineEvent] = []
    res = e.auto(budget_s=30, on_event=events.append, executor=executor)
    rows = {r["model_id"]: r for r in res.leaderboard["rows"]}
    tuned = [m for m in rows if m.endswith("_tuned")]
    for m in tuned:  # warm start: a tuned row exists only when a trial beat the defaults
        assert rows[m][res.sort] > rows[m.removesuffix("_tuned")][res.sort]
    assert events[-1].kind == "auto.finished"


def test_cancel_mid_auto_keeps_the_best_so_far(executor: ProcessExecutor) -> None:
    e = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    events: list[EngineEvent] = []

    def in_tuning() -> bool:
        return any(ev.kind == "trial.finished" for ev in events)

    with pytest.raises(Cancelled) as err:
        e.auto(budget_s=120, on_event=events.append, should_stop=in_tuning, executor=executor)
    kept = err.value.result
    assert kept["best"]
    best = kept["best"][0]
    assert err.value.leaderboard["rows"][0]["model_id"] == best
    assert e.finalize(kept["models"][best]).podium_metadata_["model_id"] == best


def test_a_study_is_resumed_when_its_best_came_late_or_its_deadline_cut_it() -> None:
    late = auto.improved_late
    assert not late(None, 30, 30, 20)  # no trial beat the defaults
    assert late(25, 45, 20, 20)  # the best in the later half of the trials
    assert not late(5, 25, 20, 20)  # an early best, then its patience ended it
    assert late(5, 10, 4, 20)  # the deadline ended it while it was still looking


def _stand_in(number: int | None, asked: int, since_best: int, key: float) -> object:
    from types import SimpleNamespace

    best = None if number is None else SimpleNamespace(number=number)
    return SimpleNamespace(
        best=best, asked=asked, since_best=since_best, patience=auto.PATIENCE, best_key=key
    )


def test_after_the_leaders_the_best_scoring_choice_is_tuned_next() -> None:
    truth = _truth()
    board = _board(truth)
    rng = np.random.default_rng(7)
    for name, noise in (("a", 0.2), ("b", 0.4), ("c", 0.6), ("d", 0.8)):
        _model(board, name, name, [y + rng.normal(0, noise, y.shape) for y in truth])
    ranked = ["a", "b", "c", "d"]
    key = {m: board.sort.sort_key(board.score(m)) for m in ranked}
    nothing: set[str] = set()
    assert auto._next(board, ranked, {}, nothing) == ("a", None)
    studies = {"a": _stand_in(40, 45, 5, key["a"] + 0.01)}  # cut by its deadline
    assert auto._next(board, ranked, studies, nothing) == ("b", None)  # leaders first
    studies["b"] = _stand_in(3, 23, 20, key["b"] + 0.01)  # stalled
    assert auto._next(board, ranked, studies, nothing) == ("a", studies["a"])  # still improving
    assert auto._next(board, ranked, studies, {"a"}) == ("c", None)  # a ran out of time
    studies["a"] = _stand_in(3, 23, 20, key["a"] + 0.01)
    assert auto._next(board, ranked, studies, nothing) == ("c", None)  # in rank order
    studies["c"] = _stand_in(None, 20, 20, key["c"])  # no trial beat its defaults
    assert auto._next(board, ranked, studies, nothing) == ("d", None)
    board.outcomes["d"].durations_ms = dict.fromkeys(range(FOLDS), 600_000)  # 10 min a fold
    assert auto._next(board, ranked, studies, nothing, left_s=60.0, slots=2) is None  # too slow
    assert auto._next(board, ranked, studies, nothing, left_s=3600.0, slots=2) == ("d", None)
    studies["d"] = _stand_in(2, 22, 20, key["d"] + 0.01)
    assert auto._next(board, ranked, studies, nothing) is None  # nothing left to tune


def _raced(executor: ProcessExecutor) -> tuple[Board, list[str], CrossValidate]:
    """Five regression models with a search space, ready to be cross-validated."""
    e = setup(make_table("regression", n=120), "y", folds=3, seed=0)
    executor.warm(timeout=600)
    board = Board(e, scorer("regression", "R2"))  # type: ignore[arg-type]
    zoo = [recipes.plain("regression", m) for m in ("ridge", "lasso", "dt", "knn", "en")]
    race = CrossValidate(board, zoo, auto.Emitter(None), holdout=False)
    return board, [r["id"] for r in zoo], race


def test_the_tune_stage_spends_the_time_its_leaders_leave_on_further_models(
    executor: ProcessExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auto, "PATIENCE", 3)  # short studies: every model gets one
    board, shown, race = _raced(executor)
    events: list[EngineEvent] = []
    far = time.monotonic() + 3600  # never reached: the stage ends when nothing is left
    with opened(board, executor, False) as ex:
        assert drive(ex, race) == "done"
        trials, tuned = auto._tune(board, ex, auto.Emitter(events.append), None, far, far, shown)
    studied = {t.model_id for t in trials}
    assert studied == set(auto._tunable(board, shown))  # every model, past LEADERS + 1
    assert len(studied) > auto.LEADERS + 1
    started = [ev.payload["message"] for ev in events if ev.kind == "auto.stage"]
    assert started[: auto.LEADERS] == [
        f"tuning {board.recipes[m]['name']}" for m in auto._tunable(board, shown)[: auto.LEADERS]
    ]
    for m in tuned:  # a tuned row beats the defaults it started from
        assert board.sort.sort_key(board.score(m)) > board.sort.sort_key(
            board.score(m.removesuffix("_tuned"))
        )
    numbers = [(t.model_id, t.number) for t in trials]
    assert len(numbers) == len(set(numbers))  # a second round numbers its trials on


def test_cancel_in_a_further_study_keeps_the_tuned_models_so_far(
    executor: ProcessExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auto, "PATIENCE", 3)
    board, shown, race = _raced(executor)
    events: list[EngineEvent] = []

    def third_study() -> bool:
        started = [ev for ev in events if ev.kind == "auto.stage"]
        return len(started) > auto.LEADERS and any(
            ev.kind == "trial.finished" and ev.payload["trial"] > 0 for ev in events[-1:]
        )

    far = time.monotonic() + 3600
    with opened(board, executor, False) as ex:
        assert drive(ex, race) == "done"
        with pytest.raises(Cancelled) as err:
            auto._tune(board, ex, auto.Emitter(events.append), third_study, far, far, shown)
    kept = err.value.result
    assert kept["best"]
    assert kept["best"][0] in kept["models"]
    assert {t["model_id"] for t in kept["trials"]} >= set(auto._tunable(board, shown)[:2])
