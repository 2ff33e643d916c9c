"""``setup`` starts the default process pool without waiting for it, so the workers' imports
overlap setup and the caller's own code; ``compare`` then reuses that pool."""

from __future__ import annotations

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
    pool = executors._pools["loky"]
    return {p.pid for p in pool._processes.values()}


@pytest.mark.usefixtures("no_pool")
def test_setup_starts_the_pool_and_compare_reuses_it() -> None:
    assert "loky" not in executors._pools
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    pool = executors._pools.get("loky")
    assert pool is not None  # started by setup, before any fit
    started = _workers()
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
