"""The steps the end-to-end flows share (one owner each): upload a table, open a new project's
experiment wizard, run a comparison to its end, promote and deploy its model."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect


def finished(page: Page) -> None:
    """The run on this page ended, and succeeded."""
    expect(page.get_by_test_id("status-badge")).to_have_text(
        re.compile(r"succeeded|failed|cancelled"), timeout=180_000
    )
    expect(page.get_by_test_id("status-badge")).to_have_text("succeeded")


def upload_table(page: Page, path: Path, name: str, rows: int) -> None:
    """From the workspace page: upload ``path`` as data source ``name`` (``rows`` rows)."""
    page.get_by_role("tab", name="Data sources").click()
    page.get_by_label("File (CSV or Parquet)").set_input_files(path)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text(str(rows))


def open_wizard(page: Page, project: str) -> None:
    """From the workspace page: create ``project`` and open its new-experiment wizard."""
    page.get_by_role("tab", name="Projects").click()
    page.get_by_label("Project name").fill(project)
    page.get_by_role("button", name="Create project").click()
    page.get_by_role("link", name=project).first.click()
    page.get_by_role("link", name="New experiment").first.click()


def compare(page: Page, models: list[str]) -> str:
    """From an experiment's page: compare ``models`` and wait for the run to succeed; the run
    page's URL."""
    page.get_by_label("Plan").select_option(label="Compare models")
    page.get_by_label("Models", exact=True).select_option(models)
    page.get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    finished(page)
    return page.url


def promote_and_deploy(page: Page, pipeline: str, slug: str) -> None:
    """From a finished run's page: promote the run's model as ``pipeline``, wait for the worker
    to build it (its sha256 shown), deploy it behind ``slug``; ends on the deployment page."""
    page.get_by_label("Pipeline name").fill(pipeline)
    page.get_by_role("button", name="Promote to pipeline").click()
    page.get_by_role("link", name="Open pipeline").click()
    expect(page.get_by_test_id("status-badge")).to_have_text("ready", timeout=180_000)
    expect(page.get_by_test_id("pipeline-sha256")).to_have_text(re.compile(r"[0-9a-f]{64}"))
    page.get_by_label("Endpoint slug").fill(slug)
    page.get_by_role("button", name="Deploy").click()
    expect(page.get_by_role("heading", name=slug)).to_be_visible()
