"""Webhook deliveries end to end: a real worker process POSTs signed bodies to a real HTTP
receiver on a free port, retries with backoff after failures, and logs every attempt."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from podium.engine.monitor.drift import at_least
from podium.server.db.base import utcnow
from podium.server.services import webhooks
from tests.ports import free_port
from tests.server.api.serving import deploy, iris_rows, ready_pipeline
from tests.server.conftest import World
from tests.worker.conftest import Spawn


@dataclass
class Receiver:
    """Answers 500 to the first ``fail_first`` requests, then 200; keeps what it got."""

    port: int
    fail_first: int = 0
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    box = Receiver(free_port(), fail_first=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            box.got.append((dict(self.headers.items()), body))
            self.send_response(500 if len(box.got) <= box.fail_first else 200)
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", box.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()
    thread.join()


def _hook(world: World, url: str, events: list[str], **more: Any) -> dict[str, Any]:
    r = world.client.post(
        f"/api/v1/workspaces/{world.ws}/webhooks",
        json={"url": url, "events": events, **more},
        headers=world.owner.headers,
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _settled(world: World, hook_id: str, count: int, timeout: float = 90) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        rows: list[dict[str, Any]] = world.client.get(
            f"/api/v1/webhooks/{hook_id}/deliveries", headers=world.owner.headers
        ).json()["data"]
        done = [r for r in rows if r["status"] in ("delivered", "failed")]
        if len(done) >= count:
            return rows
        assert time.monotonic() < deadline, rows
        time.sleep(0.2)


def test_signed_delivery_retried_until_the_receiver_accepts(
    world: World, spawn_worker: Spawn, receiver: Receiver
) -> None:
    hook = _hook(world, receiver.url, ["run.finished"])
    spawn_worker(PODIUM_WEBHOOK_BACKOFF_S="0.3", PODIUM_WEBHOOK_ATTEMPTS="4")
    ping = world.client.post(f"/api/v1/webhooks/{hook['id']}/ping", headers=world.owner.headers)
    assert ping.status_code == 202
    (row,) = _settled(world, hook["id"], 1)
    assert (row["status"], row["attempts"], row["response_code"]) == ("delivered", 3, 200)
    assert len(receiver.got) == 3
    now = int(time.time())
    for headers, body in receiver.got:
        assert headers["Podium-Event"] == "ping"
        assert headers["Podium-Delivery"] == row["id"]
        assert webhooks.verify(hook["secret"], headers["Podium-Signature"], body, now)
        assert not webhooks.verify("whsec_wrong", headers["Podium-Signature"], body, now)
    payload = json.loads(receiver.got[-1][1])
    assert payload["event"] == "ping"
    assert payload["workspace_id"] == world.ws

    exp = world.experiment(world.project(), setup_params={"folds": 2})
    world.run(exp, plan="create", model_id="dt")
    rows = _settled(world, hook["id"], 2, timeout=180)
    finished = next(r for r in rows if r["event"] == "run.finished")
    assert finished["status"] == "delivered"
    data = json.loads(receiver.got[-1][1])["data"]
    assert data["status"] == "succeeded"


def test_unreachable_endpoint_fails_after_the_last_attempt(
    world: World, spawn_worker: Spawn
) -> None:
    hook = _hook(world, f"http://127.0.0.1:{free_port()}/nobody", ["run.failed"])
    spawn_worker(PODIUM_WEBHOOK_BACKOFF_S="0.2", PODIUM_WEBHOOK_ATTEMPTS="2")
    world.client.post(f"/api/v1/webhooks/{hook['id']}/ping", headers=world.owner.headers)
    (row,) = _settled(world, hook["id"], 1)
    assert (row["status"], row["attempts"], row["response_code"]) == ("failed", 2, None)
    assert "refused" in row["error"].lower() or "error" in row["error"].lower()


def test_drift_alerts_reach_each_webhook_from_its_own_minimum_severity(
    world: World, spawn_worker: Spawn, receiver: Receiver
) -> None:
    """One webhook hears of drift from medium on (the default), another of high only: a
    medium report reaches the first, a high one both, each naming the features at its level."""
    receiver.fail_first = 0
    pipe = ready_pipeline(world)
    dep = deploy(world, pipe["id"], slug="watched")
    r = world.client.patch(
        f"/api/v1/deployments/{dep['id']}",
        json={"log_sample_rate": 1.0},
        headers=world.owner.headers,
    )
    assert r.status_code == 200, r.text
    usual = _hook(world, receiver.url, ["drift.detected"])
    loud = _hook(world, receiver.url, ["drift.detected"], drift_min_severity="high")
    assert (usual["drift_min_severity"], loud["drift_min_severity"]) == ("medium", "high")

    # medium: a tenth of the rows lack a feature the training rows always had
    holes = [
        {**row, "sepal width (cm)": None} if i % 10 == 0 else row
        for i, row in enumerate(iris_rows())
    ]
    medium = _drift_report(world, holes)
    assert medium["severity"] == "medium", medium["features"]
    high = _drift_report(world, iris_rows(shift=4.0))
    assert high["severity"] == "high", high["features"]

    spawn_worker(PODIUM_WEBHOOK_BACKOFF_S="0.3")
    heard = {hook["id"]: _settled(world, hook["id"], n) for hook, n in ((usual, 2), (loud, 1))}
    assert len(heard[loud["id"]]) == 1
    bodies = {h["Podium-Delivery"]: json.loads(body)["data"] for h, body in receiver.got}
    got = {
        hook_id: sorted((bodies[d["id"]]["severity"], *bodies[d["id"]]["features"]) for d in rows)
        for hook_id, rows in heard.items()
    }
    named = {  # the features each report rates at or above a severity
        (report["severity"], least): [
            f["name"] for f in report["features"] if at_least(f["severity"], least)
        ]
        for report in (medium, high)
        for least in ("medium", "high")
    }
    assert got[usual["id"]] == sorted(
        [("high", *named["high", "medium"]), ("medium", *named["medium", "medium"])]
    )
    assert got[loud["id"]] == [("high", *named["high", "high"])]
    assert named["high", "high"] == ["petal length (cm)"]


def _drift_report(world: World, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Score ``rows`` through the deployment, then report on the calls since then."""
    since = utcnow().isoformat()
    time.sleep(0.01)
    r = world.client.post("/api/v1/deployments/watched/predict", json={"rows": rows})
    assert r.status_code == 200, r.text
    report = world.client.post(
        "/api/v1/deployments/watched/drift-reports",
        json={"since": since},
        headers=world.owner.headers,
    )
    assert report.status_code == 201, report.text
    body: dict[str, Any] = report.json()
    return body
