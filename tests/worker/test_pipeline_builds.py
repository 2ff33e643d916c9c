"""Pipeline builds by a real worker: claim, refit, artifact + manifest, events, failures, leases."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import uuid
from datetime import timedelta

from sqlalchemy import update

from podium.engine.artifacts.onnx import ONNX_MISSING
from podium.server.db.base import utcnow
from podium.server.db.models import Pipeline
from podium.server.db.session import Database
from podium.server.services import queue
from tests.server.api.serving import (
    COMPARE_BOARD,
    fake_succeeded_run,
    promote,
    wait_pipeline,
    worker,
)
from tests.server.conftest import World


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


def _events(world: World, run_id: str) -> list[dict[str, object]]:
    r = world.client.get(f"/api/v1/runs/{run_id}/events?limit=1000", headers=world.owner.headers)
    data: list[dict[str, object]] = r.json()["data"]
    return data


class TestBuild:
    def test_ready_with_verified_artifact_manifest_and_event(self, world: World) -> None:
        run_id = fake_succeeded_run(world)
        queued = promote(world, run_id, name="flowers").json()
        assert queued["status"] == "building"
        assert queued["model_id"] == "lr"
        with worker(world.settings) as ctx:
            built = wait_pipeline(world, queued["id"])
        assert built["status"] == "ready", built
        assert [c["name"] for c in built["input_schema"]][:2] == [
            "sepal length (cm)",
            "sepal width (cm)",
        ]
        assert built["task"] == "multiclass"
        assert {"scikit-learn", "skops", "numpy"} <= set(built["library_versions"])
        folder = ctx.store.local_path(f"workspaces/{world.ws}/pipelines/{queued['id']}")
        blob = (folder / "pipeline.skops").read_bytes()
        assert hashlib.sha256(blob).hexdigest() == built["sha256"]
        assert len(blob) == built["size_bytes"]
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["sha256"] == built["sha256"]
        assert manifest["metrics"] == {"cv": {"Accuracy": 0.96, "AUC": 0.99}}
        assert manifest["extra"]["pipeline_id"] == queued["id"]
        if importlib.util.find_spec("skl2onnx") is None:
            assert manifest["extra"]["onnx"] == {"available": False, "error": ONNX_MISSING}
            assert built["onnx"]["error"] == "onnx: not available (install podium[onnx])"
        else:  # the onnx extra is in `make install`: iris + lr converts and is verified
            onnx = manifest["extra"]["onnx"]
            assert onnx["available"] is True, onnx
            assert (
                hashlib.sha256((folder / "pipeline.onnx").read_bytes()).hexdigest()
                == onnx["sha256"]
            )
            assert [i["column"] for i in onnx["inputs"]][:1] == ["sepal length (cm)"]
            assert onnx["verified_rows"] > 0
            assert built["onnx"] == onnx
        created = [e for e in _events(world, run_id) if e["kind"] == "pipeline.created"]
        assert len(created) == 1
        assert created[0]["payload"] == {
            "pipeline_id": queued["id"],
            "name": "flowers",
            "version": 1,
            "model_id": "lr",
            "sha256": built["sha256"],
        }

    def test_failure_is_recorded_with_a_warning(self, world: World) -> None:
        board = {
            "columns": ["Model", "Accuracy"],
            "rows": [{"Model": "Ghost", "model_id": "ghost", "Accuracy": 0.9}],
        }
        run_id = fake_succeeded_run(world, board)
        queued = promote(world, run_id).json()
        with worker(world.settings):
            built = wait_pipeline(world, queued["id"])
        assert built["status"] == "failed"
        assert "ghost" in built["error"]
        assert built["sha256"] is None
        warnings = [e for e in _events(world, run_id) if e["kind"] == "warning"]
        assert warnings
        assert warnings[-1]["payload"]["code"] == "pipeline_failed"


class TestQueue:
    def _building(self, world: World) -> uuid.UUID:
        run_id = fake_succeeded_run(world, COMPARE_BOARD)
        return uuid.UUID(promote(world, run_id).json()["id"])

    def test_one_claim_wins(self, world: World) -> None:
        pipeline_id = self._building(world)
        db = _db(world)
        with db.sessions() as first, db.sessions() as second:
            won = queue.claim(first, queue.BUILDS, "worker-a", 30)
            lost = queue.claim(second, queue.BUILDS, "worker-b", 30)
        assert won is not None
        assert won.id == pipeline_id
        assert won.worker_id == "worker-a"
        assert lost is None

    def test_expired_lease_fails_worker_lost(self, world: World) -> None:
        pipeline_id = self._building(world)
        db = _db(world)
        with db.sessions() as session:
            assert queue.claim(session, queue.BUILDS, "worker-a", 30) is not None
            session.execute(
                update(Pipeline)
                .where(Pipeline.id == pipeline_id)
                .values(lease_expires_at=utcnow() - timedelta(seconds=1))
            )
            session.commit()

        with db.sessions() as session:
            assert queue.reap_expired(session, queue.BUILDS) == [pipeline_id]
        got = world.client.get(
            f"/api/v1/pipelines/{pipeline_id}", headers=world.owner.headers
        ).json()
        assert got["status"] == "failed"
        assert got["error"].startswith("worker lost")
