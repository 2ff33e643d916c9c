"""Uploaded tables and their profiles."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin


class DataSource(IdMixin, CreatedMixin, TenantMixin, Base):
    """An uploaded table (CSV or Parquet) in the artifact store, with its profile."""

    __tablename__ = "data_sources"

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(500))
    storage_key: Mapped[str] = mapped_column(String(500))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    n_rows: Mapped[int] = mapped_column(BigInteger)
    n_columns: Mapped[int]
    schema_: Mapped[list[Any]] = mapped_column("schema", JSON)
    preview: Mapped[dict[str, Any]]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )


class DataProfile(IdMixin, CreatedMixin, TenantMixin, Base):
    """A data source's profile (the engine's ``profile``), one per (source, target); computed
    by a worker (the ``profiles`` job kind) and stored as JSON in the artifact store."""

    __tablename__ = "data_profiles"
    __table_args__ = (UniqueConstraint("data_source_id", "target"),)

    data_source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("data_sources.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(500), default="")  # "" = no target
    status: Mapped[str] = mapped_column(String(16), default="queued")
    error: Mapped[str | None] = mapped_column(Text)
    artifact_key: Mapped[str | None] = mapped_column(String(500))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]
