"""The worker process: register, heartbeat, reap, claim, execute — until told to stop.

Side threads beside the claim loop: the heartbeat (worker row + the current job's lease, every
``lease_s / 3``) and, per run, the cancel watcher (see ``cancel.py``). SIGTERM/SIGINT stop the
loop; a run in flight is stopped through ``should_stop`` and ends ``failed`` (shutdown). Once
the loop has let go of everything, the process exits without interpreter teardown (see
:func:`exit_now`).
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
import time
import uuid
from types import FrameType
from typing import NoReturn

from podium.engine.run.executors import remove_stale_folds, shutdown_pool
from podium.server.config import get_settings
from podium.server.db.session import Database
from podium.server.observability import configure_logging
from podium.server.services import queue, workers
from podium.server.storage import LocalArtifactStore
from podium.worker.analysis import AnalysisJob
from podium.worker.jobs import Job, JobKind, QueueKind, WorkerContext
from podium.worker.maintenance import Maintenance
from podium.worker.pipelines import PipelineJob
from podium.worker.profiles import ProfileJob
from podium.worker.runs import RunJob
from podium.worker.warmup import warm_in_background
from podium.worker.webhooks import WebhookJob

log = logging.getLogger("podium.worker")
HEARTBEAT_MAX_S = 2.0


def job_kinds() -> list[JobKind]:
    """The kinds this worker serves, in priority order (pipeline builds and profiles are
    short: first; analyses, which a person on the model page waits for, before runs;
    maintenance — log pruning, scheduled drift reports — is quick and looked for once a
    minute).

    Add a kind by describing its table in ``services/queue.py`` and its job here.
    """
    return [
        QueueKind(queue.BUILDS, PipelineJob),
        QueueKind(queue.PROFILES, ProfileJob),
        QueueKind(queue.ANALYSES, AnalysisJob),
        QueueKind(queue.WEBHOOKS, WebhookJob),
        Maintenance(),
        QueueKind(queue.RUNS, RunJob),
    ]


class Worker:
    """One worker process's claim loop over its job kinds."""

    def __init__(self, ctx: WorkerContext, kinds: list[JobKind], parent_pid: int | None = None):
        self.ctx = ctx
        self.kinds = kinds
        self.parent_pid = parent_pid
        self.current: Job | None = None
        self._beat_s = min(HEARTBEAT_MAX_S, ctx.settings.lease_s / 3)

    def run(self) -> None:
        """Serve until ``ctx.stopping`` is set."""
        self._register()
        beat = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        beat.start()
        next_reap = 0.0
        try:
            while not self.ctx.stopping.is_set():
                if time.monotonic() >= next_reap:
                    self._reap()
                    next_reap = time.monotonic() + self._beat_s
                job = self._claim()
                if job is None:
                    self.ctx.stopping.wait(self.ctx.settings.worker_poll_s)
                    continue
                self._execute(job)
        finally:
            self.ctx.stopping.set()
            beat.join(timeout=5)
            self._unregister()

    def _claim(self) -> Job | None:
        for kind in self.kinds:
            try:
                job = kind.claim(self.ctx)
            except Exception:
                log.exception("claim from %s failed", kind.name)
                continue
            if job is not None:
                return job
        return None

    def _execute(self, job: Job) -> None:
        log.info("worker %s took %s", self.ctx.worker_id, job.label)
        self.current = job
        try:
            job.execute(self.ctx)
        except Exception:
            log.exception("%s crashed", job.label)
        finally:
            self.current = None

    def _reap(self) -> None:
        for kind in self.kinds:
            try:
                kind.reap(self.ctx)
            except Exception:
                log.exception("reaping %s failed", kind.name)

    def _heartbeat(self) -> None:
        while not self.ctx.stopping.wait(self._beat_s):
            if self.parent_pid is not None and not _alive(self.parent_pid):
                log.warning("parent %s is gone; stopping", self.parent_pid)
                self.ctx.stopping.set()
                break
            try:
                self._beat()
            except Exception:
                log.exception("heartbeat failed")

    def _beat(self) -> None:
        job = self.current
        if job is not None and not job.renew(self.ctx):
            log.warning("%s: lease lost", job.label)
        with self.ctx.db.sessions() as session:
            workers.beat(session, self.ctx.worker_id, job.label if job else None)

    def _register(self) -> None:
        with self.ctx.db.sessions() as session:
            workers.register(session, self.ctx.worker_id, socket.gethostname(), os.getpid())

    def _unregister(self) -> None:
        try:
            with self.ctx.db.sessions() as session:
                workers.stopped(session, self.ctx.worker_id)
        except Exception:
            log.exception("could not mark worker stopped")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def main(parent_pid: int | None = None) -> NoReturn:
    """Entry point of ``podium worker``: serve until told to stop, then exit the process."""
    try:
        code = run_worker(parent_pid)
    except Exception:
        log.exception("worker crashed")
        code = 1
    exit_now(code)


def exit_now(code: int) -> NoReturn:
    """Kill the local pool's processes, flush the logs, and leave without interpreter teardown.

    By now the run is ended, the worker row marked stopped and the database released. What
    teardown would add is garbage collection and module clean-up of a process that imported
    the ML stack (and Dask): ~1 s of CPU, 3-7 s wall at a load average of 10, more on a busier
    machine, for nothing. A multiprocessing child ends the same way (``os._exit``).
    """
    shutdown_pool()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


def run_worker(parent_pid: int | None = None) -> int:
    """Build the context, install signals, clean what killed workers left, serve."""
    settings = get_settings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    configure_logging(settings)
    worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    stopping = threading.Event()
    db = Database(settings.database_url, settings.database_connect_timeout_s)
    ctx = WorkerContext(
        settings, db, LocalArtifactStore(settings.artifact_root), worker_id, stopping
    )

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("worker %s: signal %s, stopping", worker_id, signum)
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    kinds = job_kinds()  # the engine is imported (with this module): a registered worker is ready
    remove_stale_folds()
    warm_in_background(settings)
    log.info("worker %s serving %s", worker_id, settings.database_url.split("@")[-1])
    try:
        Worker(ctx, kinds, parent_pid).run()
    finally:
        db.dispose()
    log.info("worker %s stopped", worker_id)
    return 0
