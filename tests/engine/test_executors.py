"""Reproducibility across runs, worker counts and executors (Dask on a real LocalCluster)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine import DaskExecutor, ProcessExecutor, setup
from tests.engine.conftest import NO_LIMIT_S, make_table

MODELS = ["lr", "dt", "lightgbm"]


def ill_conditioned_table(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Categorical + missing values + an unscaled income column (~36,000): ``lr``'s lbfgs
    runs to its iteration cap there, so its score depends on the exact floating-point path."""
    rng = np.random.default_rng(seed)
    age = rng.integers(18, 80, n).astype(float)
    income = rng.lognormal(10.5, 0.6, n).round(2)
    plan = rng.choice(["basic", "plus", "pro"], n, p=[0.6, 0.3, 0.1])
    city = rng.choice(["paris", "lyon", "nice", "lille"], n)
    logit = -0.03 * (age - 45) + 0.8 * (plan == "pro") - 0.5 * (plan == "basic")
    logit = logit + 0.4 * (city == "paris") + rng.normal(0, 1, n)
    df = pd.DataFrame({"age": age, "income": income, "plan": plan, "city": city})
    df["y"] = np.where(logit > 0, "churn", "stay")
    for col, share in [("age", 0.05), ("income", 0.1), ("city", 0.08)]:
        df.loc[rng.random(n) < share, col] = np.nan
    return df


def _unaligned(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A copy of ``a`` starting one byte into a buffer, as Dask's unpickling may deliver it."""
    raw = np.empty(a.nbytes + 1, dtype=np.uint8)
    out = raw[1:].view(a.dtype).reshape(a.shape)
    out[...] = a
    assert not out.flags.aligned
    return out


def test_a_fit_scores_the_same_on_unaligned_arrays() -> None:
    """Before: lr on the unaligned copy of a fold took another lbfgs path (other scores)."""
    from podium.engine.run.fits import FitTask, FoldArrays, run_fit

    exp = setup(ill_conditioned_table(), "y", folds=3, seed=7)
    for fold, arrays in exp.fold_data().items():
        parts = ("X_train", "y_train", "X_valid", "y_valid")
        shifted = FoldArrays(*(_unaligned(getattr(arrays, p)) for p in parts))
        task = FitTask("lr", exp.task, fold, exp.seed, exp.n_classes)
        assert run_fit(task, shifted).scores == run_fit(task, arrays).scores


def _scores(res: Any) -> dict[str, dict[str, Any]]:
    return {
        r["model_id"]: {k: v for k, v in r.items() if k not in ("TT (Sec)",)}
        for r in res.leaderboard["rows"]
    }


def _compare(exp: Any, executor: Any) -> dict[str, dict[str, Any]]:
    return _scores(exp.compare(models=MODELS, executor=executor, model_time_limit_s=NO_LIMIT_S))


@pytest.fixture(scope="module")
def reference() -> dict[str, dict[str, Any]]:
    exp = setup(make_table("multiclass", n=90), "y", folds=3, seed=7)
    return _compare(exp, ProcessExecutor(n_jobs=2))


def test_same_seed_same_scores_whatever_the_worker_count(reference: Any) -> None:
    exp = setup(make_table("multiclass", n=90), "y", folds=3, seed=7)
    assert _compare(exp, ProcessExecutor(n_jobs=1)) == reference


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    try:
        yield client
    finally:
        client.close()
        # The kill test replaces worker processes; one may vanish while the cluster closes
        # (KeyError on its address). Retry so the cluster really ends closed, instead of
        # warning "unclosed cluster" from its finalizer in whatever test runs next.
        for _ in range(3):
            try:
                cluster.close(timeout=60)
                break
            except Exception:
                time.sleep(1)


@pytest.mark.dask
def test_dask_gives_the_same_scores_as_the_process_pool(reference: Any, dask_client: Any) -> None:
    exp = setup(make_table("multiclass", n=90), "y", folds=3, seed=7)
    executor = DaskExecutor(dask_client)
    assert executor.slots == 2
    assert _compare(exp, executor) == reference
    # the scattered data and the results are released afterwards (asynchronously)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(dask_client.has_what().values()):
        time.sleep(0.1)
    assert not any(dask_client.has_what().values())


@pytest.mark.dask
def test_dask_matches_the_process_pool_on_an_ill_conditioned_table(dask_client: Any) -> None:
    """Categorical + missing values, lr at its iteration cap: scores differed before (the
    arrays Dask workers unpickle are not memory-aligned; the fits now align them)."""
    exp = setup(ill_conditioned_table(), "y", folds=3, seed=7)
    models = ["lr", "lda", "nb"]
    pool = _scores(exp.compare(models=models, executor=ProcessExecutor(n_jobs=2)))
    dask = _scores(exp.compare(models=models, executor=DaskExecutor(dask_client)))
    assert dask == pool


@pytest.mark.dask
def test_dask_create_and_cancel(dask_client: Any) -> None:
    from podium.engine import Cancelled

    exp = setup(make_table("binary", n=90), "y", folds=2, seed=7)
    res = exp.create("dt", executor=DaskExecutor(dask_client))
    assert [r["Fold"] for r in res.leaderboard["rows"]] == [0, 1, "Mean", "Std"]
    with pytest.raises(Cancelled):
        exp.compare(
            models=["dt", "lr"], executor=DaskExecutor(dask_client), should_stop=lambda: True
        )


@pytest.mark.dask
def test_dask_cancel_kills_the_running_fit(dask_client: Any) -> None:
    """A Dask cancel alone leaves the task running: the worker process must be killed."""
    import os

    from podium.engine import Cancelled, EngineEvent

    rng = np.random.default_rng(0)
    df = pd.DataFrame(rng.normal(size=(4000, 20)), columns=[f"f{i}" for i in range(20)])
    df["y"] = np.where(df["f0"] + rng.normal(size=4000) > 0, "a", "b")
    exp = setup(df, "y", folds=2, seed=1)
    before = dask_client.run(os.getpid)
    events: list[EngineEvent] = []

    def should_stop() -> bool:  # stop once the fits are running on the workers
        return any(dask_client.processing().values())

    with pytest.raises(Cancelled) as err:
        exp.compare(
            models=["gbc"],
            on_event=events.append,
            should_stop=should_stop,
            executor=DaskExecutor(dask_client),
        )
    assert err.value.leaderboard["rows"] == []
    assert [e.kind for e in events] == ["model.started"]
    dask_client.wait_for_workers(2, timeout=120)
    deadline = time.monotonic() + 120
    after = before
    while time.monotonic() < deadline:
        after = dask_client.run(os.getpid, on_error="ignore")
        if len(after) == 2 and set(after.values()) != set(before.values()):
            break
        time.sleep(0.2)
    assert set(after.values()) != set(before.values())  # the busy workers were replaced


def test_kill_with_fits_queued_leaves_loky_manager_thread_clean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More fits submitted than loky's call queue holds, then a kill: the manager thread ends
    without an exception (it used to look up a dropped work id: KeyError) and every future
    ends."""
    errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    ex = ProcessExecutor(n_jobs=1)
    pool = ex._pool()
    pool.submit(time.sleep, 0).result(timeout=120)  # the worker is up
    futures = [pool.submit(time.sleep, 5) for _ in range(6)]
    manager = pool._executor_manager_thread
    time.sleep(0.3)  # the manager has queued what the call queue takes; the rest wait by id
    ex.kill()
    manager.join(timeout=30)
    assert not manager.is_alive()
    assert errors == []
    assert all(future.exception(timeout=30) is not None for future in futures)  # killed/dropped
