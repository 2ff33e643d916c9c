"""Start-up failures: an unreachable database and bad settings end in one line, secrets masked."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ports import free_port

PODIUM = [sys.executable, "-c", "from podium.cli import app; app()"]
PASSWORD = "s3cret-db-pass"


@pytest.fixture
def silent_database() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (a hung database)."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # the timeout only guards the suite: without a connect timeout these commands hang forever
    return subprocess.run(
        [*PODIUM, *args],
        env={"PATH": "/usr/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("command", [["serve"], ["worker"], ["db", "upgrade"]])
def test_silent_database_fails_with_one_line(
    tmp_path: Path, silent_database: int, command: list[str]
) -> None:
    env = {
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_DATABASE_URL": f"postgresql+psycopg://podium:{PASSWORD}@127.0.0.1:{silent_database}/x",
        "PODIUM_DATABASE_CONNECT_TIMEOUT_S": "2",
        "PODIUM_PORT": str(free_port()),
        "PODIUM_EMBEDDED_WORKERS": "0",
    }
    out = _run(command, env)
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith(
        "podium: cannot reach the database at postgresql+psycopg://podium:***@"
    )
    assert "timeout" in lines[0]
    assert PASSWORD not in out.stderr + out.stdout


def test_refused_connection_names_the_cause(tmp_path: Path) -> None:
    env = {
        "PODIUM_DATA_DIR": str(tmp_path),
        "PODIUM_DATABASE_URL": f"postgresql+psycopg://podium:{PASSWORD}@127.0.0.1:{free_port()}/x",
    }
    out = _run(["worker"], env)
    assert out.returncode == 1
    assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "refused" in out.stderr.lower()
    assert PASSWORD not in out.stderr


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PODIUM_SECRET_KEY", "short-but-secret", "PODIUM_SECRET_KEY: PODIUM_SECRET_KEY must be"),
        ("PODIUM_DATABASE_URL", f"mysql://root:{PASSWORD}@db/x", "PODIUM_DATABASE_URL: PODIUM_DAT"),
        ("PODIUM_PORT", "99999", "PODIUM_PORT: Input should be less than or equal to 65535"),
    ],
)
def test_bad_settings_never_echo_values(
    tmp_path: Path, variable: str, value: str, named: str
) -> None:
    out = _run(["serve"], {"PODIUM_DATA_DIR": str(tmp_path), variable: value})
    assert out.returncode == 2
    assert out.stderr.startswith("podium: invalid configuration:")
    assert named in out.stderr
    assert value not in out.stderr
    assert "input_value" not in out.stderr
