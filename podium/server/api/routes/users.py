"""Accounts, for administrators: list, disable, enable."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from podium.server.api.deps import CurrentUser, SessionDep
from podium.server.api.responses import errors
from podium.server.schemas.auth import UserRead
from podium.server.schemas.users import UserList, UserUpdate
from podium.server.services import users

router = APIRouter(prefix="/users", tags=["users"])


@router.get("", name="list", responses=errors(401, 403))
def list_users(session: SessionDep, user: CurrentUser) -> UserList:
    """Every account (administrators only)."""
    return users.list_users(session, user)


@router.patch("/{user_id}", name="update", responses=errors(401, 403, 404, 409, 422))
def update_user(
    user_id: uuid.UUID, body: UserUpdate, session: SessionDep, user: CurrentUser
) -> UserRead:
    """Disable (``is_active: false``: signs the account out everywhere) or enable an account
    (administrators only; not your own)."""
    return users.update(session, user, user_id, body.is_active)
