"""The ``maintenance`` job kind: periodic work no request waits for.

Every ``maintenance_every_s`` a worker looks for a deployment whose prediction log is due for
pruning (retention days, size bound) or whose scheduled drift report is due, claims it with a
guarded UPDATE of its ``prune_next_at`` / ``drift_next_at`` (so two workers never take the same
one), and does it. The predict path never prunes and never computes drift.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field

from podium.server.services import drift_reports, prediction_logs
from podium.worker.jobs import WorkerContext

log = logging.getLogger(__name__)


@dataclass
class MaintenanceJob:
    """One claimed piece of periodic work on one deployment."""

    task: str
    deployment_id: uuid.UUID

    @property
    def label(self) -> str:
        """``maintenance:<task>:<deployment id>``, shown in worker heartbeats."""
        return f"maintenance:{self.task}:{self.deployment_id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Nothing to renew: the claim is the ``*_next_at`` time, already moved on."""
        return True

    def execute(self, ctx: WorkerContext) -> None:
        """Prune the log, or compute the scheduled drift report (failures are logged)."""
        try:
            with ctx.db.sessions() as session:
                if self.task == "prune":
                    done = prediction_logs.prune(session, self.deployment_id)
                else:
                    report = drift_reports.scheduled(session, ctx.store, self.deployment_id)
                    done = {"report": str(report.id) if report else None}
            log.info("%s: %s", self.label, done)
        except Exception:
            log.exception("%s failed", self.label)


@dataclass
class Maintenance:
    """The job kind: at most one look every ``maintenance_every_s`` while nothing is due."""

    name: str = "maintenance"
    _next: float = field(default=0.0)

    def claim(self, ctx: WorkerContext) -> MaintenanceJob | None:
        """A due prune, else a due drift report, claimed; None when nothing is due."""
        now = time.monotonic()
        if now < self._next:
            return None
        with ctx.db.sessions() as session:
            dep_id = prediction_logs.claim_pruning(session, ctx.settings.log_prune_every_s)
            if dep_id is not None:
                return MaintenanceJob("prune", dep_id)
            dep_id = drift_reports.claim_scheduled(session)
            if dep_id is not None:
                return MaintenanceJob("drift", dep_id)
        self._next = now + ctx.settings.maintenance_every_s
        return None

    def reap(self, ctx: WorkerContext) -> None:
        """Nothing to reap: a lost worker's claim just comes due again."""
