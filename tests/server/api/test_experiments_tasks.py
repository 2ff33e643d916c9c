"""Experiments of every task: the engine's task registry decides the task and the target rule."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from podium.engine import tasks
from tests.server.conftest import World


def fake_models(task: str) -> list[dict[str, Any]]:
    return [{"id": "km", "name": "k-means", "family": "centroid", "is_available": True}]


def fake_metrics(task: str) -> list[dict[str, Any]]:
    return [{"id": "Silhouette", "name": "Silhouette", "greater_is_better": True}]


def fake_params(task: str) -> list[dict[str, Any]]:
    return [
        {
            "name": "n_clusters",
            "kind": "int",
            "group": "clustering",
            "default": None,
            "choices": None,
            "min": 2,
            "max": 50,
            "description": "Clusters to find.",
        }
    ]


@pytest.fixture
def clustering_wired() -> Iterator[None]:
    """Clustering as its helper will wire it in: available, with its parts."""
    here = __name__
    wired = dataclasses.replace(
        tasks.get("clustering"),
        available=True,
        setup=f"{here}:fake_models",  # never called here: experiments only store
        models=f"{here}:fake_models",
        metrics=f"{here}:fake_metrics",
        setup_params=f"{here}:fake_params",
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(tasks._BY_ID, "clustering", wired)
        yield


@pytest.fixture
def clustering_hidden() -> Iterator[None]:
    """Clustering as a task this engine cannot run yet (the example of a hidden task)."""
    hidden = dataclasses.replace(tasks.get("clustering"), available=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(tasks._BY_ID, "clustering", hidden)
        yield


OFFERED = "binary, multiclass, regression, forecasting, clustering, anomaly"


def _post(world: World, **body: object) -> httpx.Response:
    payload = {"name": "E", "task": "clustering", "sklearn_dataset": "iris", **body}
    return world.client.post(
        f"/api/v1/projects/{world.project()}/experiments", json=payload, headers=world.owner.headers
    )


class TestDescribeTasks:
    def test_tasks_say_what_the_wizard_needs(self, world: World) -> None:
        got = world.client.get("/api/v1/describe/tasks", headers=world.viewer.headers)
        assert got.status_code == 200
        assert [t["id"] for t in got.json()] == OFFERED.split(", ")
        assert got.json()[0] == {
            "id": "binary",
            "name": "Binary classification",
            "description": "Predict one of two classes.",
            "target": "required",
            "inferable": True,
            "model_kind": "classification",
            "output": "label",
        }

    def test_hidden_task_is_a_422_in_the_engines_words(
        self, world: World, clustering_hidden: None
    ) -> None:
        for what in ("models", "metrics", "setup-params", "plots"):
            r = world.client.get(
                f"/api/v1/describe/{what}?task=clustering", headers=world.viewer.headers
            )
            assert r.status_code == 422, what
            assert r.json()["detail"] == (
                "task 'clustering' (Clustering) is not available yet: "
                "use one of binary, multiclass, regression, forecasting, anomaly"
            )

    def test_a_wired_task_is_listed(self, world: World, clustering_wired: None) -> None:
        got = world.client.get("/api/v1/describe/tasks", headers=world.viewer.headers).json()
        assert [t["id"] for t in got] == OFFERED.split(", ")
        assert got[4]["target"] == "none"
        params = world.client.get(
            "/api/v1/describe/setup-params?task=clustering", headers=world.viewer.headers
        ).json()
        assert [p["name"] for p in params] == ["n_clusters"]

    def test_plans_of_a_task(self, world: World, clustering_wired: None) -> None:
        get = world.client.get
        h = world.viewer.headers
        every = [p["id"] for p in get("/api/v1/describe/plans", headers=h).json()]
        binary = [p["id"] for p in get("/api/v1/describe/plans?task=binary", headers=h).json()]
        assert binary == every
        clustering = get("/api/v1/describe/plans?task=clustering", headers=h).json()
        assert [p["id"] for p in clustering] == ["setup", "create", "compare"]
        bad = get("/api/v1/describe/plans?task=nope", headers=h)
        assert bad.status_code == 422
        assert bad.json()["detail"].startswith("unknown task 'nope'")


class TestCreateByTask:
    def test_hidden_task_refused(self, world: World, clustering_hidden: None) -> None:
        r = _post(world)
        assert r.status_code == 422
        assert r.json()["detail"].startswith("task 'clustering' (Clustering) is not available yet")

    def test_unknown_task_refused(self, world: World) -> None:
        r = _post(world, task="nope", target="target")
        assert r.status_code == 422
        assert r.json()["detail"] == f"unknown task 'nope': use one of {OFFERED}"

    def test_targetless_task_accepted_without_target(
        self, world: World, clustering_wired: None
    ) -> None:
        r = _post(world, setup_params={"n_clusters": 3})
        assert r.status_code == 201, r.text
        assert (r.json()["target"], r.json()["setup_params"]) == ("", {"n_clusters": 3})

    def test_targetless_task_refuses_a_target(self, world: World, clustering_wired: None) -> None:
        r = _post(world, target="target")
        assert r.status_code == 422
        assert r.json()["detail"] == (
            "task 'clustering' takes no target column, got 'target': leave the target empty"
        )
        bad = _post(world, setup_params={"n_clusters": 1})
        assert bad.status_code == 422
        assert "'n_clusters' must be between 2 and 50" in bad.json()["detail"]

    def test_supervised_task_needs_a_target(self, world: World) -> None:
        r = _post(world, task="multiclass")
        assert r.status_code == 422
        assert r.json()["detail"] == (
            "task 'multiclass' needs a target column: name the column to predict"
        )

    def test_update_keeps_the_rule(self, world: World, clustering_wired: None) -> None:
        made = _post(world).json()
        r = world.client.patch(
            f"/api/v1/experiments/{made['id']}",
            json={"target": "target"},
            headers=world.owner.headers,
        )
        assert r.status_code == 422
        assert "takes no target column" in r.json()["detail"]
