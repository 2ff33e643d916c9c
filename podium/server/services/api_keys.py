"""Workspace API keys: created once (secret shown once), stored hashed, listed, revoked."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Connection, select, update
from sqlalchemy.orm import Session

from podium.server.db.base import utcnow
from podium.server.db.models import ApiKey
from podium.server.errors import Conflict, Unauthorized
from podium.server.security import hash_secret, new_secret
from podium.server.services import access, audit
from podium.server.services.access import Member

KEY_PREFIX = "pod_"
SHOWN_PREFIX = 12
TOUCH_EVERY = timedelta(seconds=60)


def create(session: Session, member: Member, name: str) -> tuple[ApiKey, str]:
    """Create a key (editors); return the row and the secret, which is never stored."""
    member.require("editor")
    secret = new_secret(KEY_PREFIX)
    row = ApiKey(
        workspace_id=member.workspace_id,
        name=name,
        prefix=secret[:SHOWN_PREFIX],
        key_hash=hash_secret(secret),
        created_by=member.user_id,
    )
    session.add(row)
    session.flush()
    _record(session, row, "api_key.create")
    session.commit()
    return row, secret


def list_keys(session: Session, member: Member) -> list[ApiKey]:
    """Keys of the member's workspace (revoked ones too), newest first."""
    return list(
        session.scalars(
            select(ApiKey)
            .where(ApiKey.workspace_id == member.workspace_id)
            .order_by(ApiKey.created_at.desc(), ApiKey.id)
        )
    )


def revoke(session: Session, user_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """Revoke a key (editors of its workspace); 409 when it is already revoked."""
    row = access.fetch(session, ApiKey, key_id, user_id, "editor", kind="API key")
    if row.revoked_at is not None:
        raise Conflict(f"API key {key_id} is already revoked")
    row.revoked_at = utcnow()
    _record(session, row, "api_key.revoke")
    session.commit()


def _record(session: Session, row: ApiKey, action: str) -> None:
    """The key's name and shown prefix only: never the secret or its hash."""
    audit.record(
        session,
        workspace_id=row.workspace_id,
        action=action,
        resource_type="api_key",
        resource_id=row.id,
        detail={"name": row.name, "prefix": row.prefix},
    )


def authenticate(session: Session, secret: str | None) -> ApiKey:
    """The live key whose hash matches ``secret``.

    Raises
    ------
    Unauthorized
        No key sent, an unknown key, or a revoked one.
    """
    if not secret:
        raise Unauthorized("this deployment needs an API key: send it in the X-API-Key header")
    row = session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_secret(secret)))
    if row is None:
        raise Unauthorized("invalid API key (X-API-Key); create one under the workspace's keys")
    if row.revoked_at is not None:
        raise Unauthorized(f"API key {row.prefix}… was revoked; create a new one")
    return row


def touch(db: Session | Connection, key_id: uuid.UUID) -> None:
    """Record a key's use (at most one write per key per minute)."""
    now = utcnow()
    db.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id)
        .where((ApiKey.last_used_at.is_(None)) | (ApiKey.last_used_at < now - TOUCH_EVERY))
        .values(last_used_at=now)
    )
    db.commit()
