"""Analysis of a run's model: queue (roles, validation, idempotence), read, and a real worker
fitting the model and storing every plot as PlotData JSON in the artifact store."""

from __future__ import annotations

import json
import time
from typing import Any

from podium.engine.models import recipes
from podium.server.schemas.plots import PlotRead
from tests.server.api.serving import fake_succeeded_run, worker
from tests.server.conftest import World


def _url(run_id: str, model_id: str) -> str:
    return f"/api/v1/runs/{run_id}/models/{model_id}/analysis"


def _post(world: World, run_id: str, model_id: str, who: Any = None) -> Any:
    return world.client.post(_url(run_id, model_id), headers=(who or world.owner).headers)


def _wait(world: World, run_id: str, model_id: str, timeout: float = 180.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = world.client.get(
            _url(run_id, model_id), headers=world.viewer.headers
        ).json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


class TestRequest:
    def test_queued_then_the_same_row_when_asked_again(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        first = _post(world, run_id, "dt")
        assert first.status_code == 202, first.text
        body = first.json()
        assert (body["status"], body["model_id"], body["plots"]) == ("queued", "dt", [])
        again = _post(world, run_id, "dt", world.editor)
        assert again.status_code == 202
        assert again.json()["id"] == body["id"]
        read = world.client.get(_url(run_id, "dt"), headers=world.viewer.headers)
        assert read.status_code == 200
        assert read.json()["id"] == body["id"]
        log = world.client.get(
            f"/api/v1/workspaces/{world.ws}/audit-log",
            params={"action": "analysis.request"},
            headers=world.owner.headers,
        ).json()
        assert [e["resource_id"] for e in log["data"]] == [body["id"]]  # asked once, queued once

    def test_viewers_read_but_may_not_queue(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        r = _post(world, run_id, "dt", world.viewer)
        assert r.status_code == 403, r.text

    def test_unknown_or_failed_model_is_422_naming_the_models(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        for model in ("rf", "nb"):  # not trained; trained but failed
            r = _post(world, run_id, model)
            assert r.status_code == 422, r.text
            assert "lr, dt" in r.json()["detail"]

    def test_run_that_did_not_succeed_is_409(self, world: World) -> None:
        run = world.run(world.experiment(world.project()), plan="setup")
        r = _post(world, str(run["id"]), "dt")
        assert r.status_code == 409
        assert "only the models of a succeeded run" in r.json()["detail"]

    def test_never_asked_is_404_saying_how(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        r = world.client.get(_url(run_id, "lr"), headers=world.owner.headers)
        assert r.status_code == 404
        assert f"POST /api/v1/runs/{run_id}/models/lr/analysis" in r.json()["detail"]

    def test_outsiders_see_nothing(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        _post(world, run_id, "dt")
        for method in ("GET", "POST"):
            r = world.client.request(method, _url(run_id, "dt"), headers=world.outsider.headers)
            assert r.status_code == 404


class TestWorker:
    def test_worker_fits_once_and_stores_every_plot(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        with worker(world.settings):
            assert _post(world, run_id, "dt").status_code == 202
            body = _wait(world, run_id, "dt")
        assert body["status"] == "done", body
        assert body["error"] is None
        assert set(body["plots"]) == {
            "feature_importance",
            "permutation_importance",
            "learning_curve",
            "shap_summary",
            "shap_beeswarm",
        }
        folder = (
            world.settings.artifact_root
            / "workspaces"
            / world.ws
            / "runs"
            / run_id
            / "models"
            / "dt"
            / "analysis"
        )
        columns = {"sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"}
        for plot_id in body["plots"]:
            plot = PlotRead.model_validate(json.loads((folder / f"{plot_id}.json").read_text()))
            assert plot.id == plot_id
            assert plot.series
            assert all(s.x for s in plot.series)
            if plot.series[0].mark == "barh":
                assert set(plot.series[0].y) == columns  # the table's own column names
        # the model page reads them through the plots route
        served = world.client.get(
            f"/api/v1/runs/{run_id}/models/dt/plots/shap_summary", headers=world.viewer.headers
        )
        assert served.status_code == 200, served.text
        stored = json.loads((folder / "shap_summary.json").read_text())
        assert PlotRead.model_validate(served.json()) == PlotRead.model_validate(stored)
        # done is returned as it is, not computed again
        again = _post(world, run_id, "dt").json()
        assert (again["id"], again["status"], again["plots"]) == (
            body["id"],
            "done",
            body["plots"],
        )

    def test_model_without_its_own_importance_has_no_such_plot(self, world: World) -> None:
        board = {
            "columns": ["Model", "Accuracy"],
            "rows": [{"Model": "K Neighbors", "model_id": "knn", "Accuracy": 0.9}],
        }
        run_id = fake_succeeded_run(world, board)
        with worker(world.settings):
            _post(world, run_id, "knn")
            body = _wait(world, run_id, "knn")
        assert body["status"] == "done", body
        assert "feature_importance" not in body["plots"]
        assert {"permutation_importance", "shap_summary"} <= set(body["plots"])

    def test_a_blend_is_rebuilt_from_the_recipe_its_run_kept(self, world: World) -> None:
        """Before: the job took registry ids only, so a blend's row failed ('unknown model')."""
        members = [recipes.plain("multiclass", m) for m in ("dt", "lr")]
        blend = {"id": "blend_2", "name": "Blend (2)", "kind": "blend", "members": members}
        board = {
            "columns": ["Model", "Accuracy"],
            "rows": [{"Model": "Blend (2)", "model_id": "blend_2", "Accuracy": 0.9}],
        }
        run_id = fake_succeeded_run(world, board, result={"models": {"blend_2": blend}})
        with worker(world.settings):
            assert _post(world, run_id, "blend_2").status_code == 202
            body = _wait(world, run_id, "blend_2")
        assert body["status"] == "done", body
        assert {"permutation_importance", "learning_curve", "shap_summary"} <= set(body["plots"])
        assert "feature_importance" not in body["plots"]  # a vote has no importance of its own
