"""Deployments: create (slug rules, duplicates, readiness), list/get/pause/resume/delete, roles,
stats that survive a restart, and the sampled prediction log."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from podium.server.app import create_app
from tests.server.api.serving import deploy, fake_succeeded_run, promote, ready_pipeline
from tests.server.conftest import World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}


def _create(world: World, pipeline_id: str, who: str = "owner", **body: object) -> object:
    payload = {"slug": "iris", "auth_mode": "public", **body}
    return world.client.post(
        f"/api/v1/pipelines/{pipeline_id}/deployments", json=payload, headers=world.as_(who)
    )


class TestCreateDeployment:
    def test_slug_rules_duplicates_roles(self, world: World) -> None:
        pipe = ready_pipeline(world)
        bad = ["ab", "Iris", "iris_1", "-iris", "iris-", "a" * 64, "iris lr", "irís", "iris-lr\n"]
        for slug in bad:
            r = _create(world, pipe["id"], slug=slug)
            assert r.status_code == 422, slug  # type: ignore[attr-defined]
        r = _create(world, pipe["id"], auth_mode="secret")
        assert r.status_code == 422  # type: ignore[attr-defined]
        expected = {"anonymous": 401, "outsider": 404, "viewer": 403}
        for role, code in expected.items():
            assert _create(world, pipe["id"], who=role).status_code == code  # type: ignore[attr-defined]
        ok = _create(world, pipe["id"], who="editor", slug="a-1")
        assert ok.status_code == 201  # type: ignore[attr-defined]
        body = ok.json()  # type: ignore[attr-defined]
        assert (body["slug"], body["status"], body["request_count"]) == ("a-1", "active", 0)
        assert body["latency_p50_ms"] is None
        dup = _create(world, pipe["id"], slug="a-1")
        assert dup.status_code == 409  # type: ignore[attr-defined]
        assert "already used" in dup.json()["detail"]  # type: ignore[attr-defined]
        assert _create(world, pipe["id"], slug="x" * 63).status_code == 201  # type: ignore[attr-defined]

    def test_pipeline_must_be_ready(self, world: World) -> None:
        building = promote(world, fake_succeeded_run(world)).json()
        r = _create(world, building["id"])
        assert r.status_code == 409  # type: ignore[attr-defined]
        assert "building" in r.json()["detail"]  # type: ignore[attr-defined]


class TestManageDeployment:
    def test_list_get_pause_resume_delete(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="iris-lr")
        url = f"/api/v1/deployments/{dep['id']}"
        listed = world.client.get(
            f"/api/v1/workspaces/{world.ws}/deployments", headers=world.viewer.headers
        ).json()
        assert [d["slug"] for d in listed["data"]] == ["iris-lr"]
        assert world.client.get(url, headers=world.viewer.headers).json()["slug"] == "iris-lr"
        for who, code in {"anonymous": 401, "outsider": 404}.items():
            assert world.client.get(url, headers=world.as_(who)).status_code == code
            assert (
                world.client.get(
                    f"/api/v1/workspaces/{world.ws}/deployments", headers=world.as_(who)
                ).status_code
                == code
            )
        predict = "/api/v1/deployments/iris-lr/predict"
        paused = world.client.patch(url, json={"status": "paused"}, headers=world.editor.headers)
        assert paused.json()["status"] == "paused"
        r = world.client.post(predict, json={"rows": [ROW]})
        assert r.status_code == 409
        assert "paused" in r.json()["detail"]
        world.client.patch(url, json={"status": "active"}, headers=world.owner.headers)
        assert world.client.post(predict, json={"rows": [ROW]}).status_code == 200
        for who, code in {"viewer": 403, "outsider": 404, "anonymous": 401}.items():
            r = world.client.patch(url, json={"status": "paused"}, headers=world.as_(who))
            assert r.status_code == code
            assert world.client.delete(url, headers=world.as_(who)).status_code == code
        assert (
            world.client.patch(
                url, json={"status": "gone"}, headers=world.owner.headers
            ).status_code
            == 422
        )
        assert world.client.delete(url, headers=world.editor.headers).status_code == 204
        assert world.client.get(url, headers=world.owner.headers).status_code == 404
        gone = world.client.post(predict, json={"rows": [ROW]})
        assert gone.status_code == 404
        assert "no deployment at 'iris-lr'" in gone.json()["detail"]


class TestStats:
    def test_counts_latency_and_log_survive_restart(self, world: World) -> None:
        pipe = ready_pipeline(world)
        dep = deploy(world, pipe["id"], slug="iris-stats")
        predict = "/api/v1/deployments/iris-stats/predict"
        for _ in range(12):
            assert world.client.post(predict, json={"rows": [ROW]}).status_code == 200
        assert world.client.post(predict, json={"rows": [{"wat": 1}]}).status_code == 422
        url = f"/api/v1/deployments/{dep['id']}"
        before = world.client.get(url, headers=world.owner.headers).json()
        assert (before["request_count"], before["error_count"]) == (13, 1)
        assert before["latency_p50_ms"] is not None
        assert before["latency_p95_ms"] >= before["latency_p50_ms"] > 0
        assert before["last_request_at"] is not None
        with TestClient(create_app(world.settings)) as restarted:
            after = restarted.get(url, headers=world.owner.headers).json()
            log = restarted.get(f"{url}/predictions", headers=world.viewer.headers).json()
            outsider = restarted.get(f"{url}/predictions", headers=world.outsider.headers)
        assert after == before
        codes = sorted(entry["status_code"] for entry in log["data"])
        assert codes == [200, 200, 422]  # calls 1 and 11, and the failure
        failure = next(e for e in log["data"] if e["status_code"] == 422)
        assert "'wat'" in failure["response"]["detail"]
        ok = next(e for e in log["data"] if e["status_code"] == 200)
        assert ok["request"] == {"rows": 1, "sample": [ROW]}
        assert ok["response"]["predictions"] == ["setosa"]
        assert outsider.status_code == 404


@pytest.mark.parametrize("q", [0.5, 0.95])
def test_percentile_interpolates_inside_buckets(q: float) -> None:
    from podium.server.services.deployments import _add, empty_hist, percentile

    hist = empty_hist()
    assert percentile(hist, q) is None
    for latency in [0.7] * 10 + [3.5] * 10:
        hist = _add(hist, latency)
    value = percentile(hist, q)
    assert value is not None
    assert (0.5 <= value <= 1.0) if q == 0.5 else (3.0 <= value <= 4.0)
