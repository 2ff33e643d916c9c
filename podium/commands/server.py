"""Service commands: ``podium serve``, ``podium worker``, ``podium db upgrade``,
``podium user create``, ``podium openapi``."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import typer
from pydantic import ValidationError

from podium.server.config import Settings, get_settings

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
user_app = typer.Typer(help="User accounts.", no_args_is_help=True)
WORKER_STOP_S = 10.0


def load_settings() -> Settings:
    """Settings from the environment, or a readable error and exit code 2."""
    try:
        return get_settings()
    except (ValidationError, ValueError) as exc:
        typer.echo(f"podium: invalid configuration:\n{exc}", err=True)
        raise typer.Exit(2) from None


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
    _ensure_schema(settings)
    workers = [_spawn_worker() for _ in range(settings.embedded_workers)]
    url = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
    typer.echo(f"Podium is running at {url} — open it and create the first account.")
    typer.echo(f"Data: {settings.data_dir}   Workers: {len(workers)}   Stop: Ctrl-C")
    try:
        import uvicorn

        uvicorn.run(
            "podium.server.app:create_app",
            factory=True,
            host=host,
            port=port,
            reload=reload,
            log_level=settings.log_level,
            ws_ping_interval=20,
        )
    finally:
        _stop(workers)


def _ensure_schema(settings: Settings) -> None:
    from podium.server.db import migrate
    from podium.server.db.session import make_engine

    if settings.is_sqlite:
        migrate.upgrade(settings.database_url)
        return
    engine = make_engine(settings.database_url)
    try:
        current = migrate.current(engine)
    finally:
        engine.dispose()
    if current != migrate.head():
        typer.echo(
            f"database is at revision {current}, Podium needs {migrate.head()}: "
            "run `podium db upgrade` first",
            err=True,
        )
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
    load_settings()
    from podium.worker.loop import main

    raise typer.Exit(main(parent_pid=parent_pid))


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply database migrations."""
    settings = load_settings()
    from podium.server.db import migrate

    migrate.upgrade(settings.database_url, revision)
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

    db = Database(settings.database_url)
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
