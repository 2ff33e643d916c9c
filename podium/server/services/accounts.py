"""Users, first-run bootstrap, sign-in and rotating refresh tokens."""

from __future__ import annotations

import hmac
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from podium import __version__
from podium.server.config import Settings
from podium.server.db.base import utcnow
from podium.server.db.models import Membership, RefreshToken, User, Workspace
from podium.server.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from podium.server.schemas.auth import SetupStatus, TokenPair
from podium.server.security import (
    AccessClaims,
    create_access_token,
    decode_access_token,
    dummy_verify,
    hash_password,
    hash_secret,
    new_secret,
    verify_password,
)
from podium.server.services import audit

BAD_LOGIN = "wrong email or password"
DISABLED = "this account is disabled; ask an administrator of this Podium to enable it"
GONE = "this account no longer exists or is disabled"


def has_users(session: Session) -> bool:
    """Whether any account exists yet."""
    return session.scalar(select(func.count()).select_from(User)) != 0


def setup_status(session: Session, settings: Settings) -> SetupStatus:
    """Whether the first account still has to be created, and whether sign-up is open."""
    return SetupStatus(
        needs_bootstrap=not has_users(session),
        registration_enabled=settings.allow_registration,
        version=__version__,
    )


def create_user(
    session: Session, email: str, password: str, display_name: str = "", is_admin: bool = False
) -> User:
    """Add a user (flushes; the caller commits). Conflict if the email is taken."""
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"an account with email {email} already exists; sign in instead")
    user = User(
        email=email,
        password_hash=hash_password(password),
        display_name=display_name,
        is_admin=is_admin,
    )
    session.add(user)
    session.flush()
    return user


def bootstrap(
    session: Session,
    settings: Settings,
    email: str,
    password: str,
    workspace_name: str,
    display_name: str = "",
) -> TokenPair:
    """Create the first admin and their workspace; refused once any account exists."""
    if has_users(session):
        raise Conflict("Podium is already set up; sign in instead")
    user = create_user(session, email, password, display_name, is_admin=True)
    workspace = Workspace(name=workspace_name, created_by=user.id)
    session.add(workspace)
    session.flush()
    session.add(Membership(workspace_id=workspace.id, user_id=user.id, role="owner"))
    _record(session, user, "setup.bootstrap")
    audit.record(
        session,
        actor=user,
        workspace_id=workspace.id,
        action="workspace.create",
        resource_type="workspace",
        resource_id=workspace.id,
        detail={"name": workspace_name},
    )
    tokens = _issue(session, settings, user, uuid.uuid4())
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict("Podium is already set up; sign in instead") from None
    return tokens


def register(
    session: Session, settings: Settings, email: str, password: str, display_name: str = ""
) -> TokenPair:
    """Open sign-up (only when enabled by ``PODIUM_ALLOW_REGISTRATION``)."""
    if not settings.allow_registration:
        raise Forbidden("registration is disabled; ask an administrator for an account")
    user = create_user(session, email, password, display_name)
    _record(session, user, "auth.register")
    tokens = _issue(session, settings, user, uuid.uuid4())
    session.commit()
    return tokens


def login(session: Session, settings: Settings, email: str, password: str) -> TokenPair:
    """Check the password and start a new refresh-token family."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        dummy_verify()
        _login_failed(session, email, None, "unknown account")
        raise Unauthorized(BAD_LOGIN)
    if not verify_password(user.password_hash, password):
        _login_failed(session, email, user, "wrong password")
        raise Unauthorized(BAD_LOGIN)
    if not user.is_active:  # only said to someone who knows the password
        _login_failed(session, email, user, "account disabled")
        raise Forbidden(DISABLED)
    _record(session, user, "auth.login")
    tokens = _issue(session, settings, user, uuid.uuid4())
    session.commit()
    return tokens


def login_refused(session: Session, email: str) -> None:
    """Record a sign-in the attempt limit refused before any password check (a 429)."""
    user = session.scalar(select(User).where(User.email == email))
    _login_failed(session, email, user, "too many attempts")


def _login_failed(session: Session, email: str, user: User | None, reason: str) -> None:
    """Record a failed sign-in in its own transaction: the request itself fails."""
    session.rollback()
    audit.record(
        session,
        actor=user or email,
        workspace_id=None,
        action="auth.login",
        resource_type="user",
        resource_id=user.id if user else "",
        outcome="failure",
        detail={"reason": reason},
    )
    session.commit()


def _record(session: Session, user: User, action: str) -> None:
    audit.record(
        session,
        actor=user,
        workspace_id=None,
        action=action,
        resource_type="user",
        resource_id=user.id,
    )


def start_session(session: Session, settings: Settings, user: User) -> TokenPair:
    """A new token pair (a new refresh-token family) for ``user`` (the caller commits)."""
    return _issue(session, settings, user, uuid.uuid4())


def refresh(session: Session, settings: Settings, token: str) -> TokenPair:
    """Rotate a refresh token. Presenting an already-rotated token revokes its whole family."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token)))
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        raise Unauthorized("refresh token is invalid or expired; sign in again")
    if row.rotated_at is not None:
        _revoke_family(session, row.family_id)
        session.commit()
        raise Unauthorized("refresh token was already used; every session of it is signed out")
    claimed = session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == row.id, RefreshToken.rotated_at.is_(None))
        .values(rotated_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise Unauthorized("refresh token was already used; sign in again")
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        session.rollback()
        raise Unauthorized(GONE)
    tokens = _issue(session, settings, user, row.family_id)
    session.commit()
    return tokens


def logout(session: Session, token: str) -> None:
    """Revoke the refresh token's family (unknown tokens are ignored)."""
    row = session.scalar(select(RefreshToken).where(RefreshToken.token_hash == hash_secret(token)))
    if row is not None:
        _revoke_family(session, row.family_id)
        user = session.get(User, row.user_id)
        if user is not None:
            _record(session, user, "auth.logout")
        session.commit()


def active_user(session: Session, claims: AccessClaims) -> User:
    """The user an access token names, if still active and the token not older than the
    user's last password change or disable (``token_version``)."""
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise Unauthorized(GONE)
    if claims.version != user.token_version:
        raise Unauthorized("this session ended when the password was changed; sign in again")
    return user


def change_password(
    session: Session, settings: Settings, user: User, current: str, new: str
) -> TokenPair:
    """Replace the password after checking the current one; every other session ends (refresh
    tokens revoked, older access tokens refused) and the caller gets a fresh token pair."""
    if not verify_password(user.password_hash, current):
        raise InvalidInput("current_password is not your current password")
    if current == new:
        raise InvalidInput("new_password must differ from the current password")
    user.password_hash = hash_password(new)
    end_sessions(session, user)
    _record(session, user, "auth.password_change")
    tokens = _issue(session, settings, user, uuid.uuid4())
    session.commit()
    return tokens


def end_sessions(session: Session, user: User) -> None:
    """Revoke every refresh token of ``user`` and invalidate their access tokens (flushes)."""
    user.token_version += 1
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.flush()


def can_monitor(session: Session, settings: Settings, bearer: str | None) -> bool:
    """Whether the caller may read ``/metrics`` and the detailed ``/healthz``.

    Yes when ``PODIUM_PUBLIC_METRICS`` is on, for ``PODIUM_METRICS_TOKEN`` as the bearer token,
    and for an active administrator's access token; no for everybody else.
    """
    if settings.public_metrics:
        return True
    if not bearer:
        return False
    token = settings.metrics_token
    if token is not None and hmac.compare_digest(
        bearer.encode(), token.get_secret_value().encode()
    ):
        return True
    try:
        return active_user(session, decode_access_token(bearer, settings.signing_key)).is_admin
    except Unauthorized:
        return False


def _issue(session: Session, settings: Settings, user: User, family_id: uuid.UUID) -> TokenPair:
    secret = new_secret()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=hash_secret(secret),
            expires_at=utcnow() + timedelta(seconds=settings.refresh_token_ttl_s),
        )
    )
    access = create_access_token(
        user.id, settings.signing_key, settings.access_token_ttl_s, user.token_version
    )
    return TokenPair(
        access_token=access, refresh_token=secret, expires_in=settings.access_token_ttl_s
    )


def _revoke_family(session: Session, family_id: uuid.UUID) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
