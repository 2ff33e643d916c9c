"""Runs: submit, list, get, events, cancel, wait."""

from __future__ import annotations

import time
import uuid
from typing import Annotated

from anyio import sleep, to_thread
from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from podium.server.api.deps import CurrentUser, SessionDep, StoreDep
from podium.server.api.responses import errors
from podium.server.db.models import TERMINAL
from podium.server.schemas.runs import EventList, EventRead, RunCreate, RunList, RunRead
from podium.server.services import replays, runs

router = APIRouter(tags=["runs"])
WAIT_POLL_S = 0.2


@router.get(
    "/experiments/{experiment_id}/runs", name="list_for_experiment", responses=errors(401, 404, 422)
)
def list_runs(experiment_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> RunList:
    """Runs of an experiment, newest first."""
    rows = runs.list_for_experiment(session, user.id, experiment_id)
    return RunList(data=[RunRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/experiments/{experiment_id}/runs",
    name="submit",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(401, 403, 404, 422),
)
def submit_run(
    experiment_id: uuid.UUID, body: RunCreate, session: SessionDep, user: CurrentUser
) -> RunRead:
    """Queue a run (editors); a worker picks it up. Watch it on the events WebSocket."""
    return RunRead.model_validate(runs.submit(session, user.id, experiment_id, body))


@router.post(
    "/runs/{run_id}/replay",
    name="replay",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(
        401, 403, 404, 409, 422, notes={409: "The data or result-changing library versions differ"}
    ),
)
def replay_run(
    run_id: uuid.UUID, session: SessionDep, store: StoreDep, user: CurrentUser
) -> RunRead:
    """Queue an identical run from this run's snapshot (editors); 409 says what differs."""
    return RunRead.model_validate(replays.replay(session, store, user.id, run_id))


@router.get("/runs/{run_id}", name="get", responses=errors(401, 404, 422))
def get_run(run_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> RunRead:
    """One run with its leaderboard and result."""
    return RunRead.model_validate(runs.get(session, user.id, run_id))


@router.get("/runs/{run_id}/events", name="events", responses=errors(401, 404, 422))
def list_events(
    run_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    after_id: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> EventList:
    """Stored events with id > ``after_id``, oldest first."""
    rows = runs.list_events(session, user.id, run_id, after_id, limit)
    return EventList(data=[EventRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/runs/{run_id}/cancel",
    name="cancel",
    status_code=status.HTTP_202_ACCEPTED,
    responses=errors(401, 403, 404, 409, 422),
)
def cancel_run(run_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> RunRead:
    """Cancel (editors): queued runs end now; running ones stop within seconds, keeping rows."""
    return RunRead.model_validate(runs.cancel(session, user.id, run_id))


@router.get("/runs/{run_id}/wait", name="wait", responses=errors(401, 404, 422))
async def wait_run(
    run_id: uuid.UUID,
    session: SessionDep,
    user: CurrentUser,
    timeout: Annotated[float, Query(ge=0, le=300)] = 30.0,
) -> RunRead:
    """Block until the run is terminal or ``timeout`` seconds pass; returns its state."""
    deadline = time.monotonic() + timeout
    run = await to_thread.run_sync(_read, session, user.id, run_id)
    while run.status not in TERMINAL and time.monotonic() < deadline:
        await sleep(min(WAIT_POLL_S, max(0.0, deadline - time.monotonic())))
        run = await to_thread.run_sync(_read, session, user.id, run_id)
    return run


def _read(session: Session, user_id: uuid.UUID, run_id: uuid.UUID) -> RunRead:
    """One poll of a waiting request; the connection goes back to the pool between polls."""
    try:
        return RunRead.model_validate(runs.get(session, user_id, run_id))
    finally:
        session.rollback()
