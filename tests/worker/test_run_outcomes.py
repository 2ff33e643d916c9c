"""Runs end to end through a real worker: every sort metric the describe route offers, and a
run in which no model finished."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import World
from tests.worker.conftest import Spawn
from tests.worker.test_worker_process import _events, _wait

pytestmark = [pytest.mark.xdist_group("worker-processes"), pytest.mark.slow]
NO_MODEL = "no model finished within the time budget — raise it or pick faster models"


def _submit(world: World, exp: str, params: dict[str, Any]) -> str:
    r = world.client.post(
        f"/api/v1/experiments/{exp}/runs",
        json={"plan": "compare", "plan_params": params},
        headers=world.owner.headers,
    )
    assert r.status_code == 202, r.text
    return str(r.json()["id"])


class TestSortMetrics:
    @pytest.mark.parametrize(
        ("task", "sample"), [("multiclass", "iris"), ("regression", "diabetes")]
    )
    def test_every_offered_metric_sorts_a_real_run(
        self, world: World, spawn_worker: Spawn, task: str, sample: str
    ) -> None:
        spawn_worker()
        metrics = world.client.get(
            f"/api/v1/describe/metrics?task={task}", headers=world.owner.headers
        ).json()
        exp = world.experiment(
            world.project(),
            task=task,
            sklearn_dataset=f"sklearn:{sample}",
            setup_params={"folds": 2},
        )
        runs = {
            m["id"]: _submit(world, exp, {"models": ["dt", "dummy"], "sort": m["id"]})
            for m in metrics
        }
        for metric in metrics:
            done = _wait(world, runs[metric["id"]])
            assert done["status"] == "succeeded", done["error"]
            values = [row[metric["id"]] for row in done["leaderboard"]["rows"]]
            assert None not in values
            ranked = sorted(values, reverse=metric["greater_is_better"])
            assert values == ranked, metric["id"]
            assert done["result"]["best"] == [done["leaderboard"]["rows"][0]["model_id"]]


class TestNothingFinished:
    def test_budget_spent_before_any_model_ends_failed_without_promote(
        self, world: World, spawn_worker: Spawn
    ) -> None:
        spawn_worker()
        exp = world.experiment(
            world.project(), sklearn_dataset="sklearn:digits", setup_params={"folds": 5}
        )
        run = _submit(world, exp, {"models": ["gbc", "rf"], "budget_s": 0.01})
        done = _wait(world, run)
        assert done["status"] == "failed"
        assert done["error"] == NO_MODEL
        kinds = [e["kind"] for e in _events(world, run)]
        assert kinds[-2:] == ["run.failed", "run.closed"]
        promote = world.client.post(
            f"/api/v1/runs/{run}/promote", json={"name": "nope"}, headers=world.owner.headers
        )
        assert promote.status_code == 409
