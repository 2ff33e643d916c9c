"""Clustering in Chromium against a real ``podium serve``: a target-less experiment on the iris
sample (the wizard asks for no target; the species are its label column), compare two
clusterers, open a model's plots, promote, deploy and predict a row's cluster from the
deployment page."""

from __future__ import annotations

import json
import re

from flow_steps import compare, finished, open_wizard, promote_and_deploy
from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, sign_in


def test_cluster_compare_promote_deploy(page: Page) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    open_wizard(page, "Iris groups")
    page.get_by_label("Experiment name").fill("Flower clusters")
    page.get_by_label("Data", exact=True).select_option("sklearn:iris")
    page.get_by_label("Clustering").check()
    expect(page.get_by_label("Target column", exact=True)).to_have_count(0)  # none asked for
    page.get_by_label("N clusters", exact=True).fill("3")
    # the known species are no feature: they score the clusters (ARI) instead
    label = page.get_by_label("Label column", exact=True)
    if label.evaluate("e => e.tagName") == "SELECT":
        label.select_option("target")
    else:  # a sample's columns are not listed before setup: the name is typed
        label.fill("target")
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))

    run_url = compare(page, ["kmeans", "hclust"])
    board = page.get_by_test_id("leaderboard")
    expect(board.locator("tbody tr")).to_have_count(2)
    expect(board).to_contain_text("Silhouette")
    expect(board).to_contain_text("ARI")

    board.get_by_text("K-Means").click()
    expect(page).to_have_url(re.compile(r"/models/kmeans$"))
    expect(page.locator("figure svg, [data-testid=chart] svg").first).to_be_visible(timeout=30_000)

    page.goto(run_url)
    finished(page)
    promote_and_deploy(page, "iris-groups", "iris-groups")
    example = json.loads(page.get_by_label("Rows (JSON)").input_value())
    assert "target" not in example[0]
    page.get_by_role("button", name="Predict").click()
    expect(page.get_by_test_id("predict-latency")).to_contain_text(re.compile(r"1 prediction in"))
    answer = page.get_by_role("table").filter(has_text="cluster")
    expect(answer.locator("tbody tr")).to_have_count(1)
    cells = answer.locator("tbody tr").first.locator("td")
    expect(cells).to_have_count(2)  # the row's number, then its cluster
    expect(cells.nth(1)).to_have_text(re.compile(r"^[0-2]$"))
