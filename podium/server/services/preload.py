"""Load the pipelines of active deployments before their first call, in every API process.

A pipeline takes seconds to verify and load (SHA-256, skops, the scorers' probe checks). Paid
inside a predict call, that is the call's latency. So pipelines are loaded where no caller
waits: by the deploy, switch and rollback requests themselves (in the process that serves
them), at API start-up, and every ``PODIUM_PRELOAD_EVERY_S`` seconds by a background loop of
each API process, which picks up what other processes deployed.

The loop only fills free slots of the process's :class:`PipelineCache`: it never evicts a
pipeline that calls are using, so more active deployments than slots cannot make it load and
evict in turn. A pipeline that fails its checks is logged and skipped (its calls answer 409
as before); the next tick tries again.
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.models import Deployment, Pipeline
from podium.server.db.session import Database
from podium.server.errors import Conflict
from podium.server.services.predictions import PipelineCache
from podium.server.storage import ArtifactStore

log = logging.getLogger("podium.server.preload")


def wanted(session: Session, limit: int) -> list[Pipeline]:
    """Ready pipelines of active deployments, most recently called first, one per checksum."""
    rows = session.scalars(
        select(Pipeline)
        .join(Deployment, Deployment.pipeline_id == Pipeline.id)
        .where(Deployment.status == "active", Pipeline.status == "ready")
        .order_by(
            Deployment.last_request_at.desc().nulls_last(),
            Deployment.created_at.desc(),
            Deployment.id,
        )
    )
    out: dict[str, Pipeline] = {}
    for row in rows:
        if row.sha256 is not None and row.sha256 not in out:
            out[row.sha256] = row
        if len(out) >= limit:
            break
    return list(out.values())


def preload(db: Database, store: ArtifactStore, cache: PipelineCache) -> int:
    """Load what active deployments serve into this process's free cache slots; return how
    many pipelines were loaded now."""
    with db.sessions() as session:
        todo = [row for row in wanted(session, cache.size) if not cache.holds(row.sha256)]
    loaded = 0
    for row in todo:  # detached rows: their loaded columns are all the cache reads
        if len(cache) >= cache.size:
            break
        try:
            cache.get(store, row)
        except Conflict as exc:
            log.warning("pipeline %s not preloaded: %s", row.id, exc.detail)
            continue
        loaded += 1
    return loaded
