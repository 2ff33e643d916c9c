"""Job kinds: what the claim loop can pick up, and what every job gets.

A :class:`JobKind` claims one job atomically and reaps jobs whose lease expired; a :class:`Job`
executes, and renews its lease when the heartbeat asks. Every kind today is a table of
``services/queue.py`` served by :class:`QueueKind`; ``loop.job_kinds()`` lists them. This module
imports no other worker module: job kinds depend on it, never the other way round.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol

from podium.server.config import Settings
from podium.server.db.session import Database
from podium.server.services import queue
from podium.server.services.queue import E, JobTable, M
from podium.server.storage import ArtifactStore

if TYPE_CHECKING:
    from podium.engine import DaskExecutor, Executor

log = logging.getLogger(__name__)


@dataclass
class WorkerContext:
    """What every job gets: configuration, database, artifact store, identity, stop flag."""

    settings: Settings
    db: Database
    store: ArtifactStore
    worker_id: str
    stopping: threading.Event
    dask: DaskExecutor | None = field(default=None, repr=False)

    def executor(self) -> Executor:
        """The engine executor: Dask when ``PODIUM_DASK_SCHEDULER`` is set (one client per
        worker), else the engine's local process pool, its fits held to
        ``PODIUM_FIT_MEMORY_MIB`` together (a new one per run, as the engine makes)."""
        address = self.settings.dask_scheduler
        if address is None:
            from podium.engine import ProcessExecutor

            return ProcessExecutor(memory_bytes=self.settings.fit_memory_mib * 2**20)
        if self.dask is None:
            from podium.engine import DaskExecutor

            self.dask = DaskExecutor(address)
        return self.dask


class Job(Protocol):
    """One claimed unit of work."""

    @property
    def label(self) -> str:
        """A short name for logs and heartbeats, e.g. ``run:<id>``."""
        ...

    def execute(self, ctx: WorkerContext) -> None:
        """Do the work and record the terminal state (never raise for expected failures)."""
        ...

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        ...


class JobKind(Protocol):
    """A queue the worker serves."""

    @property
    def name(self) -> str:
        """The queue's name, e.g. ``runs``."""
        ...

    def claim(self, ctx: WorkerContext) -> Job | None:
        """Atomically claim the oldest waiting job, or None."""
        ...

    def reap(self, ctx: WorkerContext) -> None:
        """End jobs whose worker stopped renewing their lease."""
        ...


@dataclass(frozen=True)
class QueueKind(Generic[M, E]):
    """A job kind served from a table of ``services/queue.py``; ``job`` wraps a claimed row."""

    table: JobTable[M, E]
    job: Callable[[M], Job]

    @property
    def name(self) -> str:
        """The table's name (``runs``, ``pipelines``)."""
        return self.table.name

    def claim(self, ctx: WorkerContext) -> Job | None:
        """Claim the oldest waiting row (a guarded transition) and wrap it."""
        with ctx.db.sessions() as session:
            row = queue.claim(session, self.table, ctx.worker_id, ctx.settings.lease_s)
        return self.job(row) if row is not None else None

    def reap(self, ctx: WorkerContext) -> None:
        """Fail the jobs whose worker was lost (lease expired)."""
        with ctx.db.sessions() as session:
            for job_id in queue.reap_expired(session, self.table):
                log.warning("%s:%s failed: worker lost (lease expired)", self.table.label, job_id)
