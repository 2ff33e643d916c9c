"""A ``podium serve`` process streams, over its WebSocket, a run that a ``podium worker`` process
executes: every event, in id order, ending with ``run.closed`` — and both log JSON lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosedOK
from websockets.sync.client import connect

from tests.ports import free_port
from tests.scale.conftest import Procs, env_of, run_events, wait_http, wait_terminal
from tests.server.conftest import World

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("scale"),
    pytest.mark.slow,
    pytest.mark.timeout(900),  # processes on a shared 2-core machine
]
RECV_S = 240.0


def _json_lines(log: Path) -> list[dict[str, Any]]:
    lines = [line for line in log.read_text().splitlines() if line.startswith("{")]
    return [json.loads(line) for line in lines]


def test_server_process_streams_a_run_executed_by_a_worker_process(
    world: World, procs: Procs, tmp_path: Path
) -> None:
    port = free_port()
    env = env_of(
        world.settings,
        PODIUM_EMBEDDED_WORKERS="0",
        PODIUM_HOST="127.0.0.1",
        PODIUM_PORT=str(port),
        PODIUM_LOG_FORMAT="json",
    )
    server = procs.start(["serve"], env, "serve")
    wait_http(f"http://127.0.0.1:{port}/healthz", server, procs)
    exp = world.experiment(world.project(), setup_params={"folds": 2})
    run_id = str(world.run(exp, plan="create", model_id="dt")["id"])
    url = f"ws://127.0.0.1:{port}/api/v1/runs/{run_id}/events/ws?token={world.owner.token}"
    received: list[dict[str, Any]] = []
    with connect(url, open_timeout=30) as ws:
        procs.worker(world.settings, PODIUM_LOG_FORMAT="json")
        while not received or received[-1]["kind"] != "run.closed":
            received.append(json.loads(ws.recv(timeout=RECV_S)))
        with pytest.raises(ConnectionClosedOK) as closed:
            ws.recv(timeout=30)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1000

    assert wait_terminal(world, [run_id], procs)[run_id]["status"] == "succeeded"
    ids = [event["id"] for event in received]
    assert ids == sorted(set(ids)), "events out of order or repeated"
    assert received == run_events(world, run_id), "the stream skipped stored events"
    kinds = [event["kind"] for event in received]
    assert kinds[0] == "run.started"
    assert kinds[-2:] == ["run.finished", "run.closed"]
    assert "create.finished" in kinds

    served = _json_lines(tmp_path / "serve.log")
    assert all({"ts", "level", "logger", "message"} <= set(line) for line in served)
    health = [line for line in served if line.get("path") == "/healthz"]
    assert health, "no JSON access log line for /healthz"
    assert {"method": "GET", "status": 200}.items() <= health[0].items()
    socket_lines = [line["message"] for line in served if "WebSocket" in line["message"]]
    assert any("token=***" in message for message in socket_lines), socket_lines
    assert world.owner.token not in (tmp_path / "serve.log").read_text()
    worker_lines = _json_lines(tmp_path / "worker1.log")
    assert any(line["logger"] == "podium.worker" for line in worker_lines)
