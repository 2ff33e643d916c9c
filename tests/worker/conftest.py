"""Worker fixtures: real ``podium worker`` processes on the test's database and store."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from fastapi.testclient import TestClient

from podium.server.app import create_app
from podium.server.config import Settings
from tests.conftest import make_settings, worker_env
from tests.server.conftest import world  # noqa: F401 - the shared world fixture

Spawn = Callable[..., subprocess.Popen[bytes]]
LEASE_S = 10.0  # a live worker on a loaded machine must never look lost; a dead one soon does


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """Worker tests run on an SQLite file (the claim race runs on every dialect)."""
    return make_settings(tmp_path, sqlite_url, lease_s=LEASE_S)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API, whose lifespan also reaps expired leases."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def spawn_worker(settings: Settings, tmp_path: Path) -> Iterator[Spawn]:
    """Start ``python -m podium.worker`` processes (``spawn(**env)`` adds environment
    variables); stop (or kill) them after the test."""
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[BinaryIO] = []

    def spawn(**env: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker{len(procs)}.log").open("wb")
        logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "podium.worker"],
            env={**worker_env(settings), **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for proc in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for log in logs:
        log.close()
