"""The prediction log: per-deployment settings (sample rate, what is kept), browse and filter
(time, outcome), CSV export, and pruning by a worker (retention days, size bound)."""

from __future__ import annotations

import csv
import io
import time
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from podium.server.db.base import utcnow
from podium.server.db.models import PredictionLog
from podium.server.db.session import Database
from tests.server.api.serving import deploy, ready_pipeline, worker
from tests.server.conftest import World

ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}
PREDICT = "/api/v1/deployments/logged/predict"


def _setup(world: World, **settings: object) -> str:
    dep = deploy(world, ready_pipeline(world)["id"], slug="logged")
    url = f"/api/v1/deployments/{dep['id']}"
    r = world.client.patch(url, json=settings, headers=world.editor.headers)
    assert r.status_code == 200, r.text
    return url


def _db(world: World) -> Database:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    return db


class TestSettings:
    def test_defaults_and_bad_values(self, world: World) -> None:
        dep = deploy(world, ready_pipeline(world)["id"], slug="logged")
        assert (dep["log_sample_rate"], dep["log_keep"]) == (0.1, "full")
        assert (dep["log_retention_days"], dep["log_max_rows"]) == (30, 10_000)
        assert (dep["drift_every_hours"], dep["drift_next_at"]) == (None, None)
        url = f"/api/v1/deployments/{dep['id']}"
        for body, word in [
            ({"log_sample_rate": 1.5}, "log_sample_rate"),
            ({"log_keep": "all"}, "log_keep"),
            ({"log_retention_days": 0}, "log_retention_days"),
            ({"log_max_rows": 5}, "log_max_rows"),
            ({"drift_every_hours": 0}, "drift_every_hours"),
        ]:
            r = world.client.patch(url, json=body, headers=world.owner.headers)
            assert r.status_code == 422, body
            assert word in r.json()["detail"]
        r = world.client.patch(url, json={"drift_every_hours": 6}, headers=world.owner.headers)
        assert r.json()["drift_every_hours"] == 6
        assert r.json()["drift_next_at"] is not None
        r = world.client.patch(url, json={"drift_every_hours": None}, headers=world.owner.headers)
        assert (r.json()["drift_every_hours"], r.json()["drift_next_at"]) == (None, None)

    def test_sample_rate_and_counts_only(self, world: World) -> None:
        url = _setup(world, log_sample_rate=1.0, log_keep="counts")
        for _ in range(3):
            assert world.client.post(PREDICT, json={"rows": [ROW, ROW]}).status_code == 200
        log = world.client.get(f"{url}/predictions", headers=world.viewer.headers).json()
        assert (log["count"], log["total"]) == (3, 3)
        assert all(e["request"] == {"rows": 2} and e["response"] == {} for e in log["data"])
        world.client.patch(
            url, json={"log_sample_rate": 0.5, "log_keep": "full"}, headers=world.owner.headers
        )
        for _ in range(4):
            world.client.post(PREDICT, json={"rows": [ROW]})
        log = world.client.get(f"{url}/predictions", headers=world.viewer.headers).json()
        full = [e for e in log["data"] if "sample" in e["request"]]
        assert len(full) == 2  # calls 4 and 6 of this process at 0.5 (ceil steps up)
        assert full[0]["request"]["sample"] == [ROW]
        assert full[0]["response"]["predictions"] == ["setosa"]


class TestBrowseExport:
    def test_filter_by_outcome_and_time_then_export(self, world: World) -> None:
        url = _setup(world, log_sample_rate=1.0)
        for _ in range(3):
            world.client.post(PREDICT, json={"rows": [ROW]})
        world.client.post(PREDICT, json={"rows": [{"wat": 1}]})
        errors = world.client.get(
            f"{url}/predictions", params={"outcome": "error"}, headers=world.viewer.headers
        ).json()
        assert [e["status_code"] for e in errors["data"]] == [422]
        ok = world.client.get(
            f"{url}/predictions", params={"outcome": "ok", "limit": 2}, headers=world.owner.headers
        ).json()
        assert (ok["count"], ok["total"]) == (2, 3)
        future = (utcnow() + timedelta(hours=1)).isoformat()
        later = world.client.get(
            f"{url}/predictions", params={"since": future}, headers=world.owner.headers
        ).json()
        assert later["total"] == 0
        bad = world.client.get(
            f"{url}/predictions",
            params={"since": future, "until": utcnow().isoformat()},
            headers=world.owner.headers,
        )
        assert bad.status_code == 422
        assert "since must be before until" in bad.json()["detail"]
        assert (
            world.client.get(
                f"{url}/predictions", params={"outcome": "maybe"}, headers=world.owner.headers
            ).status_code
            == 422
        )
        export = world.client.get(
            f"{url}/predictions/export", params={"outcome": "ok"}, headers=world.viewer.headers
        )
        assert export.status_code == 200
        assert export.headers["content-type"].startswith("text/csv")
        assert 'filename="logged-predictions.csv"' in export.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(export.text)))
        assert len(rows) == 3
        assert {r["outcome"] for r in rows} == {"ok"}
        assert rows[0]["rows"] == "1"
        assert '"predictions":["setosa"]' in rows[0]["response"]
        outsider = world.client.get(f"{url}/predictions/export", headers=world.outsider.headers)
        assert outsider.status_code == 404


class TestPruning:
    def test_a_worker_prunes_by_age_and_size(self, world: World, tmp_path: object) -> None:
        url = _setup(world, log_retention_days=7, log_max_rows=100)
        dep_id = uuid.UUID(url.rsplit("/", 1)[1])
        ws = uuid.UUID(world.ws)
        now = utcnow()
        with _db(world).sessions() as session:
            for i in range(130):  # 10 expired, 120 recent: 100 are kept
                age = timedelta(days=8) if i < 10 else timedelta(minutes=i)
                session.add(
                    PredictionLog(
                        workspace_id=ws,
                        deployment_id=dep_id,
                        request_id=f"r{i}",
                        status_code=200,
                        latency_ms=1.0,
                        request={"rows": 1},
                        response={},
                        created_at=now - age,
                    )
                )
            session.commit()
        settings = world.settings.model_copy(update={"maintenance_every_s": 0.2})
        with worker(settings):
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _count(world, dep_id) != 100:
                time.sleep(0.1)
        assert _count(world, dep_id) == 100
        with _db(world).sessions() as session:
            oldest = session.scalar(
                select(func.min(PredictionLog.created_at)).where(
                    PredictionLog.deployment_id == dep_id
                )
            )
        assert oldest is not None
        assert now - oldest == timedelta(minutes=109)  # ages 10-109 min: the newest 100


def _count(world: World, dep_id: uuid.UUID) -> int:
    with _db(world).sessions() as session:
        return (
            session.scalar(select(func.count()).where(PredictionLog.deployment_id == dep_id)) or 0
        )


class TestBadFilters:
    """Found by schemathesis: a bare number was read as seconds since 1970 (200 with nothing
    in it), and a version or offset past the database's integers answered 500."""

    def test_times_are_iso_with_a_zone_and_numbers_are_bounded(self, world: World) -> None:
        url = _setup(world)
        log = f"{url}/predictions"
        audit = f"/api/v1/workspaces/{world.ws}/audit-log"
        drift = "/api/v1/deployments/logged/drift-reports"
        for path, params in (
            (log, {"since": "-544"}),
            (log, {"until": "1700000000"}),
            (log, {"since": "2026-01-31T12:00:00"}),  # no time zone
            (log, {"offset": str(2**40)}),
            (audit, {"since": "12"}),
            (audit, {"offset": str(2**40)}),
        ):
            r = world.client.get(path, params=params, headers=world.owner.headers)
            assert r.status_code == 422, (path, params, r.text)
            detail = r.json()["detail"]
            assert any(w in detail for w in ("ISO 8601", "time zone", "offset")), detail
        ok = world.client.get(
            log, params={"since": "2026-01-31T12:00:00Z"}, headers=world.owner.headers
        )
        assert ok.status_code == 200, ok.text
        r = world.client.post(drift, json={"until": -89124916025}, headers=world.owner.headers)
        assert r.status_code == 422, r.text
        assert "ISO 8601" in r.json()["detail"]
        r = world.client.post(f"{url}/switch", json={"version": 2**70}, headers=world.owner.headers)
        assert r.status_code == 422, r.text
