"""The promote → deploy steps every end-to-end flow clicks through (one owner for them)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


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
