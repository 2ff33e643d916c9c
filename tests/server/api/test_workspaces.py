"""Workspaces and members."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from podium.server.db.models import Run
from podium.server.db.session import Database
from tests.conftest import new_id
from tests.server.api.serving import fake_succeeded_run, promote, ready_pipeline
from tests.server.conftest import World


class TestListWorkspaces:
    def test_only_mine_with_role(self, world: World) -> None:
        body = world.client.get("/api/v1/workspaces", headers=world.viewer.headers).json()
        assert body["count"] == 1
        assert body["data"][0]["role"] == "viewer"


class TestCreateWorkspace:
    def test_creator_is_owner(self, world: World) -> None:
        r = world.client.post(
            "/api/v1/workspaces", json={"name": " New "}, headers=world.viewer.headers
        )
        assert r.status_code == 201
        assert r.json()["name"] == "New"
        assert r.json()["role"] == "owner"

    def test_bad_name(self, world: World) -> None:
        for body in ({"name": ""}, {"name": 5}, {}, {"name": "x" * 201}):
            r = world.client.post("/api/v1/workspaces", json=body, headers=world.owner.headers)
            assert r.status_code == 422, body


class TestGetWorkspace:
    def test_says_what_the_callers_role_may_do(self, world: World) -> None:
        """The server's role ranks, applied for the web, which hides what a role cannot use."""
        expected = {
            "viewer": {"read": True, "change": False, "administer": False},
            "editor": {"read": True, "change": True, "administer": False},
            "owner": {"read": True, "change": True, "administer": True},
        }
        for role, can in expected.items():
            url = f"/api/v1/workspaces/{world.ws}"
            body = world.client.get(url, headers=world.as_(role)).json()
            assert (body["role"], body["can"]) == (role, can)
            listed = world.client.get("/api/v1/workspaces", headers=world.as_(role)).json()
            assert [w["can"] for w in listed["data"] if w["id"] == world.ws] == [can]
        # and what it says holds: an editor may change a project, not rename the workspace
        project = world.project()
        assert (
            world.client.patch(
                f"/api/v1/projects/{project}", json={"name": "P2"}, headers=world.editor.headers
            ).status_code
            == 200
        )
        assert (
            world.client.patch(
                f"/api/v1/workspaces/{world.ws}", json={"name": "W2"}, headers=world.editor.headers
            ).status_code
            == 403
        )

    def test_member_outsider_unknown_malformed(self, world: World) -> None:
        assert (
            world.client.get(
                f"/api/v1/workspaces/{world.ws}", headers=world.viewer.headers
            ).status_code
            == 200
        )
        hidden = world.client.get(f"/api/v1/workspaces/{world.ws}", headers=world.outsider.headers)
        assert hidden.status_code == 404
        assert world.ws in hidden.json()["detail"]
        unknown = world.client.get(f"/api/v1/workspaces/{new_id()}", headers=world.owner.headers)
        assert unknown.status_code == 404
        bad = world.client.get("/api/v1/workspaces/not-a-uuid", headers=world.owner.headers)
        assert bad.status_code == 422


class TestUpdateWorkspace:
    def test_owner_only(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}"
        editor = world.client.patch(url, json={"name": "X"}, headers=world.editor.headers)
        assert editor.status_code == 403
        assert "owner" in editor.json()["detail"]
        owner = world.client.patch(url, json={"name": "Renamed"}, headers=world.owner.headers)
        assert owner.status_code == 200
        assert owner.json()["name"] == "Renamed"


class TestDeleteWorkspace:
    def test_deletes_everything(self, world: World) -> None:
        project = world.project()
        world.experiment(project)
        url = f"/api/v1/workspaces/{world.ws}"
        assert world.client.delete(url, headers=world.editor.headers).status_code == 403
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
        assert (
            world.client.get(f"/api/v1/projects/{project}", headers=world.owner.headers).status_code
            == 404
        )

    def test_deletes_data_used_by_runs_and_events(self, world: World) -> None:
        source = world.upload()
        exp = world.experiment(world.project(), data_source_id=source, target="species")
        run = world.run(exp, plan="setup")
        world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.owner.headers)
        url = f"/api/v1/workspaces/{world.ws}"
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
        gone = world.client.get(f"/api/v1/runs/{run['id']}", headers=world.owner.headers)
        assert gone.status_code == 404

    def test_refused_while_a_run_is_queued_or_running(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")
        url = f"/api/v1/workspaces/{world.ws}"
        for status in ("queued", "running"):
            _set_run_status(world, run["id"], status)
            busy = world.client.delete(url, headers=world.owner.headers)
            assert busy.status_code == 409, status
            assert busy.json()["detail"] == (
                "1 run(s) are still queued or running; cancel them first"
            )
        _set_run_status(world, run["id"], "cancelled")
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204

    def test_refused_while_a_pipeline_builds(self, world: World) -> None:
        pipeline = promote(world, fake_succeeded_run(world))
        assert pipeline.json()["status"] == "building"
        url = f"/api/v1/workspaces/{world.ws}"
        busy = world.client.delete(url, headers=world.owner.headers)
        assert busy.status_code == 409
        assert "1 pipeline(s) are still building" in busy.json()["detail"]

    def test_removes_its_uploads_and_artifacts(self, world: World) -> None:
        ready_pipeline(world)
        world.upload()
        theirs = world.upload(world.other_ws)
        root = world.settings.artifact_root
        mine = root / "workspaces" / world.ws
        assert {p.name for p in mine.iterdir()} == {"data", "pipelines"}
        assert any(p.suffix == ".skops" for p in mine.rglob("*"))
        url = f"/api/v1/workspaces/{world.ws}"
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
        assert not mine.exists()
        kept = world.client.get(f"/api/v1/data-sources/{theirs}", headers=world.outsider.headers)
        assert kept.status_code == 200
        assert any((root / "workspaces" / world.other_ws).rglob("data.csv"))


def _set_run_status(world: World, run_id: str, status: str) -> None:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        session.execute(update(Run).where(Run.id == uuid.UUID(run_id)).values(status=status))
        session.commit()


class TestMembers:
    def test_list(self, world: World) -> None:
        body = world.client.get(
            f"/api/v1/workspaces/{world.ws}/members", headers=world.viewer.headers
        ).json()
        assert sorted((m["email"], m["role"]) for m in body["data"]) == [
            ("editor@example.com", "editor"),
            ("owner@example.com", "owner"),
            ("viewer@example.com", "viewer"),
        ]

    def test_add_change_remove(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/members"
        add = {"email": "outsider@example.com", "role": "editor"}
        assert world.client.post(url, json=add, headers=world.editor.headers).status_code == 403
        r = world.client.post(url, json=add, headers=world.owner.headers)
        assert r.status_code == 201
        assert r.json()["role"] == "editor"
        assert world.client.post(url, json=add, headers=world.owner.headers).status_code == 409
        ghost = world.client.post(
            url, json={"email": "ghost@example.com"}, headers=world.owner.headers
        )
        assert ghost.status_code == 404
        assert "sign up" in ghost.json()["detail"]
        bad_role = world.client.post(url, json={**add, "role": "god"}, headers=world.owner.headers)
        assert bad_role.status_code == 422
        member = f"{url}/{world.outsider.id}"
        changed = world.client.patch(member, json={"role": "viewer"}, headers=world.owner.headers)
        assert changed.status_code == 200
        assert changed.json()["role"] == "viewer"
        assert world.client.delete(member, headers=world.owner.headers).status_code == 204
        assert world.client.delete(member, headers=world.owner.headers).status_code == 404

    def test_last_owner_is_kept_and_members_may_leave(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/members"
        demote = world.client.patch(
            f"{url}/{world.owner.id}", json={"role": "viewer"}, headers=world.owner.headers
        )
        assert demote.status_code == 409
        assert "at least one owner" in demote.json()["detail"]
        leave = world.client.delete(f"{url}/{world.viewer.id}", headers=world.viewer.headers)
        assert leave.status_code == 204
        gone = world.client.get(f"/api/v1/workspaces/{world.ws}", headers=world.viewer.headers)
        assert gone.status_code == 404
