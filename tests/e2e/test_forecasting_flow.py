"""Forecasting in Chromium against a real ``podium serve``: upload a monthly series, create a
forecasting experiment through the wizard's own fields (time column, horizon), compare a few
models backtested on the last windows, open a model's forecast chart, promote the winner,
deploy it and forecast from the deployment page."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from flow_steps import compare, finished, open_wizard, promote_and_deploy, upload_table
from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, sign_in

MONTHS = 96
HORIZON = 6


def sales_csv(path: Path) -> Path:
    """A seeded monthly series with a trend, a yearly season and noise."""
    rng = np.random.default_rng(11)
    t = np.arange(MONTHS)
    sales = 200 + 1.5 * t + 25 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 4, MONTHS)
    dates = pd.date_range("2016-01-01", periods=MONTHS, freq="MS").strftime("%Y-%m-%d")
    pd.DataFrame({"month": dates, "sales": sales.round(2)}).to_csv(path, index=False)
    return path


def test_forecast_compare_promote_deploy(page: Page, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    upload_table(page, sales_csv(tmp_path / "sales.csv"), "sales", MONTHS)
    open_wizard(page, "Sales forecast")
    page.get_by_label("Experiment name").fill("Monthly sales")
    page.get_by_label("Data", exact=True).select_option(label=f"sales (csv, {MONTHS} rows)")
    page.get_by_label("Time-series forecasting").check()
    page.get_by_label("Target column", exact=True).select_option("sales")
    # the table's only date column is already chosen (a required column setting's one match)
    expect(page.get_by_label(re.compile(r"^Time column"))).to_have_value("month")
    page.get_by_label("Horizon", exact=True).fill(str(HORIZON))
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))

    run_url = compare(page, ["naive", "snaive", "ets"])
    board = page.get_by_test_id("leaderboard")
    expect(board.locator("tbody tr")).to_have_count(3)
    expect(board).to_contain_text("MASE")
    expect(page.get_by_test_id("event-stream").get_by_text("model.fitted").first).to_be_visible()

    # A model's page draws its history, backtests and future forecast.
    board.get_by_text("Seasonal naive").click()
    expect(page).to_have_url(re.compile(r"/models/snaive$"))
    expect(page.locator("figure svg, [data-testid=chart] svg").first).to_be_visible(timeout=30_000)

    page.goto(run_url)
    finished(page)
    promote_and_deploy(page, "sales-model", "sales-e2e")
    page.get_by_label("Steps ahead (h)").fill("4")
    page.get_by_role("button", name="Forecast").click()
    expect(page.get_by_text(re.compile(r"^4 steps in"))).to_be_visible()
    table = page.locator("table").filter(has_text="interval")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_contain_text("2024-01-01")
