"""One BLAS/OpenMP thread per fit, whatever runs it: a process-pool worker (started with one
thread, told so by its initializer) or this process (a limit held while a fit runs)."""

from __future__ import annotations

import os
from contextlib import nullcontext

from threadpoolctl import threadpool_info

from podium.engine import ProcessExecutor
from podium.engine.run.fits import single_threaded


def _threads() -> int:
    """The most threads any loaded BLAS/OpenMP library of this process would use."""
    return max((lib["num_threads"] for lib in threadpool_info()), default=1)


def _threads_in_a_fit() -> tuple[int, int, bool, int]:
    """Run in a pool worker: threads at rest and during a fit's context, whether that context
    needs no limiter (the worker started single-threaded), and the worker's pid."""
    at_rest = _threads()
    with single_threaded():
        during = _threads()
    return at_rest, during, isinstance(single_threaded(), nullcontext), os.getpid()


def test_pool_workers_run_fits_on_one_thread() -> None:
    executor = ProcessExecutor(n_jobs=2)
    executor.warm(timeout=120)
    pool = executor._pool()
    answers = [pool.submit(_threads_in_a_fit).result(timeout=120) for _ in range(4)]
    assert {(rest, during, free) for rest, during, free, _pid in answers} == {(1, 1, True)}
    assert os.getpid() not in {pid for *_facts, pid in answers}


def test_fits_in_this_process_hold_one_thread_and_give_it_back() -> None:
    import numpy  # noqa: F401 - loads the BLAS whose threads are limited

    before = _threads()
    assert not isinstance(single_threaded(), nullcontext)  # this process started unlimited
    with single_threaded():
        assert _threads() == 1
        with single_threaded():  # a second fit at once (Dask threads): still one
            assert _threads() == 1
        assert _threads() == 1  # the first fit still runs
    assert _threads() == before
