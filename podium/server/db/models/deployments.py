"""Deployments and their sampled prediction log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin


class Deployment(IdMixin, CreatedMixin, TenantMixin, Base):
    """A pipeline behind ``/deployments/{slug}/predict`` with an auth mode and counters."""

    __tablename__ = "deployments"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    auth_mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="active")
    request_count: Mapped[int] = mapped_column(BigInteger, default=0)
    error_count: Mapped[int] = mapped_column(BigInteger, default=0)
    latency_hist: Mapped[dict[str, Any]]
    last_request_at: Mapped[datetime | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class PredictionLog(IdMixin, CreatedMixin, TenantMixin, Base):
    """A sampled request/response of a deployment (bounded per deployment)."""

    __tablename__ = "prediction_logs"

    deployment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    latency_ms: Mapped[float]
    request: Mapped[dict[str, Any]]
    response: Mapped[dict[str, Any]]
