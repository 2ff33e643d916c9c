"""Pipelines: promoted models, built by workers (the second job kind)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from podium.server.db.base import Base, CreatedMixin, IdMixin, TenantMixin


class Pipeline(IdMixin, CreatedMixin, TenantMixin, Base):
    """A promoted model: a versioned, checksummed artifact. Built by a worker (status building)."""

    __tablename__ = "pipelines"
    __table_args__ = (UniqueConstraint("workspace_id", "name", "version"),)

    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    description: Mapped[str] = mapped_column(Text, default="")
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), index=True
    )
    model_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="building")
    error: Mapped[str | None] = mapped_column(Text)
    metrics: Mapped[dict[str, Any]]
    input_schema: Mapped[list[Any]]
    task: Mapped[str | None] = mapped_column(String(32))
    artifact_key: Mapped[str | None] = mapped_column(String(500))
    sha256: Mapped[str | None] = mapped_column(String(64))
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    onnx_key: Mapped[str | None] = mapped_column(String(500))
    library_versions: Mapped[dict[str, Any]]
    manifest: Mapped[dict[str, Any] | None]
    created_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    finished_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None]

    labels: Mapped[list[PipelineLabel]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True, viewonly=False
    )


class PipelineLabel(IdMixin, CreatedMixin, TenantMixin, Base):
    """A label (``staging``, ``production``) on one version of a pipeline name; moving it to
    another version moves the row (unique per workspace, name and label)."""

    __tablename__ = "pipeline_labels"
    __table_args__ = (UniqueConstraint("workspace_id", "name", "label"),)

    name: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(16))
    pipeline_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("pipelines.id", ondelete="CASCADE"), index=True
    )
