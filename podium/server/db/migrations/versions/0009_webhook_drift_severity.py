"""webhooks: the least drift severity each one is told of

Existing webhooks keep what they heard before: drift reports of medium or high severity.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 07:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "drift_min_severity", sa.String(length=8), nullable=False, server_default="medium"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_column("drift_min_severity")
