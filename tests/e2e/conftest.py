"""Browser end-to-end fixtures: a real ``podium serve`` (with its embedded worker) and Chromium.

The server runs as a separate process on a free loopback port with its own data folder, exactly as
``make run`` starts it; Playwright drives Debian's Chromium (never a downloaded browser).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect as _expect

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run `make e2e` (it installs it with apt).")
    return path


class PodiumServer:
    """A running ``podium serve`` process."""

    def __init__(self, data_dir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = data_dir / "server.log"
        env = {
            **os.environ,
            "PODIUM_DATA_DIR": str(data_dir),
            "PODIUM_PORT": str(self.port),
            "PODIUM_HOST": "127.0.0.1",
            "PODIUM_EMBEDDED_WORKERS": "1",
        }
        env.pop("PODIUM_DATABASE_URL", None)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "podium"), "serve"],
            cwd=REPO,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"podium serve exited early:\n{self.log_path.read_text()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1.0).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"podium serve did not become healthy:\n{self.log_path.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self._log.close()


@pytest.fixture(scope="session")
def podium_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PodiumServer]:
    if not (REPO / "apps" / "web" / "dist" / "index.html").exists():
        pytest.fail("The web app is not built: run `make e2e` (it builds apps/web first).")
    server = PodiumServer(tmp_path_factory.mktemp("podium-e2e"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, podium_server: PodiumServer) -> Iterator[object]:
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    context = browser.new_context(
        base_url=podium_server.url, viewport={"width": 1280, "height": 860}
    )
    context.set_default_timeout(45_000)
    _expect.set_options(timeout=45_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Expose each phase's report on the item (``rep_call``) for the failure screenshot."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)
