"""Job kinds: what the claim loop can pick up. Runs today; pipeline builds plug in the same way.

A :class:`JobKind` claims one job atomically (a guarded transition on its table) and reaps jobs
whose lease expired. A :class:`Job` executes, and renews its lease when the heartbeat asks.
To add a kind (e.g. ``pipelines`` rows in status ``building``), implement both protocols and
append an instance in :func:`job_kinds`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from podium.server.config import Settings
from podium.server.db.session import Database
from podium.server.storage import ArtifactStore


@dataclass
class WorkerContext:
    """What every job gets: configuration, database, artifact store, identity, stop flag."""

    settings: Settings
    db: Database
    store: ArtifactStore
    worker_id: str
    stopping: threading.Event
    cache: dict[str, Any] = field(default_factory=dict)

    def executor(self) -> Any:
        """The engine executor: Dask when ``PODIUM_DASK_SCHEDULER`` is set, else the default."""
        address = self.settings.dask_scheduler
        if address is None:
            return None
        if "dask" not in self.cache:
            from podium.engine import DaskExecutor

            self.cache["dask"] = DaskExecutor(address)
        return self.cache["dask"]


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

    name: str

    def claim(self, ctx: WorkerContext) -> Job | None:
        """Atomically claim the oldest waiting job, or None."""
        ...

    def reap(self, ctx: WorkerContext) -> None:
        """End jobs whose worker stopped renewing their lease."""
        ...


def job_kinds() -> list[JobKind]:
    """The kinds this worker serves, in priority order (pipeline builds are short: first)."""
    from podium.worker.pipelines import PipelineKind
    from podium.worker.runs import RunKind

    return [PipelineKind(), RunKind()]
