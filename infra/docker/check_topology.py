"""Prove compose.yaml's topology without Docker: the same services, as processes on loopback.

postgres (the machine's, a fresh database) → ``podium db upgrade`` (the migrate service) →
``podium serve`` with ``PODIUM_EMBEDDED_WORKERS=0`` → 2 × ``podium worker`` with
``PODIUM_DASK_SCHEDULER`` → ``dask scheduler`` + 2 × ``dask worker --nthreads 1`` → nginx with
nginx.ui.conf. Then, through nginx: 4 iris compares, one followed live over the WebSocket; every
run must succeed exactly once, and the Dask scheduler must have run the fits. Usage::

    .venv/bin/python infra/docker/check_topology.py
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from check_nginx import NGINX_MAIN, check, site_conf  # noqa: E402

from bench.common import PODIUM_PYTHON, free_port, tail  # noqa: E402
from bench.scale_suite import fresh_database  # noqa: E402
from bench.serverkit import EventRecorder, Server  # noqa: E402

DASK = PODIUM_PYTHON.parent / "dask"


@contextlib.contextmanager
def dask_cluster(tmp: Path, workers: int = 2) -> Iterator[str]:
    """``dask scheduler`` + ``workers`` × ``dask worker`` (1 process, 1 thread each)."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = (tmp / "dask.log").open("wb")
    procs = [
        subprocess.Popen(
            [
                str(DASK),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                f"127.0.0.1:{free_port()}",
            ],
            stdout=log,
            stderr=log,
        )
    ]
    time.sleep(2)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    for _ in range(workers):
        cmd = [str(DASK), "worker", address, "--nworkers", "1", "--nthreads", "1"]
        procs.append(subprocess.Popen(cmd, stdout=log, stderr=log, env=env))
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(workers, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
        log.close()


def scheduler_transitions(address: str) -> int:
    """How many task transitions the scheduler has made (> 0: it ran work)."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        count = client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)
    return int(count)


def exercise(base: str, server: Server, address: str) -> list[bool]:
    """Runs through nginx; checks on their outcome."""
    api = server.api
    api.http.base_url = httpx.URL(f"{base}/api/v1")
    exp = api.experiment("topology", "multiclass", "target", sklearn_dataset="iris")
    params = {"models": ["dt", "lr", "rf", "knn"]}
    runs = [api.submit(exp, "compare", plan_params=params) for _ in range(4)]
    url = api.ws_url(runs[0]["id"]).replace(server.base.removeprefix("http://"), base[7:])
    rec = EventRecorder(url)
    rec.start()
    finals = [api.wait(r["id"], 900) for r in runs]
    rec.join(60)
    starts = [
        sum(
            1
            for e in api.call("GET", f"/runs/{r['id']}/events", params={"limit": 1000})["data"]
            if e["kind"] == "run.started"
        )
        for r in runs
    ]
    kinds = [e.get("kind") for _, e in rec.events]
    return [
        check("4 runs succeeded", all(f["status"] == "succeeded" for f in finals),
              str([f"{f['status']} {f.get('error') or ''}"[:300] for f in finals])),
        check("each run started exactly once", starts == [1, 1, 1, 1], str(starts)),
        check("WebSocket through nginx streamed to run.closed", kinds[-1:] == ["run.closed"],
              f"{len(kinds)} events"),
        check("fits ran on the Dask scheduler", scheduler_transitions(address) > 0),
        check("both workers alive", all(w.alive() for w in server.workers)),
    ]  # fmt: skip


def main() -> int:
    if shutil.which("nginx") is None:
        print("nginx is not installed (apt-get install nginx); nothing checked")
        return 2
    with (
        tempfile.TemporaryDirectory(prefix="podium-topology-") as tmp_name,
        fresh_database("topology") as db_env,
    ):
        tmp = Path(tmp_name)
        if not db_env:
            print("PostgreSQL is not reachable on 127.0.0.1:5432; nothing checked")
            return 2
        print("PASS  migrate: podium db upgrade on a fresh PostgreSQL database")
        with dask_cluster(tmp) as address:
            env = {**db_env, "PODIUM_DASK_SCHEDULER": address}
            with Server(embedded_workers=0, env=env) as server:
                server.start_worker()
                server.start_worker()
                listen = free_port()
                (tmp / "site.conf").write_text(site_conf(server.port, listen, tmp))
                (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp))
                nginx = subprocess.Popen(
                    ["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"]
                )
                try:
                    time.sleep(0.5)
                    results = exercise(f"http://127.0.0.1:{listen}", server, address)
                    if not all(results):
                        for log in sorted(server.data_dir.glob("*.log")):
                            print(f"--- {log.name}\n{tail(log.read_text(errors='replace'), 40)}")
                finally:
                    nginx.terminate()
                    nginx.wait(10)
    print(f"{sum(results) + 1} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
