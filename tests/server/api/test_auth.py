"""Setup, registration, login, refresh rotation, logout, me, change of password."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from podium.server.throttle import AttemptLimiter
from tests.server.conftest import PASSWORD, World

BOOT = {"email": "Admin@Example.com", "password": "long-enough", "workspace_name": "Lab"}


class TestSetupStatus:
    def test_fresh_install_needs_bootstrap(self, client: TestClient) -> None:
        body = client.get("/api/v1/setup/status").json()
        assert body["needs_bootstrap"] is True
        assert body["registration_enabled"] is True

    def test_after_bootstrap(self, client: TestClient) -> None:
        client.post("/api/v1/setup/bootstrap", json=BOOT)
        assert client.get("/api/v1/setup/status").json()["needs_bootstrap"] is False


class TestBootstrap:
    def test_creates_admin_and_workspace_once(self, client: TestClient) -> None:
        r = client.post("/api/v1/setup/bootstrap", json=BOOT)
        assert r.status_code == 201
        tokens = r.json()
        assert tokens["token_type"] == "bearer"
        assert tokens["expires_in"] > 0
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        me = client.get("/api/v1/auth/me", headers=headers).json()
        assert me["email"] == "admin@example.com"
        assert me["is_admin"] is True
        spaces = client.get("/api/v1/workspaces", headers=headers).json()
        assert [(w["name"], w["role"]) for w in spaces["data"]] == [("Lab", "owner")]
        again = client.post("/api/v1/setup/bootstrap", json={**BOOT, "email": "b@example.com"})
        assert again.status_code == 409
        assert "already set up" in again.json()["detail"]

    def test_bad_inputs(self, client: TestClient) -> None:
        short = client.post("/api/v1/setup/bootstrap", json={**BOOT, "password": "short"})
        assert short.status_code == 422
        assert short.json() == {"detail": "password: String should have at least 8 characters"}
        email = client.post("/api/v1/setup/bootstrap", json={**BOOT, "email": "nope"})
        assert email.status_code == 422
        extra = client.post("/api/v1/setup/bootstrap", json={**BOOT, "admin": True})
        assert extra.status_code == 422
        malformed = client.post(
            "/api/v1/setup/bootstrap",
            content=b'{"email": ',
            headers={"Content-Type": "application/json"},
        )
        assert malformed.status_code == 422
        assert malformed.json()["detail"].startswith("the request body is not valid JSON")
        assert client.get("/api/v1/setup/status").json()["needs_bootstrap"] is True


class TestRegister:
    def test_register_then_duplicate(self, client: TestClient) -> None:
        body = {"email": "new@example.com", "password": "long-enough"}
        assert client.post("/api/v1/auth/register", json=body).status_code == 201
        dup = client.post("/api/v1/auth/register", json=body)
        assert dup.status_code == 409
        assert "already exists" in dup.json()["detail"]

    def test_disabled_by_default(self, world: World) -> None:
        world.client.app.state.settings = world.settings.model_copy(  # type: ignore[attr-defined]
            update={"allow_registration": False}
        )
        r = world.client.post(
            "/api/v1/auth/register", json={"email": "x@example.com", "password": "long-enough"}
        )
        assert r.status_code == 403
        assert "disabled" in r.json()["detail"]


class TestLogin:
    def test_good_and_bad_passwords(self, world: World) -> None:
        ok = world.client.post(
            "/api/v1/auth/login", json={"email": "OWNER@example.com", "password": PASSWORD}
        )
        assert ok.status_code == 200
        assert ok.json()["access_token"]
        for email, password in [("owner@example.com", "wrong-pass"), ("ghost@x.io", PASSWORD)]:
            bad = world.client.post(
                "/api/v1/auth/login", json={"email": email, "password": password}
            )
            assert bad.status_code == 401
            assert bad.json() == {"detail": "wrong email or password"}


class TestRefresh:
    def _login(self, world: World) -> dict[str, str]:
        body = {"email": "owner@example.com", "password": PASSWORD}
        tokens: dict[str, str] = world.client.post("/api/v1/auth/login", json=body).json()
        return tokens

    def test_rotation_and_reuse_revokes_family(self, world: World) -> None:
        first = self._login(world)
        second = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
        assert second.status_code == 200
        assert second.json()["refresh_token"] != first["refresh_token"]
        reuse = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
        )
        assert reuse.status_code == 401
        assert "already used" in reuse.json()["detail"]
        after = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": second.json()["refresh_token"]}
        )
        assert after.status_code == 401
        other = self._login(world)
        fresh = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}
        )
        assert fresh.status_code == 200

    def test_garbage_token(self, client: TestClient) -> None:
        r = client.post("/api/v1/auth/refresh", json={"refresh_token": "garbage"})
        assert r.status_code == 401


class TestLogout:
    def test_logout_revokes(self, world: World) -> None:
        body = {"email": "owner@example.com", "password": PASSWORD}
        tokens = world.client.post("/api/v1/auth/login", json=body).json()
        out = world.client.post(
            "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
        )
        assert out.status_code == 204
        r = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert r.status_code == 401


class TestMe:
    def test_me_and_bad_tokens(self, world: World) -> None:
        assert (
            world.client.get("/api/v1/auth/me", headers=world.viewer.headers).json()["email"]
            == "viewer@example.com"
        )
        anonymous = world.client.get("/api/v1/auth/me")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"] == "Bearer"
        forged = world.client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {world.owner.token}x"}
        )
        assert forged.status_code == 401
        assert "invalid" in forged.json()["detail"]


class TestChangePassword:
    NEW = "a-brand-new-password"

    def _login(self, world: World, password: str = PASSWORD) -> Any:
        body = {"email": "owner@example.com", "password": password}
        return world.client.post("/api/v1/auth/login", json=body)

    def _change(self, world: World, token: str, current: str, new: str) -> Any:
        return world.client.post(
            "/api/v1/auth/password",
            json={"current_password": current, "new_password": new},
            headers={"Authorization": f"Bearer {token}"},
        )

    def test_change_ends_every_other_session(self, world: World) -> None:
        here, elsewhere = self._login(world).json(), self._login(world).json()
        r = self._change(world, here["access_token"], PASSWORD, self.NEW)
        assert r.status_code == 200, r.text
        fresh = r.json()
        assert self._login(world).status_code == 401
        assert self._login(world, self.NEW).status_code == 200
        me = "/api/v1/auth/me"
        for old in (here, elsewhere):
            stale = world.client.get(me, headers={"Authorization": f"Bearer {old['access_token']}"})
            assert stale.status_code == 401
            assert "password was changed" in stale.json()["detail"]
            refreshed = world.client.post(
                "/api/v1/auth/refresh", json={"refresh_token": old["refresh_token"]}
            )
            assert refreshed.status_code == 401
        assert world.client.get(me, headers=world.owner.headers).status_code == 401
        headers = {"Authorization": f"Bearer {fresh['access_token']}"}
        assert world.client.get(me, headers=headers).json()["email"] == "owner@example.com"
        again = world.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": fresh["refresh_token"]}
        )
        assert again.status_code == 200

    def test_refusals_change_nothing(self, world: World) -> None:
        token = world.owner.token
        wrong = self._change(world, token, "not-my-password", self.NEW)
        assert wrong.status_code == 422
        assert wrong.json() == {"detail": "current_password is not your current password"}
        same = self._change(world, token, PASSWORD, PASSWORD)
        assert same.status_code == 422
        assert "must differ" in same.json()["detail"]
        short = self._change(world, token, PASSWORD, "short")
        assert short.status_code == 422
        assert "new_password" in short.json()["detail"]
        assert self._change(world, "not-a-token", PASSWORD, self.NEW).status_code == 401
        assert self._login(world).status_code == 200
        assert world.client.get("/api/v1/auth/me", headers=world.owner.headers).status_code == 200

    def test_wrong_current_passwords_count_as_failed_attempts(self, world: World) -> None:
        world.client.app.state.attempts = AttemptLimiter(  # type: ignore[attr-defined]
            per_account=2, per_client=100, window_s=300
        )
        codes = [
            self._change(world, world.owner.token, "guess", self.NEW).status_code for _ in range(3)
        ]
        assert codes == [422, 422, 429]
        assert self._login(world).status_code == 429  # the same account's window
