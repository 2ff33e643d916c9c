"""Scale-out fixtures: a fresh PostgreSQL database per session, real worker and server processes.

The database is created through the ``test`` database as ``podium_scale_<random>`` and dropped
at the end (skips with the reason when 127.0.0.1:5432 is not reachable). ``db_url`` here
overrides the root one, so ``settings``, ``client`` and ``world`` all point at it.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from podium.server.config import Settings
from podium.server.db import migrate
from podium.server.db.models import WorkerBeat
from podium.server.db.session import Database
from tests.conftest import _pg_user, _truncate, make_settings, worker_env
from tests.server.conftest import World, client, world

__all__ = ["client", "world"]

PODIUM = str(Path(sys.executable).parent / "podium")
REPO = Path(__file__).resolve().parents[2]
TERMINAL = {"succeeded", "failed", "cancelled"}
STOP_S = 30.0


def _admin(user: str) -> Any:
    import psycopg

    return psycopg.connect(
        host="127.0.0.1", port=5432, dbname="test", user=user, autocommit=True, connect_timeout=5
    )


@pytest.fixture(scope="session")
def scale_db_url() -> Iterator[str]:
    """A migrated database of its own for this test session, dropped afterwards."""
    user = _pg_user()
    if user is None:
        pytest.skip("PostgreSQL not reachable at 127.0.0.1:5432 (db test, user postgres/root)")
    name = f"podium_scale_{uuid.uuid4().hex[:12]}"
    with _admin(user) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{user}@127.0.0.1:5432/{name}"
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with _admin(user) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_url(scale_db_url: str) -> str:
    """The session's PostgreSQL database, emptied for this test."""
    _truncate(scale_db_url)
    return scale_db_url


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    """Test settings with a lease long enough for a loaded 2-core machine."""
    return make_settings(tmp_path, db_url, lease_s=60.0)


class Procs:
    """Child processes (``podium worker`` / ``podium serve``) with their logs, stopped on exit."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self, args: list[str], env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
        """Start ``podium <args>``; its output goes to ``<folder>/<name>.log``."""
        log = self.folder / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [PODIUM, *args], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        self.procs.append((proc, log))
        return proc

    def worker(self, settings: Settings, **env: str) -> subprocess.Popen[bytes]:
        """Start one ``podium worker`` on ``settings``' database and store."""
        return self.start(["worker"], env_of(settings, **env), f"worker{len(self.procs)}")

    def terminate(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGTERM ``proc``; fail unless it exits cleanly within :data:`STOP_S`.

        The deadline is generous (a stop takes well under a second): it says "it exits".
        """
        proc.terminate()
        try:
            code = proc.wait(STOP_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"process {proc.pid} still running {STOP_S} s after SIGTERM\n{self.logs()}")
        assert code == 0, f"process {proc.pid} exited with {code}\n{self.logs()}"

    def logs(self) -> str:
        """Every child's output so far (for failure messages)."""
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for _, log in self.procs)

    def stop(self) -> None:
        """SIGTERM every child, then SIGKILL what is still alive after :data:`STOP_S`."""
        for proc, _ in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.procs:
            try:
                proc.wait(STOP_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Procs]:
    """Start children through this; all are stopped at the end of the test."""
    children = Procs(tmp_path)
    try:
        yield children
    finally:
        children.stop()


def wait_http(url: str, proc: subprocess.Popen[bytes], procs: Procs, timeout: float = 180) -> None:
    """Wait until ``url`` answers (fails with the logs when the process dies or never answers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"process exited with {proc.returncode}\n{procs.logs()}"
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer in {timeout} s\n{procs.logs()}")


def wait_terminal(
    world: World, run_ids: list[str], procs: Procs, timeout: float = 600
) -> dict[str, dict[str, Any]]:
    """Poll the runs until every one is terminal; return them by id."""
    deadline = time.monotonic() + timeout
    runs: dict[str, dict[str, Any]] = {}
    while time.monotonic() < deadline:
        for run_id in run_ids:
            if run_id not in runs or runs[run_id]["status"] not in TERMINAL:
                r = world.client.get(f"/api/v1/runs/{run_id}", headers=world.owner.headers)
                runs[run_id] = r.json()
        if all(run["status"] in TERMINAL for run in runs.values()):
            return runs
        time.sleep(0.2)
    pending = {k: v["status"] for k, v in runs.items() if v["status"] not in TERMINAL}
    pytest.fail(f"runs not terminal after {timeout} s: {pending}\n{procs.logs()}")


def until(condition: Callable[[], bool], what: str, procs: Procs, timeout: float = 300) -> None:
    """Wait until ``condition()`` holds (fails with the logs after a generous ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout} s\n{procs.logs()}")
        time.sleep(0.1)


def serving_workers(world: World) -> int:
    """Worker processes registered and not stopped (their rows, which ``/healthz`` reads)."""
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:
        query = select(func.count()).select_from(WorkerBeat).where(WorkerBeat.stopped_at.is_(None))
        return session.scalar(query) or 0


def run_events(world: World, run_id: str) -> list[dict[str, Any]]:
    """Every stored event of a run, oldest first."""
    r = world.client.get(
        f"/api/v1/runs/{run_id}/events", params={"limit": 1000}, headers=world.owner.headers
    )
    assert r.status_code == 200, r.text
    data: list[dict[str, Any]] = r.json()["data"]
    return data


def env_of(settings: Settings, **extra: str) -> dict[str, str]:
    """A child's environment on ``settings`` (plus ``extra``), nothing inherited from PODIUM_*."""
    return {**worker_env(settings), "PYTHONUNBUFFERED": "1", **extra}
