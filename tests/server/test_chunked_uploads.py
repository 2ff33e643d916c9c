"""Issue 11: an upload without a Content-Length, through a real ``podium serve`` socket.

An anonymous 100 MB chunked POST to a workspace's upload route once wrote >= 64 MB to disk
(FastAPI parsed the form before any dependency checked the caller), the CSV predict route
>= 72 MB. Here the server answers refused callers from the headers and the first chunk alone,
and an accepted caller's body is cut at the cap: what the server process writes (``wchar`` of
/proc/<pid>/io: files, sockets, logs) stays under the cap.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from podium.server.config import Settings
from tests.conftest import make_settings, worker_env
from tests.ports import free_port
from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World
from tests.server.streaming import (
    BOUNDARY,
    CHUNK,
    chunked_post,
    endless,
    multipart_head,
    written_bytes,
)

CAP = 1024 * 1024
SENT_AT_MOST = 100 * 1024 * 1024
SLACK = 256 * 1024  # response, access log line, database reads: far below the cap
HEADER = b"sepal length (cm),sepal width (cm),petal length (cm),petal width (cm)\n"
ROW = b"5.1,3.5,1.4,0.2\n"

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/io").exists(), reason="needs /proc/<pid>/io (Linux)"
)


@pytest.fixture
def settings(tmp_path: Path, sqlite_url: str) -> Settings:
    """SQLite, shared with the served process; a 1 MiB upload cap."""
    return make_settings(tmp_path, sqlite_url, max_upload_bytes=CAP)


@dataclass
class Served:
    """A running ``podium serve`` on the test's database and store."""

    proc: subprocess.Popen[bytes]
    port: int
    slug: str

    def written(self) -> int:
        """Bytes the server process has written so far."""
        return written_bytes(self.proc.pid)


@pytest.fixture
def served(world: World, settings: Settings, tmp_path: Path) -> Iterator[Served]:
    """A workspace-auth deployment of a built pipeline, then ``podium serve`` over it."""
    pipeline = ready_pipeline(world)
    slug = deploy(world, pipeline["id"], slug="iris-members", auth_mode="workspace")["slug"]
    port = free_port()
    env = worker_env(settings) | {
        "PODIUM_HOST": "127.0.0.1",
        "PODIUM_PORT": str(port),
        "PODIUM_EMBEDDED_WORKERS": "0",
        "PODIUM_MAX_UPLOAD_BYTES": str(CAP),
        "PODIUM_WEB_DIST": str(tmp_path / "no-web"),
        "PODIUM_LOG_LEVEL": "warning",
    }
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "podium"), "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_healthy(proc, port, tmp_path / "serve.log")
        yield Served(proc, port, slug)
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def _wait_healthy(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"podium serve exited:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"podium serve never became healthy:\n{log.read_text()}")


def _multipart() -> dict[str, str]:
    return {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}


def test_refused_callers_are_answered_before_the_body(served: Served, world: World) -> None:
    """Only the headers and one 64 KiB chunk are sent: the answer must not need more."""
    upload = f"/api/v1/workspaces/{world.ws}/data-sources/upload"
    predict = f"/api/v1/deployments/{served.slug}/predict/csv"
    cases = [
        (upload, {}, _multipart(), multipart_head(), 401),
        (upload, world.viewer.headers, _multipart(), multipart_head(), 403),
        (upload, world.outsider.headers, _multipart(), multipart_head(), 404),
        (predict, {}, {"Content-Type": "text/csv"}, HEADER, 401),
        (predict, {}, _multipart(), multipart_head(), 401),
        (predict, world.outsider.headers, {"Content-Type": "text/csv"}, HEADER, 403),
    ]
    for path, who, ctype, head, status in cases:
        before = served.written()
        answer = chunked_post(
            served.port, path, who | ctype, endless(head, ROW), limit=1, timeout=30
        )
        assert answer.status == status, (path, answer.body)
        assert answer.sent <= CHUNK
        assert served.written() - before < 64 * 1024, path
    assert not (world.settings.artifact_root / "workspaces" / world.ws / "data").exists()


def test_a_member_body_is_cut_at_the_cap(served: Served, world: World) -> None:
    """100 MiB offered, without a Content-Length, to each route; the server stops at 1 MiB."""
    upload = f"/api/v1/workspaces/{world.ws}/data-sources/upload"
    predict = f"/api/v1/deployments/{served.slug}/predict/csv"
    cases = [
        (upload, _multipart(), multipart_head()),
        (predict, {"Content-Type": "text/csv"}, HEADER),
        (predict, _multipart(), multipart_head()),
    ]
    for path, ctype, head in cases:
        before = served.written()
        answer = chunked_post(
            served.port,
            path,
            world.owner.headers | ctype,
            endless(head, ROW),
            limit=SENT_AT_MOST,
            finish=True,
        )
        written = served.written() - before
        assert answer.status == 413, (path, answer.body)
        assert "limit of 1,048,576 bytes (PODIUM_MAX_UPLOAD_BYTES)" in answer.json()["detail"]
        assert written <= CAP + SLACK, f"{path}: the server wrote {written:,} bytes"
    assert list((world.settings.artifact_root / "workspaces").rglob("data/*")) == []
