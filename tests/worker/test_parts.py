"""Worker parts on a real database: event writer guard, cancel watcher, executor choice."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from podium.server.db.base import utcnow
from podium.server.db.session import Database
from podium.server.services import events, queue
from podium.server.storage import LocalArtifactStore
from podium.worker.cancel import CancelWatcher
from podium.worker.events import EventWriter, jsonable
from podium.worker.jobs import WorkerContext
from tests.conftest import make_settings
from tests.worker.test_claim import _queued_run


@pytest.fixture
def db(sqlite_url: str) -> Database:
    database = Database(sqlite_url)
    _queued_run(database)
    yield database  # type: ignore[misc]
    database.dispose()


class TestEventWriter:
    def test_writes_rows_and_stores_leaderboard(self, db: Database) -> None:
        with db.sessions() as session:
            run = queue.claim(session, queue.RUNS, "me", 30)
        assert run is not None
        writer = EventWriter(db, run.id, run.workspace_id, "me")
        board = {
            "columns": ["Model", "Accuracy"],
            "rows": [{"Model": "x", "Accuracy": float("nan")}],
        }
        writer.emit("leaderboard.updated", {"leaderboard": board})
        with db.sessions() as session:
            stored = events.after(session, run.id, 0, 10)
            assert [e.kind for e in stored] == ["run.started", "leaderboard.updated"]
            assert stored[1].payload["leaderboard"]["rows"][0]["Accuracy"] is None
        assert writer.leaderboard == jsonable(board)

    def test_stops_writing_once_the_run_was_reaped(self, db: Database) -> None:
        with db.sessions() as session:
            run = queue.claim(session, queue.RUNS, "me", 30)
            assert run is not None
            queue.reap_expired(session, queue.RUNS, utcnow().replace(year=utcnow().year + 1))
        writer = EventWriter(db, run.id, run.workspace_id, "me")
        writer.emit("model.started", {"model_id": "dt"})
        assert writer.lost is True
        with db.sessions() as session:
            kinds = [e.kind for e in events.after(session, run.id, 0, 10)]
        assert kinds == ["run.started", "run.failed", "run.closed"]


class TestCancelWatcher:
    def test_flag_reaches_should_stop(self, db: Database) -> None:
        with db.sessions() as session:
            run = queue.claim(session, queue.RUNS, "me", 30)
        assert run is not None
        shutdown = threading.Event()
        with CancelWatcher(db, run.id, shutdown, interval_s=0.05) as watcher:
            assert watcher.should_stop() is False
            from sqlalchemy import update

            from podium.server.db.models import Run

            with db.sessions() as session:
                session.execute(update(Run).values(cancel_requested=True))
                session.commit()
            deadline = time.monotonic() + 30
            while not watcher.should_stop() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert watcher.cancelled is True
        assert CancelWatcher(db, run.id, threading.Event()).should_stop() is False
        shutdown_only = CancelWatcher(db, run.id, shutdown)
        shutdown.set()
        assert shutdown_only.should_stop() is True


class TestExecutorChoice:
    def test_dask_only_when_configured(
        self, tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        made: list[str] = []

        class FakeDask:
            def __init__(self, address: str) -> None:
                made.append(address)

        import podium.engine

        monkeypatch.setattr(podium.engine, "DaskExecutor", FakeDask)
        db = Database(sqlite_url)
        store = LocalArtifactStore(tmp_path / "a")
        local = WorkerContext(
            make_settings(tmp_path, sqlite_url), db, store, "w", threading.Event()
        )
        pool = local.executor()
        assert isinstance(pool, podium.engine.ProcessExecutor)
        assert pool.memory_bytes == 320 * 2**20  # PODIUM_FIT_MEMORY_MIB's default
        small = make_settings(tmp_path, sqlite_url, fit_memory_mib=64)
        pool = WorkerContext(small, db, store, "w", threading.Event()).executor()
        assert isinstance(pool, podium.engine.ProcessExecutor)
        assert pool.memory_bytes == 64 * 2**20
        settings = make_settings(tmp_path, sqlite_url, dask_scheduler="tcp://10.0.0.1:8786")
        remote = WorkerContext(settings, db, store, "w", threading.Event())
        first = remote.executor()
        assert isinstance(first, FakeDask)
        assert remote.executor() is first
        assert made == ["tcp://10.0.0.1:8786"]
        db.dispose()
