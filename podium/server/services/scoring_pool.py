"""A CSV batch's chunks scored on a shared thread pool: in order, a few ahead of the reader.

onnxruntime, Arrow's CSV writer and most of pandas' parser release the GIL, so scoring chunk
n+1 (and writing it) while chunk n is written, and while the check still reads and prepares
later chunks, uses the machine's cores for one request. The pool is shared by every request of
the process (their chunks queue behind each other), so concurrent batches do not multiply the
threads; at most :data:`AHEAD` results per batch wait in memory for the reader.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

THREADS = min(4, os.cpu_count() or 1)
AHEAD = THREADS + 1  # chunks in flight per batch: every thread busy, and one queued

T = TypeVar("T")
R = TypeVar("R")

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def pool() -> ThreadPoolExecutor:
    """The process's scoring pool (started on first use)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(THREADS, thread_name_prefix="podium-score")
        return _pool


class Ahead(Generic[T, R]):
    """``work(item)`` of each item, in the items' order, computed on the pool at most
    ``limit`` items ahead of the one the caller reads.

    Items come from :meth:`offer` (while a check reads them), then from the iterator given to
    :meth:`then`. An exception of ``work`` is raised where its result is read; one of the
    source iterator where the next item is pulled (by the reader). :meth:`close` drops what
    is not read yet.
    """

    def __init__(self, work: Callable[[T], R], limit: int | None = None) -> None:
        self.work = work
        self.limit = max(1, limit or AHEAD)
        self.waiting: deque[T] = deque()
        self.source: Iterator[T] | None = None
        self.pending: deque[Future[R]] = deque()

    def offer(self, item: T) -> None:
        """One more item (after those offered before); starts it if a slot is free."""
        self.waiting.append(item)
        self._fill()

    def then(self, source: Iterator[T]) -> Ahead[T, R]:
        """The items after the offered ones, pulled as slots free up."""
        self.source = source
        return self

    def _fill(self) -> None:
        while len(self.pending) < self.limit:
            if self.waiting:
                item = self.waiting.popleft()
            elif self.source is not None:
                try:
                    item = next(self.source)
                except StopIteration:
                    self.source = None
                    return
            else:
                return
            self.pending.append(pool().submit(self.work, item))

    def __iter__(self) -> Iterator[R]:
        return self

    def __next__(self) -> R:
        self._fill()
        if not self.pending:
            raise StopIteration
        future = self.pending.popleft()
        self._fill()  # the next one starts before this one is waited for
        return future.result()

    def close(self) -> None:
        """Drop the items not read yet (those running finish; their results are let go)."""
        for future in self.pending:
            future.cancel()
        self.pending.clear()
        self.waiting.clear()
        self.source = None
