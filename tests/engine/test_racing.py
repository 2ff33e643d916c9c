"""Racing in compare: the winner is a full compare's, stopped models keep partial rows, and
race=False runs every fold (real processes; fixed seeds)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from podium.engine import Cancelled, EngineEvent, ProcessExecutor, samples, setup
from podium.engine.models import registry
from podium.engine.run import racing, scheduler
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask, FoldArrays, run_fit
from podium.engine.run.scheduler import order
from tests.engine.conftest import NO_LIMIT_S, make_table

CLASSIFIERS = ["lr", "nb", "dt", "knn", "ridge", "lda", "rf", "dummy"]
REGRESSORS = ["lr", "lasso", "ridge", "dt", "knn", "rf", "dummy"]


def _sample(name: str) -> tuple[pd.DataFrame, str]:
    return samples.load(name)


def _generated(seed: int) -> tuple[pd.DataFrame, str]:
    return make_table("binary", n=400, seed=seed), "y"


# (table, models, setup seed): sample tables of each task and generated ones, several seeds
CASES = [
    ("breast_cancer", CLASSIFIERS, 1),
    ("breast_cancer", CLASSIFIERS, 7),
    ("wine", CLASSIFIERS, 3),
    ("diabetes", REGRESSORS, 2),
    ("generated-0", CLASSIFIERS, 0),
    ("generated-5", CLASSIFIERS, 5),
]


def _load(name: str) -> tuple[pd.DataFrame, str]:
    if name.startswith("generated-"):
        return _generated(int(name.split("-")[1]))
    return _sample(name)


def _fitted(events: list[EngineEvent]) -> Counter[str]:
    return Counter(e.payload["model_id"] for e in events if e.kind == "model.fitted")


@pytest.fixture(scope="module")
def raced_and_full(executor: ProcessExecutor) -> list[dict[str, Any]]:
    out = []
    for name, models, seed in CASES:
        df, target = _load(name)
        exp = setup(df, target, folds=5, seed=seed)
        raced_events: list[EngineEvent] = []
        # the race and the full compare are compared, not the wall-time limit (NO_LIMIT_S)
        raced = exp.compare(
            models=models,
            on_event=raced_events.append,
            executor=executor,
            model_time_limit_s=NO_LIMIT_S,
        )
        full_events: list[EngineEvent] = []
        full = exp.compare(
            models=models,
            race=False,
            on_event=full_events.append,
            executor=executor,
            model_time_limit_s=NO_LIMIT_S,
        )
        out.append(
            {
                "case": (name, seed),
                "folds": exp.folds,
                "models": models,
                "raced": raced,
                "full": full,
                "raced_events": raced_events,
                "full_events": full_events,
            }
        )
    return out


def test_the_raced_winner_is_the_full_compares(raced_and_full: list[dict[str, Any]]) -> None:
    for c in raced_and_full:
        raced, full = c["raced"], c["full"]
        rows = {r["model_id"]: r for r in raced.leaderboard["rows"]}
        # models tied on the (rounded) score rank by time: the same model, or one tied with it
        assert rows[raced.best[0]][raced.sort] == rows[full.best[0]][full.sort], c["case"]
        assert not rows[full.best[0]].get("partial"), c["case"]


def test_complete_raced_rows_score_as_in_the_full_compare(
    raced_and_full: list[dict[str, Any]],
) -> None:
    for c in raced_and_full:
        full = {r["model_id"]: r for r in c["full"].leaderboard["rows"]}
        for row in c["raced"].leaderboard["rows"]:
            if row.get("partial"):
                continue
            theirs = full[row["model_id"]]
            scores = {k: v for k, v in row.items() if k not in ("TT (Sec)",)}
            assert scores == {k: v for k, v in theirs.items() if k != "TT (Sec)"}, c["case"]


def test_racing_stops_models_that_keep_partial_rows(raced_and_full: list[dict[str, Any]]) -> None:
    stopped_anywhere = 0
    for c in raced_and_full:
        rows = c["raced"].leaderboard["rows"]
        assert sorted(r["model_id"] for r in rows) == sorted(c["models"])  # every model a row
        fitted = _fitted(c["raced_events"])
        stopped = {e.payload["model_id"]: e.payload for e in c["raced_events"]
                   if e.kind == "model.stopped"}  # fmt: skip
        partial = [r for r in rows if r.get("partial")]
        assert {r["model_id"] for r in partial} == set(stopped)
        for r in partial:
            assert racing.MIN_FOLDS <= r["folds_done"] < c["folds"]
            assert r["folds_done"] == stopped[r["model_id"]]["folds_done"]
            assert r["folds_done"] <= fitted[r["model_id"]]  # later folds may have come in
            kept = c["raced"].predictions[r["model_id"]]  # its plots draw from the folds it ran
            assert kept.oof.fold is not None
            assert sorted(set(kept.oof.fold.tolist())) == list(range(r["folds_done"]))
            assert kept.holdout is None
        # complete rows first, partial rows after them; the best is a complete row
        flags = [bool(r.get("partial")) for r in rows if not r.get("Error")]
        assert flags == sorted(flags)
        assert c["raced"].best[0] not in stopped
        stopped_anywhere += len(stopped)
    assert stopped_anywhere > 0


def test_race_false_runs_every_fold_of_every_model(
    raced_and_full: list[dict[str, Any]],
) -> None:
    for c in raced_and_full:
        fitted = _fitted(c["full_events"])
        assert fitted == Counter({m: c["folds"] for m in c["models"]})
        assert not any(r.get("partial") for r in c["full"].leaderboard["rows"])
        assert not [e for e in c["full_events"] if e.kind == "model.stopped"]


def test_raced_compare_does_fewer_fits(raced_and_full: list[dict[str, Any]]) -> None:
    raced = sum(sum(_fitted(c["raced_events"]).values()) for c in raced_and_full)
    full = sum(sum(_fitted(c["full_events"]).values()) for c in raced_and_full)
    assert raced < full


def test_cancel_during_a_raced_compare_keeps_the_rows(executor: ProcessExecutor) -> None:
    df, target = _sample("breast_cancer")
    exp = setup(df, target, folds=5, seed=1)
    events: list[EngineEvent] = []

    def should_stop() -> bool:
        return any(e.kind == "model.stopped" for e in events)

    with pytest.raises(Cancelled) as err:
        exp.compare(
            models=CLASSIFIERS, on_event=events.append, should_stop=should_stop, executor=executor
        )
    rows = err.value.leaderboard["rows"]
    stopped = [e.payload["model_id"] for e in events if e.kind == "model.stopped"]
    partial = [r for r in rows if r.get("partial")]
    assert stopped
    assert {r["model_id"] for r in partial} == set(stopped)
    assert all(r["folds_done"] >= racing.MIN_FOLDS for r in partial)
    last = [e for e in events if e.kind == "leaderboard.updated"][-1].payload["leaderboard"]
    assert [r["model_id"] for r in rows] == [r["model_id"] for r in last["rows"]]


def test_two_folds_do_not_race(executor: ProcessExecutor) -> None:
    exp = setup(make_table("binary", n=200), "y", folds=2, seed=0)
    events: list[EngineEvent] = []
    exp.compare(models=["lr", "dummy"], on_event=events.append, executor=executor)
    assert _fitted(events) == Counter({"lr": 2, "dummy": 2})


class TestRule:
    def test_a_clearly_worse_model_is_beaten(self) -> None:
        assert racing.beaten({0: 0.9, 1: 0.91, 2: 0.9}, {0: 0.6, 1: 0.62, 2: 0.61}, 5)
        assert not racing.beaten({0: 0.9, 1: 0.91}, {0: 0.6, 1: 0.62}, 5)

    def test_a_model_within_noise_is_not(self) -> None:
        leader = {0: 0.90, 1: 0.93, 2: 0.89, 3: 0.92}
        close = {0: 0.91, 1: 0.90, 2: 0.90, 3: 0.90}
        assert not racing.beaten(leader, close, 5)

    def test_two_folds_are_never_enough(self) -> None:
        assert not racing.beaten({0: 1.0, 1: 0.99}, {0: 0.0, 1: 0.01}, 5)

    def test_identical_differences_wait_for_a_fourth_fold(self) -> None:
        # accuracies on 56-row folds: the same 1/56 difference on three folds
        lead, other = {0: 45 / 56, 1: 42 / 56, 2: 48 / 56}, {0: 44 / 56, 1: 41 / 56, 2: 47 / 56}
        assert not racing.beaten(lead, other, 5)
        assert racing.beaten({**lead, 3: 40 / 56}, {**other, 3: 39 / 56}, 5)

    def test_missing_scores_are_left_out(self) -> None:
        assert not racing.beaten({0: 0.9, 1: None, 2: 0.9}, {0: 0.1, 1: 0.1, 2: 0.1}, 5)

    def test_the_cv_correction_is_wider_than_the_naive_test(self) -> None:
        d = np.array([0.02, 0.03, 0.025, 0.035])
        naive = d.mean() - 3.182 * d.std(ddof=1) / 2
        corrected = racing.margin(d, 5)
        assert corrected is not None
        assert corrected < naive

    def test_strongest_names_the_widest_margin(self) -> None:
        mine = {0: 0.5, 1: 0.52, 2: 0.51}
        evidence = {"best": {0: 0.9, 1: 0.91, 2: 0.9}, "close": {0: 0.52, 1: 0.5, 2: 0.51}}
        assert racing.strongest(evidence, mine, 5) == "best"
        assert racing.strongest({"close": evidence["close"]}, mine, 5) is None


class TestRace:
    GOOD = (0.90, 0.91, 0.90, 0.92, 0.91)
    BAD = (0.50, 0.52, 0.51, 0.50, 0.53)

    def _feed(self, race: racing.Race, model: str, scores: tuple[float, ...], folds: range) -> None:
        for f in folds:
            race.record(model, f, scores[f])

    def test_a_checkpoint_waits_for_every_models_first_folds(self) -> None:
        race = racing.Race(["good", "bad", "slow"], 5)
        self._feed(race, "good", self.GOOD, range(5))
        self._feed(race, "bad", self.BAD, range(5))  # ran ahead of its checkpoint
        self._feed(race, "slow", self.GOOD, range(2))
        assert race.settle() == []  # slow's first 3 folds are not in: nobody is judged
        assert not race.complete("good")
        self._feed(race, "slow", self.GOOD, range(2, 3))
        verdicts = race.settle()
        assert [(v.model_id, v.folds) for v in verdicts] == [("bad", 3)]  # its first 3 only
        self._feed(race, "slow", self.GOOD, range(3, 5))
        assert race.settle() == []
        assert race.complete("good")
        assert race.complete("slow")
        assert not race.complete("bad")

    def test_failed_and_exempt_models(self) -> None:
        race = racing.Race(["first", "bad", "broken"], 5, exempt="first")
        self._feed(race, "first", self.BAD, range(5))
        self._feed(race, "bad", self.BAD, range(3))
        assert race.complete("first")  # the first row's model is never judged
        assert race.settle() == []  # waits for broken's folds
        race.drop("broken")
        assert race.settle() == []  # first ties bad: nothing beats it
        assert race.level["bad"] == 4

    def test_lower_is_better_through_the_key(self) -> None:
        race = racing.Race(["good", "bad"], 5, key=lambda v: -float(v or 0))
        self._feed(race, "good", (1.0, 1.1, 1.0, 1.0, 1.0), range(5))
        self._feed(race, "bad", (5.0, 5.2, 5.1, 5.0, 5.0), range(3))
        assert [v.model_id for v in race.settle()] == ["bad"]


def test_racing_decides_from_scores_not_timing() -> None:
    df, target = _sample("breast_cancer")
    exp = setup(df, target, folds=5, seed=1)
    one = exp.compare(
        models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=1), model_time_limit_s=NO_LIMIT_S
    )
    two = exp.compare(
        models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=2), model_time_limit_s=NO_LIMIT_S
    )

    def table(res: Any) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "TT (Sec)"} for r in res.leaderboard["rows"]]

    assert any(r.get("partial") for r in table(one))
    assert table(one) == table(two)


def test_raced_order_runs_round_by_round() -> None:
    def fits(model: str, cost: float) -> list[FitTask]:
        return [FitTask(model, "binary", f, 0, 2, cost) for f in (*range(4), HOLDOUT)]

    tasks = fits("slow", 5.0) + fits("cheap", 0.1) + fits("mid", 1.0)
    raced = [(t.model_id, t.fold) for t in order(tasks, first="cheap", rounds=True)]
    assert raced[:5] == [("cheap", f) for f in (0, 1, 2, HOLDOUT, 3)]
    rest = raced[5:]
    assert rest[:6] == [("slow", 0), ("slow", 1), ("slow", 2), ("mid", 0), ("mid", 1), ("mid", 2)]
    # no checkpoint waits for a last fold or a holdout fit: one last round, longest first
    assert rest[6:] == [("slow", HOLDOUT), ("slow", 3), ("mid", HOLDOUT), ("mid", 3)]
    plain = [(t.model_id, t.fold) for t in order(tasks, first="cheap")]
    assert {m for m, _ in plain[5:10]} == {"slow"}  # model by model without racing


def test_the_last_round_starts_the_longest_fit_first() -> None:
    """A costly leader's holdout fit (cost ``folds / (folds - 1)`` of a fold's) goes before a
    cheaper model's last fold: it was queued behind every last fold and ran alone at the end."""
    tasks = [
        FitTask(m, "binary", f, 0, 2, c * (5 / 4 if f == HOLDOUT else 1.0))
        for m, c in [("svm", 4.0), ("hgb", 3.0)]
        for f in (*range(5), HOLDOUT)
    ]
    last = [t.key for t in order(tasks, rounds=True)][-4:]
    assert last == ["svm/-1", "svm/4", "hgb/-1", "hgb/4"]


def _legacy_order(
    tasks: list[FitTask], first: str | None = None, rounds: bool = False, first_round: int = 3
) -> list[FitTask]:
    """The order before the last round merged: every holdout fit after every fold."""
    ordered = order(tasks, first, rounds, first_round)
    if not rounds:
        return ordered
    head = [t for t in ordered if t.model_id == first]
    rest = [t for t in ordered if t.model_id != first]
    return head + [t for t in rest if t.fold != HOLDOUT] + [t for t in rest if t.fold == HOLDOUT]


def test_the_order_of_the_last_round_changes_no_result(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same raced leaderboard (scores, partial rows, stopped models) with the holdout fits
    queued last, as before: decisions come from scores alone."""
    df, target = _sample("breast_cancer")
    exp = setup(df, target, folds=5, seed=1)
    ex = ProcessExecutor(n_jobs=2)

    def table(res: Any) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if k != "TT (Sec)"} for r in res.leaderboard["rows"]]

    now = table(exp.compare(models=CLASSIFIERS, executor=ex))
    monkeypatch.setattr(scheduler, "order", _legacy_order)
    before = table(exp.compare(models=CLASSIFIERS, executor=ex))
    assert any(r.get("partial") for r in now)
    assert now == before


class _Serial:
    """One slot; a fit ends as soon as it is submitted (its result: one score per fold)."""

    slots = 1
    memory_bytes = None
    shares_cores = False

    def __init__(self) -> None:
        self.ran: list[tuple[str, int]] = []

    def submit(self, task: FitTask) -> int:
        self.ran.append((task.model_id, task.fold))
        return len(self.ran)

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        return handles

    def result(self, handle: Any, task: FitTask) -> FitResult:
        return FitResult(task.model_id, task.fold, {"Accuracy": 0.5}, None, 1)

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        return None

    def kill(self) -> None: ...


def test_a_free_slot_takes_fits_that_will_be_kept_before_speculative_ones() -> None:
    """Fits a pending decision may throw away run last, the likeliest kept (lowest rank) first."""
    tasks = [FitTask(m, "binary", f, 0, 2, cost) for m, cost in (("slow", 5.0), ("lead", 1.0))
             for f in range(5)]  # fmt: skip
    done: set[tuple[str, int]] = set()

    def speculative(task: FitTask) -> float | None:
        # a fold from 3 on waits for a checkpoint that needs both models' first three folds
        if task.fold < 3 or all((m, f) in done for m in ("slow", "lead") for f in range(3)):
            return None
        return {"slow": 1.0, "lead": -1.0}[task.model_id]

    ex = _Serial()
    hooks = scheduler.Hooks(
        on_result=lambda t, r: done.add((t.model_id, t.fold)), speculative=speculative
    )
    # model by model, longest first, slow's folds 3-4 would come before the checkpoint could
    # pass: the leader's first three folds go first
    assert scheduler.run(ex, tasks, scheduler.Limits(), hooks) == "done"  # type: ignore[arg-type]
    assert ex.ran == [("slow", 0), ("slow", 1), ("slow", 2), ("lead", 0), ("lead", 1),
                      ("lead", 2), ("slow", 3), ("slow", 4), ("lead", 3), ("lead", 4)]  # fmt: skip
    # with every fold speculative, the rank alone orders them: the leader's first
    ex = _Serial()
    hooks = scheduler.Hooks(speculative=lambda t: {"slow": 1.0, "lead": -1.0}[t.model_id])
    scheduler.run(ex, tasks, scheduler.Limits(), hooks, rounds=True)  # type: ignore[arg-type]
    assert [m for m, _ in ex.ran] == ["lead"] * 5 + ["slow"] * 5


class _Stuck:
    """Two slots; ``slow``'s fits end only when killed, the others at once."""

    slots = 2
    memory_bytes = None
    shares_cores = False

    def __init__(self) -> None:
        self.ran: list[tuple[str, int]] = []
        self.killed = 0
        self.waits = 0

    def submit(self, task: FitTask) -> tuple[str, int]:
        self.ran.append((task.model_id, task.fold))
        return (task.model_id, task.fold)

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        self.waits += 1
        assert self.waits < 100, "the scheduler waits for a fit whose result is thrown away"
        return [h for h in handles if h[0] != "slow"]

    def result(self, handle: Any, task: FitTask) -> FitResult:
        return FitResult(task.model_id, task.fold, {"Accuracy": 0.5}, None, 1)

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        return None

    def kill(self) -> None:
        self.killed += 1


def test_a_stopped_models_fit_left_running_at_the_end_is_killed() -> None:
    """The last fits in flight are a stopped model's: the run ends at once, not when they do."""
    tasks = [FitTask("slow", "binary", 0, 0, 2, 5.0)]
    tasks += [FitTask("lead", "binary", f, 0, 2, 1.0) for f in range(2)]
    stop = ["slow"]

    def stopped() -> list[str]:  # the leader's first fold stops slow (its fold 0 is running)
        out, stop[:] = list(stop), []
        return out

    ex = _Stuck()
    reported: list[str] = []
    hooks = scheduler.Hooks(on_result=lambda t, r: reported.append(t.model_id), stopped=stopped)
    assert scheduler.run(ex, tasks, scheduler.Limits(), hooks) == "done"  # type: ignore[arg-type]
    assert ex.ran == [("slow", 0), ("lead", 0), ("lead", 1)]
    assert reported == ["lead", "lead"]
    assert ex.killed == 1


class _Cores:
    """Two slots on one machine's cores; every fit ends at the next wait."""

    slots = 2
    shares_cores = True
    memory_bytes: int | None = None

    def __init__(self) -> None:
        self.ran: list[tuple[str, int, int]] = []
        self.beside_threaded: list[tuple[str, int]] = []  # fits started while one was threaded
        self.running: dict[int, FitTask] = {}

    def submit(self, task: FitTask) -> int:
        if any(t.threads > 1 for t in self.running.values()):
            self.beside_threaded.append((task.model_id, task.fold))
        self.ran.append((task.model_id, task.fold, task.threads))
        self.running[len(self.ran)] = task
        return len(self.ran)

    def wait(self, handles: list[Any], timeout: float) -> list[Any]:
        return handles[:1]

    def result(self, handle: Any, task: FitTask) -> FitResult:
        del self.running[handle]
        return FitResult(task.model_id, task.fold, {"Accuracy": 0.5}, None, 1)

    def started_at(self, handle: Any, task: FitTask) -> float | None:
        return None

    def kill(self) -> None: ...


def _forest_and_lead() -> tuple[list[FitTask], scheduler.Hooks]:
    tasks = [FitTask("forest", "binary", f, 0, 2, 5.0, threadable=True) for f in range(3)]
    tasks += [FitTask("lead", "binary", f, 0, 2, 1.0) for f in range(3)]
    # the first folds will be kept; later ones wait for a checkpoint (the leader's likelier)
    ranks = {"forest": 1.0, "lead": -1.0}
    hooks = scheduler.Hooks(speculative=lambda t: None if t.fold == 0 else ranks[t.model_id])
    return tasks, hooks


def test_a_forest_fit_with_no_kept_fit_waiting_takes_both_cores() -> None:
    """When only speculative fits wait, a forest's fit gets every slot's thread and no
    speculative fit starts beside it; with fits that will be kept waiting, one thread."""
    tasks, hooks = _forest_and_lead()
    ex = _Cores()
    assert scheduler.run(ex, tasks, scheduler.Limits(), hooks) == "done"  # type: ignore[arg-type]
    assert ex.ran[:2] == [("forest", 0, 1), ("lead", 0, 1)]  # lead/0 was waiting: one thread
    assert ("forest", 1, 2) in ex.ran
    assert ("forest", 2, 2) in ex.ran
    assert [t for _, _, t in ex.ran if t > 1] == [2, 2]
    assert ex.beside_threaded == []  # every fit left was speculative: none started beside it


def test_fits_keep_one_thread_on_executors_that_do_not_share_cores() -> None:
    tasks, hooks = _forest_and_lead()
    ex = _Cores()
    ex.shares_cores = False  # e.g. a Dask cluster: a slot is a worker thread somewhere
    scheduler.run(ex, tasks, scheduler.Limits(), hooks)  # type: ignore[arg-type]
    assert {t for _, _, t in ex.ran} == {1}


@pytest.mark.parametrize("model_id", sorted(registry.THREADED_MODELS))
def test_a_threaded_forest_fit_is_the_single_threaded_one(model_id: str) -> None:
    """The same predictions, scores and reported parameters on one thread or two."""
    x, y = make_classification(n_samples=600, n_features=8, random_state=3)
    arrays = FoldArrays(x[:400], y[:400], x[400:], y[400:])
    one, two = (
        run_fit(FitTask(model_id, "binary", 0, 7, 2, threadable=True, threads=n), arrays)
        for n in (1, 2)
    )
    assert one.error is None
    assert two.error is None
    assert one.scores == two.scores
    assert one.params == two.params
    assert one.prediction is not None
    assert two.prediction is not None
    np.testing.assert_array_equal(one.prediction.pred, two.prediction.pred)
    np.testing.assert_array_equal(one.prediction.scores, two.prediction.scores)
