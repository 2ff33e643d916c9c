"""The guarded claim: of many racers for one job exactly one wins, for every job kind (runs and
pipeline builds), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from podium.server.db.models import Event, Experiment, Pipeline, Project, Run, Workspace
from podium.server.db.session import Database
from podium.server.services import queue
from tests.conftest import make_settings

RACERS = 6


def _queued_run(db: Database) -> None:
    with db.sessions() as session:
        ws = Workspace(name="W")
        session.add(ws)
        session.flush()
        project = Project(workspace_id=ws.id, name="P")
        session.add(project)
        session.flush()
        exp = Experiment(
            workspace_id=ws.id,
            project_id=project.id,
            name="E",
            task="multiclass",
            target="target",
            sklearn_dataset="iris",
            setup_params={},
        )
        session.add(exp)
        session.flush()
        session.add(
            Run(
                workspace_id=ws.id,
                experiment_id=exp.id,
                sklearn_dataset="iris",
                plan="setup",
                plan_params={},
                snapshot={},
            )
        )
        session.commit()


def _unclaimed_build(db: Database) -> None:
    with db.sessions() as session:
        ws = Workspace(name="W")
        session.add(ws)
        session.flush()
        session.add(
            Pipeline(
                workspace_id=ws.id,
                name="flowers",
                version=1,
                model_id="lr",
                metrics={},
                input_schema=[],
                library_versions={},
            )
        )
        session.commit()


WAITING = {"runs": _queued_run, "pipelines": _unclaimed_build}
TABLES: dict[str, Any] = {"runs": queue.RUNS, "pipelines": queue.BUILDS}


class TestClaimRace:
    @pytest.mark.parametrize("kind", ["runs", "pipelines"])
    def test_exactly_one_of_many_racers_wins(self, db_url: str, tmp_path: Path, kind: str) -> None:
        make_settings(tmp_path, db_url)
        setup_db = Database(db_url)
        WAITING[kind](setup_db)
        setup_db.dispose()
        table = TABLES[kind]
        barrier = threading.Barrier(RACERS)
        winners: list[str] = []
        errors: list[BaseException] = []

        def race(name: str) -> None:
            db = Database(db_url)  # one engine (own connections) per racer, like processes
            try:
                barrier.wait()
                with db.sessions() as session:
                    job = queue.claim(session, table, name, 30)
                if job is not None:
                    winners.append(name)
            except BaseException as exc:
                errors.append(exc)
            finally:
                db.dispose()

        threads = [threading.Thread(target=race, args=(f"w{i}",)) for i in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(winners) == 1
        db = Database(db_url)
        with db.sessions() as session:
            row = session.scalars(select(table.model)).one()
            started = session.scalar(
                select(func.count()).select_from(Event).where(Event.kind == "run.started")
            )
        db.dispose()
        assert row.status == table.held == {"runs": "running", "pipelines": "building"}[kind]
        assert row.worker_id == winners[0]
        assert row.lease_expires_at is not None
        assert started == (1 if kind == "runs" else 0)

    @pytest.mark.parametrize("kind", ["runs", "pipelines"])
    def test_nothing_to_claim(self, db_url: str, kind: str) -> None:
        db = Database(db_url)
        with db.sessions() as session:
            assert queue.claim(session, TABLES[kind], "w", 30) is None
        db.dispose()
