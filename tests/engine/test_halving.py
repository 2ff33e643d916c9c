"""Successive halving in compare: models clearly behind on subsamples stop before the full folds,
keep a partial row saying on how many rows, and the winner is a full compare's (real processes;
fixed seeds)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from podium.engine import EngineEvent, ProcessExecutor, setup
from podium.engine.run import halving
from podium.engine.run.fits import HOLDOUT, FitTask
from podium.engine.run.scheduler import order
from tests.engine.conftest import (
    assert_same_winner,
    complete_rows_differ,
    make_nonlinear,
    make_table,
)

CLASSIFIERS = ["lr", "nb", "dt", "knn", "ridge", "lda", "rf", "dummy"]
REGRESSORS = ["lr", "lasso", "ridge", "dt", "knn", "rf", "dummy"]


# (table, models, setup seed): classification and regression, a linear and a non-linear
# signal, three seeds
CASES = [
    ("binary", lambda: make_table("binary", n=3000, seed=0), CLASSIFIERS, 1),
    ("regression", lambda: make_table("regression", n=3000, seed=3), REGRESSORS, 3),
    ("nonlinear-1", lambda: make_nonlinear(3000, 1), CLASSIFIERS, 1),
]


# The rule and the subsample first: the compares below lower MIN_ANCHOR_ROWS for the rest
# of the module.


class TestSubsample:
    def test_stratified_nested_and_seeded(self) -> None:
        y = np.array([0] * 700 + [1] * 250 + [2] * 50)
        big = halving.subsample(y, 400, seed=3, fold=1, stratify=True)
        small = halving.subsample(y, 100, seed=3, fold=1, stratify=True)
        assert set(small) <= set(big)
        assert Counter(y[small].tolist()) == {0: 70, 1: 25, 2: 5}
        assert np.array_equal(big, halving.subsample(y, 400, 3, 1, True))
        assert not np.array_equal(big, halving.subsample(y, 400, 3, 2, True))  # fold's own
        assert np.all(np.diff(big) > 0)  # sorted positions, no repeats

    def test_every_class_is_present(self) -> None:
        y = np.array([0] * 995 + [1] * 5)
        assert set(y[halving.subsample(y, 10, 0, 0, True)]) == {0, 1}

    def test_regression_takes_a_seeded_prefix(self) -> None:
        y = np.linspace(0, 1, 500)
        assert len(halving.subsample(y, 50, 0, 0, False)) == 50
        assert set(halving.subsample(y, 50, 0, 0, False)) <= set(
            halving.subsample(y, 200, 0, 0, False)
        )


class TestRule:
    def test_anchors_need_enough_rows(self) -> None:
        assert halving.anchors(56_000, 22) == (3500, 14000)
        assert halving.anchors(15_000, 22) is None  # 937 rows at the first anchor
        assert halving.anchors(20_000, 200) is None  # fewer than 10 rows per column

    def test_the_bound_extends_the_last_slope_to_the_full_size(self) -> None:
        assert halving.optimistic(0.80, 0.84, 1600, (100, 400)) == pytest.approx(0.84 + 0.16)
        assert halving.optimistic(0.85, 0.84, 1600, (100, 400)) == 0.84  # never below s₂

    def _feed(self, h: halving.Halving, model: str, low: list[float], high: list[float]) -> None:
        for f, (a, b) in enumerate(zip(low, high, strict=True)):
            h.record(model, 100, f, a)
            h.record(model, 400, f, b)

    def test_a_flat_curve_far_behind_stops_a_steep_one_does_not(self) -> None:
        h = halving.Halving(["good", "flat", "steep"], 5, 1600, (100, 400))
        self._feed(h, "good", [0.88, 0.89, 0.88, 0.90, 0.89], [0.90, 0.91, 0.90, 0.92, 0.91])
        self._feed(h, "flat", [0.70, 0.71, 0.70, 0.72, 0.71], [0.70, 0.72, 0.71, 0.71, 0.71])
        assert h.settle() == []  # waits for steep's scores
        # behind at both anchors, but climbing: 0.74 + 4 × 0.06 could pass the leader
        self._feed(h, "steep", [0.68, 0.69, 0.67, 0.68, 0.68], [0.74, 0.75, 0.73, 0.74, 0.74])
        assert h.settle() == [halving.Verdict("flat", "good", 400)]
        assert h.decided
        assert h.settle() == []  # decided once

    def test_a_model_within_noise_is_not_stopped(self) -> None:
        h = halving.Halving(["a", "b"], 5, 1600, (100, 400))
        self._feed(h, "a", [0.85] * 5, [0.86, 0.88, 0.85, 0.87, 0.86])
        self._feed(h, "b", [0.85] * 5, [0.87, 0.85, 0.86, 0.86, 0.86])
        assert h.settle() == []

    def test_failed_models_are_not_waited_for(self) -> None:
        h = halving.Halving(["good", "flat", "broken"], 5, 1600, (100, 400))
        self._feed(h, "good", [0.88] * 5, [0.90, 0.91, 0.90, 0.92, 0.91])
        self._feed(h, "flat", [0.70] * 5, [0.70, 0.72, 0.71, 0.71, 0.71])
        h.drop("broken")
        assert [v.model_id for v in h.settle()] == ["flat"]

    def test_lower_is_better_through_the_key(self) -> None:
        h = halving.Halving(["good", "bad"], 5, 1600, (100, 400), key=lambda v: -float(v or 0))
        self._feed(h, "good", [1.2] * 5, [1.0, 1.1, 1.0, 1.05, 1.0])
        self._feed(h, "bad", [5.0] * 5, [5.0, 5.2, 5.1, 5.0, 5.0])
        assert [v.model_id for v in h.settle()] == ["bad"]


def test_low_fidelity_fits_run_first() -> None:
    def fits(model: str, cost: float, low: bool = True) -> list[FitTask]:
        full = [FitTask(model, "binary", f, 0, 2, cost) for f in (*range(4), HOLDOUT)]
        fewer = [FitTask(model, "binary", f, 0, 2, cost / 4, rows=100) for f in range(4)]
        return full + (fewer if low else [])

    tasks = fits("slow", 5.0) + fits("cheap", 0.1, low=False) + fits("mid", 1.0)
    ordered = order(tasks, first="cheap", rounds=True)
    assert [t.model_id for t in ordered[:5]] == ["cheap"] * 5  # the first row's model: no halving
    rest = ordered[5:]
    assert all(t.rows == 100 for t in rest[:8])
    assert all(t.rows is None for t in rest[8:])
    assert len({t.key for t in tasks}) == len(tasks)  # a low-fidelity fit has a key of its own


@pytest.fixture(scope="module")
def small_anchors() -> Iterator[None]:
    """Halve tables of a few thousand rows (the default waits for 16,000 training rows per
    fold): the same mechanism, on tables the tests can afford."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(halving, "MIN_ANCHOR_ROWS", 100)
        yield


def _stopped(events: list[EngineEvent]) -> dict[str, dict[str, Any]]:
    return {e.payload["model_id"]: e.payload for e in events if e.kind == "model.stopped"}


def _low_fits(events: list[EngineEvent]) -> Counter[str]:
    return Counter(
        e.payload["model_id"]
        for e in events
        if e.kind == "model.fitted" and e.payload.get("fit_rows")
    )


@pytest.fixture(scope="module")
def halved_and_full(small_anchors: None, executor: ProcessExecutor) -> list[dict[str, Any]]:
    out = []
    for name, table, models, seed in CASES:
        exp = setup(table(), "y", folds=5, seed=seed)
        rows, width, _ = exp.fit_size()
        sizes = halving.anchors(rows, width)
        assert sizes is not None, name
        raced_events: list[EngineEvent] = []
        raced = exp.compare(models=models, on_event=raced_events.append, executor=executor)
        full_events: list[EngineEvent] = []
        full = exp.compare(
            models=models, race=False, on_event=full_events.append, executor=executor
        )
        out.append({
            "case": name, "models": models, "anchors": sizes, "raced": raced, "full": full,
            "raced_events": raced_events, "full_events": full_events,
        })  # fmt: skip
    return out


def test_the_halved_winner_is_the_full_compares(halved_and_full: list[dict[str, Any]]) -> None:
    for c in halved_and_full:
        assert_same_winner(c["raced"], c["full"], c["case"])


def test_halving_stops_models_that_keep_rows_on_fewer_rows(
    halved_and_full: list[dict[str, Any]],
) -> None:
    halved = 0
    for c in halved_and_full:
        rows = c["raced"].leaderboard["rows"]
        assert sorted(r["model_id"] for r in rows) == sorted(c["models"])  # every model a row
        stopped = _stopped(c["raced_events"])
        low = _low_fits(c["raced_events"])
        for r in rows:
            if r.get("fit_rows") is None:
                continue
            halved += 1
            why = stopped[r["model_id"]]
            assert r["partial"] is True
            assert r["fit_rows"] == why["fit_rows"] == c["anchors"][1]
            assert r["folds_done"] == why["folds_done"] == halving.LOW_FOLDS
            assert low[r["model_id"]] == 2 * halving.LOW_FOLDS  # its first folds, both anchors
            assert f"{c['anchors'][1]:,} training rows" in why["reason"]
            assert why["leader_id"] != r["model_id"]
            kept = c["raced"].predictions[r["model_id"]]  # its plots: the folds it ran
            assert kept.holdout is None
            assert kept.oof.fold is not None
            assert sorted(set(kept.oof.fold.tolist())) == list(range(halving.LOW_FOLDS))
        # complete rows first, then partial ones; the best is complete
        flags = [bool(r.get("partial")) for r in rows if not r.get("Error")]
        assert flags == sorted(flags)
    assert halved > 0


def test_complete_halved_rows_score_as_in_the_full_compare(
    halved_and_full: list[dict[str, Any]],
) -> None:
    for c in halved_and_full:
        assert complete_rows_differ(c["raced"], c["full"]) == [], c["case"]


def test_race_false_fits_no_subsample(halved_and_full: list[dict[str, Any]]) -> None:
    for c in halved_and_full:
        assert not _low_fits(c["full_events"])
        assert not any(r.get("fit_rows") for r in c["full"].leaderboard["rows"])


def test_halving_decides_from_scores_not_timing(small_anchors: None) -> None:
    exp = setup(make_nonlinear(3000, 3), "y", folds=5, seed=3)
    one = exp.compare(models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=1))
    two = exp.compare(models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=2))

    def table(res: Any) -> dict[str, dict[str, Any]]:
        # by model: exact ties (lda and ridge predict alike) are ordered by fit time
        rows = res.leaderboard["rows"]
        return {r["model_id"]: {k: v for k, v in r.items() if k != "TT (Sec)"} for r in rows}

    assert any(r.get("fit_rows") for r in table(one).values())
    assert table(one) == table(two)


def test_a_large_table_halves_by_default(executor: ProcessExecutor) -> None:
    """By default for a sort metric that is not a mean over rows (AUC here); Accuracy's or
    R2's large folds go to the race's first-fold screen instead (tests/engine/test_screen.py)."""
    exp = setup(make_nonlinear(26_000, 2), "y", folds=5, train_size=0.9, seed=2)  # 18,720 per fold
    rows, width, _ = exp.fit_size()
    assert halving.anchors(rows, width) is not None
    events: list[EngineEvent] = []
    models = ["lr", "nb", "dt", "ridge", "lda", "dummy"]
    raced = exp.compare(models=models, sort="AUC", on_event=events.append, executor=executor)
    assert _low_fits(events)
    assert any(r.get("fit_rows") for r in raced.leaderboard["rows"])
    full = exp.compare(models=models, sort="AUC", race=False, executor=executor)
    assert_same_winner(raced, full)
