"""Podium's ``setup(...).compare(...)`` on one CSV, run in Podium's environment.

Usage: ``python -m bench.runners.podium_compare '<json spec>'`` (keys as in pycaret_compare.py,
plus optional ``executor``: ``"process"`` or ``"dask"``, ``dask_workers``, ``repeats``,
``race``: false runs every fold, and ``fit_memory_mb``: the scheduler's memory admission budget,
``scheduler.MEMORY_BYTES``, in MiB — to try a large table's budget on a smaller one).

The same setup + compare runs ``repeats`` times (default 1) in this one process: the first is
*cold* (the process pool starts and its workers import scikit-learn and the model modules inside
the measured wall), the next ones are *warm* (the pool is already running — what a long-lived
``podium worker`` does in production). Prints one JSON line: the cold run's measures at the top
level (wall times, best model and score, Σ ``model.fitted`` durations, fits, first row, CPU
seconds of this process and of the fork server, leaderboard) and each later run's measures
under ``warm`` (a list, leaderboards left out).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _sort_id(describe: Any, task: str, wanted: str | None) -> str | None:
    """The engine's metric id for the display name ``wanted`` (or ``wanted`` itself); None:
    the engine's default."""
    if wanted is None:
        return None
    for metric in describe.metrics(task):
        if wanted in (metric.get("id"), metric.get("name")):
            return str(metric["id"])
    return wanted


def _executor(spec: dict[str, Any]) -> tuple[Any, Any, float]:
    """(executor, cluster-or-None, start-up seconds) for ``spec['executor']``."""
    if spec.get("executor", "process") != "dask":
        return None, None, 0.0
    from distributed import Client, LocalCluster

    from podium.engine import DaskExecutor

    start = time.perf_counter()
    workers = int(spec.get("dask_workers", 2))
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
    client = Client(cluster)
    return DaskExecutor(client), (client, cluster), time.perf_counter() - start


def _server_cpu_s() -> float | None:
    """CPU seconds the pool's fork server has used (its imports: it runs no fit); None
    without one (Linux's /proc only)."""
    from podium.engine.run import forkserver

    pid = forkserver.server_pid()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _holdout_counter() -> tuple[Any, list[int]]:
    """A process executor (the default one's pool) that also adds up the holdout fits'
    fit+score milliseconds: they emit no ``model.fitted`` event, so Σ fit+score leaves them
    out (one per model, ``folds / (folds - 1)`` of a fold's cost)."""
    from podium.engine import ProcessExecutor
    from podium.engine.run.fits import HOLDOUT

    holdout_ms: list[int] = []

    class Counting(ProcessExecutor):
        def result(self, handle: Any, task: Any) -> Any:
            res = super().result(handle, task)
            if task.fold == HOLDOUT and res.error is None:
                holdout_ms.append(int(res.duration_ms))
            return res

    return Counting(), holdout_ms


def measure(spec: dict[str, Any], df: Any, executor: Any) -> dict[str, Any]:
    """One setup + compare, timed from just before ``setup``; CPU seconds of this process and
    of the fork server over the same span (the cold start's own costs, which load inflates
    less than wall time)."""
    from podium.engine import describe, setup

    fitted: list[int] = []
    first_row: list[float] = []
    left_out: list[str] = []
    server0 = _server_cpu_s() or 0.0
    cpu1 = time.process_time()
    t1 = time.perf_counter()

    def on_event(event: Any) -> None:
        if event.kind == "model.fitted" and event.duration_ms is not None:
            fitted.append(int(event.duration_ms))
        elif event.kind == "leaderboard.updated" and not first_row:
            first_row.append(time.perf_counter() - t1)
        elif event.kind == "warning" and event.payload.get("models"):
            left_out.extend(event.payload["models"])

    holdout_ms: list[int] = []
    if executor is None:
        executor, holdout_ms = _holdout_counter()
    folds = {} if spec.get("folds") is None else {"folds": spec["folds"]}  # None: the default
    exp = setup(df, spec["target"], train_size=spec["train_size"], seed=spec["seed"], **folds)
    t2 = time.perf_counter()
    res = exp.compare(
        models=spec["models"],
        sort=_sort_id(describe, exp.task, spec["sort"]),
        on_event=on_event,
        executor=executor,
        race=spec.get("race", True),
    )
    t3 = time.perf_counter()
    cpu3 = time.process_time()
    server3 = _server_cpu_s()
    rows = res.leaderboard["rows"]
    best = rows[0] if rows else {}
    return {
        "setup_s": t2 - t1,
        "compare_s": t3 - t2,
        "wall_s": t3 - t1,
        "first_row_s": first_row[0] if first_row else None,
        "task": exp.task,
        "best_model": res.best[0] if res.best else None,
        "best_score": best.get(res.sort),
        "sort": res.sort,
        "models_ran": len(rows),
        "partial": [r["model_id"] for r in rows if r.get("partial")],
        "left_out": left_out,
        "timed_out": [r["model_id"] for r in rows if "time limit" in str(r.get("Error") or "")],
        "parent_cpu_s": cpu3 - cpu1,
        "server_cpu_s": None if server3 is None else server3 - server0,
        "fit_sum_s": sum(fitted) / 1000.0,
        "holdout_fit_sum_s": sum(holdout_ms) / 1000.0,
        "fits": len(fitted),
        "leaderboard": rows,
    }


def main() -> None:
    spec = json.loads(sys.argv[1])
    t0 = time.perf_counter()
    import pandas as pd

    import podium.engine  # noqa: F401

    t_import = time.perf_counter() - t0
    if spec.get("fit_memory_mb") is not None:
        from podium.engine.run import scheduler

        scheduler.MEMORY_BYTES = int(float(spec["fit_memory_mb"]) * 2**20)
    executor, cluster, startup = _executor(spec)
    df = pd.read_csv(spec["data"])
    cold = measure(spec, df, executor)
    warm = []
    for _ in range(max(0, int(spec.get("repeats", 1)) - 1)):
        run = measure(spec, df, executor)
        run.pop("leaderboard")
        warm.append(run)
    if cluster is not None:
        cluster[0].close()
        cluster[1].close()
    out = {"import_s": t_import, "executor_startup_s": startup, **cold, "warm": warm}
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
