"""Run events: rows first (pushes read them back). Ids increase; clients resume by id."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.server.db.models import Event, Run

CLOSED = "run.closed"
NOTIFY_CHANNEL = "podium_events"


def add(
    session: Session,
    run: Run,
    kind: str,
    payload: dict[str, Any] | None = None,
    duration_ms: int | None = None,
) -> Event:
    """Stage one event of ``run`` in the session's transaction (the caller commits)."""
    return add_for(session, run.id, run.workspace_id, kind, payload, duration_ms)


def add_for(
    session: Session,
    run_id: uuid.UUID,
    workspace_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any] | None = None,
    duration_ms: int | None = None,
) -> Event:
    """Stage one event by run and workspace id (the caller commits)."""
    event = Event(
        workspace_id=workspace_id,
        run_id=run_id,
        kind=kind,
        payload=payload or {},
        duration_ms=duration_ms,
    )
    session.add(event)
    if session.get_bind().dialect.name == "postgresql":  # delivered on commit: wakes live streams
        session.execute(select(func.pg_notify(NOTIFY_CHANNEL, str(run_id))))
    return event


def after(session: Session, run_id: uuid.UUID, after_id: int, limit: int) -> list[Event]:
    """Events of a run with id > ``after_id``, oldest first, at most ``limit``."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.run_id == run_id, Event.id > after_id)
            .order_by(Event.id)
            .limit(limit)
        )
    )


def closed_id(session: Session, run_id: uuid.UUID) -> int | None:
    """The id of the run's ``run.closed`` sentinel, or None while the stream is open."""
    return session.scalar(
        select(func.min(Event.id)).where(Event.run_id == run_id, Event.kind == CLOSED)
    )


def last_ids(session: Session, run_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The newest event id of each run (runs without events are absent)."""
    ids = list(run_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Event.run_id, func.max(Event.id)).where(Event.run_id.in_(ids)).group_by(Event.run_id)
    ).all()
    return {run_id: int(last) for run_id, last in rows}
