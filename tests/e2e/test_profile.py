"""The dataset profile in Chromium: upload a table, open the data source, see the histograms
(drawn by a real worker's profile), then the target's distribution once a target is picked."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, churn_csv, sign_in


def drawn(page: Page, plot_id: str) -> None:
    """The chart of ``plot_id`` has been drawn (an SVG with marks), within the worker's time."""
    chart = page.locator(f'[data-testid="chart"][data-plot-id="{plot_id}"]')
    expect(chart).to_have_attribute("data-state", "ready", timeout=120_000)
    expect(chart.locator("svg").first).to_be_visible()


def test_open_a_data_source_and_see_the_histograms(page: Page, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    page.get_by_role("tab", name="Data sources").click()
    page.get_by_label("File (CSV or Parquet)").set_input_files(churn_csv(tmp_path / "churn.csv"))
    page.get_by_label("Name", exact=True).fill("churn-profile")
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("link", name="churn-profile").first.click()

    for column in ("tenure", "monthly", "plan", "region"):
        drawn(page, f"histogram:{column}")
    drawn(page, "correlation_pearson")
    columns = page.get_by_role("table", name="Columns")
    expect(columns.get_by_role("row").filter(has_text="monthly")).to_contain_text("30 (7.5%)")

    page.get_by_label("Profile against a target").select_option("churn")
    drawn(page, "target_distribution")
    drawn(page, "vs_target:plan")
