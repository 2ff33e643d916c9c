"""Accounts for administrators: list, disable (every path of the account stops at once), enable.

Who may call these routes is in the authorization matrix; this file checks what they do.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.websockets import WebSocketDisconnect

from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import PASSWORD, World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}


def _patch(world: World, user_id: str, is_active: bool, who: Any = None) -> Any:
    return world.client.patch(
        f"/api/v1/users/{user_id}",
        json={"is_active": is_active},
        headers=(who or world.admin).headers,
    )


def _login(world: World, email: str) -> Any:
    body = {"email": email, "password": PASSWORD}
    return world.client.post("/api/v1/auth/login", json=body)


class TestList:
    def test_every_account_oldest_first(self, world: World) -> None:
        body = world.client.get("/api/v1/users", headers=world.admin.headers).json()
        emails = [u["email"] for u in body["data"]]
        assert sorted(emails) == sorted(
            f"{n}@example.com" for n in ("owner", "editor", "viewer", "outsider", "admin")
        )
        assert body["count"] == 5
        assert {u["email"]: u["is_admin"] for u in body["data"]}["admin@example.com"] is True
        assert all(u["is_active"] for u in body["data"])
        assert "password_hash" not in body["data"][0]


class TestDisable:
    def test_disabled_account_stops_everywhere_then_enabled(self, world: World) -> None:
        tokens = _login(world, "viewer@example.com").json()
        r = _patch(world, world.viewer.id, False)
        assert r.status_code == 200, r.text
        assert r.json()["is_active"] is False
        me = world.client.get("/api/v1/auth/me", headers=world.viewer.headers)
        assert me.status_code == 401
        assert "disabled" in me.json()["detail"]
        refused = _login(world, "viewer@example.com")
        assert refused.status_code == 403
        assert "disabled; ask an administrator" in refused.json()["detail"]
        assert _login(world, "viewer@example.com").status_code == 403  # not a 401 for a guess
        refresh = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refresh.status_code == 401
        listed = world.client.get("/api/v1/users", headers=world.admin.headers).json()
        assert {u["email"]: u["is_active"] for u in listed["data"]}["viewer@example.com"] is False

        assert _patch(world, world.viewer.id, True).json()["is_active"] is True
        assert _login(world, "viewer@example.com").status_code == 200
        # tokens from before the disable stay dead: the account's sessions ended with it
        assert world.client.get("/api/v1/auth/me", headers=world.viewer.headers).status_code == 401

    def test_websocket_refuses_a_disabled_account(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")
        _patch(world, world.owner.id, False)
        url = f"/api/v1/runs/{run['id']}/events/ws?token={world.owner.token}"
        with world.client.websocket_connect(url) as ws, pytest.raises(WebSocketDisconnect) as end:
            ws.receive_json()
        assert end.value.code == 4401

    def test_workspace_deployment_refuses_a_disabled_member(self, world: World) -> None:
        deploy(world, ready_pipeline(world)["id"], slug="members-only", auth_mode="workspace")
        url = "/api/v1/deployments/members-only/predict"
        ok = world.client.post(url, json={"rows": [ROW]}, headers=world.viewer.headers)
        assert ok.status_code == 200, ok.text
        _patch(world, world.viewer.id, False)
        refused = world.client.post(url, json={"rows": [ROW]}, headers=world.viewer.headers)
        assert refused.status_code == 401
        _patch(world, world.viewer.id, True)
        stale = world.client.post(url, json={"rows": [ROW]}, headers=world.viewer.headers)
        assert stale.status_code == 401  # enabled again, but that token's session has ended

    def test_refusals(self, world: World) -> None:
        own = _patch(world, world.admin.id, False)
        assert own.status_code == 409
        assert "your own account" in own.json()["detail"]
        unknown = _patch(world, "00000000-0000-4000-8000-000000000000", False)
        assert unknown.status_code == 404
        owner = _patch(world, world.viewer.id, False, who=world.owner)
        assert owner.status_code == 403
        assert "only an administrator" in owner.json()["detail"]
        bad = world.client.patch(
            f"/api/v1/users/{world.viewer.id}",
            json={"is_active": "nope"},
            headers=world.admin.headers,
        )
        assert bad.status_code == 422
        assert _login(world, "viewer@example.com").status_code == 200
