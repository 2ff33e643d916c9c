"""The audit log: what is recorded (and what never is), reading, filtering, CSV export.

Who may read the logs is in the authorization matrix; this file checks what they hold.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from podium.server.db.models import AuditEvent, Project
from podium.server.db.session import Database
from podium.server.services import audit, projects
from tests.server.conftest import PASSWORD, World


def _log(world: World, **params: Any) -> dict[str, Any]:
    r = world.client.get(
        f"/api/v1/workspaces/{world.ws}/audit-log", params=params, headers=world.owner.headers
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _rows(world: World, **where: Any) -> list[AuditEvent]:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        query = select(AuditEvent).order_by(AuditEvent.at)
        for column, value in where.items():
            query = query.where(getattr(AuditEvent, column) == value)
        return list(session.scalars(query))


class TestRecording:
    def test_a_change_is_one_row_with_who_where_what(self, world: World) -> None:
        project = world.project()
        (row,) = _rows(world, action="project.create")
        assert row.actor_email == "owner@example.com"
        assert str(row.actor_id) == world.owner.id
        assert str(row.workspace_id) == world.ws
        assert (row.resource_type, row.resource_id) == ("project", project)
        assert row.outcome == "success"
        assert row.client == "testclient"
        assert row.detail == {"name": "P"}

    def test_a_refused_change_leaves_no_row(self, world: World) -> None:
        project = world.project()
        r = world.client.delete(f"/api/v1/projects/{project}", headers=world.viewer.headers)
        assert r.status_code == 403
        bad = {"name": "E", "task": "multiclass", "target": "nope", "sklearn_dataset": "iris"}
        r = world.client.post(
            f"/api/v1/projects/{project}/experiments", json=bad, headers=world.owner.headers
        )
        assert r.status_code == 422
        assert _rows(world, action="project.delete") == []
        assert _rows(world, action="experiment.create") == []

    def test_members_roles_and_accounts(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/members/{world.viewer.id}"
        owner = world.owner.headers
        assert world.client.patch(url, json={"role": "editor"}, headers=owner).is_success
        assert world.client.delete(url, headers=owner).is_success
        (changed,) = _rows(world, action="member.update")
        assert changed.detail == {
            "email": "viewer@example.com",
            "role": "editor",
            "previous_role": "viewer",
        }
        (removed,) = _rows(world, action="member.remove")
        assert removed.resource_id == world.viewer.id
        body = {"is_active": False}
        r = world.client.patch(
            f"/api/v1/users/{world.editor.id}", json=body, headers=world.admin.headers
        )
        assert r.is_success
        (disabled,) = _rows(world, action="user.disable")
        assert disabled.workspace_id is None
        assert disabled.actor_email == "admin@example.com"

    def test_sign_ins_succeeded_and_failed(self, world: World) -> None:
        ok = {"email": "owner@example.com", "password": PASSWORD}
        assert world.client.post("/api/v1/auth/login", json=ok).status_code == 200
        bad = {"email": "owner@example.com", "password": "not-the-password"}
        assert world.client.post("/api/v1/auth/login", json=bad).status_code == 401
        nobody = {"email": "nobody@example.com", "password": "whatever-it-is"}
        assert world.client.post("/api/v1/auth/login", json=nobody).status_code == 401
        rows = _rows(world, action="auth.login")
        assert [(r.actor_email, r.outcome, r.detail.get("reason")) for r in rows] == [
            ("owner@example.com", "success", None),
            ("owner@example.com", "failure", "wrong password"),
            ("nobody@example.com", "failure", "unknown account"),
        ]
        assert all(r.workspace_id is None for r in rows)
        assert "not-the-password" not in str([r.detail for r in rows])

    def test_sign_ins_refused_for_too_many_attempts(self, world: World) -> None:
        """A sign-in the attempt limit refuses (429) is a failed sign-in like any other."""
        bad = {"email": "owner@example.com", "password": "not-the-password"}
        limit = world.settings.login_attempts_per_account
        answers = [world.client.post("/api/v1/auth/login", json=bad) for _ in range(limit + 2)]
        assert [r.status_code for r in answers] == [401] * limit + [429] * 2
        rows = _rows(world, action="auth.login")
        assert [(r.actor_email, r.outcome, r.detail.get("reason")) for r in rows] == [
            ("owner@example.com", "failure", "wrong password")
        ] * limit + [("owner@example.com", "failure", "too many attempts")] * 2
        assert rows[-1].resource_id == world.owner.id
        assert rows[-1].client  # who was refused: the address the limit counts

    def test_secrets_are_never_recorded(self, world: World) -> None:
        key = world.client.post(
            f"/api/v1/workspaces/{world.ws}/api-keys",
            json={"name": "k"},
            headers=world.owner.headers,
        ).json()
        change = {"current_password": PASSWORD, "new_password": "brand-new-password-1"}
        tokens = world.client.post(
            "/api/v1/auth/password", json=change, headers=world.owner.headers
        ).json()
        exported = world.client.get(
            "/api/v1/audit-log", params={"format": "csv"}, headers=world.admin.headers
        ).text
        assert "api_key.create" in exported
        assert "auth.password_change" in exported
        for secret in (key["secret"], PASSWORD, "brand-new-password-1", tokens["refresh_token"]):
            assert secret not in exported

    def test_unaudited_commit_is_refused_and_rolled_back(self, world: World) -> None:
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            audit.bind(session, audit.AuditContext(route="POST /test", guarded=True))
            session.add(Project(workspace_id=uuid.UUID(world.ws), name="sneaky", description=""))
            with pytest.raises(audit.UnauditedChange, match="POST /test"):
                session.commit()
            session.rollback()
        with db.sessions() as session:
            assert session.scalar(select(Project).where(Project.name == "sneaky")) is None

    def test_a_route_that_forgets_to_record_fails_and_changes_nothing(
        self, world: World, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(projects, "_record", lambda *_args, **_kw: None)
        with pytest.raises(audit.UnauditedChange, match="/projects"):
            world.project()
        with world.client.app.state.db.sessions() as session:  # type: ignore[attr-defined]
            assert session.scalar(select(Project)) is None

    def test_audit_row_and_change_commit_together(self, world: World) -> None:
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            audit.bind(session, audit.AuditContext(route="POST /test", guarded=True))
            session.add(Project(workspace_id=uuid.UUID(world.ws), name="undone", description=""))
            audit.record(
                session,
                workspace_id=uuid.UUID(world.ws),
                action="project.create",
                resource_type="project",
            )
            session.rollback()  # the change fails: its record goes with it
        assert _rows(world, action="project.create") == []


class TestRead:
    def test_newest_first_with_pages(self, world: World) -> None:
        for _ in range(3):
            world.project()
        first = _log(world, limit=2)
        assert (first["count"], first["total"], first["limit"], first["offset"]) == (2, 3, 2, 0)
        rest = _log(world, limit=2, offset=2)
        assert rest["count"] == 1
        times = [r["at"] for r in first["data"] + rest["data"]]
        assert times == sorted(times, reverse=True)

    def test_filters(self, world: World) -> None:
        project = world.project()
        world.project(who=world.editor)
        url = f"/api/v1/workspaces/{world.ws}/members/{world.viewer.id}"
        world.client.patch(url, json={"role": "editor"}, headers=world.owner.headers)
        assert _log(world, actor="editor@example.com")["total"] == 1
        assert _log(world, actor=world.owner.id)["total"] == 2
        assert _log(world, action="member.")["total"] == 1
        assert _log(world, action="project.create")["total"] == 2
        assert _log(world, resource_type="project", resource_id=project)["total"] == 1
        now = datetime.now(UTC)
        assert _log(world, since=(now - timedelta(hours=1)).isoformat())["total"] == 3
        assert _log(world, until=(now - timedelta(hours=1)).isoformat())["total"] == 0

    def test_other_workspaces_rows_are_not_shown(self, world: World) -> None:
        world.project(ws=world.other_ws, who=world.outsider)
        assert _log(world)["total"] == 0

    def test_bad_filters_say_what_to_fix(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/audit-log"
        for params, words in (
            ({"since": "2026-01-01T00:00:00"}, "time zone"),
            ({"since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"}, "earlier"),
            ({"limit": 0}, "limit"),
            ({"outcome": "maybe"}, "outcome"),
        ):
            r = world.client.get(url, params=params, headers=world.owner.headers)
            assert r.status_code == 422, params
            assert words in r.json()["detail"], r.json()


class TestCsv:
    def test_export_by_parameter_and_by_accept(self, world: World) -> None:
        world.project()
        url = f"/api/v1/workspaces/{world.ws}/audit-log"
        by_param = world.client.get(url, params={"format": "csv"}, headers=world.owner.headers)
        headers = {**world.owner.headers, "Accept": "text/csv"}
        by_accept = world.client.get(url, headers=headers)
        for r in (by_param, by_accept):
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/csv")
            assert "attachment" in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(by_param.text)))
        assert [(r["action"], r["actor_email"], r["outcome"]) for r in rows] == [
            ("project.create", "owner@example.com", "success")
        ]
        assert rows[0]["detail"] == '{"name": "P"}'

    def test_formulas_are_defused(self, world: World) -> None:
        r = world.client.post(
            f"/api/v1/workspaces/{world.ws}/projects",
            json={"name": "=HYPERLINK(1)"},
            headers=world.owner.headers,
        )
        assert r.status_code == 201
        text = world.client.get(
            f"/api/v1/workspaces/{world.ws}/audit-log?format=csv", headers=world.owner.headers
        ).text
        (row,) = csv.DictReader(io.StringIO(text))
        assert row["detail"] == '{"name": "=HYPERLINK(1)"}'  # JSON starts with {, harmless
        assert all(not v.startswith("=") for v in row.values())


class TestInstanceLog:
    def test_administrators_see_sign_ins_and_every_workspace(self, world: World) -> None:
        stranger = {"email": "x@example.com", "password": "p" * 8}
        world.client.post("/api/v1/auth/login", json=stranger)
        world.project()
        r = world.client.get("/api/v1/audit-log", headers=world.admin.headers)
        assert r.status_code == 200
        actions = [row["action"] for row in r.json()["data"]]
        assert actions == ["project.create", "auth.login"]
        only = world.client.get(
            "/api/v1/audit-log", params={"workspace_id": world.ws}, headers=world.admin.headers
        ).json()
        assert [row["action"] for row in only["data"]] == ["project.create"]
