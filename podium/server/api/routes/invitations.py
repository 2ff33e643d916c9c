"""Invitations: owners invite by link, list and revoke; the invitee previews and accepts."""

from __future__ import annotations

import uuid
from functools import partial

from fastapi import APIRouter, status

from podium.server.api.deps import (
    OptionalUser,
    PasswordGateDep,
    SessionDep,
    SettingsDep,
    WorkspaceMember,
)
from podium.server.api.responses import errors
from podium.server.schemas.invitations import (
    InvitationAccept,
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationList,
    InvitationPreview,
)
from podium.server.services import invitations

router = APIRouter(tags=["invitations"])


@router.post(
    "/workspaces/{ws}/invitations",
    name="create",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 404, 409, 422),
)
def create_invitation(
    body: InvitationCreate, member: WorkspaceMember, session: SessionDep
) -> InvitationCreated:
    """Invite someone by email with a role (owners); answers the link's token once."""
    return invitations.create(session, member, body)


@router.get("/workspaces/{ws}/invitations", name="list", responses=errors(401, 403, 404, 422))
def list_invitations(member: WorkspaceMember, session: SessionDep) -> InvitationList:
    """Invitations of a workspace with their status, newest first (owners)."""
    data = invitations.list_invitations(session, member)
    return InvitationList(data=data, count=len(data))


@router.delete(
    "/workspaces/{ws}/invitations/{invitation_id}",
    name="revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 409, 422),
)
def revoke_invitation(
    invitation_id: uuid.UUID, member: WorkspaceMember, session: SessionDep
) -> None:
    """Revoke a pending invitation (owners); its link answers 410 from now on."""
    invitations.revoke(session, member, invitation_id)


@router.get("/invitations/{token}", name="preview", responses=errors(404, 410, 422))
def preview_invitation(token: str, session: SessionDep) -> InvitationPreview:
    """What an invitation link offers: workspace, email, role (no sign-in needed)."""
    return invitations.preview(session, token)


@router.post(
    "/invitations/{token}/accept",
    name="accept",
    responses=errors(401, 403, 404, 409, 410, 422, 429),
)
async def accept_invitation(
    token: str,
    body: InvitationAccept,
    user: OptionalUser,
    session: SessionDep,
    settings: SettingsDep,
    gate: PasswordGateDep,
) -> InvitationAccepted:
    """Join the workspace: signed in as the invited email, or creating the account with a
    password (then the answer signs you in)."""
    call = partial(
        invitations.accept, session, settings, token, user, body.password, body.display_name
    )
    return await gate.attempt(None, call, count_success=user is None)
