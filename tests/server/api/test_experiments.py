"""Experiments: targets and setup params checked against data and engine."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.conftest import new_id
from tests.server.conftest import World


def _post(world: World, project: str, **body: object) -> httpx.Response:
    payload = {"name": "E", "task": "multiclass", "target": "target", "sklearn_dataset": "iris"}
    payload.update(body)
    return world.client.post(
        f"/api/v1/projects/{project}/experiments", json=payload, headers=world.owner.headers
    )


class TestCreateExperiment:
    def test_sample_and_upload(self, world: World) -> None:
        project = world.project()
        r = _post(world, project, setup_params={"folds": 3, "seed": 7})
        assert r.status_code == 201
        assert r.json()["sklearn_dataset"] == "iris"
        source = world.upload()
        up = _post(world, project, sklearn_dataset=None, data_source_id=source, target="species")
        assert up.status_code == 201

    def test_target_not_in_data(self, world: World) -> None:
        r = _post(world, world.project(), target="nope")
        assert r.status_code == 422
        assert "'nope' is not in the data" in r.json()["detail"]

    def test_a_target_the_task_cannot_learn_is_refused_at_once(self, world: World) -> None:
        """The upload's profile already shows it: no experiment stored, no run left to fail."""
        rows = "".join(f"{i},city{i % 3},same,{i * 1.5},{'ab'[i % 2]}\n" for i in range(250))
        source = world.upload(content="n,city,flat,price,label\n" + rows, name="t.csv")
        project = world.project()
        cases = {
            "constant": ("binary", "flat", "target 'flat' is constant"),
            "text regression": ("regression", "city", "'city' holds text"),
            "not two classes": ("binary", "city", "needs exactly 2 classes, target 'city' has 3"),
            "too many classes": ("multiclass", "price", "too many for classification"),
        }
        for name, (task, target, message) in cases.items():
            r = _post(
                world,
                project,
                sklearn_dataset=None,
                data_source_id=source,
                task=task,
                target=target,
            )
            assert r.status_code == 422, name
            assert message in r.json()["detail"], name
        ok = _post(
            world,
            project,
            sklearn_dataset=None,
            data_source_id=source,
            task="binary",
            target="label",
        )
        assert ok.status_code == 201

    def test_bad_setup_params(self, world: World) -> None:
        project = world.project()
        cases = {  # the engine's rule and words (engine/prepare/params.py), not a copy of them
            "unknown": ({"wat": 1}, "unknown setup parameter 'wat' for task 'multiclass'"),
            "type": ({"folds": "three"}, "must be an integer"),
            "range": ({"folds": 1}, "must be between 2 and 20"),
            "enum": ({"numeric_imputation": "magic"}, "must be one of"),
            "column": ({"ignore_features": ["nope"]}, "'ignore_features': unknown column 'nope'"),
            "reserved": ({"target": "x"}, "'target' is given on its own"),
            "target": ({"ignore_features": ["target"]}, "'target' is the target, not a feature"),
            "null": ({"normalize": None}, "'normalize' must be true or false, got None"),
            "names": ({"ignore_features": 5}, "takes a column name or a list of them"),
            "other task": ({"stratify": False, "task": "regression"}, "unknown setup parameter"),
        }
        for name, (params, message) in cases.items():
            task = params.pop("task", "multiclass")
            r = _post(world, project, task=task, setup_params=params)
            assert r.status_code == 422, name
            assert message in r.json()["detail"], name

    def test_forecasting_roles_refused_before_the_experiment_is_stored(self, world: World) -> None:
        sales = "month,store,promo,sales\n2024-01-01,a,0,1\n2024-02-01,a,1,2\n"
        source = world.upload(content=sales, name="sales.csv")
        project = world.project()
        cases = {  # the engine's rule (forecast.data.check_roles), before any run is queued
            "no time": ({}, "forecasting needs a time column: set time_column"),
            "one column twice": (
                {"time_column": "month", "series_column": "month"},
                "must be three different columns",
            ),
            "exogenous is the series": (
                {"time_column": "month", "series_column": "store", "exogenous_columns": ["store"]},
                "exogenous column 'store' is not a further column",
            ),
        }
        for name, (params, message) in cases.items():
            r = _post(world, project, task="forecasting", target="sales", sklearn_dataset=None,
                      data_source_id=source, setup_params=params)  # fmt: skip
            assert r.status_code == 422, name
            assert message in r.json()["detail"], name
        ok = {"time_column": "month", "series_column": "store", "exogenous_columns": ["promo"]}
        r = _post(world, project, task="forecasting", target="sales", sklearn_dataset=None,
                  data_source_id=source, setup_params=ok)  # fmt: skip
        assert r.status_code == 201, r.text

    def test_params_stored_as_the_engine_reads_them(self, world: World) -> None:
        given = {"folds": 3.0, "ignore_features": "petal width (cm)"}
        r = _post(world, world.project(), setup_params=given)
        assert r.status_code == 201, r.text
        assert r.json()["setup_params"] == {"folds": 3, "ignore_features": ["petal width (cm)"]}

    def test_data_choice(self, world: World) -> None:
        project = world.project()
        both = _post(world, project, data_source_id=new_id())
        assert both.status_code == 422
        neither = _post(world, project, sklearn_dataset=None)
        assert neither.status_code == 422
        sample = _post(world, project, sklearn_dataset="sklearn:nope")
        assert sample.status_code == 422
        assert "unknown sample" in sample.json()["detail"]
        foreign = world.upload(world.other_ws)
        other = _post(
            world, project, sklearn_dataset=None, data_source_id=foreign, target="species"
        )
        assert other.status_code == 404
        task = _post(world, project, task="clustering")
        assert task.status_code == 422


class TestListExperiments:
    def test_list(self, world: World) -> None:
        project = world.project()
        exp = world.experiment(project)
        body = world.client.get(
            f"/api/v1/projects/{project}/experiments", headers=world.viewer.headers
        ).json()
        assert [e["id"] for e in body["data"]] == [exp]


class TestGetExperiment:
    def test_get(self, world: World) -> None:
        exp = world.experiment(world.project())
        assert (
            world.client.get(f"/api/v1/experiments/{exp}", headers=world.viewer.headers).json()[
                "task"
            ]
            == "multiclass"
        )
        assert (
            world.client.get(
                f"/api/v1/experiments/{exp}", headers=world.outsider.headers
            ).status_code
            == 404
        )


class TestUpdateExperiment:
    def test_update_revalidates(self, world: World) -> None:
        exp = world.experiment(world.project())
        url = f"/api/v1/experiments/{exp}"
        ok = world.client.patch(
            url, json={"setup_params": {"folds": 4}}, headers=world.editor.headers
        )
        assert ok.status_code == 200
        assert ok.json()["setup_params"] == {"folds": 4}
        bad = world.client.patch(url, json={"target": "missing"}, headers=world.editor.headers)
        assert bad.status_code == 422
        ignored = world.client.patch(
            url,
            json={"setup_params": {"ignore_features": ["petal width (cm)"]}},
            headers=world.editor.headers,
        )
        assert ignored.status_code == 200
        clash = world.client.patch(
            url, json={"target": "petal width (cm)"}, headers=world.editor.headers
        )
        assert clash.status_code == 422
        assert "'petal width (cm)' is the target" in clash.json()["detail"]
        assert world.client.get(url, headers=world.owner.headers).json()["target"] == "target"


class TestDeleteExperiment:
    def test_delete(self, world: World) -> None:
        exp = world.experiment(world.project())
        run = world.run(exp)
        assert (
            world.client.delete(
                f"/api/v1/experiments/{exp}", headers=world.owner.headers
            ).status_code
            == 409
        )
        world.client.post(f"/api/v1/runs/{run['id']}/cancel", headers=world.owner.headers)
        assert (
            world.client.delete(
                f"/api/v1/experiments/{exp}", headers=world.owner.headers
            ).status_code
            == 204
        )
        assert (
            world.client.get(f"/api/v1/runs/{run['id']}", headers=world.owner.headers).status_code
            == 404
        )

    def test_delete_removes_its_runs_files(self, world: World) -> None:
        project = world.project()
        doomed, kept = world.experiment(project), world.experiment(project)
        folders = [run_files(world, world.run(exp)["id"]) for exp in (doomed, kept)]
        for run_id in [f.name for f in folders]:
            world.client.post(f"/api/v1/runs/{run_id}/cancel", headers=world.owner.headers)
        r = world.client.delete(f"/api/v1/experiments/{doomed}", headers=world.owner.headers)
        assert r.status_code == 204
        assert not folders[0].exists()  # predictions and explanations go with the run
        assert (folders[1] / "predictions" / "lr.npz").is_file()


def run_files(world: World, run_id: str) -> Path:
    """A run's folder with a model's predictions and an analysis plot, as a worker leaves it."""
    folder = world.settings.artifact_root / "workspaces" / world.ws / "runs" / run_id
    for part in ("predictions/lr.npz", "models/lr/analysis/shap_summary.json"):
        (folder / part).parent.mkdir(parents=True, exist_ok=True)
        (folder / part).write_bytes(b"{}")
    return folder
