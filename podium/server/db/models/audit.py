"""The audit log: one row per change made through the API (and per sign-in attempt)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, IdMixin, utcnow


class AuditEvent(IdMixin, Base):
    """Who did what, where, to which resource, with which outcome, from which address.

    Deliberately without foreign keys: the log outlives the users, workspaces and resources
    it names (the actor's email is copied for that reason). ``workspace_id`` is null for
    instance-level events (sign-in, account administration).
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_workspace_at", "workspace_id", "at"),
        Index("ix_audit_events_at", "at"),
    )

    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None]
    actor_email: Mapped[str] = mapped_column(String(320), default="")
    workspace_id: Mapped[uuid.UUID | None]
    action: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[str] = mapped_column(String(320), default="")
    outcome: Mapped[str] = mapped_column(String(16), default="success")
    client: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
