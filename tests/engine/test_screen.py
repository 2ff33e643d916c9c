"""The race's first-fold screen: on large folds a model far behind on the validation rows of its
first fold(s) stops before the third, its row says after how many folds, and the winner is a full
compare's (real processes; fixed seeds)."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine import EngineEvent, ProcessExecutor, setup
from podium.engine.run import racing
from tests.engine.conftest import (
    NO_LIMIT_S,
    assert_same_winner,
    complete_rows_differ,
    make_nonlinear,
)

CLASSIFIERS = ["lr", "nb", "dt", "ridge", "lda", "rf", "dummy"]
REGRESSORS = ["lr", "lasso", "dt", "rf", "dummy"]


def _regression(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6))
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(6)])
    df["y"] = X[:, 0] * X[:, 1] + np.sin(2 * X[:, 2]) + X[:, 3] + rng.normal(scale=0.3, size=n)
    return df


# 7,500 rows, train share 0.7, 5 folds: 1,050 validation rows per fold (the screen's floor is
# 1,000); classification (Accuracy) and regression (R2), two seeds
CASES = [
    ("nonlinear-1", lambda: make_nonlinear(7500, 1), CLASSIFIERS, 1),
    ("nonlinear-4", lambda: make_nonlinear(7500, 4), CLASSIFIERS, 4),
    ("regression-2", lambda: _regression(7500, 2), REGRESSORS, 2),
]


def _stopped(events: list[EngineEvent]) -> dict[str, dict[str, Any]]:
    return {e.payload["model_id"]: e.payload for e in events if e.kind == "model.stopped"}


def _fitted(events: list[EngineEvent]) -> Counter[str]:
    return Counter(e.payload["model_id"] for e in events if e.kind == "model.fitted")


@pytest.fixture(scope="module")
def screened_and_full(executor: ProcessExecutor) -> list[dict[str, Any]]:
    out = []
    for name, table, models, seed in CASES:
        exp = setup(table(), "y", folds=5, seed=seed)
        raced_events: list[EngineEvent] = []
        # the screen and the full compare are compared, not the wall-time limit (NO_LIMIT_S)
        raced = exp.compare(
            models=models,
            on_event=raced_events.append,
            executor=executor,
            model_time_limit_s=NO_LIMIT_S,
        )
        full = exp.compare(
            models=models, race=False, executor=executor, model_time_limit_s=NO_LIMIT_S
        )
        out.append({"case": name, "models": models, "raced": raced, "full": full,
                    "events": raced_events})  # fmt: skip
    return out


def test_the_screened_winner_is_the_full_compares(screened_and_full: list[dict[str, Any]]) -> None:
    for c in screened_and_full:
        assert_same_winner(c["raced"], c["full"], c["case"])


def test_the_screen_stops_models_before_the_third_fold(
    screened_and_full: list[dict[str, Any]],
) -> None:
    early = 0
    for c in screened_and_full:
        rows = c["raced"].leaderboard["rows"]
        assert sorted(r["model_id"] for r in rows) == sorted(c["models"])  # every model a row
        stopped = _stopped(c["events"])
        fitted = _fitted(c["events"])
        assert not any(e.payload.get("fit_rows") for e in c["events"] if e.kind == "model.fitted")
        for r in rows:
            if not r.get("partial"):
                continue
            why = stopped[r["model_id"]]
            assert r["folds_done"] == why["folds_done"] <= fitted[r["model_id"]]
            if r["folds_done"] < racing.MIN_FOLDS:
                early += 1
                assert "validation rows" in why["reason"]
            kept = c["raced"].predictions[r["model_id"]]  # its plots: the folds it ran
            assert kept.oof.fold is not None
            assert sorted(set(kept.oof.fold.tolist())) == list(range(r["folds_done"]))
    assert early > 0


def test_complete_screened_rows_score_as_in_the_full_compare(
    screened_and_full: list[dict[str, Any]],
) -> None:
    for c in screened_and_full:
        assert complete_rows_differ(c["raced"], c["full"]) == [], c["case"]


def test_the_screen_decides_from_scores_not_timing() -> None:
    exp = setup(make_nonlinear(7500, 4), "y", folds=5, seed=4)
    one = exp.compare(
        models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=1), model_time_limit_s=NO_LIMIT_S
    )
    two = exp.compare(
        models=CLASSIFIERS, executor=ProcessExecutor(n_jobs=2), model_time_limit_s=NO_LIMIT_S
    )

    def table(res: Any) -> dict[str, dict[str, Any]]:
        rows = res.leaderboard["rows"]
        return {r["model_id"]: {k: v for k, v in r.items() if k != "TT (Sec)"} for r in rows}

    assert any(r.get("folds_done", 5) < racing.MIN_FOLDS for r in table(one).values())
    assert table(one) == table(two)


def test_small_folds_and_other_metrics_are_not_screened(executor: ProcessExecutor) -> None:
    small = setup(make_nonlinear(3000, 1), "y", folds=5, seed=1)  # 420 validation rows per fold
    auc = setup(make_nonlinear(7500, 1), "y", folds=5, seed=1)
    for exp, sort in ((small, None), (auc, "AUC")):
        events: list[EngineEvent] = []
        exp.compare(models=["lr", "dt", "dummy"], sort=sort, on_event=events.append,
                    executor=executor)  # fmt: skip
        assert all(p["folds_done"] >= racing.MIN_FOLDS for p in _stopped(events).values())


class TestRowTest:
    def _race(self, rows: int = 2000) -> racing.Race:
        return racing.Race(["lead", "far", "close"], 5, train_rows=4 * rows)

    def _gains(self, rate: float, seed: int, rows: int = 2000) -> np.ndarray:
        return (np.random.default_rng(seed).random(rows) < rate).astype("float64")

    def test_far_behind_stops_after_one_fold_close_goes_on(self) -> None:
        race = self._race()
        lead = self._gains(0.90, 0)
        race.record("lead", 0, float(lead.mean()), lead)
        race.record("far", 0, 0.80, np.where(np.arange(2000) % 5 == 0, 0.0, lead))
        race.record("close", 0, 0.899, np.where(np.arange(2000) == 3, 0.0, lead))
        verdicts = race.settle()
        assert [(v.model_id, v.leader_id, v.folds) for v in verdicts] == [("far", "lead", 1)]
        assert race.level["close"] == 2
        assert race.level["lead"] == 2

    def test_a_checkpoint_waits_for_every_models_first_fold(self) -> None:
        race = self._race()
        lead = self._gains(0.90, 0)
        race.record("lead", 0, 0.9, lead)
        race.record("far", 0, 0.5, self._gains(0.5, 1))
        assert race.settle() == []  # close's first fold is not in
        race.record("close", 0, 0.9, lead)
        assert [v.model_id for v in race.settle()] == ["far"]

    def test_too_few_rows_wait_for_the_fold_test(self) -> None:
        race = self._race(rows=500)
        for model, rate in (("lead", 0.9), ("far", 0.5), ("close", 0.9)):
            g = self._gains(rate, 2, rows=500)
            race.record(model, 0, float(g.mean()), g)
        assert race.settle() == []  # 500 rows < SCREEN_MIN_ROWS: no verdict, and ...
        assert race.level["far"] == 2  # ... no evidence either way: it goes on

    def test_the_margin_widens_with_the_training_rows_term(self) -> None:
        d = np.random.default_rng(0).normal(0.01, 0.3, 5000)
        wide, narrow = racing.row_margin(d, 1000), racing.row_margin(d, 10**9)
        assert wide is not None
        assert narrow is not None
        assert wide < narrow
