"""Projects."""

from __future__ import annotations

from tests.conftest import new_id
from tests.server.api.test_experiments import run_files
from tests.server.conftest import World


class TestListProjects:
    def test_newest_first_and_scoped(self, world: World) -> None:
        first, second = world.project(), world.project()
        world.project(world.other_ws, world.outsider)
        body = world.client.get(
            f"/api/v1/workspaces/{world.ws}/projects", headers=world.viewer.headers
        ).json()
        assert [p["id"] for p in body["data"]] == [second, first]
        assert body["count"] == 2


class TestCreateProject:
    def test_roles_and_validation(self, world: World) -> None:
        url = f"/api/v1/workspaces/{world.ws}/projects"
        assert (
            world.client.post(url, json={"name": "V"}, headers=world.viewer.headers).status_code
            == 403
        )
        made = world.client.post(
            url, json={"name": "E", "description": "d"}, headers=world.editor.headers
        )
        assert made.status_code == 201
        assert made.json()["description"] == "d"
        assert (
            world.client.post(url, json={"name": ["x"]}, headers=world.owner.headers).status_code
            == 422
        )


class TestGetProject:
    def test_get_and_hidden(self, world: World) -> None:
        project = world.project()
        assert (
            world.client.get(f"/api/v1/projects/{project}", headers=world.viewer.headers).json()[
                "name"
            ]
            == "P"
        )
        assert (
            world.client.get(
                f"/api/v1/projects/{project}", headers=world.outsider.headers
            ).status_code
            == 404
        )
        assert (
            world.client.get(
                f"/api/v1/projects/{new_id()}", headers=world.owner.headers
            ).status_code
            == 404
        )


class TestUpdateProject:
    def test_partial_update(self, world: World) -> None:
        project = world.project()
        r = world.client.patch(
            f"/api/v1/projects/{project}", json={"description": "new"}, headers=world.editor.headers
        )
        assert r.status_code == 200
        assert r.json()["name"] == "P"
        assert r.json()["description"] == "new"


class TestDeleteProject:
    def test_delete_and_refuse_with_active_runs(self, world: World) -> None:
        project = world.project()
        world.run(world.experiment(project))
        busy = world.client.delete(f"/api/v1/projects/{project}", headers=world.editor.headers)
        assert busy.status_code == 409
        assert "cancel them first" in busy.json()["detail"]
        empty = world.project()
        assert (
            world.client.delete(
                f"/api/v1/projects/{empty}", headers=world.editor.headers
            ).status_code
            == 204
        )
        assert (
            world.client.get(f"/api/v1/projects/{empty}", headers=world.owner.headers).status_code
            == 404
        )

    def test_delete_removes_its_runs_files(self, world: World) -> None:
        project = world.project()
        run_id = world.run(world.experiment(project))["id"]
        folder = run_files(world, run_id)
        world.client.post(f"/api/v1/runs/{run_id}/cancel", headers=world.owner.headers)
        r = world.client.delete(f"/api/v1/projects/{project}", headers=world.owner.headers)
        assert r.status_code == 204
        assert not folder.exists()
