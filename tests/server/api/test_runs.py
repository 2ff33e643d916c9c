"""Runs over REST (no worker here: runs stay queued unless a test moves them)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

from podium.server.db.base import utcnow
from podium.server.db.session import Database
from podium.server.services import queue
from tests.conftest import new_id
from tests.server.conftest import IRIS_CSV, World


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestSubmitRun:
    def test_queued_with_snapshot(self, world: World) -> None:
        exp = world.experiment(world.project(), setup_params={"folds": 3, "seed": 5})
        run = world.run(exp, plan="compare", plan_params={"models": ["dt", "nb"], "sort": "F1"})
        assert run["status"] == "queued"
        assert run["leaderboard"] is None
        snap = run["snapshot"]
        assert snap["request"]["plan_params"] == {"models": ["dt", "nb"], "sort": "F1"}
        assert snap["plan_params"]["sort"] == "F1"
        assert snap["seed"] == 5
        assert snap["experiment"]["setup_params"] == {"folds": 3, "seed": 5}
        assert snap["data"]["sklearn_dataset"] == "iris"
        assert len(snap["data"]["sha256"]) == 64
        assert {"podium", "python", "scikit-learn", "pandas"} <= set(snap["versions"])
        unseeded = world.run(world.experiment(world.project()), plan="setup")
        params = world.client.get(
            "/api/v1/describe/setup-params?task=multiclass", headers=world.owner.headers
        ).json()
        assert (
            unseeded["snapshot"]["seed"]
            == next(p for p in params if p["name"] == "seed")["default"]
        )

    def test_upload_checksum_and_data_override(self, world: World) -> None:
        source = world.upload()
        exp = world.experiment(world.project(), data_source_id=source, target="species")
        run = world.run(exp, plan="setup")
        assert run["snapshot"]["data"]["sha256"] == hashlib.sha256(IRIS_CSV.encode()).hexdigest()
        no_target = world.client.post(
            f"/api/v1/experiments/{exp}/runs",
            json={"plan": "setup", "sklearn_dataset": "diabetes"},
            headers=world.owner.headers,
        )
        assert no_target.status_code == 422
        assert "species" in no_target.json()["detail"]

    def test_setup_params_checked_against_the_runs_data(self, world: World) -> None:
        exp = world.experiment(
            world.project(), setup_params={"ignore_features": ["petal width (cm)"]}
        )
        lacking = "".join(f"{i % 7},{i % 3}\n" for i in range(30))
        source = world.upload(content="sepal length (cm),target\n" + lacking)
        r = world.client.post(
            f"/api/v1/experiments/{exp}/runs",
            json={"plan": "setup", "data_source_id": source},
            headers=world.owner.headers,
        )
        assert r.status_code == 422, r.text
        assert "'ignore_features': unknown column 'petal width (cm)'" in r.json()["detail"]

    @pytest.mark.parametrize(
        ("body", "status", "message"),
        [
            ({"plan": "create"}, 422, "needs model_id"),
            ({"plan": "create", "model_id": "nope"}, 422, "unknown model id 'nope'"),
            ({"plan": "create", "model_id": "catboost"}, 422, "is unavailable"),
            ({"plan": "compare", "model_id": "dt"}, 422, "only for plan 'create'"),
            ({"plan": "compare", "plan_params": {"wat": 1}}, 422, "unknown compare param"),
            ({"plan": "compare", "plan_params": {"models": []}}, 422, "non-empty list"),
            ({"plan": "compare", "plan_params": {"sort": "MAE"}}, 422, "unknown sort metric"),
            # a display name is not an id: the engine would refuse it, so the server does
            (
                {"plan": "compare", "plan_params": {"sort": "Area under the ROC curve"}},
                422,
                "use an id, one of Accuracy, AUC (Area under the ROC curve)",
            ),
            ({"plan": "compare", "plan_params": {"sort": 3}}, 422, "must be a metric id"),
            ({"plan": "compare", "plan_params": {"n_select": 0}}, 422, "positive integer"),
            ({"plan": "compare", "plan_params": {"budget_s": -1}}, 422, "positive number"),
            ({"plan": "compare", "plan_params": {"models": ["lr", "zzz"]}}, 422, "'zzz'"),
            ({"plan": "setup", "plan_params": {"x": 1}}, 422, "takes no plan_params"),
            ({"plan": "tune"}, 422, None),
            ({"plan": "setup", "data_source_id": "nope"}, 422, None),
            ({"plan": "setup", "sklearn_dataset": "nope"}, 422, "unknown sample"),
        ],
    )
    def test_bad_submissions(
        self, world: World, body: dict[str, object], status: int, message: str | None
    ) -> None:
        exp = world.experiment(world.project())
        if body.get("model_id") == "catboost":
            models = world.client.get(
                "/api/v1/describe/models?task=multiclass", headers=world.owner.headers
            ).json()
            if next(m for m in models if m["id"] == "catboost")["is_available"]:
                pytest.skip("catboost is installed here")
        r = world.client.post(
            f"/api/v1/experiments/{exp}/runs", json=body, headers=world.owner.headers
        )
        assert r.status_code == status, r.text
        if message:
            assert message in r.json()["detail"]
        assert (
            world.client.get(f"/api/v1/experiments/{exp}/runs", headers=world.owner.headers).json()[
                "count"
            ]
            == 0
        )

    def test_other_workspace_data_and_roles(self, world: World) -> None:
        exp = world.experiment(world.project())
        foreign = world.upload(world.other_ws)
        r = world.client.post(
            f"/api/v1/experiments/{exp}/runs",
            json={"plan": "setup", "data_source_id": foreign},
            headers=world.owner.headers,
        )
        assert r.status_code == 404
        viewer = world.client.post(
            f"/api/v1/experiments/{exp}/runs", json={"plan": "setup"}, headers=world.viewer.headers
        )
        assert viewer.status_code == 403
        unknown = world.client.post(
            f"/api/v1/experiments/{new_id()}/runs",
            json={"plan": "setup"},
            headers=world.owner.headers,
        )
        assert unknown.status_code == 404


class TestListRuns:
    def test_newest_first(self, world: World) -> None:
        exp = world.experiment(world.project())
        first, second = world.run(exp), world.run(exp, plan="setup")
        body = world.client.get(
            f"/api/v1/experiments/{exp}/runs", headers=world.viewer.headers
        ).json()
        assert [r["id"] for r in body["data"]] == [second["id"], first["id"]]


class TestGetRun:
    def test_get(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        assert (
            world.client.get(f"/api/v1/runs/{run['id']}", headers=world.viewer.headers).json()[
                "plan"
            ]
            == "compare"
        )
        assert (
            world.client.get(
                f"/api/v1/runs/{run['id']}", headers=world.outsider.headers
            ).status_code
            == 404
        )


class TestRunEvents:
    def test_after_id_and_limit(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        with _db(world).sessions() as session:
            claimed = queue.claim(session, queue.RUNS, "test-worker", 30)
            assert claimed is not None
            assert str(claimed.id) == run["id"]
            end: queue.RunEnd = {"status": "succeeded", "result": {}}
            queue.finish(session, queue.RUNS, claimed.id, "test-worker", end)
        url = f"/api/v1/runs/{run['id']}/events"
        every = world.client.get(url, headers=world.viewer.headers).json()["data"]
        assert [e["kind"] for e in every] == ["run.started", "run.finished", "run.closed"]
        page = world.client.get(
            f"{url}?after_id={every[0]['id']}&limit=1", headers=world.viewer.headers
        ).json()
        assert [e["id"] for e in page["data"]] == [every[1]["id"]]
        assert world.client.get(f"{url}?limit=0", headers=world.owner.headers).status_code == 422
        assert (
            world.client.get(f"{url}?after_id=-1", headers=world.owner.headers).status_code == 422
        )
        assert world.client.get(url, headers=world.outsider.headers).status_code == 404


class TestCancelRun:
    def test_cancel_queued_then_conflict(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        url = f"/api/v1/runs/{run['id']}/cancel"
        assert world.client.post(url, headers=world.viewer.headers).status_code == 403
        r = world.client.post(url, headers=world.editor.headers)
        assert r.status_code == 202
        assert r.json()["status"] == "cancelled"
        kinds = [
            e["kind"]
            for e in world.client.get(
                f"/api/v1/runs/{run['id']}/events", headers=world.owner.headers
            ).json()["data"]
        ]
        assert kinds == ["run.cancelled", "run.closed"]
        again = world.client.post(url, headers=world.editor.headers)
        assert again.status_code == 409
        assert "already cancelled" in again.json()["detail"]

    def test_cancel_running_sets_flag(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        with _db(world).sessions() as session:
            queue.claim(session, queue.RUNS, "w", 30)
        r = world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.owner.headers)
        assert r.json()["status"] == "running"
        assert r.json()["cancel_requested"] is True


class TestWaitRun:
    def test_timeout_and_terminal(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        url = f"/api/v1/runs/{run['id']}/wait"
        assert (
            world.client.get(f"{url}?timeout=0.3", headers=world.viewer.headers).json()["status"]
            == "queued"
        )
        world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.owner.headers)
        assert (
            world.client.get(f"{url}?timeout=5", headers=world.viewer.headers).json()["status"]
            == "cancelled"
        )
        assert (
            world.client.get(f"{url}?timeout=9999", headers=world.owner.headers).status_code == 422
        )
        assert world.client.get(url, headers=world.outsider.headers).status_code == 404


class TestReaper:
    def test_expired_lease_fails_worker_lost(self, world: World) -> None:
        run = world.run(world.experiment(world.project()))
        with _db(world).sessions() as session:
            claimed = queue.claim(session, queue.RUNS, "ghost", 30)
            assert claimed is not None
        with _db(world).sessions() as session:
            assert queue.reap_expired(session, queue.RUNS) == []
            later = utcnow() + timedelta(seconds=60)
            assert [str(i) for i in queue.reap_expired(session, queue.RUNS, later)] == [run["id"]]
        got = world.client.get(f"/api/v1/runs/{run['id']}", headers=world.owner.headers).json()
        assert got["status"] == "failed"
        assert got["error"].startswith("worker lost")
