"""The guarded claim: of many racers for one run exactly one wins (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import func, select

from podium.server.db.models import Event, Run
from podium.server.db.session import Database
from podium.server.services import queue
from tests.conftest import make_settings

RACERS = 6


def _queued_run(db: Database) -> None:
    from podium.server.db.models import Experiment, Project, Workspace

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


class TestClaimRace:
    def test_exactly_one_of_many_racers_wins(self, db_url: str, tmp_path: Path) -> None:
        make_settings(tmp_path, db_url)
        setup_db = Database(db_url)
        _queued_run(setup_db)
        setup_db.dispose()
        barrier = threading.Barrier(RACERS)
        winners: list[str] = []
        errors: list[BaseException] = []

        def race(name: str) -> None:
            db = Database(db_url)  # one engine (own connections) per racer, like processes
            try:
                barrier.wait()
                with db.sessions() as session:
                    run = queue.claim_next(session, name, 30)
                if run is not None:
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
            run = session.scalars(select(Run)).one()
            started = session.scalar(
                select(func.count()).select_from(Event).where(Event.kind == "run.started")
            )
        db.dispose()
        assert run.status == "running"
        assert run.worker_id == winners[0]
        assert started == 1

    def test_nothing_to_claim(self, db_url: str) -> None:
        db = Database(db_url)
        with db.sessions() as session:
            assert queue.claim_next(session, "w", 30) is None
        db.dispose()
