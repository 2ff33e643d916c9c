"""The ``profiles`` job kind: profile a data source (the engine's ``profile``), store the JSON.

An upload leaves a ``data_profiles`` row ``queued`` (no target); asking the API for a target's
profile queues another. A worker claims it (guarded, like runs), reads the table from the
artifact store, profiles it, writes the profile as JSON under the data source's folder and ends
the row ``done`` with its key — or ``failed`` with the reason, which the API then answers (409).
"""

from __future__ import annotations

import io
import json
import logging
from dataclasses import dataclass

from podium.engine import DataError, read_table
from podium.engine.prepare.profile import profile
from podium.server.db.models import DataProfile
from podium.server.services import profiles, queue
from podium.server.services.queue import ProfileEnd
from podium.worker.jobs import WorkerContext

log = logging.getLogger(__name__)


@dataclass
class ProfileJob:
    """A claimed profile job (``queue.PROFILES``)."""

    row: DataProfile

    @property
    def label(self) -> str:
        """``profile:<id>``, shown in worker heartbeats."""
        return f"{queue.PROFILES.label}:{self.row.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the job's lease."""
        with ctx.db.sessions() as session:
            return queue.renew(
                session, queue.PROFILES, self.row.id, ctx.worker_id, ctx.settings.lease_s
            )

    def execute(self, ctx: WorkerContext) -> None:
        """Profile and store; end ``done`` with the key, or ``failed`` with the reason."""
        end: ProfileEnd
        try:
            end = compute(ctx, self.row)
        except DataError as exc:
            end = {"status": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("profile %s failed", self.row.id)
            end = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        with ctx.db.sessions() as session:
            if not queue.finish(session, queue.PROFILES, self.row.id, ctx.worker_id, end):
                log.warning("profile %s was no longer ours when it ended", self.row.id)


def compute(ctx: WorkerContext, row: DataProfile) -> ProfileEnd:
    """Read the data source's table, profile it and store the JSON; the ``done`` end."""
    with ctx.db.sessions() as session:
        source = profiles.job_source(session, row)
    if source is None:
        raise DataError("the data source was deleted before it was profiled")
    key, target = source
    result = profile(read_table(ctx.store.local_path(key)), target)
    body = json.dumps(result, allow_nan=False).encode()
    stored = ctx.store.put_stream(
        profiles.artifact_key(row), io.BytesIO(body), profiles.PROFILE_MAX_BYTES
    )
    return {"status": "done", "error": None, "artifact_key": stored.key}
