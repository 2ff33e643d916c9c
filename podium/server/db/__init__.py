"""Persistence: ORM models, engines/sessions, and the packaged Alembic migrations."""
