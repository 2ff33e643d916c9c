"""Invitations: owners invite by link; accepting creates the account (or uses the signed-in
one) and the membership in one transaction. Only the token's SHA-256 is stored."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import Invitation, Membership, User, Workspace
from podium.server.errors import Conflict, Forbidden, Gone, InvalidInput, NotFound
from podium.server.schemas.invitations import (
    InvitationAccepted,
    InvitationCreate,
    InvitationCreated,
    InvitationPreview,
    InvitationRead,
)
from podium.server.security import hash_secret, new_secret
from podium.server.services import accounts, audit
from podium.server.services.access import Member

TOKEN_PREFIX = "pdi_"
UNKNOWN = "this invitation link is not valid; check that you copied all of it, or ask for a new one"


def status(row: Invitation) -> str:
    """pending, accepted, revoked or expired."""
    if row.accepted_at is not None:
        return "accepted"
    if row.revoked_at is not None:
        return "revoked"
    return "expired" if row.expires_at <= utcnow() else "pending"


def read(row: Invitation) -> InvitationRead:
    """The API view of an invitation (never its token)."""
    return InvitationRead(
        id=row.id,
        workspace_id=row.workspace_id,
        email=row.email,
        role=row.role,
        status=status(row),  # type: ignore[arg-type]
        expires_at=row.expires_at,
        created_at=row.created_at,
        accepted_at=row.accepted_at,
    )


def create(session: Session, member: Member, body: InvitationCreate) -> InvitationCreated:
    """Invite ``body.email`` as ``body.role`` (owners); the token is returned this once."""
    member.require("owner")
    existing = session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == member.workspace_id, User.email == body.email)
    )
    if existing is not None:
        raise Conflict(f"{body.email} is already a member; change their role instead")
    token = new_secret(TOKEN_PREFIX)
    row = Invitation(
        workspace_id=member.workspace_id,
        email=body.email,
        role=body.role,
        token_hash=hash_secret(token),
        expires_at=utcnow() + timedelta(hours=body.valid_hours),
        created_by=member.user_id,
    )
    session.add(row)
    session.flush()
    _record(session, row, "invitation.create", valid_hours=body.valid_hours)
    session.commit()
    return InvitationCreated(**read(row).model_dump(), token=token, path=f"/invitations/{token}")


def list_invitations(session: Session, member: Member) -> list[InvitationRead]:
    """Every invitation of the workspace, newest first (owners)."""
    member.require("owner")
    rows = session.scalars(
        select(Invitation)
        .where(Invitation.workspace_id == member.workspace_id)
        .order_by(Invitation.created_at.desc(), Invitation.id)
    )
    return [read(r) for r in rows]


def revoke(session: Session, member: Member, invitation_id: uuid.UUID) -> InvitationRead:
    """Revoke a pending invitation (owners): its link stops working at once."""
    member.require("owner")
    row = session.get(Invitation, invitation_id)
    if row is None or row.workspace_id != member.workspace_id:
        raise NotFound(f"invitation {invitation_id} not found")
    state = status(row)
    if state != "pending":
        raise Conflict(f"this invitation is already {state}; only a pending one can be revoked")
    row.revoked_at = utcnow()
    _record(session, row, "invitation.revoke")
    session.commit()
    return read(row)


def preview(session: Session, token: str) -> InvitationPreview:
    """What the link offers (anyone holding it); Gone once it cannot be used."""
    row = _usable(session, token)
    workspace = session.get_one(Workspace, row.workspace_id)
    exists = session.scalar(select(User.id).where(User.email == row.email)) is not None
    return InvitationPreview(
        workspace_name=workspace.name,
        email=row.email,
        role=row.role,
        expires_at=row.expires_at,
        account_exists=exists,
    )


def accept(
    session: Session,
    settings: Settings,
    token: str,
    user: User | None,
    password: str | None,
    display_name: str,
) -> InvitationAccepted:
    """Join the workspace: as the signed-in ``user`` (whose email must be the invited one), or
    as a new account made with ``password``. One use: a second accept gets Gone."""
    row = _usable(session, token)
    tokens = None
    if user is None:
        user = _new_account(session, row, password, display_name)
        tokens = accounts.start_session(session, settings, user)
    elif user.email != row.email:
        raise Forbidden(
            f"this invitation is for {row.email}, and you are signed in as {user.email}; "
            f"sign in as {row.email}, or ask the owner to invite {user.email}"
        )
    already = session.scalar(
        select(Membership.id).where(
            Membership.workspace_id == row.workspace_id, Membership.user_id == user.id
        )
    )
    if already is not None:
        raise Conflict("you are already a member of this workspace; open it from your workspaces")
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.id == row.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(accepted_at=utcnow(), accepted_by=user.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise Gone("this invitation was used or revoked meanwhile; ask the owner for a new one")
    session.add(Membership(workspace_id=row.workspace_id, user_id=user.id, role=row.role))
    _record(session, row, "invitation.accept", actor=user)
    audit.record(
        session,
        actor=user,
        workspace_id=row.workspace_id,
        action="member.add",
        resource_type="user",
        resource_id=user.id,
        detail={"email": user.email, "role": row.role, "invitation_id": str(row.id)},
    )
    session.commit()
    return InvitationAccepted(workspace_id=row.workspace_id, role=row.role, tokens=tokens)


def _new_account(
    session: Session, row: Invitation, password: str | None, display_name: str
) -> User:
    if session.scalar(select(User.id).where(User.email == row.email)) is not None:
        raise Conflict(
            f"an account for {row.email} exists; sign in as {row.email}, then accept the invitation"
        )
    if password is None:
        raise InvalidInput("password is required to create your account (at least 8 characters)")
    user = accounts.create_user(session, row.email, password, display_name)
    audit.record(
        session,
        actor=user,
        workspace_id=None,
        action="auth.register",
        resource_type="user",
        resource_id=user.id,
        detail={"invitation_id": str(row.id)},
    )
    return user


def _usable(session: Session, token: str) -> Invitation:
    row = session.scalar(select(Invitation).where(Invitation.token_hash == hash_secret(token)))
    if row is None:
        raise NotFound(UNKNOWN)
    state = status(row)
    if state == "accepted":
        raise Gone("this invitation was already used; sign in, or ask the owner for a new one")
    if state == "revoked":
        raise Gone("this invitation was revoked by the workspace owner; ask them for a new one")
    if state == "expired":
        raise Gone(
            f"this invitation expired on {row.expires_at:%Y-%m-%d %H:%M} UTC; "
            "ask the workspace owner for a new one"
        )
    return row


def _record(
    session: Session, row: Invitation, action: str, actor: User | None = None, **detail: object
) -> None:
    audit.record(
        session,
        actor=actor if actor is not None else audit.FROM_REQUEST,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="invitation",
        resource_id=row.id,
        detail={"email": row.email, "role": row.role, **detail},
    )
