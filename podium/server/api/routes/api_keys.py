"""Workspace API keys: create (secret shown once), list, revoke."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, SessionDep, WorkspaceMember
from podium.server.api.responses import errors
from podium.server.schemas.api_keys import ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyRead
from podium.server.services import api_keys

router = APIRouter(tags=["api-keys"])


@router.get("/workspaces/{ws}/api-keys", name="list", responses=errors(401, 404, 422))
def list_api_keys(member: WorkspaceMember, session: SessionDep) -> ApiKeyList:
    """Keys of a workspace (prefix only; revoked ones too)."""
    rows = api_keys.list_keys(session, member)
    return ApiKeyList(data=[ApiKeyRead.model_validate(r) for r in rows], count=len(rows))


@router.post(
    "/workspaces/{ws}/api-keys",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 422),
)
def create_api_key(
    body: ApiKeyCreate, member: WorkspaceMember, session: SessionDep
) -> ApiKeyCreated:
    """Create a key (editors). The secret is in this response only: store it now."""
    row, secret = api_keys.create(session, member, body.name)
    return ApiKeyCreated.model_validate(
        {**ApiKeyRead.model_validate(row).model_dump(), "secret": secret}
    )


@router.delete(
    "/api-keys/{key_id}",
    name="revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def revoke_api_key(key_id: uuid.UUID, session: SessionDep, user: CurrentUser) -> None:
    """Revoke a key (editors); calls with it are refused from now on."""
    api_keys.revoke(session, user.id, key_id)
