"""Drive fits whose list is not known in advance (trials, races) over an executor.

The compare scheduler (:mod:`podium.engine.run.scheduler`) runs a fixed list of fits. A search
decides its next fit from the results so far: a :class:`Source` hands out the next fit when a
slot frees up and hears every result; :func:`drive` keeps every slot busy, polls the stop
signal and the deadline, and kills the fits in flight when either fires.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

from podium.engine.errors import DataError, Failed, Interrupted
from podium.engine.events import ShouldStop
from podium.engine.run import scheduler
from podium.engine.run.executors import Executor, ProcessExecutor
from podium.engine.run.fits import FitResult, FitTask

if TYPE_CHECKING:
    from podium.engine.search.board import Board

POLL_S = 0.1  # should_stop and the deadline are checked at least this often


class Source(Protocol):
    """Where a search's fits come from."""

    def next_task(self) -> FitTask | None:
        """The next fit to run now, or None when nothing can start before a result comes."""

    def on_result(self, task: FitTask, result: FitResult) -> None:
        """A fit ended (scored or failed)."""


@contextmanager
def opened(board: Board, executor: Executor | None, include_holdout: bool) -> Iterator[Executor]:
    """An executor holding the experiment's fold arrays (and the holdout split when asked);
    ``board.truth`` receives each fold's validation target (what predictions are assembled
    with).

    An error that is neither the user's input (:class:`DataError`) nor a stop (a refused event
    write, a lost cluster) ends the search as :class:`Failed` carrying the predictions of the
    models that had scored folds, as a cancel keeps them; its leaderboard is left empty, so the
    last one shown stands.
    """
    ex: Executor = executor or ProcessExecutor()
    ex.warm()
    data = board.exp.fold_data(include_holdout=include_holdout)
    board.truth.update({fold: arrays.y_valid for fold, arrays in data.items()})
    board.x_train.update({f: (int(a.X_train.nbytes), len(a.X_train)) for f, a in data.items()})
    ex.open(data)
    try:
        yield ex
    except (DataError, Interrupted):
        raise
    except Exception as exc:
        kept = board.predictions(list(board.outcomes))
        why = f"{type(exc).__name__}: {exc}"
        raise Failed(f"search failed ({why}): {len(kept)} model(s) kept", predictions=kept) from exc
    finally:
        ex.close()


def drive(
    executor: Executor,
    source: Source,
    should_stop: ShouldStop | None = None,
    deadline: float | None = None,
) -> str:
    """Run the source's fits until it has none left, the stop signal or the deadline.

    Memory admission as compare's scheduler (:func:`scheduler.memory_budget`, the same
    budget): on one machine (``executor.shares_cores``) a fit whose ``memory`` would take the
    fits in flight past the budget is held — offered again first, nothing else starts before
    it — and runs alone once they have ended (one over the budget on its own too). A cluster's
    fits are not held.

    Returns
    -------
    str
        ``"done"``, ``"cancelled"`` or ``"budget"`` (``deadline``, a ``time.monotonic()``
        value, passed); fits in flight are killed in the last two cases.
    """
    inflight: dict[object, FitTask] = {}
    budget = scheduler.memory_budget(executor)
    held: FitTask | None = None  # taken from the source, waiting for memory
    try:
        while True:
            if should_stop is not None and should_stop():
                _kill(executor, inflight)
                return "cancelled"
            if deadline is not None and time.monotonic() >= deadline:
                _kill(executor, inflight)
                return "budget"
            while len(inflight) < executor.slots:
                task = held or source.next_task()
                if task is None:
                    break
                if inflight and executor.shares_cores and _over(inflight, task, budget):
                    held = task
                    break
                held = None
                inflight[executor.submit(task)] = task
            if not inflight:
                return "done"
            for handle in executor.wait(list(inflight), timeout=POLL_S):
                task = inflight.pop(handle)
                source.on_result(task, executor.result(handle, task))
    except BaseException:
        _kill(executor, inflight)
        raise


def _over(inflight: dict[object, FitTask], task: FitTask, budget: float) -> bool:
    """``task`` beside the fits in flight would pass the memory budget."""
    return sum(t.memory for t in inflight.values()) + task.memory > budget


def _kill(executor: Executor, inflight: dict[object, FitTask]) -> None:
    if inflight:
        executor.kill()
    inflight.clear()
