"""``/healthz`` and ``/metrics``: a minimal public answer; detail for the metrics token, an
administrator, or everyone when ``PODIUM_PUBLIC_METRICS`` is on."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from podium.server.app import create_app
from podium.server.db.base import utcnow
from podium.server.db.models import User, WorkerBeat
from podium.server.db.session import Database
from tests.conftest import METRICS_HEADERS, make_settings
from tests.server.conftest import World

HOST = "build-box-7.internal"


@pytest.fixture
def monitored(world: World) -> World:
    """The world with a live worker heartbeat and an administrator (the owner)."""
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        session.add(WorkerBeat(id=f"{HOST}:4242:abc", hostname=HOST, pid=4242))
        session.execute(
            update(User).where(User.id == uuid.UUID(world.owner.id)).values(is_admin=True)
        )
        session.commit()
    return world


def _beat_now(world: World) -> None:
    """The worker heartbeats again, as a live one does every few seconds: a test stalled past
    ``worker_stale_s`` on a saturated machine (CI at nice 19) would otherwise count it dead."""
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        session.execute(update(WorkerBeat).values(heartbeat_at=utcnow()))
        session.commit()


class TestHealthz:
    @pytest.mark.parametrize("caller", ["anonymous", "viewer", "wrong-token"])
    def test_public_answer_is_status_only(self, monitored: World, caller: str) -> None:
        headers = (
            {"Authorization": "Bearer not-the-metrics-token-at-all"}
            if caller == "wrong-token"
            else monitored.as_(caller)
        )
        r = monitored.client.get("/healthz", headers=headers)
        assert r.status_code == 200
        assert r.json() == {"status": "ok"}
        assert HOST not in r.text
        assert "4242" not in r.text

    @pytest.mark.parametrize("caller", ["metrics-token", "admin"])
    def test_detail_for_token_and_admin(self, monitored: World, caller: str) -> None:
        headers = METRICS_HEADERS if caller == "metrics-token" else monitored.owner.headers
        body = monitored.client.get("/healthz", headers=headers).json()
        assert body["status"] == "ok"
        assert body["database"]["ok"] is True
        assert [(w["hostname"], w["pid"]) for w in body["workers"]["items"]] == [(HOST, 4242)]

    def test_public_setting_shows_detail_to_anyone(self, tmp_path: Path, sqlite_url: str) -> None:
        settings = make_settings(tmp_path, sqlite_url, public_metrics=True, metrics_token=None)
        with TestClient(create_app(settings)) as client:
            body = client.get("/healthz").json()
            assert body["database"]["ok"] is True
            assert client.get("/metrics").status_code == 200


class TestMetrics:
    @pytest.mark.parametrize("caller", ["anonymous", "viewer", "owner-not-admin", "wrong-token"])
    def test_refused_without_token_or_admin(self, world: World, caller: str) -> None:
        headers = {
            "anonymous": {},
            "viewer": world.viewer.headers,
            "owner-not-admin": world.owner.headers,
            "wrong-token": {"Authorization": "Bearer not-the-metrics-token-at-all"},
        }[caller]
        r = world.client.get("/metrics", headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
        assert "PODIUM_METRICS_TOKEN" in r.json()["detail"]
        assert "podium_" not in r.text

    @pytest.mark.parametrize("caller", ["metrics-token", "admin"])
    def test_served_to_token_and_admin(self, monitored: World, caller: str) -> None:
        headers = METRICS_HEADERS if caller == "metrics-token" else monitored.owner.headers
        _beat_now(monitored)
        r = monitored.client.get("/metrics", headers=headers)
        assert r.status_code == 200
        assert "podium_workers_alive 1.0" in r.text

    def test_no_token_configured_admin_only(self, tmp_path: Path, sqlite_url: str) -> None:
        settings = make_settings(tmp_path, sqlite_url, metrics_token=None)
        with TestClient(create_app(settings)) as client:
            assert client.get("/metrics", headers=METRICS_HEADERS).status_code == 401
            assert client.get("/healthz", headers=METRICS_HEADERS).json() == {"status": "degraded"}
