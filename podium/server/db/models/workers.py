"""Worker processes' liveness rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, utcnow


class WorkerBeat(Base):
    """A worker process's liveness row, refreshed by its heartbeat (read by ``/healthz``)."""

    __tablename__ = "workers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    current_job: Mapped[str | None] = mapped_column(String(200))
    stopped_at: Mapped[datetime | None]
