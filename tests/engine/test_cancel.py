"""Stopping: should_stop kills fits in flight and keeps finished rows; budgets and time limits."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from podium.engine import Cancelled, DataError, EngineEvent, ProcessExecutor, setup
from podium.engine.run import executors as executors_module


def _wide(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 20))
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(20)])
    df["y"] = np.where(X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(size=n) > 0, "a", "b")
    return df


def test_cancel_mid_compare_keeps_finished_rows_and_kills_fits() -> None:
    events: list[EngineEvent] = []
    exp = setup(_wide(600), "y", folds=2, seed=0)
    polls_after_stop: list[int] = []

    def should_stop() -> bool:
        updated = any(e.kind == "leaderboard.updated" for e in events)
        if updated:
            polls_after_stop.append(1)
        return updated

    # dummy (cost 0) runs after the slow models: the first finished model triggers the stop
    with pytest.raises(Cancelled) as err:
        exp.compare(
            models=["gbc", "mlp", "rf", "dummy"],
            on_event=events.append,
            should_stop=should_stop,
            executor=ProcessExecutor(n_jobs=2),
        )
    finished = [e for e in events if e.kind == "leaderboard.updated"]
    assert len(finished) >= 1
    rows = err.value.leaderboard["rows"]
    assert len(rows) == len(finished[-1].payload["leaderboard"]["rows"])
    assert [r["model_id"] for r in rows] == [
        r["model_id"] for r in finished[-1].payload["leaderboard"]["rows"]
    ]
    assert "compare.finished" not in [e.kind for e in events]
    assert len(rows) < 4
    assert polls_after_stop == [1]  # stopped at the first poll that saw the signal
    assert "compare cancelled" in str(err.value)
    # the finished models keep their out-of-fold predictions: their plots still draw
    kept = err.value.predictions
    assert set(kept) == {r["model_id"] for r in rows}
    assert all((len(p.oof), len(p.holdout or [])) == (420, 180) for p in kept.values())


def test_budget_before_any_row_fails_with_a_warning() -> None:
    events: list[EngineEvent] = []
    exp = setup(_wide(3000), "y", folds=2, seed=0)
    with pytest.raises(DataError, match="no model finished within the time budget"):
        exp.compare(
            models=["dummy", "gbc", "mlp"],
            budget_s=0.0,
            on_event=events.append,
            executor=ProcessExecutor(n_jobs=2),
        )
    warnings = [e.payload for e in events if e.kind == "warning"]
    assert any(
        w["code"] == "budget" and "time budget of 0 s reached" in w["message"] for w in warnings
    )
    assert "compare.finished" not in [e.kind for e in events]


def test_model_time_limit_stops_only_that_model(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[EngineEvent] = []
    # gbc on 4,000 × 20 takes seconds per fold; dummy takes milliseconds, so a 1.5 s limit
    # separates them with a wide margin even on a loaded machine.
    exp = setup(_wide(8000), "y", folds=2, seed=0)
    res = exp.compare(
        models=["gbc", "dummy"],
        model_time_limit_s=1.5,
        on_event=events.append,
        executor=ProcessExecutor(n_jobs=2),
    )
    by_id = {r["model_id"]: r for r in res.leaderboard["rows"]}
    assert "per-model time limit of 1.5 s" in by_id["gbc"]["Error"]
    assert by_id["dummy"]["Error"] is None
    assert by_id["dummy"]["Accuracy"] is not None
    assert res.best == ["dummy"]
    kinds = [(e.kind, e.payload.get("code") or e.payload.get("model_id")) for e in events]
    assert ("warning", "model_time_limit") in kinds
    assert ("model.failed", "gbc") in kinds


def test_kill_ends_the_worker_processes() -> None:
    import os
    import time

    ex = ProcessExecutor(n_jobs=2)
    pids = {ex._pool().submit(os.getpid).result() for _ in range(4)}
    assert pids
    ex.kill()
    deadline = time.monotonic() + 30  # a bound for a loaded CI box, not a timing assert
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids)
    assert ex._pool().submit(os.getpid).result() not in pids  # a fresh pool on demand
    assert executors_module.ProcessExecutor(n_jobs=1).slots == 1


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
