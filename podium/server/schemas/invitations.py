"""Invitations: owners invite people by link; the invitee accepts with or without an account."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from podium.server.schemas.auth import TokenPair
from podium.server.schemas.common import Email, Input, Output, Password, Role

InvitationStatus = Literal["pending", "accepted", "revoked", "expired"]


class InvitationCreate(Input):
    """Invite ``email`` as ``role``; the link works once, for ``valid_hours``."""

    email: Email
    role: Role = "viewer"
    valid_hours: int = Field(72, ge=1, le=720, description="1 hour to 30 days; 3 days if left out")


class InvitationRead(Output):
    """An invitation as its workspace's owners see it (never its token)."""

    id: uuid.UUID
    workspace_id: uuid.UUID
    email: str
    role: str
    status: InvitationStatus
    expires_at: datetime
    created_at: datetime
    accepted_at: datetime | None


class InvitationCreated(InvitationRead):
    """A new invitation: ``token`` is shown this once (only its hash is stored); the invitee
    opens ``path`` (``/invitations/<token>`` of the web app)."""

    token: str
    path: str


class InvitationList(Output):
    """Invitations of a workspace, newest first."""

    data: list[InvitationRead]
    count: int


class InvitationPreview(Output):
    """What an invitation link offers, shown to whoever holds the link."""

    workspace_name: str
    email: str
    role: str
    expires_at: datetime
    account_exists: bool = Field(description="true: sign in as this email, then accept")


class InvitationAccept(Input):
    """Accept: signed in (as the invited email), send ``{}``; otherwise choose a password (and a
    display name) to create the account."""

    password: Password | None = None
    display_name: str = Field("", max_length=200)


class InvitationAccepted(Output):
    """You are a member now; ``tokens`` sign in a newly created account (null when you were
    signed in already)."""

    workspace_id: uuid.UUID
    role: str
    tokens: TokenPair | None
