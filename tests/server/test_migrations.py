"""The packaged migrations produce exactly the ORM's schema (alembic autogenerate finds no diff)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from podium.server.db import migrate
from podium.server.db.models import Base
from podium.server.db.session import make_engine


class TestMigrations:
    def test_schema_equals_orm(self, db_url: str) -> None:
        engine = make_engine(db_url)
        try:
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts={"compare_type": True})
                assert compare_metadata(context, Base.metadata) == []
            assert migrate.current(engine) == migrate.head()
        finally:
            engine.dispose()

    def test_upgrade_is_idempotent(self, sqlite_url: str) -> None:
        migrate.upgrade(sqlite_url)
        engine = make_engine(sqlite_url)
        try:
            assert migrate.current(engine) == migrate.head()
        finally:
            engine.dispose()
