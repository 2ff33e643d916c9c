"""Drift reports over the API: the baseline stored at promote, a report on demand over logged
calls (quiet on training-like rows, high on shifted ones), listing with PSI over time, the
refusals (counts-only log, no baseline), and the scheduled report a worker computes."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from podium.server.db.base import utcnow
from podium.server.db.models import Deployment, Pipeline
from podium.server.db.session import Database
from tests.server.api.serving import deploy, iris_rows, ready_pipeline, worker
from tests.server.conftest import World

PREDICT = "/api/v1/deployments/watched/predict"
REPORTS = "/api/v1/deployments/watched/drift-reports"


def _setup(world: World) -> dict[str, Any]:
    pipe = ready_pipeline(world)
    dep = deploy(world, pipe["id"], slug="watched")
    r = world.client.patch(
        f"/api/v1/deployments/{dep['id']}",
        json={"log_sample_rate": 1.0},
        headers=world.owner.headers,
    )
    assert r.status_code == 200
    return dep


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestDriftReports:
    def test_baseline_is_in_the_manifest(self, world: World) -> None:
        pipe = ready_pipeline(world)
        download = world.client.get(
            f"/api/v1/pipelines/{pipe['id']}/download", headers=world.owner.headers
        )
        import io
        import json
        import zipfile

        archive = zipfile.ZipFile(io.BytesIO(download.content))
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["extra"]["baseline"]["file"] == "baseline.json"
        assert "baseline.json" in manifest["files"]
        baseline = json.loads(archive.read("baseline.json"))
        assert [f["name"] for f in baseline["features"]] == [
            c["name"] for c in pipe["input_schema"]
        ]
        assert baseline["prediction"]["kind"] == "categorical"

    def test_quiet_then_shifted(self, world: World) -> None:
        _setup(world)
        for i in range(0, 50, 10):
            assert (
                world.client.post(PREDICT, json={"rows": iris_rows()[i : i + 10]}).status_code
                == 200
            )
        quiet = world.client.post(REPORTS, json={}, headers=world.editor.headers)
        assert quiet.status_code == 201, quiet.text
        body = quiet.json()
        assert (body["rows"], body["trigger"], body["pipeline_version"]) == (50, "manual", 1)
        assert body["severity"] in ("none", "low"), body["features"]
        assert body["prediction"]["name"] == "prediction"
        assert [p["id"] for p in body["plots"]][:2] == ["psi", "feature:sepal length (cm)"]
        since = utcnow().isoformat()
        time.sleep(0.01)
        shifted = iris_rows(shift=4.0)
        for i in range(0, 50, 25):
            world.client.post(PREDICT, json={"rows": shifted[i : i + 25]})
        loud = world.client.post(REPORTS, json={"since": since}, headers=world.owner.headers)
        report = loud.json()
        assert report["rows"] == 50
        assert report["severity"] == "high"
        by_name = {f["name"]: f for f in report["features"]}
        assert by_name["petal length (cm)"]["severity"] == "high"
        assert by_name["petal length (cm)"]["psi"] > 0.25
        assert by_name["sepal width (cm)"]["severity"] in ("none", "low")

        listed = world.client.get(REPORTS, headers=world.viewer.headers).json()
        assert [r["id"] for r in listed["data"]] == [report["id"], body["id"]]
        assert listed["data"][0]["plots"] == []
        assert listed["over_time"]["id"] == "psi_over_time"
        assert len(listed["over_time"]["series"][0]["y"]) == 2
        one = world.client.get(
            f"/api/v1/drift-reports/{report['id']}", headers=world.viewer.headers
        )
        assert one.json()["severity"] == "high"
        assert len(one.json()["plots"]) == 1 + 4 + 1
        assert world.client.post(REPORTS, json={}, headers=world.viewer.headers).status_code == 403
        outsider = world.client.get(
            f"/api/v1/drift-reports/{report['id']}", headers=world.outsider.headers
        )
        assert outsider.status_code == 404
        empty = world.client.post(
            REPORTS, json={"since": since, "until": since}, headers=world.owner.headers
        )
        assert empty.status_code == 422

    def test_refusals(self, world: World) -> None:
        dep = _setup(world)
        world.client.patch(
            f"/api/v1/deployments/{dep['id']}",
            json={"log_keep": "counts"},
            headers=world.owner.headers,
        )
        counts = world.client.post(REPORTS, json={}, headers=world.owner.headers)
        assert counts.status_code == 409
        assert "logs counts only; set log_keep to 'full'" in counts.json()["detail"]
        world.client.patch(
            f"/api/v1/deployments/{dep['id']}",
            json={"log_keep": "full"},
            headers=world.owner.headers,
        )
        with _db(world).sessions() as session:
            row = session.get_one(Pipeline, uuid.UUID(dep["pipeline_id"]))
            manifest = dict(row.manifest or {})
            manifest["extra"] = {k: v for k, v in manifest["extra"].items() if k != "baseline"}
            session.execute(update(Pipeline).where(Pipeline.id == row.id).values(manifest=manifest))
            session.commit()
        old = world.client.post(REPORTS, json={}, headers=world.owner.headers)
        assert old.status_code == 409
        assert "built before drift baselines were kept" in old.json()["detail"]
        unknown = world.client.post(
            "/api/v1/deployments/nowhere/drift-reports", json={}, headers=world.owner.headers
        )
        assert unknown.status_code == 404

    def test_a_worker_computes_the_scheduled_report(self, world: World) -> None:
        dep = _setup(world)
        world.client.post(PREDICT, json={"rows": iris_rows()})
        r = world.client.patch(
            f"/api/v1/deployments/{dep['id']}",
            json={"drift_every_hours": 24, "drift_window_hours": 1},
            headers=world.owner.headers,
        )
        assert r.json()["drift_next_at"] is not None
        with _db(world).sessions() as session:  # due now instead of in 24 h
            session.execute(
                update(Deployment)
                .where(Deployment.id == uuid.UUID(dep["id"]))
                .values(drift_next_at=utcnow() - timedelta(seconds=1))
            )
            session.commit()
        settings = world.settings.model_copy(update={"maintenance_every_s": 0.2})
        reports: list[dict[str, Any]] = []
        with worker(settings):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not reports:
                reports = world.client.get(REPORTS, headers=world.owner.headers).json()["data"]
                time.sleep(0.2)
        assert [(r["trigger"], r["rows"]) for r in reports] == [("schedule", 50)]
        after = world.client.get(f"/api/v1/deployments/{dep['id']}", headers=world.owner.headers)
        next_at = after.json()["drift_next_at"]
        assert next_at > (utcnow() + timedelta(hours=23)).isoformat()
