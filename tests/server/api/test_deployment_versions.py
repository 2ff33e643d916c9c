"""Deployment versions: switch by version or label, roll back, history, the checks that refuse
a switch (same version, not ready, other input columns), and pipeline labels."""

from __future__ import annotations

from typing import Any

from tests.server.api.serving import built_versions, deploy, fake_succeeded_run, promote
from tests.server.conftest import World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}


def _post(world: World, url: str, who: str = "owner", **body: Any) -> Any:
    return world.client.post(f"/api/v1{url}", json=body or None, headers=world.as_(who))


class TestSwitchAndRollback:
    def test_switch_rollback_history(self, world: World) -> None:
        v1, v2 = built_versions(world, "flowers", ["lr", "dt"])
        dep = deploy(world, v1["id"], slug="flowers")
        url = f"/deployments/{dep['id']}"
        assert (dep["pipeline_name"], dep["pipeline_version"]) == ("flowers", 1)
        versions = world.client.get(f"/api/v1{url}/versions", headers=world.viewer.headers).json()
        assert (versions["current_version"], versions["rollback_to"]) == (1, None)
        assert [h["action"] for h in versions["history"]] == ["deploy"]
        assert [a["version"] for a in versions["available"]] == [2, 1]

        nothing = _post(world, f"{url}/rollback")
        assert nothing.status_code == 409
        assert "no previous version" in nothing.json()["detail"]
        assert _post(world, f"{url}/switch", "viewer", version=2).status_code == 403
        same = _post(world, f"{url}/switch", version=1)
        assert same.status_code == 409
        assert "already serves flowers v1" in same.json()["detail"]
        missing = _post(world, f"{url}/switch", version=9)
        assert missing.status_code == 422
        assert "no version 9; its versions are v2, v1" in missing.json()["detail"]
        both = _post(world, f"{url}/switch", version=2, label="staging")
        assert both.status_code == 422
        assert "exactly one of 'version'" in both.json()["detail"]

        moved = _post(world, f"{url}/switch", "editor", version=2)
        assert moved.status_code == 200, moved.text
        assert (moved.json()["pipeline_version"], moved.json()["pipeline_id"]) == (2, v2["id"])
        served = world.client.post("/api/v1/deployments/flowers/predict", json={"rows": [ROW]})
        assert served.status_code == 200
        versions = world.client.get(f"/api/v1{url}/versions", headers=world.owner.headers).json()
        assert [
            (h["action"], h["pipeline_version"], h["from_version"]) for h in versions["history"]
        ] == [
            ("switch", 2, 1),
            ("deploy", 1, None),
        ]
        assert versions["rollback_to"] == 1

        back = _post(world, f"{url}/rollback", "editor")
        assert back.status_code == 200, back.text
        assert back.json()["pipeline_version"] == 1
        versions = world.client.get(f"/api/v1{url}/versions", headers=world.owner.headers).json()
        assert versions["history"][0]["action"] == "rollback"
        assert versions["rollback_to"] == 2  # rolling back again returns to v2

    def test_other_columns_need_force(self, world: World) -> None:
        v1, _other = built_versions(world, "mixed", ["lr"]) + built_versions(
            world, "mixed", ["lr"], sklearn_dataset="sklearn:wine"
        )
        dep = deploy(world, v1["id"], slug="mixed")
        refused = _post(world, f"/deployments/{dep['id']}/switch", version=2)
        assert refused.status_code == 409
        detail = refused.json()["detail"]
        assert "v2 takes other input columns than v1" in detail
        assert "drops petal length (cm)" in detail
        assert "force=true" in detail
        forced = _post(world, f"/deployments/{dep['id']}/switch", version=2, force=True)
        assert forced.status_code == 200
        assert forced.json()["pipeline_version"] == 2


class TestLabels:
    def test_labels_move_and_switch_by_label(self, world: World) -> None:
        v1, v2 = built_versions(world, "flowers", ["lr", "dt"])
        put = world.client.put(
            f"/api/v1/pipelines/{v2['id']}/labels/staging", headers=world.editor.headers
        )
        assert put.status_code == 200
        assert put.json()["labels"] == ["staging"]
        world.client.put(
            f"/api/v1/pipelines/{v2['id']}/labels/production", headers=world.owner.headers
        )
        moved = world.client.put(
            f"/api/v1/pipelines/{v1['id']}/labels/staging", headers=world.owner.headers
        )
        assert moved.json()["labels"] == ["staging"]
        again = world.client.get(f"/api/v1/pipelines/{v2['id']}", headers=world.viewer.headers)
        assert again.json()["labels"] == ["production"]  # staging moved to v1

        dep = deploy(world, v1["id"], slug="by-label")
        r = _post(world, f"/deployments/{dep['id']}/switch", label="production")
        assert r.status_code == 200
        assert r.json()["pipeline_version"] == 2
        r = _post(world, f"/deployments/{dep['id']}/switch", label="staging")
        assert r.json()["pipeline_version"] == 1

        bad = world.client.put(
            f"/api/v1/pipelines/{v1['id']}/labels/prod", headers=world.owner.headers
        )
        assert bad.status_code == 422
        assert (
            world.client.put(
                f"/api/v1/pipelines/{v1['id']}/labels/staging", headers=world.viewer.headers
            ).status_code
            == 403
        )
        gone = world.client.delete(
            f"/api/v1/pipelines/{v1['id']}/labels/staging", headers=world.editor.headers
        )
        assert gone.status_code == 204
        again = world.client.delete(
            f"/api/v1/pipelines/{v1['id']}/labels/staging", headers=world.editor.headers
        )
        assert again.status_code == 404
        assert "has no label 'staging'" in again.json()["detail"]
        missing = _post(world, f"/deployments/{dep['id']}/switch", label="staging")
        assert missing.status_code == 422
        assert "has no label 'staging'" in missing.json()["detail"]

    def test_building_version_gets_no_label(self, world: World) -> None:
        building = promote(world, fake_succeeded_run(world)).json()
        r = world.client.put(
            f"/api/v1/pipelines/{building['id']}/labels/staging", headers=world.owner.headers
        )
        assert r.status_code == 409
        assert "only a ready version can carry a label" in r.json()["detail"]
