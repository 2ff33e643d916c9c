"""Browser end-to-end fixtures: a real ``podium serve`` (with its embedded worker) and Chromium.

The server runs as a separate process on a free loopback port with its own data folder, exactly as
``make run`` starts it; Playwright drives Debian's Chromium (never a downloaded browser).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import CHROMIUM_ARGS, REPO, PodiumServer
from playwright.sync_api import expect as _expect

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is not installed: run `make e2e` (it installs it with apt).")
    return path


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
    refused: list[str] = []  # Chromium logs every Content-Security-Policy violation
    pg.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else 0)
    yield pg
    context.close()
    assert not refused, f"the page broke its Content-Security-Policy: {refused}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Expose each phase's report on the item (``rep_call``) for the failure screenshot."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)
