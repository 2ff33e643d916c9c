"""Analyses: the fit-based plots of one model of a run, computed by a worker (a job kind)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin

ANALYSIS_STATUSES = ("queued", "running", "done", "failed")


class Analysis(IdMixin, CreatedMixin, TenantMixin, Base):
    """One (run, model)'s analysis; the row is also the queue entry a worker claims. Its plots
    are JSON files in the artifact store (``services.analysis.plot_key``), listed in ``plots``.
    """

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint("run_id", "model_id"),
        Index("ix_analyses_status_created_at", "status", "created_at"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    model_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    plots: Mapped[list[Any]]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
