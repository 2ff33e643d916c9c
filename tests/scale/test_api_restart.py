"""``kill -9`` of the API mid-run: the external worker finishes the run, and a WebSocket client
that resumes on a new API process with ``after_id`` gets every event exactly once, in order."""

from __future__ import annotations

import json
import signal
import subprocess
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect

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
MODELS = ["rf", "et", "ada", "lr", "knn", "dt", "nb"]


def _serve(world: World, procs: Procs, name: str) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = env_of(
        world.settings,
        PODIUM_EMBEDDED_WORKERS="0",
        PODIUM_HOST="127.0.0.1",
        PODIUM_PORT=str(port),
    )
    server = procs.start(["serve"], env, name)
    wait_http(f"http://127.0.0.1:{port}/healthz", server, procs)
    return server, port


def _socket(world: World, port: int, run_id: str, after_id: int) -> ClientConnection:
    query = f"token={world.owner.token}&after_id={after_id}"
    url = f"ws://127.0.0.1:{port}/api/v1/runs/{run_id}/events/ws?{query}"
    return connect(url, open_timeout=30, close_timeout=1)


def _receive_until(ws: ClientConnection, kind: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    while not events or events[-1]["kind"] != kind:
        events.append(json.loads(ws.recv(timeout=RECV_S)))
    return events


def test_a_client_resuming_on_a_new_api_gets_every_event_once(world: World, procs: Procs) -> None:
    first, port = _serve(world, procs, "serve1")
    exp = world.experiment(world.project(), setup_params={"folds": 3})
    run_id = str(world.run(exp, plan="compare", plan_params={"models": MODELS})["id"])
    with _socket(world, port, run_id, 0) as ws:
        procs.worker(world.settings)
        before = _receive_until(ws, "leaderboard.updated")
        first.send_signal(signal.SIGKILL)  # mid-run, a client connected
        first.wait()

    _second, port = _serve(world, procs, "serve2")
    with _socket(world, port, run_id, before[-1]["id"]) as ws:
        after = _receive_until(ws, "run.closed")

    assert wait_terminal(world, [run_id], procs)[run_id]["status"] == "succeeded"
    received = before + after
    ids = [event["id"] for event in received]
    assert ids == sorted(set(ids)), "events repeated or out of order across the restart"
    assert received == run_events(world, run_id), "the resumed stream skipped stored events"
    assert [e["kind"] for e in after][-2:] == ["run.finished", "run.closed"]
