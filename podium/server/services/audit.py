"""The audit log: :func:`record` stages one row in the caller's transaction; reads and CSV.

How a change gets audited (and why it is hard to forget):

- Every API request's session is bound to an :class:`AuditContext` (``api/deps.get_session``):
  the client address, the route, and the signed-in user once ``CurrentUser`` resolved it.
- A service calls ``audit.record(session, workspace_id=..., action=..., resource_type=...,
  resource_id=...)`` just before its ``commit``: actor and client default to the request's.
- The commit guard: a mutating request (POST/PUT/PATCH/DELETE) whose transaction wrote
  anything and recorded nothing fails its commit with :class:`UnauditedChange` (so the change
  is rolled back, never silently unaudited). A route that changes nothing worth auditing says
  why with ``openapi_extra={NOT_AUDITED: "reason"}``.

Secrets (passwords, tokens, key material) are never passed to :func:`record`; ``detail``
holds only plain facts such as a new role.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from podium.server.db.models import AuditEvent, User
from podium.server.errors import InvalidInput

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NOT_AUDITED = "x-not-audited"  # openapi_extra key of a mutating route that records nothing
CONTEXT_KEY = "podium.audit"
CSV_COLUMNS = (
    "at",
    "actor_email",
    "actor_id",
    "workspace_id",
    "action",
    "resource_type",
    "resource_id",
    "outcome",
    "client",
    "detail",
)


class UnauditedChange(RuntimeError):
    """A mutating request committed a change without recording it (a programming error)."""


class _FromRequest:
    """Sentinel: take the actor or client from the request the session serves."""


FROM_REQUEST: Any = _FromRequest()


@dataclass
class AuditContext:
    """What one API request tells the audit log, and the commit guard's state."""

    route: str = ""  # e.g. "POST /api/v1/workspaces/{ws}/projects"
    client: str = ""
    guarded: bool = False  # mutating and not exempt: commits that write must record
    actor_id: uuid.UUID | None = None
    actor_email: str = ""
    wrote: bool = field(default=False, repr=False)
    recorded: bool = field(default=False, repr=False)


def bind(session: Session, context: AuditContext) -> None:
    """Attach a request's context to its session and install the commit guard."""
    session.info[CONTEXT_KEY] = context
    if context.guarded:
        event.listen(session, "after_flush", _wrote)
        event.listen(session, "do_orm_execute", _executed)
        event.listen(session, "before_commit", _guard)
        event.listen(session, "after_commit", _reset)
        event.listen(session, "after_rollback", _reset)


def set_actor(session: Session, user: User) -> None:
    """Name the signed-in user as the actor of this request's records."""
    context = session.info.get(CONTEXT_KEY)
    if context is not None:
        context.actor_id, context.actor_email = user.id, user.email


def record(
    session: Session,
    *,
    actor: User | str | None = FROM_REQUEST,
    workspace_id: uuid.UUID | None,
    action: str,
    resource_type: str,
    resource_id: object = "",
    outcome: str = "success",
    client: str = FROM_REQUEST,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Stage one audit row in ``session``'s transaction (the caller commits).

    ``actor`` is a user, an email (a sign-in attempt for an unknown or wrong account) or None
    (the system); by default the request's signed-in user. ``action`` is ``<resource>.<verb>``
    (``project.create``, ``auth.login``); ``outcome`` is ``success`` or ``failure``.
    """
    context: AuditContext = session.info.get(CONTEXT_KEY) or AuditContext()
    if isinstance(actor, _FromRequest):
        actor_id, actor_email = context.actor_id, context.actor_email
    elif isinstance(actor, User):
        actor_id, actor_email = actor.id, actor.email
    else:
        actor_id, actor_email = None, actor or ""
    row = AuditEvent(
        actor_id=actor_id,
        actor_email=actor_email,
        workspace_id=workspace_id,
        action=action,
        resource_type=resource_type,
        resource_id="" if resource_id is None else str(resource_id),
        outcome=outcome,
        client=(context.client if isinstance(client, _FromRequest) else client)[:64],
        detail=detail or {},
    )
    session.add(row)
    context.recorded = True
    return row


@dataclass(frozen=True)
class AuditFilter:
    """What to show: each given field narrows the log (``since`` inclusive, ``until`` not)."""

    actor: str | None = None  # an email (exact) or a user id
    action: str | None = None  # exact, or a prefix ending in "." (``member.``)
    resource_type: str | None = None
    resource_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search(
    session: Session,
    workspace_id: uuid.UUID | None,
    filters: AuditFilter,
    limit: int,
    offset: int,
    *,
    instance: bool = False,
) -> tuple[list[AuditEvent], int]:
    """One page of matching rows, newest first, and how many match in all.

    ``workspace_id`` limits to one workspace; ``instance`` (administrators) searches every row.
    """
    where = _conditions(workspace_id, filters, instance)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.scalars(
        select(AuditEvent)
        .where(*where)
        .order_by(AuditEvent.at.desc(), AuditEvent.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


def to_csv(rows: Iterable[AuditEvent]) -> str:
    """The rows as CSV with a header (times in ISO 8601 UTC; detail as JSON)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = {c: getattr(row, c) for c in CSV_COLUMNS}
        values["at"] = row.at.isoformat()
        values["detail"] = json.dumps(row.detail, sort_keys=True) if row.detail else ""
        writer.writerow([_cell(values[c]) for c in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: object) -> str:
    """A CSV cell; spreadsheet formulas are defused (a leading = + - @ gets a ')."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _conditions(
    workspace_id: uuid.UUID | None, f: AuditFilter, instance: bool
) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if not instance or workspace_id is not None:
        where.append(AuditEvent.workspace_id == workspace_id)
    if f.actor:
        where.append(_actor_condition(f.actor))
    if f.action:
        a = f.action
        where.append(AuditEvent.action.startswith(a) if a.endswith(".") else AuditEvent.action == a)
    if f.resource_type:
        where.append(AuditEvent.resource_type == f.resource_type)
    if f.resource_id:
        where.append(AuditEvent.resource_id == f.resource_id)
    if f.outcome:
        where.append(AuditEvent.outcome == f.outcome)
    if f.since and f.until and f.since >= f.until:
        raise InvalidInput("since must be earlier than until")
    if f.since:
        where.append(AuditEvent.at >= f.since)
    if f.until:
        where.append(AuditEvent.at < f.until)
    return where


def _actor_condition(actor: str) -> ColumnElement[bool]:
    try:
        return AuditEvent.actor_id == uuid.UUID(actor)
    except ValueError:
        return AuditEvent.actor_email == actor.strip().lower()


def _context(session: Session) -> AuditContext:
    context: AuditContext = session.info[CONTEXT_KEY]
    return context


def _wrote(session: Session, _flush_context: Any) -> None:
    _context(session).wrote = True


def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _context(state.session).wrote = True


def _guard(session: Session) -> None:
    context = _context(session)
    pending = bool(session.new or session.dirty or session.deleted)
    if (context.wrote or pending) and not context.recorded:
        raise UnauditedChange(
            f"{context.route} committed a change without an audit record: call "
            "podium.server.services.audit.record(...) before the commit, or mark the route "
            f"openapi_extra={{'{NOT_AUDITED}': '<why it changes nothing worth auditing>'}}"
        )


def _reset(session: Session) -> None:
    context = _context(session)
    context.wrote = context.recorded = False
