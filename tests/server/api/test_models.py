"""A run's models: stored out-of-fold/holdout predictions, the model view, holdout scores and
hyperparameters on the promoted pipeline — with a real worker."""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pytest

from podium.engine.run.predictions import ModelPredictions
from tests.server.api.serving import promote, wait_pipeline, worker
from tests.server.conftest import World

WAIT_S = 120


def _finished_run(world: World, **plan: Any) -> dict[str, Any]:
    exp = world.experiment(
        world.project(), sklearn_dataset="sklearn:iris", setup_params={"folds": 3}
    )
    body = plan or {"plan": "compare", "plan_params": {"models": ["dt", "lr"]}}
    run = world.run(exp, **body)
    with worker(world.settings):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            done: dict[str, Any] = world.client.get(
                f"/api/v1/runs/{run['id']}", headers=world.owner.headers
            ).json()
            if done["status"] in ("succeeded", "failed", "cancelled"):
                break
            time.sleep(0.1)
    assert done["status"] == "succeeded", done
    return done


@pytest.fixture
def compared(world: World) -> dict[str, Any]:
    return _finished_run(world)


class TestStoredPredictions:
    def test_each_model_keeps_oof_and_holdout_in_the_store(
        self, world: World, compared: dict[str, Any]
    ) -> None:
        folder = world.settings.artifact_root / "workspaces" / world.ws / "runs" / compared["id"]
        files = sorted(p.name for p in (folder / "predictions").iterdir())
        assert files == ["dt.npz", "lr.npz"]
        p = ModelPredictions.load((folder / "predictions" / "lr.npz").read_bytes())
        assert (len(p.oof), len(p.holdout or [])) == (105, 45)  # 150 rows, 30 % held out
        assert p.oof.scores is not None
        assert p.oof.scores.shape == (105, 3)
        assert np.array_equal(np.sort(np.concatenate([p.oof.rows, p.holdout.rows])), np.arange(150))
        # the database keeps scores only: the Holdout column and each model's holdout metrics
        board = compared["leaderboard"]
        assert "Holdout" in board["columns"]
        holdout = compared["result"]["holdout"]
        assert set(holdout) == {"dt", "lr"}
        for row in board["rows"]:
            assert row["Holdout"] == holdout[row["model_id"]]["Accuracy"]

    def test_promoted_manifest_has_holdout_and_every_hyperparameter(
        self, world: World, compared: dict[str, Any]
    ) -> None:
        r = promote(world, compared["id"], model_id="lr")
        assert r.status_code == 202, r.text
        assert r.json()["metrics"]["holdout"] == compared["result"]["holdout"]["lr"]
        with worker(world.settings):
            body = wait_pipeline(world, r.json()["id"])
        assert body["status"] == "ready", body
        assert body["metrics"]["holdout"]["Accuracy"] is not None
        assert {"C", "max_iter", "solver", "tol"} <= set(body["params"])
        folder = world.settings.artifact_root / "workspaces" / world.ws / "pipelines" / body["id"]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["metrics"]["holdout"] == body["metrics"]["holdout"]
        assert manifest["extra"]["params"] == body["params"]
