"""Accounts, for administrators: list them, disable or enable one.

Administrators are the first account (created by the first-run bootstrap) and accounts made with
``podium user create --admin``. Being an administrator grants no access to workspaces: it only
manages accounts (and reads monitoring). Workspace owners manage members, not accounts.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.server.db.models import User
from podium.server.errors import Conflict, Forbidden, not_found
from podium.server.schemas.auth import UserRead
from podium.server.schemas.users import UserList
from podium.server.services import audit
from podium.server.services.accounts import end_sessions


def require_admin(caller: User) -> None:
    """Forbidden unless ``caller`` administers this Podium."""
    if not caller.is_admin:
        raise Forbidden("only an administrator of this Podium can manage accounts")


def list_users(session: Session, caller: User) -> UserList:
    """Every account, oldest first."""
    require_admin(caller)
    rows = session.scalars(select(User).order_by(User.created_at, User.email)).all()
    return UserList(data=[UserRead.model_validate(row) for row in rows], count=len(rows))


def update(session: Session, caller: User, user_id: uuid.UUID, is_active: bool) -> UserRead:
    """Disable (every session ends at once) or enable an account; never the caller's own."""
    require_admin(caller)
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user", user_id)
    if user.id == caller.id and not is_active:
        raise Conflict("you cannot disable your own account; ask another administrator")
    if user.is_active and not is_active:
        end_sessions(session, user)
    user.is_active = is_active
    audit.record(
        session,
        workspace_id=None,
        action="user.enable" if is_active else "user.disable",
        resource_type="user",
        resource_id=user.id,
        detail={"email": user.email},
    )
    session.commit()
    return UserRead.model_validate(user)
