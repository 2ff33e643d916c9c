"""Pipelines load before their first call: on deploy, at API start-up, and in free cache slots
as other processes deploy (``services/preload.py``)."""

from __future__ import annotations

import gc
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.server import app as app_module
from podium.server.app import create_app
from podium.server.db.models import Pipeline
from podium.server.services import preload
from podium.server.services.predictions import PipelineCache
from tests.server.api.serving import built_versions, deploy, ready_pipeline
from tests.server.conftest import World

ROW = {"sepal length (cm)": 5.1, "sepal width (cm)": 3.5, "petal length (cm)": 1.4}
ROW |= {"petal width (cm)": 0.2}


def _cache(client: TestClient) -> PipelineCache:
    cache: PipelineCache = client.app.state.pipeline_cache  # type: ignore[attr-defined]
    return cache


def _folder(world: World, pipe: dict[str, Any]) -> Path:
    return Path(world.settings.artifact_root, "workspaces", world.ws, "pipelines", pipe["id"])


class TestOnDeploy:
    def test_the_pipeline_is_loaded_before_any_predict(self, world: World) -> None:
        pipe = ready_pipeline(world)
        assert not _cache(world.client).holds(pipe["sha256"])
        deploy(world, pipe["id"], slug="iris-warm")
        assert _cache(world.client).holds(pipe["sha256"])  # no call was made yet
        r = world.client.post("/api/v1/deployments/iris-warm/predict", json={"rows": [ROW]})
        assert r.status_code == 200, r.text
        assert len(_cache(world.client)) == 1

    def test_an_artifact_failing_its_checks_is_refused_at_deploy(self, world: World) -> None:
        pipe = ready_pipeline(world)
        other = ready_pipeline(world, model_id="dt", name="other")
        for name in ("pipeline.skops", "manifest.json"):  # another valid model's files
            (_folder(world, pipe) / name).write_bytes((_folder(world, other) / name).read_bytes())
        r = world.client.post(
            f"/api/v1/pipelines/{pipe['id']}/deployments",
            json={"slug": "iris-bad", "auth_mode": "public"},
            headers=world.owner.headers,
        )
        assert r.status_code == 409
        assert "failed its SHA-256 check" in r.json()["detail"]
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/deployments", headers=world.owner.headers
        )
        assert listed.json()["count"] == 0
        assert len(_cache(world.client)) == 0


class TestOnStart:
    def test_a_new_api_process_loads_active_deployments(self, world: World) -> None:
        active, paused = built_versions(world, "flowers", ["lr", "dt"])
        deploy(world, active["id"], slug="serving")
        dep = deploy(world, paused["id"], slug="resting")
        r = world.client.patch(
            f"/api/v1/deployments/{dep['id']}",
            json={"status": "paused"},
            headers=world.owner.headers,
        )
        assert r.status_code == 200, r.text
        with TestClient(create_app(world.settings)) as fresh:  # another API process's state
            cache = _cache(fresh)
            deadline = time.monotonic() + 120
            while not cache.holds(active["sha256"]) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert cache.holds(active["sha256"])
            assert not cache.holds(paused["sha256"])  # paused: not served, not loaded

    def test_what_start_up_loaded_is_frozen_out_of_the_collectors_walks(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="frozen")
        # Every app in this process refreezes on its own ticks (world's own app too, after the
        # deploy above loaded into its cache): look at the heap only between walks.
        walking = threading.Lock()
        real = app_module.refreeze

        def guarded() -> None:
            with walking:
                real()

        monkeypatch.setattr(app_module, "refreeze", guarded)

        def walked(obj: object) -> bool:
            with walking:
                return _walked(obj)

        with TestClient(create_app(world.settings)) as fresh:
            cache = _cache(fresh)
            deadline = time.monotonic() + 120
            while not cache.holds(pipe["sha256"]) and time.monotonic() < deadline:
                time.sleep(0.05)
            loaded = cache.lookup(pipe["sha256"])  # by the start-up preload: no call was made
            assert loaded is not None
            while walked(loaded.pipe) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not walked(loaded.pipe)  # frozen after the start-up preload
            r = fresh.post("/api/v1/deployments/frozen/predict", json={"rows": [ROW]})
            assert r.status_code == 200, r.text
            assert not walked(loaded.pipe)  # a call neither thaws it nor loads it again
            assert cache.lookup(pipe["sha256"]) is loaded

    def test_a_pipeline_loaded_after_start_up_is_frozen_too(self, world: World) -> None:
        gc.unfreeze()  # this test process's earlier apps froze theirs
        settings = world.settings.model_copy(update={"preload_every_s": 0.05})
        with TestClient(create_app(settings)) as fresh:
            deadline = time.monotonic() + 120
            while not gc.get_freeze_count() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert gc.get_freeze_count() > 0  # start-up: nothing deployed yet
            pipe = ready_pipeline(world)
            r = fresh.post(
                f"/api/v1/pipelines/{pipe['id']}/deployments",
                json={"slug": "late", "auth_mode": "public"},
                headers=world.owner.headers,
            )
            assert r.status_code == 201, r.text
            loaded = _cache(fresh).lookup(pipe["sha256"])  # loaded by the deploy itself
            assert loaded is not None
            while _walked(loaded.pipe) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not _walked(loaded.pipe)  # frozen by the next preload tick

    def test_the_heap_is_frozen_again_only_when_the_cache_changes(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pipe = ready_pipeline(world)
        deploy(world, pipe["id"], slug="steady")
        walkers: list[int] = []  # the thread of each walk: every app in this process counts
        real = app_module.refreeze

        def counted() -> None:
            walkers.append(threading.get_ident())
            real()

        monkeypatch.setattr(app_module, "refreeze", counted)
        settings = world.settings.model_copy(update={"preload_every_s": 0.02})
        with TestClient(create_app(settings)) as fresh:
            assert fresh.portal is not None
            loop_thread = fresh.portal.call(threading.get_ident)  # where its preload loop runs

            def walks() -> int:
                return walkers.count(loop_thread)

            cache = _cache(fresh)
            deadline = time.monotonic() + 120
            while not walks() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert cache.holds(pipe["sha256"])
            ticks = time.monotonic() + 0.5  # ~25 more preload ticks, nothing new to load
            while time.monotonic() < ticks:
                r = fresh.post("/api/v1/deployments/steady/predict", json={"rows": [ROW]})
                assert r.status_code == 200, r.text
            assert walks() == 1  # one full walk at start-up, none per tick or per call

    def test_preload_fills_free_slots_and_never_evicts(self, world: World) -> None:
        first, second = built_versions(world, "flowers", ["lr", "dt"])
        deploy(world, first["id"], slug="first")
        deploy(world, second["id"], slug="second")  # newest deployment: wanted first
        state = world.client.app.state  # type: ignore[attr-defined]
        cache = PipelineCache(size=1)
        assert preload.preload(state.db, state.store, cache) == 1
        assert cache.holds(second["sha256"])
        cache.get(state.store, _row(world, first["id"]))  # a call to "first" takes the only slot
        assert preload.preload(state.db, state.store, cache) == 0  # full: nothing evicted
        assert cache.holds(first["sha256"])
        assert not cache.holds(second["sha256"])


def _walked(obj: object) -> bool:
    """Whether a full collection would walk ``obj`` (it is in a generation, not frozen)."""
    return any(o is obj for o in gc.get_objects())


def _row(world: World, pipeline_id: str) -> Any:
    db = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        return session.get(Pipeline, uuid.UUID(pipeline_id))
