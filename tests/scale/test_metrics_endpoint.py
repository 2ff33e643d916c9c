"""``GET /metrics``: every family read from the database, with exact values.

The first test sets run timings and worker heartbeats directly (both dialects, so both date
arithmetics are checked); the second gets its numbers from a real worker process, a real
pipeline build and real predict calls.
"""

from __future__ import annotations

import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select, update

from podium.server.db.base import utcnow
from podium.server.db.models import DataSource, Run, WorkerBeat
from podium.server.db.session import Database
from podium.server.services import events
from podium.server.storage import LocalArtifactStore
from tests.conftest import METRICS_HEADERS, _truncate
from tests.scale.conftest import Procs, run_events, wait_terminal
from tests.server.api.serving import deploy, promote, wait_pipeline
from tests.server.conftest import World

pytestmark = pytest.mark.xdist_group("scale")
ROW = {
    "sepal length (cm)": 5.1,
    "sepal width (cm)": 3.5,
    "petal length (cm)": 1.4,
    "petal width (cm)": 0.2,
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite and the session's PostgreSQL database (emptied)."""
    if request.param == "sqlite":
        shutil.copy(sqlite_template, tmp_path / "podium.db")
        return f"sqlite:///{tmp_path / 'podium.db'}"
    url: str = request.getfixturevalue("scale_db_url")
    _truncate(url)
    return url


def scrape(world: World) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """``/metrics`` parsed: (sample name, labels) → value."""
    r = world.client.get("/metrics", headers=METRICS_HEADERS)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def one(samples: dict[Any, float], name: str, **labels: str) -> float:
    """The value of one sample (KeyError names it when absent)."""
    return samples[(name, frozenset(labels.items()))]


def _set_run(db: Database, run_id: str, status: str, seconds: float | None) -> None:
    end = utcnow()
    values: dict[str, Any] = {"status": status, "finished_at": end}
    if seconds is not None:
        values["started_at"] = end - timedelta(seconds=seconds)
    with db.sessions() as session:
        session.execute(update(Run).where(Run.id == uuid.UUID(run_id)).values(**values))
        session.commit()


def _beats(db: Database) -> None:
    now = utcnow()
    with db.sessions() as session:
        session.add(WorkerBeat(id="alive", hostname="h", pid=1, heartbeat_at=now))
        session.add(WorkerBeat(id="stale", hostname="h", pid=2, heartbeat_at=now - timedelta(1)))
        session.add(WorkerBeat(id="gone", hostname="h", pid=3, heartbeat_at=now, stopped_at=now))
        session.commit()


def test_families_from_the_database(world: World) -> None:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    exp = world.experiment(world.project())
    ids = [str(world.run(exp)["id"]) for _ in range(5)]
    for run_id, status, seconds in zip(
        ids[:4], ["succeeded", "succeeded", "failed", "cancelled"], [0.5, 3, 45, None], strict=True
    ):
        _set_run(db, run_id, status, seconds)
    with db.sessions() as session:
        for _ in range(7):
            events.add_for(session, uuid.UUID(ids[0]), uuid.UUID(world.ws), "warning", {})
        session.commit()
    _beats(db)

    m = scrape(world)
    assert one(m, "podium_database_up") == 1
    runs = {s: one(m, "podium_runs", status=s) for s in ("queued", "running", "succeeded")}
    assert runs == {"queued": 1, "running": 0, "succeeded": 2}
    assert one(m, "podium_runs", status="failed") == one(m, "podium_runs", status="cancelled") == 1
    assert one(m, "podium_queue_depth", kind="runs") == 1
    assert one(m, "podium_queue_depth", kind="pipelines") == 0
    assert one(m, "podium_workers_alive") == 1
    assert one(m, "podium_events_written_total") == 7
    ok = {le: one(m, "podium_run_duration_seconds_bucket", status="succeeded", le=le)
          for le in ("1.0", "2.5", "5.0", "+Inf")}  # fmt: skip
    assert ok == {"1.0": 1, "2.5": 1, "5.0": 2, "+Inf": 2}
    assert one(m, "podium_run_duration_seconds_count", status="succeeded") == 2
    # SQLite computes durations from julianday() (a float of days): ~10 µs resolution
    assert one(m, "podium_run_duration_seconds_sum", status="succeeded") == pytest.approx(
        3.5, abs=1e-3
    )
    failed = [one(m, "podium_run_duration_seconds_bucket", status="failed", le=le)
              for le in ("30.0", "60.0")]  # fmt: skip
    assert failed == [0, 1]
    # cancelled before it started: no duration to observe
    assert one(m, "podium_run_duration_seconds_count", status="cancelled") == 0


def _failing_run(world: World) -> str:
    """A run whose upload is missing from the artifact store (a store that is not shared)."""
    source = world.upload()
    exp = world.experiment(world.project(), data_source_id=source, target="species")
    run_id = str(world.run(exp, plan="create", model_id="dt")["id"])
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        key = session.scalar(
            select(DataSource.storage_key).where(DataSource.id == uuid.UUID(source))
        )
    assert key is not None
    LocalArtifactStore(world.settings.artifact_root).local_path(key).unlink()
    return run_id


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_values_after_real_runs_builds_and_predictions(world: World, procs: Procs) -> None:
    exp = world.experiment(world.project(), setup_params={"folds": 2})
    good = str(world.run(exp, plan="create", model_id="dt")["id"])
    bad = _failing_run(world)
    dropped = str(world.run(exp, plan="create", model_id="dt")["id"])
    r = world.client.post(f"/api/v1/runs/{dropped}/cancel", headers=world.owner.headers)
    assert r.status_code == 202, r.text
    worker = procs.worker(world.settings)
    runs = wait_terminal(world, [good, bad, dropped], procs)
    assert [runs[i]["status"] for i in (good, bad, dropped)] == ["succeeded", "failed", "cancelled"]
    built = promote(world, good, model_id="dt")
    assert built.status_code == 202, built.text
    assert wait_pipeline(world, built.json()["id"])["status"] == "ready", procs.logs()
    assert one(scrape(world), "podium_workers_alive") == 1
    procs.terminate(worker)
    deploy(world, built.json()["id"], slug="iris-metrics")
    predict = "/api/v1/deployments/iris-metrics/predict"
    codes = [world.client.post(predict, json={"rows": [ROW]}).status_code for _ in range(3)]
    codes.append(world.client.post(predict, json={"rows": [{"wat": 1}]}).status_code)
    assert codes == [200, 200, 200, 422]
    waiting = str(world.run(exp, plan="create", model_id="dt")["id"])

    m = scrape(world)
    by_status = {s: one(m, "podium_runs", status=s) for s in ("queued", "running", "succeeded")}
    assert by_status == {"queued": 1, "running": 0, "succeeded": 1}
    assert one(m, "podium_runs", status="failed") == one(m, "podium_runs", status="cancelled") == 1
    assert one(m, "podium_queue_depth", kind="runs") == 1
    assert one(m, "podium_workers_alive") == 0
    for status, run_id in (("succeeded", good), ("failed", bad)):
        assert one(m, "podium_run_duration_seconds_count", status=status) == 1
        took = _seconds(world, run_id)
        total = one(m, "podium_run_duration_seconds_sum", status=status)
        assert total == pytest.approx(took, abs=1e-3)
    slug = {"deployment": "iris-metrics"}
    assert one(m, "podium_predict_requests_total", **slug) == 4
    assert one(m, "podium_predict_errors_total", **slug) == 1
    assert one(m, "podium_predict_latency_seconds_count", **slug) == 4
    assert one(m, "podium_predict_latency_seconds_bucket", le="+Inf", **slug) == 4
    cumulative = [
        s.value
        for family in text_string_to_metric_families(
            world.client.get("/metrics", headers=METRICS_HEADERS).text
        )
        for s in family.samples
        if s.name == "podium_predict_latency_seconds_bucket"
    ]
    assert cumulative == sorted(cumulative)
    written = sum(len(run_events(world, i)) for i in (good, bad, dropped, waiting))
    assert one(m, "podium_events_written_total") == written


def _seconds(world: World, run_id: str) -> float:
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        run = session.get_one(Run, uuid.UUID(run_id))
        assert run.started_at is not None
        assert run.finished_at is not None
        return (run.finished_at - run.started_at).total_seconds()
