"""Sign-up, sign-in, token rotation, sign-out."""

from __future__ import annotations

from functools import partial

from anyio import to_thread
from fastapi import APIRouter, status

from podium.server.api.deps import CurrentUser, PasswordGateDep, SessionDep, SettingsDep
from podium.server.api.responses import errors, not_audited
from podium.server.errors import TooManyRequests
from podium.server.schemas.auth import (
    LoginRequest,
    PasswordChange,
    RefreshRequest,
    RegisterRequest,
    TokenPair,
    UserRead,
)
from podium.server.services import accounts

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/register",
    name="register",
    status_code=status.HTTP_201_CREATED,
    responses=errors(403, 409, 422, 429),
)
async def register(
    body: RegisterRequest, session: SessionDep, settings: SettingsDep, gate: PasswordGateDep
) -> TokenPair:
    """Create an account (when registration is enabled) and sign in."""
    call = partial(
        accounts.register, session, settings, body.email, body.password, body.display_name
    )
    return await gate.attempt(None, call, count_success=True)


@router.post("/login", name="login", responses=errors(401, 403, 422, 429))
async def login(
    body: LoginRequest, session: SessionDep, settings: SettingsDep, gate: PasswordGateDep
) -> TokenPair:
    """Exchange email and password for tokens (failed attempts are limited per account and
    per client address: 429 with Retry-After)."""
    call = partial(accounts.login, session, settings, body.email, body.password)
    try:
        return await gate.attempt(body.email, call)
    except TooManyRequests:  # refused unchecked: still a failed sign-in in the audit log
        await to_thread.run_sync(accounts.login_refused, session, body.email)
        raise


@router.post(
    "/refresh",
    name="refresh",
    responses=errors(401, 422),
    openapi_extra=not_audited("rotating a token continues a sign-in the log already has"),
)
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Rotate a refresh token (reusing an old one signs out its whole family)."""
    return accounts.refresh(session, settings, body.refresh_token)


@router.post(
    "/logout", name="logout", status_code=status.HTTP_204_NO_CONTENT, responses=errors(422)
)
def logout(body: RefreshRequest, session: SessionDep) -> None:
    """Revoke the refresh token and every token rotated from it."""
    accounts.logout(session, body.refresh_token)


@router.post("/password", name="change-password", responses=errors(401, 422, 429))
async def change_password(
    body: PasswordChange,
    user: CurrentUser,
    session: SessionDep,
    settings: SettingsDep,
    gate: PasswordGateDep,
) -> TokenPair:
    """Change your password (the current one is checked; wrong tries count like failed
    sign-ins). Every other session ends; the answer is this session's new token pair."""
    call = partial(
        accounts.change_password,
        session,
        settings,
        user,
        body.current_password,
        body.new_password,
    )
    return await gate.attempt(user.email, call)


@router.get("/me", name="me", responses=errors(401))
def me(user: CurrentUser) -> UserRead:
    """The signed-in user."""
    return UserRead.model_validate(user)
