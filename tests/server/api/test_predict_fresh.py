"""Predict answers from the database's current state: revoking a key, pausing, changing the auth
mode or deleting a deployment takes effect on the very next call — also when the change is made
through another API process — and counted calls reach the database without any stats read."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import select

from podium.server.app import create_app
from podium.server.db.models import Deployment, PredictionLog
from podium.server.db.session import Database
from podium.server.services.predict_stats import StatsBuffer
from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}


def _predict(client: TestClient, slug: str, headers: dict[str, str] | None = None) -> int:
    return client.post(
        f"/api/v1/deployments/{slug}/predict", json={"rows": [ROW]}, headers=headers
    ).status_code


def _key(world: World) -> tuple[str, str]:
    r = world.client.post(
        f"/api/v1/workspaces/{world.ws}/api-keys", json={"name": "k"}, headers=world.owner.headers
    )
    assert r.status_code == 201, r.text
    return str(r.json()["secret"]), str(r.json()["id"])


def _counts(db: Database, dep_id: str) -> tuple[int, int]:
    with db.sessions() as session:
        row = session.execute(
            select(Deployment.request_count, Deployment.error_count).where(
                Deployment.id == uuid.UUID(dep_id)
            )
        ).one()
    return int(row[0]), int(row[1])


class TestChangesTakeEffectAtOnce:
    def test_revoke_pause_mode_delete_on_the_next_call(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="fresh", auth_mode="api-key")
        url = f"/api/v1/deployments/{dep['id']}"
        secret, key_id = _key(world)
        sent = {"X-API-Key": secret}
        assert [_predict(world.client, "fresh", sent) for _ in range(3)] == [200] * 3
        world.client.delete(f"/api/v1/api-keys/{key_id}", headers=world.owner.headers)
        assert _predict(world.client, "fresh", sent) == 401
        secret, _ = _key(world)
        sent = {"X-API-Key": secret}
        assert _predict(world.client, "fresh", sent) == 200
        world.client.patch(url, json={"status": "paused"}, headers=world.editor.headers)
        assert _predict(world.client, "fresh", sent) == 409
        world.client.patch(url, json={"status": "active"}, headers=world.editor.headers)
        assert _predict(world.client, "fresh", sent) == 200
        world.client.patch(url, json={"auth_mode": "workspace"}, headers=world.editor.headers)
        assert _predict(world.client, "fresh", sent) == 401
        assert _predict(world.client, "fresh", world.viewer.headers) == 200
        assert _predict(world.client, "fresh", world.outsider.headers) == 403
        world.client.delete(url, headers=world.editor.headers)
        assert _predict(world.client, "fresh", world.viewer.headers) == 404

    def test_changes_made_by_another_process(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="shared", auth_mode="api-key")
        secret, key_id = _key(world)
        sent = {"X-API-Key": secret}
        assert _predict(world.client, "shared", sent) == 200
        with TestClient(create_app(world.settings)) as other:
            other.delete(f"/api/v1/api-keys/{key_id}", headers=world.owner.headers)
            assert _predict(world.client, "shared", sent) == 401
            other.patch(
                f"/api/v1/deployments/{dep['id']}",
                json={"auth_mode": "public", "status": "paused"},
                headers=world.owner.headers,
            )
            assert _predict(world.client, "shared") == 409
            other.patch(
                f"/api/v1/deployments/{dep['id']}",
                json={"status": "active"},
                headers=world.owner.headers,
            )
            assert _predict(world.client, "shared") == 200


class TestStatsReachTheDatabase:
    def test_flushed_in_the_background_without_a_read(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="bg-stats")
        for _ in range(4):
            assert _predict(world.client, "bg-stats") == 200
        assert (
            world.client.post(
                "/api/v1/deployments/bg-stats/predict", json={"rows": [{"x": 1}]}
            ).status_code
            == 422
        )
        db = Database(world.settings.database_url)
        try:
            deadline = time.monotonic() + 60
            while _counts(db, dep["id"]) != (5, 1) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _counts(db, dep["id"]) == (5, 1)
        finally:
            db.dispose()

    def test_shutdown_writes_what_is_pending(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="last-calls")
        app = create_app(world.settings)
        # a flusher that never ticks during the test: only the shutdown writes
        app.state.predict_stats = StatsBuffer(app.state.db, every_s=3600.0)
        with TestClient(app) as short_lived:
            for _ in range(3):
                assert _predict(short_lived, "last-calls") == 200
        db = Database(world.settings.database_url)
        try:
            assert _counts(db, dep["id"]) == (3, 0)
        finally:
            db.dispose()
        url = f"/api/v1/deployments/{dep['id']}"
        body = world.client.get(url, headers=world.owner.headers).json()
        assert body["request_count"] == 3
        assert body["latency_p50_ms"] is not None
        log = world.client.get(f"{url}/predictions", headers=world.owner.headers).json()
        assert [e["status_code"] for e in log["data"]] == [200]  # call 1 of 3 is sampled

    def test_concurrent_calls_are_all_counted_and_logged(self, world: World) -> None:
        """64 calls from 8 threads while the flusher ticks every 50 ms: every call is counted
        once and, at sample rate 1, logged once with its request id, flushes racing the adds."""
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="many-calls")
        url = f"/api/v1/deployments/{dep['id']}"
        body = {"log_sample_rate": 1.0}
        assert world.client.patch(url, json=body, headers=world.owner.headers).status_code == 200
        app = create_app(world.settings)
        app.state.predict_stats = StatsBuffer(app.state.db, every_s=0.05)
        with TestClient(app) as client:

            def call(_: int) -> str:
                r = client.post("/api/v1/deployments/many-calls/predict", json={"rows": [ROW]})
                assert r.status_code == 200, r.text
                return str(r.json()["request_id"])

            with ThreadPoolExecutor(8) as pool:
                sent = list(pool.map(call, range(64)))
        db = Database(world.settings.database_url)
        try:
            assert _counts(db, dep["id"]) == (64, 0)
            with db.sessions() as session:
                logged = session.scalars(
                    select(PredictionLog.request_id).where(
                        PredictionLog.deployment_id == uuid.UUID(dep["id"])
                    )
                ).all()
        finally:
            db.dispose()
        assert sorted(logged) == sorted(sent)
