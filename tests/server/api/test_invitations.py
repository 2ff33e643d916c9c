"""Invitations: create → preview → accept (new or existing account), and every way a link
stops working (used, revoked, expired), each with a clear 4xx."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from podium.server.db.base import utcnow
from podium.server.db.models import AuditEvent, Invitation
from podium.server.db.session import Database
from tests.server.conftest import PASSWORD, World


def _invite(world: World, email: str = "new@example.com", **extra: Any) -> dict[str, Any]:
    r = world.client.post(
        f"/api/v1/workspaces/{world.ws}/invitations",
        json={"email": email, "role": "editor", **extra},
        headers=world.owner.headers,
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def _accept(world: World, token: str, headers: dict[str, str] | None = None, **body: Any) -> Any:
    return world.client.post(f"/api/v1/invitations/{token}/accept", json=body, headers=headers)


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestLifecycle:
    def test_invite_preview_accept_creates_account_and_membership(self, world: World) -> None:
        created = _invite(world)
        assert created["status"] == "pending"
        assert created["path"] == f"/invitations/{created['token']}"
        with _db(world).sessions() as session:
            row = session.scalar(select(Invitation))
            assert row is not None
            assert created["token"] not in row.token_hash  # only the hash is stored
        preview = world.client.get(f"/api/v1/invitations/{created['token']}").json()
        assert preview["email"] == "new@example.com"
        assert preview["role"] == "editor"
        assert preview["workspace_name"] == "Main"
        assert preview["account_exists"] is False

        r = _accept(world, created["token"], password="a-good-password", display_name="Nia")
        assert r.status_code == 200, r.text
        tokens = r.json()["tokens"]
        me = world.client.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"}
        ).json()
        assert (me["email"], me["display_name"]) == ("new@example.com", "Nia")
        members = world.client.get(
            f"/api/v1/workspaces/{world.ws}/members", headers=world.owner.headers
        ).json()["data"]
        assert {"new@example.com": "editor"}.items() <= {
            m["email"]: m["role"] for m in members
        }.items()
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/invitations", headers=world.owner.headers
        ).json()
        assert listed["data"][0]["status"] == "accepted"
        assert "token" not in listed["data"][0]
        with _db(world).sessions() as session:
            actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.at)))
        assert actions == ["invitation.create", "auth.register", "invitation.accept", "member.add"]

    def test_existing_account_accepts_signed_in(self, world: World) -> None:
        created = _invite(world, email="outsider@example.com")
        assert world.client.get(f"/api/v1/invitations/{created['token']}").json()["account_exists"]
        refused = _accept(world, created["token"], password="a-good-password")
        assert refused.status_code == 409
        assert "sign in" in refused.json()["detail"]
        wrong = _accept(world, created["token"], headers=world.viewer.headers)
        assert wrong.status_code == 403
        assert "outsider@example.com" in wrong.json()["detail"]
        r = _accept(world, created["token"], headers=world.outsider.headers)
        assert r.status_code == 200, r.text
        assert r.json()["tokens"] is None
        ws = world.client.get(f"/api/v1/workspaces/{world.ws}", headers=world.outsider.headers)
        assert ws.json()["role"] == "editor"


class TestRefusals:
    def test_used_revoked_expired_and_unknown_links(self, world: World) -> None:
        used = _invite(world, email="a@example.com")
        assert _accept(world, used["token"], password="a-good-password").status_code == 200
        again = _accept(world, used["token"], password="a-good-password")
        assert again.status_code == 410
        assert "already used" in again.json()["detail"]

        revoked = _invite(world, email="b@example.com")
        url = f"/api/v1/workspaces/{world.ws}/invitations/{revoked['id']}"
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
        assert world.client.delete(url, headers=world.owner.headers).status_code == 409
        r = world.client.get(f"/api/v1/invitations/{revoked['token']}")
        assert r.status_code == 410
        assert "revoked" in r.json()["detail"]

        expired = _invite(world, email="c@example.com", valid_hours=1)
        with _db(world).sessions() as session:
            session.execute(
                update(Invitation)
                .where(Invitation.id == uuid.UUID(expired["id"]))
                .values(expires_at=utcnow() - timedelta(minutes=1))
            )
            session.commit()
        r = _accept(world, expired["token"], password="a-good-password")
        assert r.status_code == 410
        assert "expired" in r.json()["detail"]

        r = world.client.get("/api/v1/invitations/pdi_nonsense")
        assert r.status_code == 404
        assert "copied" in r.json()["detail"]

    def test_bad_requests(self, world: World) -> None:
        created = _invite(world)
        r = _accept(world, created["token"])
        assert r.status_code == 422
        assert "password is required" in r.json()["detail"]
        r = _accept(world, created["token"], password="short")
        assert r.status_code == 422
        for body in ({"email": "viewer@example.com"}, {"email": "x@example.com", "valid_hours": 0}):
            r = world.client.post(
                f"/api/v1/workspaces/{world.ws}/invitations",
                json=body,
                headers=world.owner.headers,
            )
            assert r.status_code in (409, 422), body
            assert r.json()["detail"]
        assert _accept(world, created["token"], password=PASSWORD).status_code == 200

    def test_a_failed_accept_leaves_no_account_and_no_rows(self, world: World) -> None:
        created = _invite(world, email="outsider@example.com")
        _accept(world, created["token"], headers=world.viewer.headers)
        with _db(world).sessions() as session:
            actions = set(session.scalars(select(AuditEvent.action)))
        assert actions == {"invitation.create"}
