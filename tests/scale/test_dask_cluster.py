"""A run whose fits execute on a real Dask LocalCluster scores exactly as on the process pool,
and a worker using it stops at once when asked, idle or mid-run.

The cluster (a scheduler and two worker processes on loopback) is started here; a separate
``podium worker`` process reaches it through ``PODIUM_DASK_SCHEDULER``, as a worker on another
machine would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from podium.worker.runs import SHUTDOWN
from tests.scale.conftest import Procs, run_events, serving_workers, until, wait_terminal
from tests.server.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.dask,
    pytest.mark.xdist_group("scale"),
    pytest.mark.slow,
    pytest.mark.timeout(900),  # processes on a shared 2-core machine
]
PLAN = {"plan": "compare", "plan_params": {"models": ["dt", "nb", "lr"]}}


@pytest.fixture
def cluster() -> Iterator[Any]:
    """A LocalCluster: scheduler in this process, two single-threaded worker processes."""
    distributed = pytest.importorskip("distributed", reason="needs podium[dask]")
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=":0",  # any free port: never collide with another cluster on 8787
    ) as local:
        yield local


def _scores(run: dict[str, Any]) -> dict[str, dict[str, Any]]:
    board = run["leaderboard"]
    metrics = [c for c in board["columns"] if c not in ("Model", "TT (Sec)")]
    return {row["model_id"]: {m: row.get(m) for m in metrics} for row in board["rows"]}


def _execute(world: World, procs: Procs, exp: str, runs: int, **env: str) -> list[dict[str, Any]]:
    """Queue ``runs`` runs, let one worker process (with ``env``) execute them, then stop it."""
    ids = [str(world.run(exp, **PLAN)["id"]) for _ in range(runs)]
    proc = procs.worker(world.settings, **env)
    done = wait_terminal(world, ids, procs)
    procs.terminate(proc)
    for run in done.values():
        assert run["status"] == "succeeded", f"{run['error']}\n{procs.logs()}"
    return [done[run_id] for run_id in ids]


def test_fits_on_a_local_cluster_score_like_the_process_pool(
    world: World, procs: Procs, cluster: Any
) -> None:
    exp = world.experiment(world.project(), setup_params={"folds": 2})
    # two runs: the worker's cached executor must serve a second run after the first closed it
    on_dask = _execute(world, procs, exp, 2, PODIUM_DASK_SCHEDULER=cluster.scheduler_address)
    assert "podium" in cluster.scheduler.task_prefixes, "no fit reached the cluster"
    (on_pool,) = _execute(world, procs, exp, 1)
    assert set(_scores(on_pool)) == {"dt", "nb", "lr"}
    for run in on_dask:
        assert _scores(run) == _scores(on_pool)
        assert _order(run) == _order(on_pool)


def _order(run: dict[str, Any]) -> list[str]:
    return [row["model_id"] for row in run["leaderboard"]["rows"]]


def test_a_worker_on_dask_stops_when_asked_idle_and_mid_run(
    world: World, procs: Procs, cluster: Any
) -> None:
    on_dask = {"PODIUM_DASK_SCHEDULER": cluster.scheduler_address}
    idle = procs.worker(world.settings, **on_dask)
    until(lambda: serving_workers(world) == 1, "worker serving", procs)
    procs.terminate(idle)

    exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
    models = ["rf", "et", "hgb", "ada", "lr", "knn", "dt", "nb"]
    run_id = str(world.run(exp, plan="compare", plan_params={"models": models})["id"])
    busy = procs.worker(world.settings, **on_dask)
    until(lambda: _started(world, run_id), "a fit submitted", procs)
    procs.terminate(busy)
    done = wait_terminal(world, [run_id], procs)[run_id]
    assert done["status"] == "failed", procs.logs()
    assert done["error"] == SHUTDOWN
    assert serving_workers(world) == 0


def _started(world: World, run_id: str) -> bool:
    return any(e["kind"] == "model.started" for e in run_events(world, run_id))
