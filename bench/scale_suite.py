"""Suite ``scale``: queue throughput by worker count, and the Dask executor's overhead.

A. Twelve iris compares are queued on a ``podium serve`` with ``PODIUM_EMBEDDED_WORKERS=0``
   (PostgreSQL when one is reachable, in a fresh database per worker count; the SQLite file
   otherwise), then 1, 2 or 3 ``podium worker`` processes drain the queue. Time = first worker
   start → last run terminal; each run must show exactly one ``run.started``.
B. One compare run by the engine over its process pool and over a ``distributed.LocalCluster``
   (2 worker processes × 1 thread, on the same cores); ratio of the compare wall times, cluster
   start-up excluded (printed apart), and whether the leaderboards' scores agree.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

from bench import datasets
from bench.common import Unavailable, table, tail
from bench.engine_suite import check_engine, run_podium, spec_for
from bench.serverkit import PODIUM_CLI, Server, check_server

TARGET_DASK_RATIO = 1.15
QUEUE = 12
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, connect_timeout=2):
            return True
    except Exception:
        return False


@contextlib.contextmanager
def fresh_database(label: str) -> Iterator[dict[str, str]]:
    """Env for a fresh PostgreSQL database (migrated), or ``{}`` for the SQLite default."""
    if not _postgres_reachable():
        yield {}
        return
    import psycopg

    name = f"podium_bench_{label}_{os.getpid()}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {"PODIUM_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"}
    try:
        done = subprocess.run(
            [str(PODIUM_CLI), "db", "upgrade"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise Unavailable(f"podium db upgrade failed:\n{tail(done.stderr or done.stdout)}")
        yield env
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drain(workers: int, models: list[str] | None) -> dict[str, Any]:
    """Queue ``QUEUE`` runs, start ``workers`` workers, time until all are terminal."""
    with fresh_database(f"w{workers}") as env, Server(embedded_workers=0, env=env) as server:
        api = server.api
        exp = api.experiment("scale", "multiclass", "target", sklearn_dataset="iris")
        params = {"models": models} if models else {}
        ids = [api.submit(exp, "compare", plan_params=params)["id"] for _ in range(QUEUE)]
        t0 = time.monotonic()
        for _ in range(workers):
            server.start_worker()
        pending = set(ids)
        statuses: dict[str, str] = {}
        while pending and time.monotonic() - t0 < 1800:
            for run in api.call("GET", f"/experiments/{exp}/runs")["data"]:
                if run["id"] in pending and run["status"] in {"succeeded", "failed", "cancelled"}:
                    pending.discard(run["id"])
                    statuses[run["id"]] = run["status"]
            time.sleep(0.2)
        wall = time.monotonic() - t0
        starts = []
        for run_id in ids:
            events = api.call("GET", f"/runs/{run_id}/events", params={"limit": 1000})["data"]
            starts.append(sum(1 for e in events if e["kind"] == "run.started"))
    return {
        "workers": workers,
        "database": "postgresql" if env else "sqlite",
        "wall_s": wall,
        "succeeded": sum(1 for s in statuses.values() if s == "succeeded"),
        "unfinished": len(pending),
        "executed_twice": sum(1 for n in starts if n > 1),
        "runs_per_min": 60 * QUEUE / wall,
    }


def dask_overhead(name: str) -> dict[str, Any]:
    """Process pool vs LocalCluster on one dataset (same spec, same seed)."""
    ds = datasets.load(name)
    out: dict[str, Any] = {"dataset": name}
    for executor in ("process", "dask"):
        spec = {**spec_for(ds, None, 5), "executor": executor, "dask_workers": 2}
        m = run_podium(spec)
        if m.returncode != 0 or not m.result:
            raise Unavailable(f"{executor} compare failed:\n{tail(m.stderr, 12)}")
        out[executor] = {k: v for k, v in m.result.items() if k != "leaderboard"}
        out[f"{executor}_scores"] = {
            r.get("model_id"): r.get(ds.sort) for r in m.result["leaderboard"]
        }
    out["ratio"] = out["dask"]["compare_s"] / out["process"]["compare_s"]
    out["same_scores"] = out["process_scores"] == out["dask_scores"]
    return out


def run(
    worker_counts: tuple[int, ...] = (1, 2, 3),
    models: list[str] | None = None,
    dask_dataset: str = "mixed",
) -> dict[str, Any]:
    """Run both parts; print the tables; return the measurements."""
    result: dict[str, Any] = {"queue": [], "dask": None}
    try:
        check_server()
        result["queue"] = [drain(n, models) for n in worker_counts]
        print(_queue_report(result["queue"]))
    except Unavailable as exc:
        print(f"  queue part skipped: {exc}")
    check_engine()
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise Unavailable("dask[distributed] is not installed (uv sync --extra dask)") from exc
    result["dask"] = dask_overhead(dask_dataset)
    print(_dask_report(result["dask"]))
    return result


def _queue_report(rows: list[dict[str, Any]]) -> str:
    base = rows[0]["wall_s"] if rows else 1.0
    body = [
        [r["workers"], r["database"], r["wall_s"], r["runs_per_min"], base / r["wall_s"],
         f"{r['succeeded']}/{QUEUE}", r["executed_twice"]]
        for r in rows
    ]  # fmt: skip
    headers = ["workers", "db", "drain s", "runs/min", "speed-up", "succeeded", "run twice"]
    return table(headers, body) + f"\n{QUEUE} queued iris compares; time from first worker start."


def _dask_report(d: dict[str, Any]) -> str:
    p, k = d["process"], d["dask"]
    body = [
        ["process pool (loky)", p["compare_s"], p["executor_startup_s"], p["best_model"],
         p["best_score"]],
        ["Dask LocalCluster 2×1", k["compare_s"], k["executor_startup_s"], k["best_model"],
         k["best_score"]],
    ]  # fmt: skip
    verdict = (
        f"\nDask ÷ process compare wall = {d['ratio']:.2f} (target ≤ {TARGET_DASK_RATIO}); "
        f"identical per-model scores: {d['same_scores']}; dataset {d['dataset']}. The process "
        "pool starts inside compare (its start-up is in the wall); the cluster's is excluded."
    )
    if not d["same_scores"]:
        diff = {
            m: (d["process_scores"].get(m), d["dask_scores"].get(m))
            for m in d["process_scores"]
            if d["process_scores"].get(m) != d["dask_scores"].get(m)
        }
        verdict += f"\nDiffering: {json.dumps(diff)}"
    return table(["executor", "compare s", "start-up s", "best", "score"], body) + verdict
