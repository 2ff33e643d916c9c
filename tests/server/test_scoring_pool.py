"""The scoring pool's ordered look-ahead: results in the items' order however the threads
finish, never more than its limit in flight, errors where their item is read."""

from __future__ import annotations

import threading
import time

import pytest

from podium.server.services.scoring_pool import Ahead


def test_results_come_in_order_with_at_most_limit_in_flight() -> None:
    lock, running, peak = threading.Lock(), [0], [0]

    def work(i: int) -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.02 if i % 3 == 0 else 0.001)  # every third item finishes last
        with lock:
            running[0] -= 1
        return i * i

    scored = Ahead(work, limit=2)
    for i in range(3):  # offered while a check would still read, then the rest from a source
        scored.offer(i)
    assert list(scored.then(iter(range(3, 20)))) == [i * i for i in range(20)]
    assert peak[0] <= 2


def test_an_error_is_raised_where_its_item_is_read_and_close_drops_the_rest() -> None:
    def work(i: int) -> int:
        if i == 2:
            raise ValueError("bad item 2")
        return i

    scored = Ahead(work, limit=3).then(iter(range(10)))
    assert [next(scored), next(scored)] == [0, 1]
    with pytest.raises(ValueError, match="bad item 2"):
        next(scored)
    scored.close()
    assert list(scored) == []
