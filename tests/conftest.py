"""Shared fixtures: a real database per test (SQLite file; PostgreSQL too when reachable),
settings, the app under TestClient, and a populated "world" of users, roles and resources.

xdist-safe: temp dirs are per test, the SQLite template is per xdist worker, and each xdist
worker gets its own PostgreSQL schema (``podium_<worker>_<pid>``), dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from podium.server.config import Settings

with warnings.catch_warnings():
    # starlette warns once, at import, that it prefers httpx2 over httpx; nothing to fix here
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    import starlette.testclient  # noqa: F401
from podium.server.db import migrate
from podium.server.db.models import Base
from podium.server.db.session import make_engine

PG_BASE = "postgresql+psycopg://{user}@127.0.0.1:5432/test"
SECRET = "test-secret-key-" + "x" * 32
METRICS_TOKEN = "test-metrics-token-" + "m" * 16
METRICS_HEADERS = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def _pg_user() -> str | None:
    try:
        import psycopg
    except ImportError:
        return None
    for user in ("postgres", "root"):
        try:
            with psycopg.connect(
                host="127.0.0.1", port=5432, dbname="test", user=user, connect_timeout=2
            ):
                return user
        except psycopg.Error:
            continue
    return None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for every test (one migration per xdist worker)."""
    path = tmp_path_factory.mktemp("template") / "podium.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_url(worker_id: str) -> Iterator[str]:
    """A migrated PostgreSQL schema of this xdist worker (skips when none is reachable)."""
    user = _pg_user()
    if user is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (db test, user postgres/root)")
    schema = f"podium_{worker_id}_{os.getpid()}"
    admin = make_engine(PG_BASE.format(user=user))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = PG_BASE.format(user=user) + f"?options=-csearch_path%3D{schema}"
    migrate.upgrade(url)
    yield url
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _truncate(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated database: a copied SQLite file, or a truncated PostgreSQL schema."""
    if request.param == "sqlite":
        target = tmp_path / "podium.db"
        shutil.copy(sqlite_template, target)
        return f"sqlite:///{target}"
    url: str = request.getfixturevalue("pg_url")
    _truncate(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh SQLite database only (for tests whose subject is not the dialect)."""
    target = tmp_path / "podium.db"
    shutil.copy(sqlite_template, target)
    return f"sqlite:///{target}"


def make_settings(tmp_path: Path, url: str, **overrides: object) -> Settings:
    """Test settings: tiny upload cap, short leases, fast polls, open registration, a metrics
    token (send ``METRICS_HEADERS`` for /metrics and the detailed /healthz)."""
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "database_url": url,
        "secret_key": SECRET,
        "metrics_token": METRICS_TOKEN,
        "max_upload_bytes": 64 * 1024,
        "lease_s": 3.0,
        "events_poll_s": 0.05,
        "worker_poll_s": 0.1,
        "allow_registration": True,
        "web_dist": tmp_path / "no-web",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Settings on the parametrized database."""
    return make_settings(tmp_path, db_url)


def worker_env(settings: Settings) -> dict[str, str]:
    """Environment for a ``podium worker`` subprocess sharing ``settings``' database and store."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    env.update(
        {
            "PODIUM_DATA_DIR": str(settings.data_dir),
            "PODIUM_DATABASE_URL": settings.database_url,
            "PODIUM_SECRET_KEY": settings.signing_key,
            "PODIUM_LEASE_S": str(settings.lease_s),
            "PODIUM_WORKER_POLL_S": str(settings.worker_poll_s),
            "PODIUM_LOG_LEVEL": "info",
            "PODIUM_WORKER_WARMUP": "false",  # the suite's 2 cores are better spent on runs
        }
    )
    return env


def new_id() -> str:
    """An id that exists nowhere."""
    return str(uuid.uuid4())
