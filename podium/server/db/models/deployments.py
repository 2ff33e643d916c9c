"""Deployments, their version history, sampled prediction log and drift reports."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin

if TYPE_CHECKING:
    from podium.server.db.models.pipelines import Pipeline


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
    # prediction log settings (read by the predict call's one resolving query)
    log_sample_rate: Mapped[float] = mapped_column(default=0.1)
    log_keep: Mapped[str] = mapped_column(String(16), default="full")
    log_retention_days: Mapped[int] = mapped_column(default=30)
    log_max_rows: Mapped[int] = mapped_column(default=10_000)
    prune_next_at: Mapped[datetime | None]
    # scheduled drift reports (None: on demand only)
    drift_every_hours: Mapped[int | None]
    drift_window_hours: Mapped[int] = mapped_column(default=24)
    drift_next_at: Mapped[datetime | None]

    pipeline: Mapped[Pipeline] = relationship(lazy="joined", innerjoin=True)


class DeploymentVersion(IdMixin, CreatedMixin, TenantMixin, Base):
    """One change of the pipeline version a deployment serves (deploy, switch, rollback)."""

    __tablename__ = "deployment_versions"

    deployment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    pipeline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pipelines.id", ondelete="SET NULL")
    )
    pipeline_version: Mapped[int]
    from_pipeline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pipelines.id", ondelete="SET NULL")
    )
    from_version: Mapped[int | None]
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class PredictionLog(IdMixin, CreatedMixin, TenantMixin, Base):
    """A sampled request/response of a deployment (bounded per deployment)."""

    __tablename__ = "prediction_logs"
    __table_args__ = (
        Index("ix_prediction_logs_deployment_id_created_at", "deployment_id", "created_at"),
    )

    deployment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    pipeline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pipelines.id", ondelete="SET NULL")
    )
    request_id: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    latency_ms: Mapped[float]
    request: Mapped[dict[str, Any]]
    response: Mapped[dict[str, Any]]


class DriftReport(IdMixin, CreatedMixin, TenantMixin, Base):
    """A comparison of a window of logged predictions with the pipeline's training baseline."""

    __tablename__ = "drift_reports"
    __table_args__ = (
        Index("ix_drift_reports_deployment_id_created_at", "deployment_id", "created_at"),
    )

    deployment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE")
    )
    pipeline_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("pipelines.id", ondelete="SET NULL")
    )
    pipeline_version: Mapped[int]
    trigger: Mapped[str] = mapped_column(String(16))
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    rows: Mapped[int]
    severity: Mapped[str] = mapped_column(String(16))
    result: Mapped[dict[str, Any]]
