"""Memory admission: fits whose own copies would together pass the budget do not run at once;
one over it alone still runs; every fit carries its model's estimate; scores do not change."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from podium.engine import ProcessExecutor, setup
from podium.engine.models import registry
from podium.engine.run import runner, scheduler
from podium.engine.run.fits import HOLDOUT, FitTask, FoldArrays
from tests.engine.conftest import make_table
from tests.engine.test_racing import _Cores

MB = 2**20


class _Two(_Cores):
    """Two slots on one machine, every wait ends the oldest fit; records the bytes in flight
    after each submit and how many fits started beside another."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[int] = []
        self.together = 0

    def submit(self, task: FitTask) -> int:
        self.together += bool(self.running)
        handle = super().submit(task)
        self.held.append(sum(t.memory for t in self.running.values()))
        return handle


def _tasks() -> list[FitTask]:
    copies = [FitTask("ridge", "binary", f, 0, 2, 2.0, memory=100 * MB) for f in range(3)]
    return copies + [FitTask("nb", "binary", f, 0, 2, 1.0, memory=10 * MB) for f in range(3)]


def _run(budget: float | None, one_machine: bool = True, own: int | None = None) -> _Two:
    ex = _Two()
    ex.shares_cores = one_machine
    ex.memory_bytes = own
    limits = scheduler.Limits(memory_bytes=budget)
    assert scheduler.run(ex, _tasks(), limits, scheduler.Hooks()) == "done"  # type: ignore[arg-type]
    return ex


def test_fits_that_would_pass_the_budget_do_not_run_together() -> None:
    free = _run(1e12)
    assert max(free.held) == 200 * MB  # without a budget two copying fits run at once
    held = _run(150 * MB)
    assert max(held.held) <= 150 * MB
    assert sorted(held.ran) == sorted(free.ran)  # every fit ran
    assert held.together > 0  # the small fits still run beside a copying one


def test_the_machines_budget_is_the_executors_setting() -> None:
    """A ProcessExecutor's ``memory_bytes`` (PODIUM_FIT_MEMORY_MIB, --fit-memory-mib) is the
    budget when the limits name none; without it, MEMORY_BYTES (320 MiB) admits both."""
    assert max(_run(None).held) == 200 * MB  # two 100 MiB fits fit in 320 MiB
    held = _run(None, own=150 * MB)
    assert max(held.held) <= 150 * MB
    assert held.together > 0
    assert max(_run(1e12, own=150 * MB).held) == 200 * MB  # the limits' own budget first
    assert ProcessExecutor(memory_bytes=150 * MB).memory_bytes == 150 * MB
    assert ProcessExecutor().memory_bytes is None
    with pytest.raises(ValueError, match="at least 1"):
        ProcessExecutor(memory_bytes=0)


def test_a_cluster_is_not_held_to_one_machines_budget() -> None:
    assert max(_run(150 * MB, one_machine=False).held) == 200 * MB


def test_a_fit_over_the_budget_runs_alone() -> None:
    ran_every_ridge_alone(_run(50 * MB))


def ran_every_ridge_alone(ex: _Two) -> None:
    """Every fit of :func:`_tasks` ran, each ridge fit (100 MiB) with nothing beside it."""
    assert sorted(ex.ran) == sorted((t.model_id, t.fold, 1) for t in _tasks())
    for (model_id, _, _), held in zip(ex.ran, ex.held, strict=True):
        if model_id == "ridge":
            assert held == 100 * MB  # nothing else in flight when it started


def test_small_folds_never_wait_under_the_default_budget() -> None:
    """No two fits on a 200,000-row table's folds (112,000 × 30 float64, the holdout fit's
    140,000) pass it; at 1,000,000 rows ridge and lda run alone."""
    x, whole = np.zeros((112_000, 30)), np.zeros((140_000, 30))
    data = {0: FoldArrays(x, np.zeros(len(x)), x[:10], np.zeros(10)),
            HOLDOUT: FoldArrays(whole, np.zeros(len(whole)), x[:10], np.zeros(10))}  # fmt: skip
    ids = [s.id for s in registry.models_for("binary")]
    tasks = [FitTask(m, "binary", f, 0, 2) for m in ids for f in (0, HOLDOUT)]
    sized = runner._with_memory(tasks, data)
    assert all(t.memory > 0 for t in sized if t.model_id != "dummy")
    top = sorted(t.memory for t in sized)[-2:]
    assert sum(top) <= scheduler.MEMORY_BYTES
    big = np.zeros((1, 30))
    for model_id in ("ridge", "lda"):
        alone = registry.fit_bytes(model_id, 560_000 * big.nbytes)
        assert alone > scheduler.MEMORY_BYTES


def test_every_fit_carries_its_models_estimate() -> None:
    x = np.zeros((1000, 4))
    data = {0: FoldArrays(x, np.zeros(1000), x[:10], np.zeros(10))}
    full, low = runner._with_memory(
        [FitTask("ridge", "binary", 0, 0, 2), FitTask("ridge", "binary", 0, 0, 2, rows=250)], data
    )
    assert full.memory == registry.fit_bytes("ridge", x.nbytes)
    # a fit on fewer rows copies its subsample first, then fits on it
    assert low.memory == registry.fit_bytes("ridge", x.nbytes // 4) + x.nbytes // 4


def _board(res: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "TT (Sec)"} for r in res.leaderboard["rows"]]


@pytest.mark.parametrize("race", [True, False])
def test_fits_run_alone_give_the_same_leaderboard(
    executor: ProcessExecutor, monkeypatch: pytest.MonkeyPatch, race: bool
) -> None:
    models = ["lr", "ridge", "lda", "dt", "nb", "dummy"]
    exp = setup(make_table("binary", n=200), "y", folds=3, seed=0)
    free = exp.compare(models=models, executor=executor, race=race)
    monkeypatch.setattr(scheduler, "MEMORY_BYTES", 1)  # every fit alone
    alone = exp.compare(models=models, executor=executor, race=race)
    assert _board(alone) == _board(free)
    assert set(alone.predictions) == set(free.predictions)
    for model_id, pred in free.predictions.items():
        np.testing.assert_array_equal(alone.predictions[model_id].oof.pred, pred.oof.pred)
        if pred.oof.scores is not None:
            np.testing.assert_array_equal(alone.predictions[model_id].oof.scores, pred.oof.scores)
