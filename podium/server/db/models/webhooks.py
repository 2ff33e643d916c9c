"""Webhooks of a workspace and their deliveries (a job table the workers claim)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin, utcnow


class Webhook(IdMixin, CreatedMixin, TenantMixin, Base):
    """An http(s) endpoint told of ``events``; bodies are signed with ``secret`` (HMAC-SHA256).

    The secret is kept as is (not hashed): signing each delivery needs it.
    """

    __tablename__ = "webhooks"

    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[Any]]
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # ``drift.detected`` reaches it for reports at least this severe (low | medium | high)
    drift_min_severity: Mapped[str] = mapped_column(String(8), default="medium")
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class WebhookDelivery(IdMixin, CreatedMixin, TenantMixin, Base):
    """One event for one webhook: ``queued`` (due at ``next_attempt_at``) → ``sending`` (a
    worker holds it) → ``delivered`` | back to ``queued`` with backoff | ``failed``."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),)

    webhook_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    worker_id: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    response_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
