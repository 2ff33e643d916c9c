"""Improve a model in Chromium against a real ``podium serve``: compare three models on iris,
tick two leaderboard rows, blend them, and follow the blend run to its leaderboard."""

from __future__ import annotations

import re

from flow_steps import finished, open_wizard
from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, sign_in


def test_select_rows_then_blend(page: Page) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    open_wizard(page, "Iris improve")
    page.get_by_label("Experiment name").fill("Iris blend")
    page.get_by_label("Data", exact=True).select_option("sklearn:iris")
    target = page.get_by_label("Target column", exact=True)
    if target.evaluate("e => e.tagName") == "SELECT":
        target.select_option("target")
    page.get_by_label("Multiclass").check()
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))

    # Auto, when the server offers it, comes first with its budget; a quick comparison here.
    plan = page.get_by_label("Plan")
    expect(plan.locator("option").first).to_be_attached()
    if plan.locator("option[value=auto]").count():
        expect(plan).to_have_value("auto")
        expect(page.get_by_label("Time budget (seconds)")).to_have_value("300")
    plan.select_option(label="Compare models")
    page.get_by_label("Models", exact=True).select_option(["lr", "dt", "nb"])
    page.get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    source_url = page.url
    finished(page)

    # Tick two rows → Blend → its options → the blend run opens.
    blend = page.get_by_role("button", name="Blend")
    expect(blend).to_be_disabled()
    page.get_by_role("checkbox", name="Select Logistic Regression").check()
    page.get_by_role("checkbox", name="Select Naive Bayes").check()
    expect(page.get_by_test_id("selected-count")).to_have_text("2 selected")
    blend.click()
    form = page.get_by_role("form", name="Blend options")
    form.get_by_label("Method").select_option("soft")
    form.get_by_role("button", name="Start blend").click()
    expect(page).not_to_have_url(source_url)
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    expect(page.get_by_text("plan blend")).to_be_visible()
    finished(page)
    board = page.get_by_test_id("leaderboard")
    expect(board.locator("tbody tr").first).to_be_visible()
    expect(board).to_contain_text("Logistic Regression")
