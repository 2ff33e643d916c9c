"""The worker threads of predict calls: one shared queue, apart from anyio's pool.

A JSON predict call does its database read and scoring off the event loop, in one hop to a
thread. anyio's ``to_thread.run_sync`` gives each hop an idle thread of its own and wakes it
through that thread's ``queue.Queue`` (a Python ``Condition``): one sleeping thread woken per
call, with the GIL held by the loop while the kernel switches (a quarter of the GIL's time of
an API process under 20 clients, bench/RESULTS.md). Here the calls share one C ``SimpleQueue``
(``ThreadPoolExecutor``): a thread that finishes a call takes the next one without sleeping,
so under load most hops wake nobody; and a flood of predict calls never takes the threads
that every other route's sync work borrows from anyio's pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
THREADS = 8  # scoring holds the GIL; PostgreSQL round trips want a few calls in flight


class CallThreads:
    """A small pool of threads for predict calls' blocking work (database, scoring)."""

    def __init__(self, size: int = THREADS) -> None:
        self._pool = ThreadPoolExecutor(size, thread_name_prefix="podium-predict")

    async def run(self, fn: Callable[..., T], *args: object) -> T:
        """``fn(*args)`` on one of the threads, its result or exception here.

        As with anyio's ``run_sync``, a caller cancelled meanwhile waits for the call to
        finish and gets its result; the cancellation is delivered at its next ``await``.
        """
        future = asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
        cancelled = False
        try:
            while True:
                try:
                    return await asyncio.shield(future)
                except asyncio.CancelledError:
                    if future.cancelled():
                        raise
                    cancelled = True
        finally:
            if cancelled:
                task = asyncio.current_task()
                if task is not None:
                    task.cancel()

    def close(self) -> None:
        """Let the calls in flight finish, then stop the threads."""
        self._pool.shutdown(wait=True)
