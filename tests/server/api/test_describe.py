"""Describe endpoints proxy the engine."""

from __future__ import annotations

from typing import get_args

from podium.engine import describe
from podium.server.schemas.runs import Plan
from tests.server.conftest import World


class TestDescribe:
    def test_all(self, world: World) -> None:
        h = world.viewer.headers
        get = world.client.get
        assert [t["id"] for t in get("/api/v1/describe/tasks", headers=h).json()] == [
            t["id"] for t in describe.tasks()
        ]
        models = get("/api/v1/describe/models?task=binary", headers=h).json()
        assert {m["id"] for m in models} == {m["id"] for m in describe.models("binary")}
        assert all("is_available" in m for m in models)
        metrics = get("/api/v1/describe/metrics?task=regression", headers=h).json()
        assert "RMSE" in [m["id"] for m in metrics]
        params = get("/api/v1/describe/setup-params?task=multiclass", headers=h).json()
        assert "folds" in [p["name"] for p in params]
        samples = get("/api/v1/describe/samples", headers=h).json()
        assert "iris" in [s["id"] for s in samples]

    def test_plans_are_the_engines(self, world: World) -> None:
        plans = world.client.get("/api/v1/describe/plans", headers=world.viewer.headers).json()
        assert plans == describe.plans()
        # the submission schema's plan names are the engine's plans, no more, no fewer
        assert [p["id"] for p in plans] == list(get_args(Plan))
        compare = next(p for p in plans if p["id"] == "compare")
        assert [q["name"] for q in compare["params"]] == [
            "models",
            "sort",
            "n_select",
            "budget_s",
            "model_time_limit_s",
            "race",
        ]

    def test_bad_task_and_anonymous(self, world: World) -> None:
        assert (
            world.client.get(
                "/api/v1/describe/models?task=nope", headers=world.owner.headers
            ).status_code
            == 422
        )
        assert (
            world.client.get("/api/v1/describe/models", headers=world.owner.headers).status_code
            == 422
        )
        assert world.client.get("/api/v1/describe/tasks").status_code == 401
