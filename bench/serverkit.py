"""A real ``podium serve`` (and ``podium worker``s) in subprocesses, an API client, a WS recorder.

Coded against DESIGN.md's route table and podium/server/schemas. Every failure to reach a piece
that is not built yet becomes :class:`bench.common.Unavailable` with the server's log tail.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.common import PODIUM_PYTHON, Unavailable, tail
from tests.ports import free_port

PODIUM_CLI = PODIUM_PYTHON.parent / "podium"
EMAIL = "bench@example.com"
PASSWORD = "bench-password-123"  # a throwaway account in a temporary data folder


@contextlib.contextmanager
def served(
    proc: subprocess.Popen[Any], up: Callable[[], bool], timeout_s: float, failed: str
) -> Iterator[int]:
    """A server in a subprocess, for its lifetime: wait until ``up()`` (Unavailable(``failed``)
    when it has not answered within ``timeout_s`` or exits), yield its process id, then stop
    it (SIGTERM, 10 s of grace, SIGKILL) however the block ends."""
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and proc.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                if up():
                    break
            time.sleep(0.3)
        else:
            raise Unavailable(failed)
        yield proc.pid
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()


def check_server() -> None:
    """Raise :class:`Unavailable` unless ``podium serve`` and the app factory exist."""
    if not PODIUM_CLI.exists():
        raise Unavailable(f"{PODIUM_CLI} is missing (run `make install`)")
    try:
        import podium.server.app  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"podium.server.app is not built yet ({exc})") from exc
    out = subprocess.run([str(PODIUM_CLI), "--help"], capture_output=True, text=True, check=False)
    if "serve" not in out.stdout:
        raise Unavailable("`podium serve` is not registered in the CLI yet")


class PodiumProcess:
    """``podium serve`` (or ``podium worker``) in its own session, with a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> PodiumProcess:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [str(PODIUM_CLI), *self.args],
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def ps(self) -> psutil.Process:
        assert self.proc is not None
        return psutil.Process(self.proc.pid)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace_s: float = 10.0) -> None:
        """SIGTERM this process's own session (the process we started), then SIGKILL it."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


class Server:
    """A temporary Podium: data folder, port, ``podium serve``, an authenticated client."""

    def __init__(self, *, embedded_workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.tmp = tempfile.TemporaryDirectory(prefix="podium-bench-")
        self.data_dir = Path(self.tmp.name)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            "PODIUM_DATA_DIR": str(self.data_dir),
            "PODIUM_HOST": "127.0.0.1",
            "PODIUM_PORT": str(self.port),
            "PODIUM_EMBEDDED_WORKERS": str(embedded_workers),
            "PODIUM_LOG_LEVEL": "warning",
            **(env or {}),
        }
        self.proc = PodiumProcess(["serve"], self.env, self.data_dir / "serve.log")
        self.workers: list[PodiumProcess] = []
        self.api = Api(self.base)

    def __enter__(self) -> Server:
        self.proc.start()
        self._wait_healthy()
        self.api.bootstrap()
        return self

    def __exit__(self, *exc: object) -> None:
        for worker in self.workers:
            worker.stop()
        self.proc.stop()
        self.api.close()
        self.tmp.cleanup()

    def _wait_healthy(self, timeout_s: float = 90.0) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.proc.alive():
                raise Unavailable(f"podium serve exited:\n{tail(self.log_text(), 15)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            time.sleep(0.2)
        raise Unavailable(f"podium serve not healthy after {timeout_s:.0f} s")

    def log_text(self) -> str:
        return self.proc.log.read_text(errors="replace") if self.proc.log.exists() else ""

    def start_worker(self) -> PodiumProcess:
        """One more ``podium worker`` against this server's database and artifact store."""
        n = len(self.workers)
        worker = PodiumProcess(["worker"], self.env, self.data_dir / f"worker{n}.log").start()
        self.workers.append(worker)
        return worker


class Api:
    """A small client for the routes the benchmarks use."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = httpx.Client(base_url=f"{base}/api/v1", timeout=120)
        self.token = ""

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, **kw: Any) -> Any:
        resp = self.http.request(method, path, **kw)
        if resp.status_code == 404 and "not found" in resp.text.lower() and "{" not in resp.text:
            raise Unavailable(f"{method} /api/v1{path} is not routed yet")
        if resp.status_code >= 400:
            raise Unavailable(f"{method} /api/v1{path} → {resp.status_code}: {resp.text[:300]}")
        return resp.json() if resp.content else None

    def bootstrap(self) -> None:
        body = {"email": EMAIL, "password": PASSWORD, "workspace_name": "bench"}
        tokens = self.call("POST", "/setup/bootstrap", json=body)
        self.token = tokens["access_token"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def workspace_id(self) -> str:
        return str(self.call("GET", "/workspaces")["data"][0]["id"])

    def experiment(self, name: str, task: str, target: str, **data: Any) -> str:
        ws = self.workspace_id()
        project = self.call("POST", f"/workspaces/{ws}/projects", json={"name": f"{name}-p"})
        body = {"name": name, "task": task, "target": target, **data}
        return str(self.call("POST", f"/projects/{project['id']}/experiments", json=body)["id"])

    def upload(self, path: Path, name: str) -> str:
        ws = self.workspace_id()
        with path.open("rb") as handle:
            files = {"file": (path.name, handle, "text/csv")}
            src = self.call(
                "POST", f"/workspaces/{ws}/data-sources/upload", files=files, data={"name": name}
            )
        return str(src["id"])

    def submit(self, experiment_id: str, plan: str = "compare", **body: Any) -> dict[str, Any]:
        payload = {"plan": plan, **body}
        return dict(self.call("POST", f"/experiments/{experiment_id}/runs", json=payload))

    def wait(self, run_id: str, timeout_s: float = 600.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while True:
            run = self.call("GET", f"/runs/{run_id}/wait", params={"timeout": 30})
            if run["status"] in {"succeeded", "failed", "cancelled"}:
                return dict(run)
            if time.monotonic() > deadline:
                raise Unavailable(f"run {run_id} still {run['status']} after {timeout_s:.0f} s")

    def ws_url(self, run_id: str, after_id: int = 0) -> str:
        host = self.base.removeprefix("http://")
        return f"ws://{host}/api/v1/runs/{run_id}/events/ws?token={self.token}&after_id={after_id}"


def parse_ts(value: str) -> float:
    """An event's ``ts`` as a POSIX timestamp (naive values are UTC)."""
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.timestamp()


class EventRecorder(threading.Thread):
    """Reads one run's WebSocket until ``run.closed``: ``(receive time, event)`` pairs."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.events: list[tuple[float, dict[str, Any]]] = []
        self.connected_at = 0.0
        self.error: str | None = None
        self.closed = threading.Event()

    def run(self) -> None:
        from websockets.sync.client import connect

        try:
            with connect(self.url, open_timeout=30, max_size=None) as ws:
                self.connected_at = time.time()
                for message in ws:
                    event = json.loads(message)
                    self.events.append((time.time(), event))
                    if event.get("kind") == "run.closed":
                        break
        except Exception as exc:  # reported by the suite, not raised in a thread
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.closed.set()

    def first(self, kind: str) -> tuple[float, dict[str, Any]] | None:
        """The first received event of ``kind``."""
        return next(((t, e) for t, e in self.events if e.get("kind") == kind), None)

    def wait_for(self, kind: str, timeout_s: float) -> tuple[float, dict[str, Any]] | None:
        """Block until an event of ``kind`` arrived (or the stream ended / timed out)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            hit = self.first(kind)
            if hit or self.closed.is_set():
                return hit or self.first(kind)
            time.sleep(0.005)
        return None


def tree_cpu(proc: psutil.Process, interval_s: float = 0.2) -> float:
    """Summed CPU % of ``proc``'s descendants over ``interval_s`` (100 = one core)."""
    kids = []
    with contextlib.suppress(psutil.Error):
        kids = proc.children(recursive=True)
    for kid in kids:
        with contextlib.suppress(psutil.Error):
            kid.cpu_percent(None)
    time.sleep(interval_s)
    total = 0.0
    for kid in kids:
        with contextlib.suppress(psutil.Error):
            total += kid.cpu_percent(None)
    return total
