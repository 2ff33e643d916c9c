"""Every job table as a queue: guarded claim, lease renewal, terminal transitions, reaping.

Four job kinds share these transitions, each described by a :class:`JobTable`:

- :data:`RUNS` — ``runs``: ``queued`` → ``running`` → ``succeeded`` | ``failed`` | ``cancelled``;
  ``run.started`` is written with the claim, ``run.<end>`` and ``run.closed`` with the end.
- :data:`PROFILES` — ``data_profiles``: ``queued`` → ``running`` → ``done`` | ``failed``; no
  events (the API answers 202 until the profile is done).
- :data:`BUILDS` — ``pipelines``: ``building`` without a worker → ``building`` held by one →
  ``ready`` | ``failed``; ``pipeline.created`` (or a ``warning``) goes on the source run's
  history, after its ``run.closed`` (REST-only; the socket never sends past the sentinel).
- :data:`ANALYSES` — ``analyses``: ``queued`` → ``running`` → ``done`` | ``failed``; no events
  (the model page polls ``GET .../analysis``).

A claim is one guarded transition: PostgreSQL locks the candidate with ``FOR UPDATE SKIP
LOCKED``; SQLite relies on the ``UPDATE ... WHERE <still waiting>`` whose rowcount says who won.
Renewals and ends are guarded on the job still being held (by this worker), so a job reaped
meanwhile is never overwritten. Used by workers (claim, renew, finish, reap) and by the API
process (reaping, so a job whose worker died never stays held when no worker is left).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, Literal, NotRequired, TypedDict, TypeVar

from sqlalchemy import ColumnElement, Update, select, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import Analysis, DataProfile, Pipeline, Run, WebhookDelivery
from podium.server.services import events, webhooks

M = TypeVar("M", Run, Pipeline, DataProfile, Analysis, WebhookDelivery)
E = TypeVar("E", bound=Mapping[str, Any])
CLAIM_TRIES = 5

RUN_LOST = (
    "worker lost: the worker running this run stopped heartbeating (killed or crashed) "
    "before it finished; submit the run again"
)
WEBHOOK_LOST = "worker lost while sending; sent again"
BUILD_LOST = "worker lost while building this pipeline (killed or crashed); promote the run again"
PROFILE_LOST = (
    "worker lost while profiling this data source (killed or crashed; a table too large for "
    "the worker's memory does this); upload a smaller table or give the worker more memory"
)
ANALYSIS_LOST = (
    "worker lost while analysing this model (killed or crashed, e.g. out of memory); "
    "ask for the analysis again"
)


RunEndStatus = Literal["succeeded", "failed", "cancelled"]


class RunEnd(TypedDict):
    """How a run ended: its terminal status and what it leaves (a key left out keeps its
    column as it is — e.g. the leaderboard the last ``leaderboard.updated`` stored)."""

    status: RunEndStatus
    error: NotRequired[str]
    leaderboard: NotRequired[dict[str, Any]]
    result: NotRequired[dict[str, Any]]


class BuildEnd(TypedDict):
    """How a pipeline build ended: ``ready`` with the artifact's facts, or ``failed``."""

    status: Literal["ready", "failed"]
    error: str | None
    artifact_key: NotRequired[str]
    sha256: NotRequired[str]
    size_bytes: NotRequired[int]
    input_schema: NotRequired[list[Any]]
    task: NotRequired[str]
    library_versions: NotRequired[dict[str, Any]]
    manifest: NotRequired[dict[str, Any]]
    onnx_key: NotRequired[str | None]


class DeliveryEnd(TypedDict):
    """How one webhook delivery attempt ended: ``delivered``, ``failed`` for good, or
    ``queued`` again (worker released) to retry at ``next_attempt_at``."""

    status: Literal["delivered", "failed", "queued"]
    error: str | None
    attempts: NotRequired[int]
    response_code: NotRequired[int | None]
    worker_id: NotRequired[None]
    next_attempt_at: NotRequired[datetime]


class ProfileEnd(TypedDict):
    """How a profile job ended: ``done`` with the stored JSON's key, or ``failed``."""

    status: Literal["done", "failed"]
    error: str | None
    artifact_key: NotRequired[str]


class AnalysisEnd(TypedDict):
    """How an analysis ended: ``done`` with the ids of the plots it stored, or ``failed``."""

    status: Literal["done", "failed"]
    error: str | None
    plots: NotRequired[list[str]]


@dataclass(frozen=True)
class JobTable(Generic[M, E]):
    """One job kind's table and the statuses and stamps of its transitions."""

    name: str  # the table, e.g. ``runs``
    label: str  # how logs and heartbeats name one job: ``<label>:<id>``
    model: type[M]
    waiting: str  # the status of a job no worker holds (its worker_id is NULL)
    held: str  # the status while a worker holds the lease
    lost: E  # the end of a job whose lease expired
    claim_stamps: tuple[str, ...]  # timestamp columns set to now by the claim
    renew_stamps: tuple[str, ...]  # ... and by every renewal
    claimed: Callable[[Session, M], None]  # stages what goes with the claim (events)
    ended: Callable[[Session, M, E], None]  # stages what goes with the end (events)
    due: str | None = None  # a timestamp column: a waiting job is claimable once it has passed


def claim(session: Session, table: JobTable[M, E], worker_id: str, lease_s: float) -> M | None:
    """Atomically give the oldest waiting job of ``table`` to ``worker_id`` (None: none left)."""
    model = table.model
    oldest = select(model.id).where(*_waiting(table)).order_by(model.created_at, model.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    for _attempt in range(CLAIM_TRIES):
        job_id = session.scalar(oldest)
        if job_id is None:
            session.rollback()
            return None
        now = utcnow()
        values = {
            "status": table.held,
            "worker_id": worker_id,
            "lease_expires_at": now + timedelta(seconds=lease_s),
            **dict.fromkeys(table.claim_stamps, now),
        }
        query = update(model).where(model.id == job_id, *_waiting(table)).values(**values)
        if _one_row(session, query):
            row = session.get_one(model, job_id, populate_existing=True)
            table.claimed(session, row)
            session.commit()
            return row
        session.rollback()
    return None


def renew(
    session: Session, table: JobTable[M, E], job_id: uuid.UUID, worker_id: str, lease_s: float
) -> bool:
    """Extend the lease; False when the job is no longer ours (reaped or ended)."""
    now = utcnow()
    values = {
        "lease_expires_at": now + timedelta(seconds=lease_s),
        **dict.fromkeys(table.renew_stamps, now),
    }
    renewed = _one_row(
        session, update(table.model).where(*_held(table, job_id, worker_id)).values(**values)
    )
    session.commit()
    return renewed


def finish(
    session: Session,
    table: JobTable[M, E],
    job_id: uuid.UUID,
    worker_id: str | None,
    end: E,
    *,
    expired_before: datetime | None = None,
) -> bool:
    """End a held job with ``end`` and its events in one transaction; True if this call did.

    Guarded on the job being held (by ``worker_id`` when given; with a lease older than
    ``expired_before`` when given), so a job reaped or ended meanwhile is left alone.
    """
    model = table.model
    query = update(model).where(*_held(table, job_id, worker_id))
    if expired_before is not None:
        query = query.where(model.lease_expires_at < expired_before)
    values = {**end, "finished_at": utcnow(), "lease_expires_at": None}
    if not _one_row(session, query.values(**values)):
        session.rollback()
        return False
    row = session.get_one(model, job_id, populate_existing=True)
    table.ended(session, row, end)
    session.commit()
    return True


def reap_expired(
    session: Session, table: JobTable[M, E], now: datetime | None = None
) -> list[uuid.UUID]:
    """End every held job of ``table`` whose lease expired with ``table.lost``; their ids.

    Design choice: a lost job is failed, not re-queued. A run's events so far (models that
    started, rows that finished) are already in its stream; replaying the plan would mix two
    attempts in one run, and a run that killed its worker (out of memory) would kill the next
    one too. The user resubmits with one click, and the snapshot makes the rerun identical.
    """
    model = table.model
    moment = now or utcnow()
    expired = list(
        session.scalars(
            select(model.id).where(
                model.status == table.held,
                model.worker_id.is_not(None),
                model.lease_expires_at < moment,
            )
        )
    )
    session.rollback()
    return [
        job_id
        for job_id in expired
        if finish(session, table, job_id, None, table.lost, expired_before=moment)
    ]


def reap_all(session: Session) -> list[str]:
    """Reap every job table (what the API process does); the jobs ended, as ``<label>:<id>``."""
    builds = [f"{BUILDS.label}:{job_id}" for job_id in reap_expired(session, BUILDS)]
    profiles = [f"{PROFILES.label}:{job_id}" for job_id in reap_expired(session, PROFILES)]
    analyses = [f"{ANALYSES.label}:{job_id}" for job_id in reap_expired(session, ANALYSES)]
    hooks = [f"{WEBHOOKS.label}:{job_id}" for job_id in reap_expired(session, WEBHOOKS)]
    runs = [f"{RUNS.label}:{job_id}" for job_id in reap_expired(session, RUNS)]
    return builds + profiles + analyses + hooks + runs


def write_event(
    session: Session,
    run_id: uuid.UUID,
    workspace_id: uuid.UUID,
    worker_id: str,
    kind: str,
    payload: dict[str, Any],
    duration_ms: int | None = None,
) -> bool:
    """One event of a held run in one transaction with a guarded touch of the run's row.

    The touch (``heartbeat_at``; ``leaderboard.updated`` also stores the table) is guarded on
    the run still being ``running`` and ``worker_id``'s: when the lease was reaped meanwhile,
    nothing is written and the answer is False (the run should stop).
    """
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if kind == "leaderboard.updated" and isinstance(payload.get("leaderboard"), dict):
        values["leaderboard"] = payload["leaderboard"]
    query = update(Run).where(*_held(RUNS, run_id, worker_id)).values(**values)
    if not _one_row(session, query):
        session.rollback()
        return False
    events.add_for(session, run_id, workspace_id, kind, payload, duration_ms)
    session.commit()
    return True


def cancel_requested(session: Session, run_id: uuid.UUID) -> bool:
    """Whether someone asked to cancel the run (one indexed read)."""
    flag = session.scalar(select(Run.cancel_requested).where(Run.id == run_id))
    session.rollback()
    return bool(flag)


def cancel_queued(
    session: Session, run_id: uuid.UUID, stage: Callable[[], object] | None = None
) -> bool:
    """Cancel a run no worker has claimed yet (guarded on ``status='queued'``); ``stage``
    adds what goes in the same transaction (the API's audit record)."""
    query = (
        update(Run)
        .where(Run.id == run_id, Run.status == "queued")
        .values(status="cancelled", finished_at=utcnow(), cancel_requested=True)
    )
    if not _one_row(session, query):
        session.rollback()
        return False
    run = session.get_one(Run, run_id, populate_existing=True)
    events.add(session, run, "run.cancelled", {"status": "cancelled", "before_start": True})
    events.add(session, run, events.CLOSED, {"status": "cancelled"})
    if stage is not None:
        stage()
    session.commit()
    return True


def _run_claimed(session: Session, run: Run) -> None:
    events.add(session, run, "run.started", {"worker_id": run.worker_id, "plan": run.plan})


def _run_ended(session: Session, run: Run, end: RunEnd) -> None:
    status = end["status"]
    kind = {"succeeded": "run.finished", "failed": "run.failed", "cancelled": "run.cancelled"}
    body = {"error": end["error"]} if end.get("error") is not None else {}
    events.add(session, run, kind[status], {"status": status, **body})
    events.add(session, run, events.CLOSED, {"status": status})
    if status != "cancelled":  # webhooks hear of runs that finished or failed
        payload = {"run_id": str(run.id), "experiment_id": str(run.experiment_id), **body}
        webhooks.emit(session, run.workspace_id, kind[status], {"status": status, **payload})


def _no_event(_session: Session, _row: Any, _end: Any = None) -> None:
    """An analysis writes no event: its page polls ``GET .../analysis``."""


def _build_claimed(_session: Session, _row: Pipeline) -> None:
    """A build's claim writes no event (the run's stream hears of the result only)."""


def _build_ended(session: Session, row: Pipeline, _end: BuildEnd) -> None:
    if row.run_id is None:  # the source run was deleted: no stream to write to
        return
    base = {"pipeline_id": str(row.id), "name": row.name, "version": row.version}
    if row.status == "ready":
        payload = {**base, "model_id": row.model_id, "sha256": row.sha256}
        events.add_for(session, row.run_id, row.workspace_id, "pipeline.created", payload)
    else:
        message = f"pipeline {row.name} v{row.version} failed to build: {row.error}"
        body = {"code": "pipeline_failed", "message": message, **base}
        events.add_for(session, row.run_id, row.workspace_id, "warning", body)


RUNS: JobTable[Run, RunEnd] = JobTable(
    name="runs",
    label="run",
    model=Run,
    waiting="queued",
    held="running",
    lost={"status": "failed", "error": RUN_LOST},
    claim_stamps=("started_at", "heartbeat_at"),
    renew_stamps=("heartbeat_at",),
    claimed=_run_claimed,
    ended=_run_ended,
)
BUILDS: JobTable[Pipeline, BuildEnd] = JobTable(
    name="pipelines",
    label="pipeline",
    model=Pipeline,
    waiting="building",
    held="building",
    lost={"status": "failed", "error": BUILD_LOST},
    claim_stamps=(),
    renew_stamps=(),
    claimed=_build_claimed,
    ended=_build_ended,
)

ANALYSES: JobTable[Analysis, AnalysisEnd] = JobTable(
    name="analyses",
    label="analysis",
    model=Analysis,
    waiting="queued",
    held="running",
    lost={"status": "failed", "error": ANALYSIS_LOST},
    claim_stamps=("started_at",),
    renew_stamps=(),
    claimed=_no_event,
    ended=_no_event,
)


PROFILES: JobTable[DataProfile, ProfileEnd] = JobTable(
    name="data_profiles",
    label="profile",
    model=DataProfile,
    waiting="queued",
    held="running",
    lost={"status": "failed", "error": PROFILE_LOST},
    claim_stamps=("started_at",),
    renew_stamps=(),
    claimed=lambda _session, _row: None,
    ended=lambda _session, _row, _end: None,
)


def _waiting(table: JobTable[M, E]) -> tuple[ColumnElement[bool], ...]:
    model = table.model
    free: tuple[ColumnElement[bool], ...] = (
        model.status == table.waiting,
        model.worker_id.is_(None),
    )
    if table.due is None:
        return free
    return (*free, getattr(model, table.due) <= utcnow())


def _held(
    table: JobTable[M, E], job_id: uuid.UUID, worker_id: str | None
) -> tuple[ColumnElement[bool], ...]:
    model = table.model
    ours: tuple[ColumnElement[bool], ...] = (model.id == job_id, model.status == table.held)
    return ours if worker_id is None else (*ours, model.worker_id == worker_id)


def _one_row(session: Session, query: Update) -> bool:
    """Run a guarded UPDATE; True when it changed exactly one row (the guard held)."""
    return bool(session.execute(query).rowcount == 1)  # type: ignore[attr-defined]


WEBHOOKS: JobTable[WebhookDelivery, DeliveryEnd] = JobTable(
    name="webhook_deliveries",
    label="webhook",
    model=WebhookDelivery,
    waiting="queued",
    held="sending",
    # re-queued, not failed: a delivery is safe to repeat (receivers dedupe by Podium-Delivery)
    lost={"status": "queued", "worker_id": None, "error": WEBHOOK_LOST},
    claim_stamps=("started_at",),
    renew_stamps=(),
    claimed=lambda _session, _row: None,
    ended=lambda _session, _row, _end: None,
    due="next_attempt_at",
)
