"""Pipelines: promote (validation, versions, roles), list/get, download, tampering, delete."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import update

from podium.server.db.models import Run
from podium.server.db.session import Database
from podium.server.services.predictions import PipelineCache
from tests.conftest import new_id
from tests.server.api.serving import (
    deploy,
    fake_succeeded_run,
    promote,
    ready_pipeline,
    wait_pipeline,
    worker,
)
from tests.server.conftest import World


def _artifact(world: World, pipeline_id: str) -> Path:
    return (
        world.settings.artifact_root
        / "workspaces"
        / world.ws
        / "pipelines"
        / pipeline_id
        / "pipeline.skops"
    )


class TestPromote:
    def test_best_model_queued_as_building(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        got = world.client.get(f"/api/v1/runs/{run_id}", headers=world.owner.headers)
        assert got.json()["promotable"] is True
        r = promote(world, run_id, name="flowers", description="iris v1")
        assert r.status_code == 202, r.text
        body = r.json()
        assert (body["status"], body["model_id"], body["version"]) == ("building", "lr", 1)
        assert body["run_id"] == run_id
        assert body["workspace_id"] == world.ws
        assert body["metrics"] == {"cv": {"Accuracy": 0.96, "AUC": 0.99}}

    def test_metrics_name_the_sort_metric_the_run_ranked_by(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        imbalanced = [{"code": "class_imbalance", "level": "warning", "message": "m"}]
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(run_id))
                .values(result={"task": "binary", "findings": imbalanced})
            )
            session.commit()
        body = promote(world, run_id).json()
        assert body["metrics"] == {"cv": {"Accuracy": 0.96, "AUC": 0.99}, "sort": "AUC"}
        run = world.client.get(f"/api/v1/runs/{run_id}", headers=world.owner.headers).json()
        assert run["best"] == {
            "model_id": "lr",
            "model": run["leaderboard"]["rows"][0]["Model"],
            "metric": "AUC",
            "score": 0.99,
        }

    def test_named_model_and_versions_per_name(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        first = promote(world, run_id, name="flowers", model_id="dt").json()
        second = promote(world, run_id, name="flowers").json()
        other = promote(world, run_id, name="petals").json()
        assert (first["model_id"], first["version"]) == ("dt", 1)
        assert (second["model_id"], second["version"]) == ("lr", 2)
        assert other["version"] == 1

    def test_run_must_have_succeeded(self, world: World) -> None:
        exp = world.experiment(world.project())
        queued = world.run(exp)
        r = promote(world, queued["id"])
        assert r.status_code == 409
        assert "only a succeeded run" in r.json()["detail"]
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        for status in ("failed", "cancelled"):
            with db.sessions() as session:
                session.execute(
                    update(Run).where(Run.id == uuid.UUID(queued["id"])).values(status=status)
                )
                session.commit()
            assert promote(world, queued["id"]).status_code == 409
            got = world.client.get(f"/api/v1/runs/{queued['id']}", headers=world.owner.headers)
            assert got.json()["promotable"] is False

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"model_id": "rf"}, "'rf' is not a successful model"),
            ({"model_id": "nb"}, "'nb' is not a successful model"),
            ({"name": ""}, "at least 1 character"),
            ({"name": "../etc"}, "pipeline name must be"),
            ({"name": "x" * 101}, "pipeline name must be"),
            ({"wat": 1}, "wat: unknown field"),
        ],
    )
    def test_bad_input(self, world: World, body: dict[str, object], message: str) -> None:
        run_id = fake_succeeded_run(world)
        r = promote(world, run_id, **body)
        assert r.status_code == 422, r.text
        assert message in r.json()["detail"]

    def test_setup_and_create_runs(self, world: World) -> None:
        setup_board = {"columns": [], "rows": []}
        exp = world.experiment(world.project())
        setup_run = world.run(exp, plan="setup")
        db: Database = world.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(setup_run["id"]))
                .values(status="succeeded", leaderboard=setup_board)
            )
            session.commit()
        assert promote(world, setup_run["id"]).status_code == 409
        create_run = world.run(exp, plan="create", model_id="dt")
        board = {"columns": ["Fold", "Accuracy"], "rows": [{"Fold": "Mean", "Accuracy": 0.9}]}
        with db.sessions() as session:
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(create_run["id"]))
                .values(status="succeeded", leaderboard=board)
            )
            session.commit()
        ok = promote(world, create_run["id"])
        assert ok.status_code == 202
        assert ok.json()["model_id"] == "dt"
        assert ok.json()["metrics"]["cv"] == {"Accuracy": 0.9}
        assert promote(world, create_run["id"], model_id="lr").status_code == 422

    def test_roles(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        url = f"/api/v1/runs/{run_id}/promote"
        expected = {"anonymous": 401, "outsider": 404, "viewer": 403, "editor": 202}
        for role, code in expected.items():
            r = world.client.post(url, json={"name": "x"}, headers=world.as_(role))
            assert r.status_code == code, (role, r.text)
        assert (
            world.client.post(
                f"/api/v1/runs/{new_id()}/promote", json={"name": "x"}, headers=world.owner.headers
            ).status_code
            == 404
        )


class TestListAndGet:
    def test_list_get_roles(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        made = promote(world, run_id).json()
        url = f"/api/v1/workspaces/{world.ws}/pipelines"
        listed = world.client.get(url, headers=world.viewer.headers).json()
        assert listed["count"] == 1
        assert listed["data"][0]["id"] == made["id"]
        assert world.client.get(url, headers=world.outsider.headers).status_code == 404
        assert world.client.get(url).status_code == 401
        one = f"/api/v1/pipelines/{made['id']}"
        assert world.client.get(one, headers=world.viewer.headers).json()["name"] == "flowers"
        assert world.client.get(one, headers=world.outsider.headers).status_code == 404
        assert world.client.get(one).status_code == 401


class TestDownload:
    def test_zip_of_artifact_and_manifest(self, world: World) -> None:
        pipe = ready_pipeline(world)
        r = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.viewer.headers
        )
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/zip"
        assert 'filename="flowers-v1.zip"' in r.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
            names = sorted(archive.namelist())
            manifest = json.loads(archive.read("manifest.json"))
            onnx = manifest["extra"]["onnx"]
            if onnx["available"]:  # the onnx extra (installed by make) converts iris + lr
                blob = archive.read("pipeline.onnx")
                assert hashlib.sha256(blob).hexdigest() == onnx["sha256"]
        # every file the manifest lists (the drift baseline included), and nothing else
        expected = ["baseline.json", "load_pipeline.py", "manifest.json", "pipeline.skops"]
        if onnx["available"]:
            expected.insert(3, "pipeline.onnx")
        assert names == expected
        assert set(names) - {"manifest.json"} <= set(manifest["files"]) | {"load_pipeline.py"}
        assert manifest["sha256"] == pipe["sha256"]
        outsider = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.outsider.headers
        )
        assert outsider.status_code == 404

    def test_tampered_artifact_refused(self, world: World) -> None:
        pipe = ready_pipeline(world)
        path = _artifact(world, pipe["id"])
        blob = bytearray(path.read_bytes())
        blob[len(blob) // 2] ^= 0xFF
        path.write_bytes(bytes(blob))
        r = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.owner.headers
        )
        assert r.status_code == 409
        assert "failed its SHA-256 check" in r.json()["detail"]

    def test_every_file_is_listed_verified_and_nothing_else_served(self, world: World) -> None:
        """The manifest lists each file with its SHA-256; a changed loader, manifest or ONNX
        file is refused (download and predict), a stray file is never served."""
        pipe = ready_pipeline(world)
        folder = _artifact(world, pipe["id"]).parent
        url = f"/api/v1/pipelines/{pipe['id']}/download"
        r = world.client.get(url, headers=world.owner.headers)
        with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            assert sorted(archive.namelist()) == sorted(["manifest.json", *manifest["files"]])
            for name, facts in manifest["files"].items():
                assert hashlib.sha256(archive.read(name)).hexdigest() == facts["sha256"]
        assert {"pipeline.skops", "load_pipeline.py"} <= set(manifest["files"])
        (folder / "notes.txt").write_text("not part of the pipeline")
        r = world.client.get(url, headers=world.owner.headers)
        assert r.status_code == 200
        assert "notes.txt" not in zipfile.ZipFile(io.BytesIO(r.content)).namelist()
        deploy(world, pipe["id"], slug="tamper-files")
        changed = {
            "load_pipeline.py": lambda b: b + b"\nimport os  # added\n",
            "manifest.json": lambda b: b.replace(b'"name": "flowers"', b'"name": "other"'),
        }
        if "pipeline.onnx" in manifest["files"]:
            changed["pipeline.onnx"] = lambda b: b[:-1] + bytes([b[-1] ^ 1])
        for name, change in changed.items():
            original = (folder / name).read_bytes()
            (folder / name).write_bytes(change(original))
            refused = world.client.get(url, headers=world.owner.headers)
            assert refused.status_code == 409, name
            assert name in refused.json()["detail"], refused.text
            # a process loading it now (this one holds the copy it verified on deploy)
            world.client.app.state.pipeline_cache = PipelineCache()  # type: ignore[attr-defined]
            predict = world.client.post(
                "/api/v1/deployments/tamper-files/predict",
                json={"rows": [dict.fromkeys(c["name"] for c in pipe["input_schema"])]},
            )
            assert predict.status_code == 409, (name, predict.text)
            (folder / name).write_bytes(original)
        assert world.client.get(url, headers=world.owner.headers).status_code == 200

    def test_building_pipeline_not_downloadable(self, world: World) -> None:
        made = promote(world, fake_succeeded_run(world)).json()
        r = world.client.get(
            f"/api/v1/pipelines/{made['id']}/download", headers=world.owner.headers
        )
        assert r.status_code == 409
        assert "building" in r.json()["detail"]


class TestDelete:
    def test_conflicts_then_delete(self, world: World) -> None:
        pipe = ready_pipeline(world)
        url = f"/api/v1/pipelines/{pipe['id']}"
        dep = deploy(world, pipe["id"])
        r = world.client.delete(url, headers=world.owner.headers)
        assert r.status_code == 409
        assert "deployed" in r.json()["detail"]
        assert world.client.delete(url, headers=world.viewer.headers).status_code == 403
        assert world.client.delete(url, headers=world.outsider.headers).status_code == 404
        assert world.client.delete(url).status_code == 401
        world.client.delete(f"/api/v1/deployments/{dep['id']}", headers=world.owner.headers)
        assert world.client.delete(url, headers=world.editor.headers).status_code == 204
        assert world.client.get(url, headers=world.owner.headers).status_code == 404
        assert not _artifact(world, pipe["id"]).parent.exists()

    def test_building_cannot_be_deleted(self, world: World) -> None:
        made = promote(world, fake_succeeded_run(world)).json()
        url = f"/api/v1/pipelines/{made['id']}"
        assert world.client.delete(url, headers=world.owner.headers).status_code == 409
        with worker(world.settings):
            assert wait_pipeline(world, made["id"])["status"] == "ready"
        assert world.client.delete(url, headers=world.owner.headers).status_code == 204
