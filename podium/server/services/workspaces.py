"""Workspaces and their members."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.server.db.models import Membership, User, Workspace
from podium.server.errors import Conflict, NotFound
from podium.server.schemas.workspaces import MemberRead, WorkspaceAbilities, WorkspaceRead
from podium.server.services import access, audit, usage
from podium.server.services.access import Member
from podium.server.storage import ArtifactStore


def list_for_user(session: Session, user_id: uuid.UUID) -> list[WorkspaceRead]:
    """Workspaces the user belongs to, with their role, oldest first."""
    rows = session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.created_at, Workspace.id)
    ).all()
    return [_read(ws, role) for ws, role in rows]


def create(session: Session, user_id: uuid.UUID, name: str) -> WorkspaceRead:
    """A new workspace owned by the caller."""
    workspace = Workspace(name=name, created_by=user_id)
    session.add(workspace)
    session.flush()
    session.add(Membership(workspace_id=workspace.id, user_id=user_id, role="owner"))
    _record(session, workspace.id, "workspace.create", "workspace", workspace.id, name=name)
    session.commit()
    return _read(workspace, "owner")


def get(session: Session, member: Member) -> WorkspaceRead:
    """The member's workspace."""
    workspace = session.get(Workspace, member.workspace_id)
    if workspace is None:
        raise NotFound(f"workspace {member.workspace_id} not found")
    return _read(workspace, member.role)


def rename(session: Session, member: Member, name: str) -> WorkspaceRead:
    """Rename (owners only)."""
    member.require("owner")
    workspace = session.get_one(Workspace, member.workspace_id)
    workspace.name = name
    _record(session, workspace.id, "workspace.update", "workspace", workspace.id, name=name)
    session.commit()
    return _read(workspace, member.role)


def delete(session: Session, store: ArtifactStore, member: Member) -> None:
    """Delete the workspace, everything in it and its files (owners only).

    Refused (409) while one of its runs is queued or running or a pipeline is building,
    as for projects and experiments: the worker holding it would be orphaned.
    """
    member.require("owner")
    usage.refuse_if_active(session, workspace_id=member.workspace_id)
    usage.refuse_if_building(session, member.workspace_id)
    workspace = session.get_one(Workspace, member.workspace_id)
    name = workspace.name
    _record(session, workspace.id, "workspace.delete", "workspace", workspace.id, name=name)
    session.delete(workspace)
    session.commit()
    store.delete_prefix(folder_key(member.workspace_id))


def folder_key(workspace_id: uuid.UUID) -> str:
    """The artifact-store folder of everything a workspace stored (uploads, pipelines)."""
    return f"workspaces/{workspace_id}"


def list_members(session: Session, member: Member) -> list[MemberRead]:
    """Members with their roles."""
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == member.workspace_id)
        .order_by(Membership.created_at, User.email)
    ).all()
    return [_member(m, u) for m, u in rows]


def add_member(session: Session, member: Member, email: str, role: str) -> MemberRead:
    """Add an existing user (owners only)."""
    member.require("owner")
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        raise NotFound(f"no account with email {email}; they must sign up first")
    if _find(session, member.workspace_id, user.id) is not None:
        raise Conflict(f"{email} is already a member; change their role instead")
    row = Membership(workspace_id=member.workspace_id, user_id=user.id, role=role)
    session.add(row)
    _record(session, member.workspace_id, "member.add", "user", user.id, email=email, role=role)
    session.commit()
    return _member(row, user)


def change_role(session: Session, member: Member, user_id: uuid.UUID, role: str) -> MemberRead:
    """Change a member's role (owners only; the last owner stays an owner)."""
    member.require("owner")
    row = _get(session, member.workspace_id, user_id)
    if row.role == "owner" and role != "owner":
        _keep_an_owner(session, member.workspace_id)
    before, row.role = row.role, role
    user = session.get_one(User, user_id)
    _record(
        session,
        member.workspace_id,
        "member.update",
        "user",
        user_id,
        email=user.email,
        role=role,
        previous_role=before,
    )
    session.commit()
    return _member(row, user)


def remove_member(session: Session, member: Member, user_id: uuid.UUID) -> None:
    """Remove a member (owners; anyone may leave). The last owner cannot leave."""
    if user_id != member.user_id:
        member.require("owner")
    row = _get(session, member.workspace_id, user_id)
    if row.role == "owner":
        _keep_an_owner(session, member.workspace_id)
    action = "member.leave" if user_id == member.user_id else "member.remove"
    email = session.get_one(User, user_id).email
    _record(session, member.workspace_id, action, "user", user_id, email=email, role=row.role)
    session.delete(row)
    session.commit()


def _record(
    session: Session,
    workspace_id: uuid.UUID,
    action: str,
    resource_type: str,
    resource_id: uuid.UUID,
    **detail: str,
) -> None:
    audit.record(
        session,
        workspace_id=workspace_id,
        action=action,
        resource_type=resource_type,
        resource_id=resource_id,
        detail=detail,
    )


def _find(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )


def _get(session: Session, workspace_id: uuid.UUID, user_id: uuid.UUID) -> Membership:
    row = _find(session, workspace_id, user_id)
    if row is None:
        raise NotFound(f"user {user_id} is not a member of this workspace")
    return row


def _keep_an_owner(session: Session, workspace_id: uuid.UUID) -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.role == "owner")
    )
    if owners is not None and owners <= 1:
        raise Conflict("a workspace needs at least one owner; make someone else owner first")


def _read(workspace: Workspace, role: str) -> WorkspaceRead:
    return WorkspaceRead(
        id=workspace.id,
        name=workspace.name,
        role=role,
        can=WorkspaceAbilities.model_validate(access.abilities(role)),
        created_at=workspace.created_at,
    )


def _member(row: Membership, user: User) -> MemberRead:
    return MemberRead(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=row.role,
        created_at=row.created_at,
    )
