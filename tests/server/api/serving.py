"""Helpers for the pipeline/deployment/predict tests: an in-process worker, promoted pipelines."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
from sklearn.datasets import load_iris
from sqlalchemy import update

from podium.server.config import Settings
from podium.server.db.models import Run
from podium.server.db.session import Database
from podium.server.storage import LocalArtifactStore
from podium.worker.jobs import WorkerContext
from podium.worker.loop import Worker, job_kinds
from tests.server.conftest import World
from tests.server.streaming import post_scope

COMPARE_BOARD = {
    "columns": ["Model", "Accuracy", "AUC", "TT (Sec)"],
    "rows": [
        {"Model": "Logistic Regression", "model_id": "lr", "Accuracy": 0.96, "AUC": 0.99},
        {"Model": "Decision Tree", "model_id": "dt", "Accuracy": 0.94, "AUC": 0.95},
        {"Model": "Naive Bayes", "model_id": "nb", "Accuracy": None, "Error": "boom"},
    ],
}


@contextmanager
def worker(settings: Settings) -> Iterator[WorkerContext]:
    """A real worker (claim loop, every job kind) in a thread of this process."""
    db = Database(settings.database_url)
    ctx = WorkerContext(
        settings,
        db,
        LocalArtifactStore(settings.artifact_root),
        f"test-worker-{uuid.uuid4().hex[:6]}",
        threading.Event(),
    )
    thread = threading.Thread(target=Worker(ctx, job_kinds()).run, daemon=True)
    thread.start()
    try:
        yield ctx
    finally:
        ctx.stopping.set()
        thread.join(timeout=30)
        db.dispose()


def fake_succeeded_run(
    world: World,
    board: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
    **experiment: Any,
) -> str:
    """Submit a real run (real snapshot), then mark it succeeded with ``board`` and ``result``
    (no training)."""
    exp = world.experiment(world.project(), **experiment)
    run = world.run(exp)
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        session.execute(
            update(Run)
            .where(Run.id == uuid.UUID(run["id"]))
            .values(status="succeeded", leaderboard=board or COMPARE_BOARD, result=result)
        )
        session.commit()
    return str(run["id"])


def promote(world: World, run_id: str, **body: Any) -> Any:
    """POST /runs/{id}/promote as the owner."""
    payload = {"name": "flowers", **body}
    return world.client.post(
        f"/api/v1/runs/{run_id}/promote", json=payload, headers=world.owner.headers
    )


def wait_pipeline(world: World, pipeline_id: str, timeout: float = 120.0) -> dict[str, Any]:
    """Poll the pipeline until it is no longer building."""
    deadline = time.monotonic() + timeout
    while True:
        body: dict[str, Any] = world.client.get(
            f"/api/v1/pipelines/{pipeline_id}", headers=world.owner.headers
        ).json()
        if body["status"] != "building" or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def ready_pipeline(world: World, model_id: str = "lr", name: str = "flowers") -> dict[str, Any]:
    """A built (ready) iris pipeline, via a fake succeeded run and a real in-process worker."""
    run_id = fake_succeeded_run(world)
    r = promote(world, run_id, name=name, model_id=model_id)
    assert r.status_code == 202, r.text
    with worker(world.settings):
        body = wait_pipeline(world, r.json()["id"])
    assert body["status"] == "ready", body
    return body


def iris_rows(shift: float = 0.0) -> list[dict[str, Any]]:
    """50 iris rows (every third: every class) to score; ``shift`` moves the petal length."""
    frame = load_iris(as_frame=True).data
    frame["petal length (cm)"] += shift
    records: list[dict[str, Any]] = frame.iloc[::3].to_dict("records")
    return records


def deploy(
    world: World, pipeline_id: str, slug: str = "iris-lr", auth_mode: str = "public"
) -> dict[str, Any]:
    """Deploy as the owner; return the deployment."""
    r = world.client.post(
        f"/api/v1/pipelines/{pipeline_id}/deployments",
        json={"slug": slug, "auth_mode": auth_mode},
        headers=world.owner.headers,
    )
    assert r.status_code == 201, r.text
    data: dict[str, Any] = r.json()
    return data


async def asgi_post(app: Any, path: str, body: bytes, ctype: str) -> tuple[int, list[bytes]]:
    """Drive the ASGI app directly, keeping every body message the app sends."""
    messages: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await anyio.Event().wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    headers = [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]
    scope = post_scope(path, headers)
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    chunks = [m["body"] for m in messages if m["type"] == "http.response.body" and m["body"]]
    return int(start["status"]), chunks


def built_versions(world: World, name: str, models: list[str], **experiment: Any) -> list[Any]:
    """Build one version of pipeline ``name`` per model (one in-process worker for all)."""
    queued = []
    for model in models:
        r = promote(world, fake_succeeded_run(world, **experiment), name=name, model_id=model)
        assert r.status_code == 202, r.text
        queued.append(r.json()["id"])
    with worker(world.settings):
        built = [wait_pipeline(world, pid) for pid in queued]
    assert [b["status"] for b in built] == ["ready"] * len(models), built
    return built


def event_kinds(world: World, run_id: str) -> set[str]:
    """The kinds of event the run has written so far."""
    events = world.client.get(
        f"/api/v1/runs/{run_id}/events?limit=1000", headers=world.owner.headers
    ).json()["data"]
    return {e["kind"] for e in events}


def after_first_row(world: World, run_id: str, then: Callable[[], object], wait_s: float) -> None:
    """With a worker running: wait for the run's first leaderboard row (or its end), call
    ``then`` (cancel it, lock its database…), then wait until the run has closed."""
    deadline = time.monotonic() + wait_s
    while not event_kinds(world, run_id) & {"leaderboard.updated", "run.closed"}:
        assert time.monotonic() < deadline, "no model finished"
        time.sleep(0.1)
    then()
    while "run.closed" not in event_kinds(world, run_id):
        assert time.monotonic() < deadline, "the run never ended"
        time.sleep(0.1)


def cancel(world: World, run_id: str) -> Callable[[], object]:
    """``POST /runs/{id}/cancel`` as the owner, for :func:`after_first_row`."""
    return lambda: world.client.post(f"/api/v1/runs/{run_id}/cancel", headers=world.owner.headers)
