"""Switching a deployment's version and rolling it back while predictions flow: a real
``podium serve`` process, concurrent clients posting predictions over HTTP the whole time,
and switches/rollbacks sent over HTTP meanwhile. Not one request may fail."""

from __future__ import annotations

import statistics
import threading
import time
from typing import Any

import httpx
import pytest

from tests.ports import free_port
from tests.scale.conftest import Procs, env_of, wait_http
from tests.server.api.serving import built_versions, deploy
from tests.server.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("scale"),
    pytest.mark.slow,
    pytest.mark.timeout(900),
]
CLIENTS = 6
CHANGES = 8  # switch to v2, roll back to v1, ... through the HTTP API
PAUSE_S = 0.4
ROW = {
    "sepal length (cm)": 6.1,
    "sepal width (cm)": 2.8,
    "petal length (cm)": 4.7,
    "petal width (cm)": 1.2,
}


class Load:
    """Client threads posting predictions until stopped; every answer's status and latency."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stop = threading.Event()
        self.results: list[tuple[int, float]] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._run) for _ in range(CLIENTS)]

    def _run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stop.is_set():
                started = time.perf_counter()
                try:
                    status = client.post(self.url, json={"rows": [ROW] * 3}).status_code
                except httpx.HTTPError as exc:
                    with self._lock:
                        self.errors.append(repr(exc))
                    continue
                with self._lock:
                    self.results.append((status, (time.perf_counter() - started) * 1000))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc: Any) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=120)


def test_switch_and_rollback_under_load_fail_no_request(world: World, procs: Procs) -> None:
    v1, v2 = built_versions(world, "flowers", ["lr", "dt"])
    dep = deploy(world, v1["id"], slug="under-load")
    port = free_port()
    env = env_of(
        world.settings,
        PODIUM_EMBEDDED_WORKERS="0",
        PODIUM_HOST="127.0.0.1",
        PODIUM_PORT=str(port),
    )
    server = procs.start(["serve"], env, "serve")
    base = f"http://127.0.0.1:{port}"
    wait_http(f"{base}/healthz", server, procs)
    manage = f"{base}/api/v1/deployments/{dep['id']}"
    predict = f"{base}/api/v1/deployments/under-load/predict"
    assert httpx.post(predict, json={"rows": [ROW]}, timeout=120).status_code == 200  # warm
    served: list[int] = []
    with (
        Load(predict) as load,
        httpx.Client(headers=world.owner.headers, timeout=120) as admin,
    ):
        time.sleep(1.0)
        for i in range(CHANGES):
            if i % 2 == 0:
                r = admin.post(f"{manage}/switch", json={"version": 2})
            else:
                r = admin.post(f"{manage}/rollback")
            assert r.status_code == 200, r.text
            served.append(r.json()["pipeline_version"])
            time.sleep(PAUSE_S)
        time.sleep(1.0)
    statuses = [status for status, _ in load.results]
    failed = [s for s in statuses if not 200 <= s < 300]
    latencies = sorted(ms for _, ms in load.results)
    print(  # the measurement, read with -s; never asserted
        f"\n{len(statuses)} predictions by {CLIENTS} clients across {CHANGES} version changes: "
        f"{len(failed)} non-2xx, {len(load.errors)} transport errors; latency p50 "
        f"{statistics.median(latencies):.1f} ms, p99 "
        f"{latencies[int(len(latencies) * 0.99)]:.1f} ms, max {latencies[-1]:.1f} ms"
    )
    assert served == [2, 1] * (CHANGES // 2)
    assert load.errors == []
    assert failed == []
    assert len(statuses) > CLIENTS * CHANGES  # predictions flowed through every change
    history = world.client.get(
        f"/api/v1/deployments/{dep['id']}/versions", headers=world.owner.headers
    )
    actions = [h["action"] for h in history.json()["history"]]
    assert actions == ["rollback", "switch"] * (CHANGES // 2) + ["deploy"]
    assert {v1["id"], v2["id"]} == {a["id"] for a in history.json()["available"]}
