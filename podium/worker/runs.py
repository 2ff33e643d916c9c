"""The ``runs`` job kind: claim a queued run, execute its plan with the engine, end it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from podium.engine import Cancelled, DataError, read_table, samples, setup
from podium.server.db.models import DataSource, Run
from podium.server.errors import without_paths
from podium.server.services import queue
from podium.worker.cancel import CancelWatcher
from podium.worker.events import EventWriter, jsonable
from podium.worker.jobs import Job, WorkerContext

log = logging.getLogger(__name__)
SHUTDOWN = "worker shut down while the run was in flight; submit it again"


class RunKind:
    """Serves the ``runs`` table."""

    name = "runs"

    def claim(self, ctx: WorkerContext) -> Job | None:
        """Claim the oldest queued run (guarded transition, ``run.started`` in the same txn)."""
        with ctx.db.sessions() as session:
            run = queue.claim_next(session, ctx.worker_id, ctx.settings.lease_s)
            return RunJob(run) if run is not None else None

    def reap(self, ctx: WorkerContext) -> None:
        """Fail runs whose worker was lost."""
        with ctx.db.sessions() as session:
            for run_id in queue.reap_expired(session):
                log.warning("run %s failed: worker lost (lease expired)", run_id)


@dataclass
class RunJob:
    """A claimed run."""

    run: Run

    @property
    def label(self) -> str:
        """``run:<id>``, shown in worker heartbeats."""
        return f"run:{self.run.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the run's lease."""
        with ctx.db.sessions() as session:
            return queue.renew(session, self.run.id, ctx.worker_id, ctx.settings.lease_s)

    def execute(self, ctx: WorkerContext) -> None:
        """Run the plan; end the run succeeded / cancelled / failed with what it produced."""
        run = self.run
        writer = EventWriter(ctx.db, run.id, run.workspace_id, ctx.worker_id)
        started = time.monotonic()
        with CancelWatcher(ctx.db, run.id, ctx.stopping) as watcher:

            def should_stop() -> bool:
                watcher.lost = watcher.lost or writer.lost
                return watcher.should_stop()

            outcome = _attempt(ctx, run, writer, should_stop, watcher)
        if outcome.get("error"):  # users see it: never where the server keeps its files
            roots = (ctx.settings.artifact_root, ctx.settings.data_dir)
            outcome["error"] = without_paths(outcome["error"], *roots)
        outcome.setdefault("result", {})["duration_s"] = round(time.monotonic() - started, 3)
        with ctx.db.sessions() as session:
            ended = queue.finish(session, run.id, ctx.worker_id, **outcome)
        if not ended:
            log.warning("run %s was no longer ours when it ended (lease reaped?)", run.id)


def _attempt(
    ctx: WorkerContext, run: Run, writer: EventWriter, should_stop: Any, watcher: CancelWatcher
) -> dict[str, Any]:
    try:
        leaderboard, result = execute_plan(ctx, run, writer, should_stop)
    except Cancelled as exc:
        rows = exc.leaderboard if exc.leaderboard.get("columns") else writer.leaderboard
        if watcher.cancelled:
            return {"status": "cancelled", "leaderboard": rows, "result": {"stopped": str(exc)}}
        return {"status": "failed", "error": SHUTDOWN, "leaderboard": rows}
    except DataError as exc:
        return {"status": "failed", "error": str(exc), "leaderboard": writer.leaderboard}
    except Exception as exc:
        log.exception("run %s failed", run.id)
        error = f"{type(exc).__name__}: {exc}"
        return {"status": "failed", "error": error, "leaderboard": writer.leaderboard}
    return {"status": "succeeded", "leaderboard": leaderboard, "result": result}


def execute_plan(
    ctx: WorkerContext, run: Run, writer: EventWriter, should_stop: Any
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """Load the data, ``setup`` with the snapshot's settings, then setup / create / compare."""
    experiment = setup_experiment(ctx, run, on_event=writer)
    base = {"task": experiment.task, "seed": experiment.seed, "findings": experiment.findings}
    if run.plan == "setup":
        return None, jsonable({**base, "schema": experiment.schema})
    executor = ctx.executor()
    if run.plan == "create":
        assert run.model_id is not None
        created = experiment.create(
            run.model_id,
            on_event=writer,
            should_stop=should_stop,
            executor=executor,
            **run.plan_params,
        )
        return jsonable(created.leaderboard), jsonable({**base, "model_id": run.model_id})
    compared = experiment.compare(
        on_event=writer, should_stop=should_stop, executor=executor, **run.plan_params
    )
    return jsonable(compared.leaderboard), jsonable({**base, "best": compared.best})


def setup_experiment(ctx: WorkerContext, run: Run, on_event: Any = None) -> Any:
    """The engine experiment of a run: its data and its snapshot's task, target and settings.

    Shared by run plans and pipeline builds (``podium.worker.pipelines``), so a promoted
    pipeline is refitted on exactly the data and settings its run was scored with.
    """
    spec = run.snapshot["experiment"]
    frame = load_frame(ctx, run)
    return setup(
        frame, spec["target"], task=spec["task"], on_event=on_event, **spec["setup_params"]
    )


def load_frame(ctx: WorkerContext, run: Run) -> Any:
    """The run's table: an upload from the artifact store, or a bundled sample."""
    if run.sklearn_dataset is not None:
        frame, _target = samples.load(run.sklearn_dataset)
        return frame
    with ctx.db.sessions() as session:
        key = session.scalar(
            select(DataSource.storage_key).where(DataSource.id == run.data_source_id)
        )
    if key is None:
        raise RuntimeError(f"data source {run.data_source_id} of run {run.id} is gone")
    return read_table(ctx.store.local_path(key))
