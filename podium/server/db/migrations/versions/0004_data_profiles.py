"""data_profiles: a data source's profile per target, computed by a worker (issue 14)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_profiles",
        sa.Column("data_source_id", sa.Uuid(), nullable=False),
        sa.Column("target", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("artifact_key", sa.String(length=500), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.String(length=200), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["data_source_id"],
            ["data_sources.id"],
            name=op.f("fk_data_profiles_data_source_id_data_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_data_profiles_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_profiles")),
        sa.UniqueConstraint(
            "data_source_id", "target", name=op.f("uq_data_profiles_data_source_id_target")
        ),
    )
    with op.batch_alter_table("data_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_profiles_data_source_id"), ["data_source_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_data_profiles_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("data_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_profiles_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_data_profiles_data_source_id"))
    op.drop_table("data_profiles")
