"""Setup, sign-in and tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from podium.server.schemas.common import Email, Input, Name, Output, Password


class SetupStatus(Output):
    """Whether the first account still has to be created."""

    needs_bootstrap: bool
    registration_enabled: bool
    version: str


class BootstrapRequest(Input):
    """The first administrator and their workspace (allowed once)."""

    email: Email
    password: Password
    workspace_name: Name
    display_name: str = Field("", max_length=200)


class RegisterRequest(Input):
    """A new account (only when ``PODIUM_ALLOW_REGISTRATION`` is on)."""

    email: Email
    password: Password
    display_name: str = Field("", max_length=200)


class LoginRequest(Input):
    """Email and password."""

    email: Email
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(Input):
    """A refresh token to rotate (or revoke, on logout)."""

    refresh_token: str = Field(min_length=1, max_length=200)


class TokenPair(Output):
    """A short-lived access token and a rotating refresh token."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class PasswordChange(Input):
    """The current password (checked) and the new one."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: Password


class UserRead(Output):
    """A user account (``is_active`` false: disabled, cannot sign in or use its tokens)."""

    id: uuid.UUID
    email: str
    display_name: str
    is_admin: bool
    is_active: bool
    created_at: datetime
