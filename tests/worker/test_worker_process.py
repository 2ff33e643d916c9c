"""Real worker processes: a run end to end, two workers and one run, cancel mid-compare,
SIGKILL mid-run. Grouped on one xdist worker: they are the suite's CPU-heavy part."""

from __future__ import annotations

import signal
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import METRICS_HEADERS
from tests.server.conftest import World
from tests.worker.conftest import Spawn

pytestmark = [pytest.mark.xdist_group("worker-processes"), pytest.mark.slow]
WAIT_S = 300  # generous: the suite shares 2 cores with everything else


def _wait(world: World, run_id: str) -> dict[str, Any]:
    r = world.client.get(
        f"/api/v1/runs/{run_id}/wait?timeout={WAIT_S}", headers=world.owner.headers
    )
    body: dict[str, Any] = r.json()
    return body


def _events(world: World, run_id: str) -> list[dict[str, Any]]:
    r = world.client.get(f"/api/v1/runs/{run_id}/events?limit=1000", headers=world.owner.headers)
    data: list[dict[str, Any]] = r.json()["data"]
    return data


def _until(world: World, run_id: str, kind: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(e["kind"] == kind for e in _events(world, run_id)):
            return
        time.sleep(0.1)
    pytest.fail(f"no {kind} event within {timeout}s: {[e['kind'] for e in _events(world, run_id)]}")


class TestWorkerProcess:
    def test_two_workers_one_compare_streams_over_websocket(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        spawn_worker()
        spawn_worker()
        exp = world.experiment(world.project(), setup_params={"folds": 2})
        run = world.run(exp, plan="compare", plan_params={"models": ["dt", "nb"]})
        url = f"/api/v1/runs/{run['id']}/events/ws?token={world.viewer.token}"
        kinds = []
        with world.client.websocket_connect(url) as ws:
            while not kinds or kinds[-1] != "run.closed":
                kinds.append(ws.receive_json()["kind"])
        assert kinds.count("run.started") == 1
        assert kinds[-2:] == ["run.finished", "run.closed"]
        assert "leaderboard.updated" in kinds
        done = _wait(world, run["id"])
        assert done["status"] == "succeeded"
        assert {r["model_id"] for r in done["leaderboard"]["rows"]} == {"dt", "nb"}
        assert done["result"]["best"]
        health = world.client.get("/healthz", headers=METRICS_HEADERS).json()
        assert health["status"] == "ok"
        assert health["workers"]["alive"] == 2

    def test_create_without_data_error_passes_message(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        spawn_worker()
        exp = world.experiment(world.project(), setup_params={"folds": 2})
        created = _wait(world, world.run(exp, plan="create", model_id="dt")["id"])
        assert created["status"] == "succeeded"
        assert [r["Fold"] for r in created["leaderboard"]["rows"]][-2:] == ["Mean", "Std"]

    def test_cancel_mid_compare_keeps_finished_rows(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        spawn_worker()
        exp = world.experiment(world.project(), setup_params={"folds": 3})
        models = ["nb", "dt", "lr", "knn", "rf", "et", "gbc", "ada", "hgb", "lightgbm", "mlp"]
        run = world.run(exp, plan="compare", plan_params={"models": models})
        _until(world, run["id"], "leaderboard.updated")
        cancel = world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.editor.headers)
        assert cancel.status_code == 202
        done = _wait(world, run["id"])
        assert done["status"] == "cancelled"
        rows = done["leaderboard"]["rows"]
        assert 1 <= len(rows) < len(models)
        assert all(row["Accuracy"] is not None for row in rows)
        kinds = [e["kind"] for e in _events(world, run["id"])]
        assert kinds[-2:] == ["run.cancelled", "run.closed"]

    def test_sigkill_mid_run_ends_failed_worker_lost(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        victim = spawn_worker()
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
        run = world.run(exp, plan="compare", plan_params={"models": ["rf", "et", "gbc", "ada"]})
        _until(world, run["id"], "model.started")
        bystander = spawn_worker()  # warms up while the victim works; must be left undisturbed
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        done = _wait(world, run["id"])
        assert done["status"] == "failed"
        assert done["error"].startswith("worker lost")
        assert [e["kind"] for e in _events(world, run["id"])][-2:] == ["run.failed", "run.closed"]
        follow = _wait(world, world.run(exp, plan="setup")["id"])
        assert follow["status"] == "succeeded"
        assert bystander.poll() is None


def test_client_fixture_is_the_worker_one(client: TestClient) -> None:
    assert client.app.state.settings.lease_s == 4.0  # type: ignore[attr-defined]
