"""Database engines and sessions for SQLite (WAL + busy timeout) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
CONNECT_TIMEOUT_S = 5


class DatabaseUnreachable(Exception):
    """The database did not answer a round trip; ``str()`` is one line, password masked."""


def make_engine(url: str, connect_timeout_s: int = CONNECT_TIMEOUT_S, **kwargs: Any) -> Engine:
    """Create an engine; SQLite files get WAL, a busy timeout and enforced foreign keys.

    PostgreSQL connections give up after ``connect_timeout_s`` (libpq's ``connect_timeout``,
    unless the URL sets its own): a server that accepts and never answers fails instead of
    hanging whoever connects.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if "connect_timeout" not in parsed.query:
            kwargs["connect_args"] = {
                "connect_timeout": connect_timeout_s,
                **kwargs.get("connect_args", {}),
            }
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        **kwargs,
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def masked_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for messages and logs)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: show only the scheme
        return url.split("://", 1)[0] + "://…"


def check_reachable(engine: Engine) -> None:
    """One ``SELECT 1`` round trip; raises :class:`DatabaseUnreachable` with a one-line reason."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        raise DatabaseUnreachable(
            f"cannot reach the database at {masked_url(str(engine.url))}: {reason[:300]}"
        ) from None


class Database:
    """An engine plus its session factory; one per process (API, each worker)."""

    def __init__(self, url: str, connect_timeout_s: int = CONNECT_TIMEOUT_S, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, connect_timeout_s, **kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.disposed = False
        event.listen(self.engine, "checkin", self._close_if_disposed)

    def _close_if_disposed(self, dbapi_connection: Any, _record: Any) -> None:
        """A connection a late thread hands back after :meth:`dispose` is closed, not pooled.

        (``Engine.dispose`` cannot close connections that are checked out at that moment; they
        would otherwise linger in the orphaned pool until garbage collection.)
        """
        if self.disposed and dbapi_connection is not None:
            dbapi_connection.close()

    @property
    def is_sqlite(self) -> bool:
        """Whether this is an SQLite database."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection (and any checked in later)."""
        self.disposed = True
        self.engine.dispose()
