"""Three ``podium worker`` processes drain twelve queued runs from PostgreSQL, each run once."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.scale.conftest import Procs, run_events, serving_workers, until, wait_terminal
from tests.server.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("scale"),
    pytest.mark.slow,
    pytest.mark.timeout(900),  # processes on a shared 2-core machine
]
QUEUED = 12
WORKERS = 3


def test_three_workers_drain_twelve_runs_each_exactly_once(world: World, procs: Procs) -> None:
    for _ in range(WORKERS):
        procs.worker(world.settings)
    # queue once all are serving: one worker starting seconds before the others (a loaded
    # machine) could otherwise drain the queue alone
    until(lambda: serving_workers(world) == WORKERS, "three workers serving", procs)
    exp = world.experiment(world.project(), setup_params={"folds": 2})
    ids = [str(world.run(exp, plan="create", model_id="dt")["id"]) for _ in range(QUEUED)]
    runs = wait_terminal(world, ids, procs)
    assert {run_id: run["status"] for run_id, run in runs.items()} == dict.fromkeys(
        ids, "succeeded"
    ), procs.logs()
    takers: Counter[str] = Counter()
    for run_id in ids:
        kinds = Counter(e["kind"] for e in run_events(world, run_id))
        assert kinds["run.started"] == 1, f"run {run_id} started {kinds['run.started']} times"
        assert kinds["run.closed"] == 1
        assert kinds["create.finished"] == 1
        started = next(e for e in run_events(world, run_id) if e["kind"] == "run.started")
        takers[started["payload"]["worker_id"]] += 1
    assert sum(takers.values()) == QUEUED
    assert len(takers) >= 2, f"one worker took every run: {takers}"
    assert len(takers) <= WORKERS
