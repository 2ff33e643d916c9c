"""The model page and runs side by side, in Chromium against a real ``podium serve``.

Two small iris runs are made through the API; then the browser opens a run, clicks a leaderboard
row, and every evaluation plot of the model must draw (an SVG with marks); "Compute explanations"
queues the analysis job for the server's worker, and the permutation importance, SHAP summary and
beeswarm must draw, the summary per class too. Ticking both runs on the experiment page opens them
side by side with a metric chart.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from harness import PodiumServer
from playwright.sync_api import Locator, Page, expect
from test_product_loop import EMAIL, PASSWORD, sign_in

MARKS = "g[aria-label] path, g[aria-label] rect, g[aria-label] circle"


class Api:
    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=f"{base}/api/v1", timeout=60)
        token = self.call("POST", "/auth/login", json={"email": EMAIL, "password": PASSWORD})
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    def finished(self, run_id: str, timeout: float = 240) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            run: dict[str, Any] = self.call("GET", f"/runs/{run_id}")
            if run["status"] in {"succeeded", "failed", "cancelled"}:
                assert run["status"] == "succeeded", run
                return run
            time.sleep(0.5)
        raise AssertionError(f"run {run_id} did not finish in {timeout} s")


def two_runs(api: Api) -> tuple[str, list[str]]:
    """An iris experiment with two finished compare runs (different model sets)."""
    ws = api.call("GET", "/workspaces")["data"][0]["id"]
    project = api.call("POST", f"/workspaces/{ws}/projects", json={"name": "Iris models"})
    body = {"name": "Iris", "task": "multiclass", "target": "target"}
    experiment = api.call(
        "POST",
        f"/projects/{project['id']}/experiments",
        json={**body, "sklearn_dataset": "sklearn:iris", "setup_params": {"folds": 3}},
    )
    runs = []
    for models in (["lr", "dt"], ["lr", "rf"]):
        plan = {"plan": "compare", "plan_params": {"models": models}}
        runs.append(api.call("POST", f"/experiments/{experiment['id']}/runs", json=plan)["id"])
    for run_id in runs:
        api.finished(run_id)
    return experiment["id"], runs


def drawn(chart: Locator, timeout: float = 60_000) -> None:
    """A chart finished drawing and its SVG holds marks."""
    expect(chart).to_have_attribute("data-state", "ready", timeout=timeout)
    svg = chart.locator("svg.podium-plot")
    expect(svg).to_have_count(1)
    assert svg.locator(MARKS).count() > 0, f"{chart.get_attribute('data-plot-id')} drew no marks"


@pytest.fixture
def api(page: Page, podium_server: PodiumServer) -> Iterator[Api]:
    sign_in(page)  # creates the first account on a fresh server
    client = Api(podium_server.url)
    yield client
    client.http.close()


def failures(page: Page) -> list[str]:
    """Every request the page saw fail (status >= 400) and every error it logged, from now on."""
    seen: list[str] = []
    page.on("response", lambda r: seen.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    page.on("console", lambda m: seen.append(m.text) if m.type == "error" else 0)
    return seen


# the options a select cuts: wider, each alone in a select of the same style left at its own
# width (a menulist's intrinsic width holds its text, padding and arrow), than the select itself
CLIPPED = """(select) => {
  const probe = select.cloneNode(false)
  Object.assign(probe.style, { width: 'auto', position: 'absolute', visibility: 'hidden' })
  select.parentElement.append(probe)
  const room = select.getBoundingClientRect().width
  const cut = [...select.options].map((o) => o.text).filter((text) => {
    probe.replaceChildren(new Option(text))
    return probe.getBoundingClientRect().width > room
  })
  probe.remove()
  return cut
}"""


def test_open_a_model_and_compare_runs(page: Page, podium_server: PodiumServer, api: Api) -> None:
    experiment, runs = two_runs(api)
    failed = failures(page)

    # A run's leaderboard row opens its model.
    page.goto(f"/runs/{runs[0]}")
    page.get_by_test_id("leaderboard").get_by_test_id("leaderboard-row-link").first.click()
    expect(page).to_have_url(re.compile(rf"/runs/{runs[0]}/models/[\w.-]+$"))
    params = page.get_by_role("heading", name=re.compile(r"^Hyperparameters \(\d+\)$"))
    expect(params).to_be_visible()
    expect(page.get_by_role("table", name="Scores", exact=True)).to_contain_text("Accuracy")
    folds = page.get_by_role("table", name="Per-fold scores")
    expect(folds.locator("tbody tr").nth(2)).to_be_visible()  # 3 folds (then Mean and Std)

    # Every evaluation plot the server lists for the model draws.
    model_id = page.url.rsplit("/", 1)[1]
    listed = api.call("GET", f"/runs/{runs[0]}/models/{model_id}")["plots"]
    wanted = [p["id"] for p in listed if p["source"] == "predictions" and p["available"]]
    assert wanted, listed
    plots = page.locator("#model-plots-title").locator("xpath=../..")
    for plot_id in wanted:
        drawn(plots.locator(f'[data-testid="chart"][data-plot-id="{plot_id}"]'))

    # Explanations: computed by the server's worker on request, then drawn; none asked for yet
    # is no failed request and nothing in the console.
    compute = page.get_by_role("button", name="Compute explanations")
    expect(compute).to_be_visible()
    assert failed == [], failed
    compute.click()
    section = page.locator("#model-explanations-title").locator("xpath=../..")
    for plot_id in ("permutation_importance", "shap_summary", "shap_beeswarm"):
        chart = section.locator(f'[data-testid="chart"][data-plot-id="{plot_id}"]')
        drawn(chart, timeout=180_000)  # a worker refits the model once
    # iris has three classes: the SHAP summary shows all together, or the one picked
    summary = section.locator('[data-testid="chart"][data-plot-id="shap_summary"]')
    picker = summary.get_by_role("combobox", name="Class")
    expect(picker).to_have_value("All classes")
    picker.select_option("virginica")
    drawn(summary)

    # The new-run panel's plans read whole in its narrow column, each described below.
    page.goto(f"/experiments/{experiment}")
    plan = page.get_by_label("Plan")
    expect(plan).to_have_value("auto")
    assert plan.evaluate(CLIPPED) == []
    panel = page.get_by_role("region", name="New run")
    expect(panel).to_contain_text("Best model within a time budget")

    # Runs side by side.
    for run_id in runs:
        page.get_by_role("checkbox", name=f"Select run {run_id[:8]} to compare").check()
    page.get_by_role("button", name="Compare 2 runs").click()
    expect(page).to_have_url(re.compile(r"/compare\?runs="))
    drawn(page.get_by_test_id("chart"))
    expect(page.get_by_role("table", name=re.compile(r"^Leaderboard of Run"))).to_have_count(2)
