"""Memory admission in the searches (tune, ensemble, blend, stack, auto): ``drive`` holds a
fit whose memory would take the fits in flight past the machine's budget, as compare's
scheduler does; every search fit carries its recipe's estimate; scores do not change."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from podium.engine import ProcessExecutor, setup
from podium.engine.models import recipes, registry
from podium.engine.run import scheduler
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask
from podium.engine.search.loop import drive
from tests.engine.conftest import make_table
from tests.engine.test_fit_memory import MB, _tasks, _Two, ran_every_ridge_alone


class _List:
    """A source handing out a fixed list of fits, one at a time."""

    def __init__(self, tasks: list[FitTask]) -> None:
        self.tasks, self.offered, self.heard = list(tasks), 0, 0

    def next_task(self) -> FitTask | None:
        if not self.tasks:
            return None
        self.offered += 1
        return self.tasks.pop(0)

    def on_result(self, task: FitTask, result: FitResult) -> None:
        self.heard += 1


def _drive(own: int | None, one_machine: bool = True) -> _Two:
    ex = _Two()
    ex.shares_cores, ex.memory_bytes = one_machine, own
    source = _List(_tasks())
    assert drive(ex, source) == "done"  # type: ignore[arg-type]
    assert source.offered == source.heard == len(_tasks())  # a held fit is offered once
    return ex


def test_drive_never_holds_more_than_the_budget_in_flight() -> None:
    assert max(_drive(10**12).held) == 200 * MB  # no budget to speak of: two copying fits
    held = _drive(150 * MB)
    assert max(held.held) <= 150 * MB
    assert sorted(held.ran) == sorted(_drive(10**12).ran)  # every fit ran
    assert held.together > 0  # small fits still run beside a copying one


def test_drive_uses_the_schedulers_default_budget() -> None:
    """No budget of the executor's own: scheduler.MEMORY_BYTES (320 MiB) admits both."""
    assert max(_drive(None).held) == 200 * MB
    assert scheduler.memory_budget(_Two()) == scheduler.MEMORY_BYTES  # type: ignore[arg-type]


def test_drive_does_not_hold_a_cluster() -> None:
    assert max(_drive(150 * MB, one_machine=False).held) == 200 * MB


def test_drive_runs_a_fit_over_the_budget_alone() -> None:
    ran_every_ridge_alone(_drive(50 * MB))


def test_a_recipes_copies() -> None:
    """A plain model: the registry's; a composite: its largest member's (members fit one
    after another in one process), one more for bagging's drawn sample and a stack's inner
    cross-validation part."""
    ridge, nb = recipes.plain("binary", "ridge"), recipes.plain("binary", "nb")
    assert recipes.fit_copies(ridge) == registry.FIT_COPIES["ridge"]
    assert recipes.fit_copies(recipes.plain("binary", "knn")) == registry.DEFAULT_FIT_COPIES
    blend: Any = {"id": "b", "name": "b", "kind": "blend", "members": [ridge, nb]}
    assert recipes.fit_copies(blend) == 3.0
    assert recipes.fit_copies({**blend, "kind": "boosting", "members": [nb]}) == 1.0
    assert recipes.fit_copies({**blend, "kind": "bagging", "members": [ridge]}) == 4.0
    stack = {**blend, "kind": "stack", "members": [nb, blend], "meta": nb}
    assert recipes.fit_copies(stack) == 4.0


class _Seen(ProcessExecutor):
    """The process pool, keeping every fit it was given and the most it had in flight."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(n_jobs=2, **kw)
        self.seen: list[FitTask] = []
        self.now = self.most = 0

    def submit(self, task: FitTask) -> Any:
        self.seen.append(task)
        self.now += 1
        self.most = max(self.most, self.now)
        return super().submit(task)

    def result(self, handle: Any, task: FitTask) -> Any:
        self.now -= 1
        return super().result(handle, task)


@pytest.fixture(scope="module")
def exp():  # type: ignore[no-untyped-def]
    return setup(make_table("binary", n=120), "y", folds=3, seed=0)


def _sized(exp: Any, ex: _Seen) -> None:
    data = exp.fold_data(include_holdout=True)
    assert ex.seen
    for task in ex.seen:
        assert task.recipe is not None
        x = data[task.fold].X_train
        assert task.memory == int(recipes.fit_copies(task.recipe) * x.nbytes), task.key
        assert task.memory > 0
    assert any(t.fold == HOLDOUT for t in ex.seen)  # the training part: a larger X
    assert data[HOLDOUT].X_train.nbytes > data[0].X_train.nbytes


def test_every_search_fit_carries_its_memory(exp: Any) -> None:
    tuned = _Seen()
    exp.tune("ridge", n_trials=2, executor=tuned)
    _sized(exp, tuned)
    stacked = _Seen()
    exp.stack(["ridge", "nb"], executor=stacked)
    _sized(exp, stacked)
    assert {t.model_id for t in stacked.seen} >= {"ridge", "nb"}


def test_every_auto_fit_carries_its_memory() -> None:
    e = setup(make_table("regression", n=80), "y", folds=3, seed=0)
    ex = _Seen()
    e.auto(budget_s=8, executor=ex)
    data = e.fold_data(include_holdout=True)
    for task in ex.seen:
        assert task.recipe is not None
        copies = recipes.fit_copies(task.recipe)
        assert task.memory == int(copies * data[task.fold].X_train.nbytes), task.key
        assert task.memory > 0 or copies == 0


def _rows(res: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "TT (Sec)"} for r in res.leaderboard["rows"]]


def test_fits_run_alone_give_the_same_search_results(exp: Any) -> None:
    """A 1-byte budget runs every fit of tune and stack alone: the same trials, rows and
    out-of-fold predictions as two at once. Two trials beside the model as given: TPE's
    seeded random start and no pruning yet (it waits for three complete trials), so which fits
    run together cannot change which parameters are tried."""
    runs, most = {}, {}
    for budget in (None, 1):
        ex = _Seen(memory_bytes=budget)
        tune = exp.tune("dt", n_trials=2, executor=ex)
        stack = exp.stack(["lr", "dt"], executor=ex)
        runs[budget], most[budget] = (tune, stack), ex.most
    assert most == {None: 2, 1: 1}  # two at once by default; every fit alone at 1 byte
    for free, alone in zip(runs[None], runs[1], strict=True):
        assert _rows(alone) == _rows(free)
        trials = [sorted((t.to_dict() for t in r.trials), key=str) for r in (alone, free)]
        assert trials[0] == trials[1]
        assert set(alone.predictions) == set(free.predictions)
        for model_id, pred in free.predictions.items():
            np.testing.assert_array_equal(alone.predictions[model_id].oof.pred, pred.oof.pred)
