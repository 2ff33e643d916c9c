"""``setup`` starts the default process pool without waiting for it, so the workers' imports
overlap setup and the caller's own code; ``compare`` then reuses that pool."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from podium.engine import ProcessExecutor, setup
from podium.engine.run import executors
from tests.engine.conftest import make_table


@pytest.fixture
def no_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """No pool running in this process, prestart on (as in a fresh process)."""
    executors.shutdown_pool()
    monkeypatch.setitem(executors._prestart, "enabled", True)


def _workers() -> set[int]:
    executors._wait_started()  # the warm-up submits its jobs from a background thread
    pool = executors._pools["loky"]
    return {p.pid for p in pool._processes.values()}


@pytest.mark.usefixtures("no_pool")
def test_setup_starts_the_pool_and_compare_reuses_it() -> None:
    assert "loky" not in executors._pools
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    started = _workers()
    pool = executors._pools.get("loky")
    assert pool is not None  # started by setup, before any fit
    assert len(started) == ProcessExecutor().slots
    res = exp.compare(models=["dt", "dummy"])
    assert len(res.leaderboard["rows"]) == 2
    assert executors._pools["loky"] is pool
    assert _workers() == started  # the same processes ran the fits: none started anew


@pytest.mark.usefixtures("no_pool")
def test_no_pool_when_prestart_is_off() -> None:
    executors.set_prestart(False)  # the fixture's monkeypatch restores it
    setup(make_table("binary", n=120), "y", folds=3, seed=0)
    assert "loky" not in executors._pools


@pytest.mark.usefixtures("no_pool")
def test_workers_fork_from_a_single_threaded_server_that_imported_the_models() -> None:
    """The fork server imports the fitting code once and forks the workers; it forks with one
    thread (no BLAS, OpenMP or allocator thread: forking a process with threads can leave a
    lock held in the child) and the workers start single-threaded."""
    import psutil

    from podium.engine.run import forkserver

    if not forkserver.available():
        pytest.skip("no fork server on this platform")
    ex = ProcessExecutor(n_jobs=2)
    ex.warm(timeout=600)
    server = psutil.Process(forkserver.server_pid())
    assert server.num_threads() == 1
    assert {p.pid for p in server.children()} >= _workers()
    env = psutil.Process(next(iter(_workers()))).environ()
    assert {k: env.get(k) for k in executors.SINGLE_THREADED_ENV} == executors.SINGLE_THREADED_ENV
    frozen, collects = ex._pool().submit(_frozen).result(timeout=120)
    assert frozen > 0  # the server's imported heap, frozen before the fork (pool_preload)
    assert collects  # the collector, off while the server imported, is on in its workers


def _frozen() -> tuple[int, bool]:
    import gc

    return gc.get_freeze_count(), gc.isenabled()


PRELOAD_COLLECTIONS = """
import gc
import podium.engine.run  # the packages: what the server imports before the preload
runs = []
gc.callbacks.append(lambda phase, info: runs.append(info) if phase == "start" else None)
import podium.engine.run.pool_preload
print(len(runs), gc.isenabled(), gc.get_freeze_count() > 0)
"""


def test_the_fork_server_imports_with_the_collector_off() -> None:
    """The server's imports run no garbage collection (it walked every object they built, ~15 %
    of their CPU, and found nothing to free): their heap is then frozen, and the collector is on
    again for the workers the server forks."""
    from podium.engine.run.fits import SINGLE_THREADED_ENV
    from podium.engine.run.forkserver import NO_THREAD_ENV

    env = {**os.environ, **SINGLE_THREADED_ENV, **NO_THREAD_ENV}
    out = subprocess.run(
        [sys.executable, "-c", PRELOAD_COLLECTIONS],
        env=env, capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    assert out.stdout.split() == ["0", "True", "True"]


MAIN_WITHOUT_GUARD = """
import sys
print("main ran", flush=True)
from podium.engine import setup
from tests.engine.conftest import make_table
exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
print(len(exp.compare(models=["dt", "dummy"]).leaderboard["rows"]), flush=True)
"""


def test_a_script_without_a_main_guard_runs_once(tmp_path: Path) -> None:
    """Workers never re-import the caller's ``__main__`` (as a spawn would): a script
    without ``if __name__ == "__main__"`` runs its compare once."""
    script = tmp_path / "script.py"
    script.write_text(MAIN_WITHOUT_GUARD)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        check=True,
    ).stdout
    assert out.splitlines() == ["main ran", "2"]


HOLD_A_WARM_POOL = """
import time
from podium.engine import ProcessExecutor
ProcessExecutor(n_jobs=2).warm(timeout=600)
print("ready", flush=True)
time.sleep(600)
"""


def test_a_parent_killed_with_sigkill_leaves_no_server_or_worker(tmp_path: Path) -> None:
    """Before: the fork server waited for its workers to let go of its "alive" pipe, and the
    workers waited for the server to exit: both stayed after the parent's SIGKILL."""
    import signal
    import time

    import psutil

    script = tmp_path / "hold.py"
    script.write_text(HOLD_A_WARM_POOL)
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
    ) as parent:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        children = psutil.Process(parent.pid).children(recursive=True)
        assert len(children) >= 2
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 120

    def alive() -> list[int]:
        return [c.pid for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]

    while alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert alive() == []


@pytest.mark.usefixtures("no_pool")
def test_a_warm_up_under_way_does_not_hold_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    """``compare`` calls ``warm()`` before preparing its folds: with setup's warm-up still
    waiting for the fork server's imports, it returns at once (it joined that warm-up, so the
    folds were prepared only after the imports) and starts no second one."""
    import threading

    gate = threading.Event()
    calls: list[int] = []

    def slow_warm_up(self: ProcessExecutor) -> list[object]:
        calls.append(1)
        gate.wait(60)
        return []

    monkeypatch.setattr(ProcessExecutor, "_warm_up", slow_warm_up)
    monkeypatch.setattr(executors, "_WARM_WAIT_S", 1.0)
    try:
        executors.prestart()
        first = list(executors._starting)
        ProcessExecutor().warm()
        assert calls == [1]
        assert executors._starting == first
        assert first[0].is_alive()
    finally:
        gate.set()
        executors._wait_started()
