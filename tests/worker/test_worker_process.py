"""Real worker processes: a run end to end, two workers and one run, cancel mid-compare,
SIGKILL mid-run. Grouped on one xdist worker: they are the suite's CPU-heavy part."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import pytest
from fastapi.testclient import TestClient

from tests.conftest import METRICS_HEADERS
from tests.server.conftest import World
from tests.worker.conftest import LEASE_S, Spawn

pytestmark = [pytest.mark.xdist_group("worker-processes"), pytest.mark.slow]
WAIT_S = 300  # generous: the suite shares 2 cores with everything else
GONE_S = 60  # orphans exit within a second; a minute says "never" on any load
# a first row within seconds (whatever the scheduling order), then seconds more of fits
MODELS = ["rf", "et", "hgb", "ada", "lr", "knn", "dt", "nb"]


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
        # digits, not iris: seconds of fits must remain after the first row, on any machine
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
        run = world.run(exp, plan="compare", plan_params={"models": MODELS})
        _until(world, run["id"], "leaderboard.updated")
        cancel = world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.editor.headers)
        assert cancel.status_code == 202
        done = _wait(world, run["id"])
        assert done["status"] == "cancelled"
        rows = done["leaderboard"]["rows"]
        assert 1 <= len(rows) < len(MODELS)
        assert all(row["Accuracy"] is not None for row in rows)
        kinds = [e["kind"] for e in _events(world, run["id"])]
        assert kinds[-2:] == ["run.cancelled", "run.closed"]

    def test_a_raced_compare_keeps_partial_rows_and_race_false_runs_every_fold(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        spawn_worker()
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 5})
        models = ["knn", "nb", "dt", "dummy"]
        raced = _wait(world, world.run(exp, plan="compare", plan_params={"models": models})["id"])
        assert raced["status"] == "succeeded"
        rows = raced["leaderboard"]["rows"]
        assert {r["model_id"] for r in rows} == set(models)  # every model keeps a row
        partial = [r for r in rows if r.get("partial")]
        assert "dummy" in {r["model_id"] for r in partial}
        assert all(3 <= r["folds_done"] < 5 for r in partial)
        stopped = [e for e in _events(world, raced["id"]) if e["kind"] == "model.stopped"]
        assert {e["payload"]["model_id"] for e in stopped} == {r["model_id"] for r in partial}
        assert raced["result"]["best"][0] not in {r["model_id"] for r in partial}
        full = world.run(exp, plan="compare", plan_params={"models": models, "race": False})
        assert full["plan_params"]["race"] is False
        done = _wait(world, full["id"])
        assert done["status"] == "succeeded"
        assert done["plan_params"] == {"models": models, "race": False}
        assert not any(r.get("partial") for r in done["leaderboard"]["rows"])
        fitted = [e for e in _events(world, full["id"]) if e["kind"] == "model.fitted"]
        assert len(fitted) == len(models) * 5
        assert done["result"]["best"] == raced["result"]["best"]

    def test_sigkill_mid_compare_fails_the_run_keeping_rows_leaving_nothing(
        self, world: World, spawn_worker: Spawn, tmp_path: Path
    ) -> None:
        scratch = tmp_path / "tmp"  # the workers' TMPDIR, where fold arrays go
        scratch.mkdir()
        victim = spawn_worker(TMPDIR=str(scratch))
        exp = world.experiment(world.project(), sklearn_dataset="digits", setup_params={"folds": 3})
        run = world.run(exp, plan="compare", plan_params={"models": MODELS})
        _until(world, run["id"], "leaderboard.updated")
        children = psutil.Process(victim.pid).children(recursive=True)
        folders = list(scratch.glob("podium-folds-*"))
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        assert children, "the victim had no pool processes: the kill came too late to test"
        assert len(folders) == 1, folders
        assert _status(world, run["id"]) == "running", "the run ended before the kill"

        _until_gone(children)
        assert folders[0].is_dir()  # nothing ran on the victim's death
        successor = spawn_worker(TMPDIR=str(scratch))  # cleans on start, reaps the lease
        _until_true(lambda: not folders[0].exists(), "the dead worker's fold folder is still there")
        done = _wait(world, run["id"])
        assert done["status"] == "failed"
        assert done["error"].startswith("worker lost")
        events = _events(world, run["id"])
        assert [e["kind"] for e in events][-2:] == ["run.failed", "run.closed"]
        boards = [e["payload"]["leaderboard"] for e in events if e["kind"] == "leaderboard.updated"]
        assert done["leaderboard"] == boards[-1], "rows that finished before the kill were lost"
        assert 1 <= len(done["leaderboard"]["rows"]) < len(MODELS)
        follow = _wait(world, world.run(exp, plan="setup")["id"])
        assert follow["status"] == "succeeded"
        assert successor.poll() is None


def _status(world: World, run_id: str) -> str:
    r = world.client.get(f"/api/v1/runs/{run_id}", headers=world.owner.headers)
    status: str = r.json()["status"]
    return status


def _until_true(condition: Callable[[], bool], message: str, timeout: float = WAIT_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{message} after {timeout} s")
        time.sleep(0.1)


def _until_gone(processes: list[psutil.Process]) -> None:
    """Wait until every process has exited (a zombie awaiting its reaper counts as exited)."""

    def alive(proc: psutil.Process) -> bool:
        try:
            return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    _until_true(
        lambda: not any(alive(p) for p in processes),
        f"orphans still running: {[p.pid for p in processes if alive(p)]}",
        GONE_S,
    )


def test_client_fixture_is_the_worker_one(client: TestClient) -> None:
    assert client.app.state.settings.lease_s == LEASE_S  # type: ignore[attr-defined]
