"""API keys: created once (secret shown once), stored hashed, listed, revoked, roles."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from podium.server.db.models import ApiKey
from podium.server.db.session import Database
from tests.conftest import new_id
from tests.server.conftest import World


def _create(world: World, who: str = "owner", ws: str | None = None, name: str = "ci") -> object:
    return world.client.post(
        f"/api/v1/workspaces/{ws or world.ws}/api-keys", json={"name": name}, headers=world.as_(who)
    )


class TestCreateApiKey:
    def test_secret_shown_once_and_stored_hashed(self, world: World) -> None:
        r = _create(world, who="editor")
        assert r.status_code == 201  # type: ignore[attr-defined]
        body = r.json()  # type: ignore[attr-defined]
        secret = body["secret"]
        assert secret.startswith("pod_")
        assert len(secret) > 40
        assert body["prefix"] == secret[:12]
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/api-keys", headers=world.viewer.headers
        ).json()
        assert listed["count"] == 1
        assert "secret" not in listed["data"][0]
        assert secret not in str(listed)
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            row = session.scalars(select(ApiKey)).one()
        assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in (row.key_hash, row.prefix, row.name)

    def test_roles_and_bad_input(self, world: World) -> None:
        for who, code in {"anonymous": 401, "outsider": 404, "viewer": 403}.items():
            assert _create(world, who=who).status_code == code  # type: ignore[attr-defined]
        assert _create(world, name="").status_code == 422  # type: ignore[attr-defined]
        url = f"/api/v1/workspaces/{world.ws}/api-keys"
        assert world.client.get(url, headers=world.outsider.headers).status_code == 404
        assert world.client.get(url).status_code == 401

    def test_workspace_scoped(self, world: World) -> None:
        _create(world)
        _create(world, who="outsider", ws=world.other_ws, name="theirs")
        mine = world.client.get(
            f"/api/v1/workspaces/{world.ws}/api-keys", headers=world.owner.headers
        ).json()
        assert [k["name"] for k in mine["data"]] == ["ci"]


class TestRevokeApiKey:
    def test_revoke(self, world: World) -> None:
        key = _create(world).json()  # type: ignore[attr-defined]
        url = f"/api/v1/api-keys/{key['id']}"
        for who, code in {"anonymous": 401, "outsider": 404, "viewer": 403}.items():
            assert world.client.delete(url, headers=world.as_(who)).status_code == code
        assert world.client.delete(url, headers=world.editor.headers).status_code == 204
        again = world.client.delete(url, headers=world.owner.headers)
        assert again.status_code == 409
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/api-keys", headers=world.owner.headers
        ).json()
        assert listed["data"][0]["revoked_at"] is not None
        missing = world.client.delete(f"/api/v1/api-keys/{new_id()}", headers=world.owner.headers)
        assert missing.status_code == 404
