"""The improving plans over REST: submissions referencing a finished run's models (clear 4xx),
and tune / ensemble / blend / stack / cancel-mid-tune with a real worker, promoted."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from sqlalchemy import update

from podium.server.db.models import Run
from podium.server.db.session import Database
from tests.server.api.serving import fake_succeeded_run, promote, wait_pipeline, worker
from tests.server.conftest import World

WAIT_S = 240


def _submit(world: World, exp: str, plan: str, **params: Any) -> Any:
    return world.client.post(
        f"/api/v1/experiments/{exp}/runs",
        json={"plan": plan, "plan_params": params},
        headers=world.owner.headers,
    )


def _run(world: World, run_id: str) -> dict[str, Any]:
    body: dict[str, Any] = world.client.get(
        f"/api/v1/runs/{run_id}", headers=world.owner.headers
    ).json()
    return body


def _wait(world: World, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_S
    while True:
        body = _run(world, run_id)
        if body["status"] not in ("queued", "running") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def _kinds(world: World, run_id: str) -> list[str]:
    """Every event kind of the run, in order, page by page (an auto run on a quiet machine
    writes more than one page of 1,000)."""
    kinds: list[str] = []
    after = 0
    while True:
        r = world.client.get(
            f"/api/v1/runs/{run_id}/events",
            params={"limit": 1000, "after_id": after},
            headers=world.owner.headers,
        )
        page = r.json()["data"]
        if not page:
            return kinds
        kinds += [e["kind"] for e in page]
        after = page[-1]["id"]


class TestSubmitImprove:
    def test_references_are_checked(self, world: World) -> None:
        source = fake_succeeded_run(world)
        exp = _run(world, source)["experiment_id"]
        ok = _submit(world, exp, "tune", source_run_id=source, model_id="dt", n_trials=3)
        assert ok.status_code == 202, ok.text
        snap = ok.json()["snapshot"]
        assert snap["models"]["dt"] == {
            "id": "dt",
            "name": "Decision Tree Classifier",
            "kind": "model",
            "model_id": "dt",
            "params": {},
        }
        assert snap["data"]["sklearn_dataset"] == "iris"  # the source run's data
        blend = _submit(world, exp, "blend", source_run_id=source, model_ids=["lr", "dt"])
        assert blend.status_code == 202, blend.text
        cases: list[tuple[str, dict[str, Any], int, str]] = [
            ("tune", {"source_run_id": str(uuid.uuid4()), "model_id": "dt"}, 404, "not found"),
            ("tune", {"source_run_id": "x", "model_id": "dt"}, 422, "must be a run id"),
            ("tune", {"source_run_id": source, "model_id": "nb"}, 422, "not a successful model"),
            ("tune", {"source_run_id": source, "model_id": "rf"}, 422, "choose one of dt, lr"),
            ("blend", {"source_run_id": source, "model_ids": ["lr"]}, 422, "two or more"),
            # refused at submission, not by a failed run a minute later
            (
                "tune",
                {"source_run_id": source, "model_id": "dt", "search_space": {"C": [1, 2]}},
                422,
                "search_space names C, not parameters of 'dt'",
            ),
            ("tune", {"model_id": "dt"}, 422, "needs plan_params source_run_id"),
        ]
        for plan, params, status, message in cases:
            r = _submit(world, exp, plan, **params)
            assert r.status_code == status, (params, r.text)
            assert message in r.json()["detail"], r.json()
        other = world.experiment(world.project())
        r = _submit(world, other, "tune", source_run_id=source, model_id="dt")
        assert r.status_code == 422
        assert "belongs to another experiment" in r.json()["detail"]
        queued = ok.json()["id"]
        r = _submit(world, exp, "tune", source_run_id=queued, model_id="dt_tuned")
        assert r.status_code == 409
        assert "is queued" in r.json()["detail"]

    def test_other_workspace_run_is_unknown(self, world: World) -> None:
        source = fake_succeeded_run(world)
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:  # move the source run to the other workspace
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(source))
                .values(workspace_id=uuid.UUID(world.other_ws))
            )
            session.commit()
        exp = world.experiment(world.project())
        r = _submit(world, exp, "ensemble", source_run_id=source, model_id="dt")
        assert r.status_code == 404


@pytest.mark.slow
class TestImproveWithAWorker:
    def test_compare_tune_ensemble_blend_stack_promote(self, world: World) -> None:
        exp = world.experiment(world.project(), setup_params={"folds": 2})
        with worker(world.settings):
            compare = world.run(exp, plan="compare", plan_params={"models": ["dt", "lr", "nb"]})
            assert _wait(world, compare["id"])["status"] == "succeeded"
            tune = _submit(
                world, exp, "tune", source_run_id=compare["id"], model_id="dt", n_trials=3
            )
            done = _wait(world, tune.json()["id"])
            assert done["status"] == "succeeded", done["error"]
            assert done["best"]["model_id"] == "dt_tuned"
            assert next(r["model_id"] for r in done["leaderboard"]["rows"]) == "dt_tuned"
            assert len(done["result"]["trials"]) == 4
            assert done["result"]["models"]["dt_tuned"]["kind"] == "model"
            kinds = _kinds(world, done["id"])
            assert kinds.count("trial.finished") == 4
            assert "tune.finished" in kinds
            runs = {
                "ensemble": {
                    "source_run_id": done["id"],
                    "model_id": "dt_tuned",
                    "n_estimators": 3,
                },
                "blend": {"source_run_id": compare["id"], "model_ids": ["lr", "nb"]},
                "stack": {"source_run_id": compare["id"], "model_ids": ["lr", "dt"]},
            }
            ids = {plan: _submit(world, exp, plan, **p).json()["id"] for plan, p in runs.items()}
            made = {"ensemble": "dt_tuned_bagged", "blend": "blend_2", "stack": "stack_2"}
            for plan, run_id in ids.items():
                body = _wait(world, run_id)
                assert body["status"] == "succeeded", (plan, body["error"])
                assert body["best"]["model_id"] == made[plan]
                assert f"{plan}.finished" in _kinds(world, run_id)
            r = promote(world, ids["stack"], name="stacked")
            assert r.status_code == 202, r.text
            assert r.json()["model_id"] == "stack_2"
            built = wait_pipeline(world, r.json()["id"])
            assert built["status"] == "ready", built["error"]
            predict = world.client.post(
                f"/api/v1/pipelines/{built['id']}/deployments",
                json={"slug": "stacked", "auth_mode": "public"},
                headers=world.owner.headers,
            )
            assert predict.status_code == 201, predict.text

    def test_cancel_mid_tune_keeps_the_best_and_it_is_promotable(self, world: World) -> None:
        source = fake_succeeded_run(world, setup_params={"folds": 2})
        exp = _run(world, source)["experiment_id"]
        with worker(world.settings):
            tune = _submit(world, exp, "tune", source_run_id=source, model_id="dt", n_trials=2000)
            run_id = tune.json()["id"]
            deadline = time.monotonic() + WAIT_S
            while _kinds(world, run_id).count("trial.finished") < 3:
                assert time.monotonic() < deadline
                time.sleep(0.2)
            world.client.post(f"/api/v1/runs/{run_id}/cancel", headers=world.owner.headers)
            done = _wait(world, run_id)
            assert done["status"] == "cancelled"
            assert done["promotable"] is True  # the web app offers Promote from this field
            assert done["result"]["best"] == ["dt_tuned"]
            assert done["best"]["model_id"] == "dt_tuned"
            assert len(done["result"]["trials"]) >= 3
            plot = f"/api/v1/runs/{run_id}/models/dt_tuned/plots/confusion_matrix"
            assert world.client.get(plot, headers=world.owner.headers).status_code == 200
            r = promote(world, run_id, name="kept")
            assert r.status_code == 202, r.text
            assert r.json()["model_id"] == "dt_tuned"
            assert wait_pipeline(world, r.json()["id"])["status"] == "ready"

    def test_auto_run_ends_with_one_promotable_model(self, world: World) -> None:
        exp = world.experiment(world.project(), setup_params={"folds": 2})
        with worker(world.settings):
            r = _submit(world, exp, "auto", budget_s=30)
            assert r.status_code == 202, r.text
            done = _wait(world, r.json()["id"])
            assert done["status"] == "succeeded", done["error"]
            made = done["result"]["model_id"]
            assert done["best"]["model_id"] == made
            assert made in done["result"]["models"]
            assert "auto.finished" in _kinds(world, done["id"])
            built = promote(world, done["id"], name="auto")
            assert built.status_code == 202, built.text
            assert wait_pipeline(world, built.json()["id"])["status"] == "ready"
