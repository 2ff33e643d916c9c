"""The audit log: a workspace's (owners) and the whole instance's (administrators)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from podium.server.api.deps import CurrentUser, SessionDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.audit import AuditEventList, AuditEventRead
from podium.server.schemas.common import Instant, Offset
from podium.server.services import audit, users

router = APIRouter(tags=["audit"])
CSV_LIMIT = 100_000  # rows in one export
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "the log, as CSV"}
}


def audit_filter(
    actor: Annotated[str | None, Query(description="an email, or a user id")] = None,
    action: Annotated[
        str | None, Query(description="e.g. member.add; a prefix ending in '.' (member.)")
    ] = None,
    resource_type: Annotated[str | None, Query(description="e.g. project, run, user")] = None,
    resource_id: str | None = None,
    outcome: Literal["success", "failure"] | None = None,
    since: Annotated[Instant | None, Query(description="ISO 8601, inclusive")] = None,
    until: Annotated[Instant | None, Query(description="ISO 8601, exclusive")] = None,
) -> audit.AuditFilter:
    """The log's filters from the query string."""
    return audit.AuditFilter(actor, action, resource_type, resource_id, outcome, since, until)


FilterDep = Annotated[audit.AuditFilter, Depends(audit_filter)]
Limit = Annotated[int, Query(ge=1, le=500, description="rows per page")]
Format = Annotated[
    Literal["json", "csv"] | None,
    Query(description="csv exports every matching row (up to 100 000); or Accept: text/csv"),
]


@router.get(
    "/workspaces/{ws}/audit-log",
    name="workspace",
    response_model=AuditEventList,
    responses={**CSV_RESPONSE, **errors(401, 403, 404, 422)},
)
def workspace_log(
    request: Request,
    member: WorkspaceMember,
    session: SessionDep,
    filters: FilterDep,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Format = None,
) -> AuditEventList | Response:
    """A workspace's audit log, newest first (owners); ``?format=csv`` exports it."""
    member.require("owner")
    return _answer(request, session, member.workspace_id, filters, limit, offset, format)


@router.get(
    "/audit-log",
    name="instance",
    response_model=AuditEventList,
    responses={**CSV_RESPONSE, **errors(401, 403, 422)},
)
def instance_log(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    filters: FilterDep,
    workspace_id: uuid.UUID | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Format = None,
) -> AuditEventList | Response:
    """Every audit row of this Podium — sign-ins, account administration and every
    workspace's changes — newest first (administrators)."""
    users.require_admin(user)
    return _answer(request, session, workspace_id, filters, limit, offset, format, instance=True)


def _answer(
    request: Request,
    session: SessionDep,
    workspace_id: uuid.UUID | None,
    filters: audit.AuditFilter,
    limit: int,
    offset: int,
    format: str | None,
    *,
    instance: bool = False,
) -> AuditEventList | Response:
    wants_csv = format == "csv" or (
        format is None and "text/csv" in request.headers.get("accept", "")
    )
    if wants_csv:
        rows, _ = audit.search(session, workspace_id, filters, CSV_LIMIT, 0, instance=instance)
        headers = {"Content-Disposition": 'attachment; filename="audit-log.csv"'}
        return Response(audit.to_csv(rows), media_type="text/csv", headers=headers)
    rows, total = audit.search(session, workspace_id, filters, limit, offset, instance=instance)
    data = [AuditEventRead.model_validate(r) for r in rows]
    return AuditEventList(data=data, count=len(data), total=total, limit=limit, offset=offset)
