"""Service commands: ``podium serve``, ``podium worker``, ``podium db upgrade``,
``podium user create``, ``podium openapi``."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NoReturn

import typer
from pydantic import ValidationError

from podium.server.config import Settings, get_settings

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
WORKER_STOP_S = 10.0


def load_settings() -> Settings:
    """Settings from the environment, or a readable error and exit code 2 (values never shown)."""
    try:
        return get_settings()
    except ValidationError as exc:
        typer.echo(f"podium: invalid configuration:\n{settings_errors(exc)}", err=True)
        raise typer.Exit(2) from None
    except ValueError as exc:
        typer.echo(f"podium: invalid configuration: {exc}", err=True)
        raise typer.Exit(2) from None


def settings_errors(exc: ValidationError) -> str:
    """One line per bad variable, naming it and saying what is wrong, without its value.

    pydantic's own text echoes every input (``input_value='…'``), which for
    ``PODIUM_SECRET_KEY`` or a ``PODIUM_DATABASE_URL`` with a password prints the secret.
    """
    lines = []
    for error in exc.errors(include_url=False, include_input=False):
        name = "PODIUM_" + str(error["loc"][0]).upper() if error["loc"] else "settings"
        lines.append(f"  {name}: {error['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines)


def require_database(settings: Settings) -> None:
    """Exit 1 with one line when the database does not answer within the connect timeout."""
    from podium.server.db.session import DatabaseUnreachable, check_reachable, make_engine

    try:
        engine = make_engine(settings.database_url, settings.database_connect_timeout_s)
        try:
            check_reachable(engine)
        finally:
            engine.dispose()
    except (DatabaseUnreachable, OSError) as exc:
        typer.echo(f"podium: {exc} (check PODIUM_DATABASE_URL)", err=True)
        raise typer.Exit(1) from None


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host if host != "0.0.0.0" else "127.0.0.1", port)) == 0


def _port_message(port: int) -> str:
    return f"port {port} is in use; pick another with PODIUM_PORT={port + 1} make run"


def serve(
    host: str | None = typer.Option(None, help="Bind address (default PODIUM_HOST)."),
    port: int | None = typer.Option(None, help="Port (default PODIUM_PORT)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
    api_workers: int | None = typer.Option(
        None,
        "--workers",
        min=1,
        help="API processes (default PODIUM_API_WORKERS); each loads what it serves.",
    ),
    check_port: bool = typer.Option(False, "--check-port", help="Only check the port is free."),
) -> None:
    """Start the API (and the embedded workers); migrates an embedded SQLite database first."""
    settings = load_settings()
    host, port = host or settings.host, port or settings.port
    if port_in_use(host, port):
        typer.echo(_port_message(port), err=True)
        raise typer.Exit(1)
    if check_port:
        return
    require_database(settings)
    _ensure_schema(settings)
    workers = [_spawn_worker() for _ in range(settings.embedded_workers)]
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    typer.echo(f"Podium is running at {url} — open it and create the first account.")
    typer.echo(f"Data: {settings.data_dir}   Workers: {len(workers)}   Stop: Ctrl-C")
    processes = 1 if reload else (api_workers or settings.api_workers)
    try:
        import uvicorn

        loop, shared = "auto", contextlib.ExitStack()
        if processes > 1:  # the least busy API process accepts each connection
            from podium.server import accept

            loop = accept.LOOP
            shared.enter_context(accept.slots())
        with shared:
            uvicorn.run(
                "podium.server.app:create_app",
                factory=True,
                host=host,
                port=port,
                reload=reload,
                workers=None if reload else processes,
                loop=loop,
                log_level=settings.log_level,
                ws_ping_interval=20,
                proxy_headers=True,  # X-Forwarded-For names the client (login attempt limits)
                forwarded_allow_ips=settings.forwarded_allow_ips,  # … only from these proxies
            )
    finally:
        _stop(workers)


def _ensure_schema(settings: Settings) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from podium.server.db import migrate
    from podium.server.db.session import make_engine

    if settings.is_sqlite:
        _migrate(settings, "head")
        return
    engine = make_engine(settings.database_url, settings.database_connect_timeout_s)
    try:
        current = migrate.current(engine)
    except SQLAlchemyError as exc:
        _database_failed("reading the schema revision", exc)
    finally:
        engine.dispose()
    if current != migrate.head():
        typer.echo(
            f"database is at revision {current}, Podium needs {migrate.head()}: "
            "run `podium db upgrade` first",
            err=True,
        )
        raise typer.Exit(1)


def _migrate(settings: Settings, revision: str) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from podium.server.db import migrate

    try:
        migrate.upgrade(settings.database_url, revision)
    except SQLAlchemyError as exc:
        _database_failed("migrating", exc)


def _database_failed(doing: str, exc: Exception) -> NoReturn:
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())[:300]
    typer.echo(f"podium: database error while {doing}: {reason}", err=True)
    raise typer.Exit(1)


def _spawn_worker() -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "podium.worker", "--parent-pid", str(os.getpid())]
    return subprocess.Popen(command)


def _stop(workers: list[subprocess.Popen[bytes]]) -> None:
    for proc in workers:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in workers:
        try:
            proc.wait(WORKER_STOP_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker(
    parent_pid: int | None = typer.Option(None, hidden=True, help="Exit when this pid is gone."),
) -> None:
    """Run a worker: claim queued runs, execute them, stream their events."""
    require_database(load_settings())
    from podium.worker.loop import main

    main(parent_pid=parent_pid)


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply database migrations."""
    settings = load_settings()
    require_database(settings)
    _migrate(settings, revision)
    typer.echo(f"database at {revision} ({settings.database_url.split('@')[-1]})")


@user_app.command("create")
def user_create(
    email: str = typer.Argument(..., help="Email address (the login)."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 8 characters."
    ),
    admin: bool = typer.Option(False, help="Make the user an administrator."),
    workspace: str | None = typer.Option(None, help="Also create a workspace they own."),
) -> None:
    """Create a user account (and optionally a workspace)."""
    settings = load_settings()
    from podium.server.schemas.auth import RegisterRequest

    try:
        body = RegisterRequest(email=email, password=password)
    except ValidationError as exc:
        typer.echo(f"podium: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", err=True)
        raise typer.Exit(2) from None
    _create_user(settings, body.email, body.password, admin, workspace)
    typer.echo(f"created {body.email}" + (f" with workspace {workspace!r}" if workspace else ""))


def _create_user(
    settings: Settings, email: str, password: str, admin: bool, workspace: str | None
) -> None:
    from podium.server.db.session import Database
    from podium.server.errors import PodiumError
    from podium.server.services import accounts, workspaces

    require_database(settings)
    db = Database(settings.database_url, settings.database_connect_timeout_s)
    try:
        with db.session() as session:
            user = accounts.create_user(session, email, password, is_admin=admin)
            session.commit()
            if workspace:
                workspaces.create(session, user.id, workspace)
    except PodiumError as exc:
        typer.echo(f"podium: {exc.detail}", err=True)
        raise typer.Exit(1) from None
    finally:
        db.dispose()


def openapi() -> None:
    """Print the API's OpenAPI document (JSON) to stdout."""
    from podium.server.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            data_dir=Path(tmp), database_url="sqlite://", secret_key="x" * 32, web_dist=Path(tmp)
        )
        typer.echo(json.dumps(create_app(settings).openapi(), indent=2))


def register(app: typer.Typer) -> None:
    """Attach the service commands to ``app``."""
    app.command()(serve)
    app.command()(worker)
    app.command()(openapi)
    app.add_typer(db_app, name="db")
    app.add_typer(user_app, name="user")
