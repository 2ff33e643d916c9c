"""Alembic environment: Podium's metadata, batch mode on SQLite, caller-supplied connection."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection

from podium.server.db.base import UTCDateTime
from podium.server.db.models import Base
from podium.server.db.session import make_engine

config = context.config
target_metadata = Base.metadata


def _render_item(kind: str, obj: Any, _ctx: AutogenContext) -> str | Literal[False]:
    """Render app-side column types as plain SQLAlchemy ones, so migrations never import Podium."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the connection handed in by ``migrate.upgrade`` or a fresh engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.begin() as conn:
            _run(conn)
    finally:
        engine.dispose()


run_migrations_online()
