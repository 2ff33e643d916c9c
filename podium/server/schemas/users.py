"""Accounts as administrators see them: the list, and enabling or disabling one."""

from __future__ import annotations

from podium.server.schemas.auth import UserRead
from podium.server.schemas.common import Input, Output


class UserList(Output):
    """Every account of this Podium, oldest first."""

    data: list[UserRead]
    count: int


class UserUpdate(Input):
    """``is_active: false`` disables the account: no sign-in, refresh or token use."""

    is_active: bool
