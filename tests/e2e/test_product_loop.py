"""The whole product loop, clicked through in Chromium against a real ``podium serve``.

bootstrap → upload a CSV → experiment → compare (rows arrive live) → promote → deploy → predict
(JSON rows, then a CSV file scored and downloaded), and a second run cancelled mid-flight that
keeps its finished rows.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from flow_steps import promote_and_deploy, upload_table
from playwright.sync_api import Page, expect

EMAIL = "ada@example.com"
PASSWORD = "correct-horse-battery"
WORKSPACE = "E2E workspace"


def churn_csv(path: Path) -> Path:
    """A seeded churn-like table with categorical columns and missing values."""
    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame(
        {
            "tenure": rng.integers(1, 72, n),
            "monthly": rng.normal(70, 20, n).round(2),
            "plan": rng.choice(["basic", "plus", "pro"], n),
            "region": rng.choice(["north", "south", "east", "west"], n),
            "paperless": rng.choice(["Y", "N"], n),  # two spellings of true/false
        }
    )
    frame.loc[rng.choice(n, 30, replace=False), "monthly"] = np.nan
    logit = -0.05 * frame.tenure + 0.03 * frame.monthly.fillna(70) + (frame.plan == "basic") * 0.9
    logit += (frame.paperless == "Y") * 0.5
    frame["churn"] = np.where(rng.random(n) < 1 / (1 + np.exp(-(logit - 1.2))), "yes", "no")
    frame.to_csv(path, index=False)
    return path


def sign_in(page: Page) -> None:
    """Create the first account through /setup when none exists, else sign in through /login."""
    page.goto("/")
    setup = page.get_by_role("heading", name="Create the first account")
    login = page.get_by_role("button", name="Sign in")
    expect(setup.or_(login)).to_be_visible()
    if setup.is_visible():
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_label("Workspace name").fill(WORKSPACE)
        page.get_by_role("button", name="Create account").click()
    else:
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        login.click()
    expect(page.get_by_role("link", name=WORKSPACE)).to_be_visible()


def leaderboard_rows(page: Page) -> int:
    return page.get_by_test_id("leaderboard").locator("tbody tr").count()


def new_experiment(page: Page, project: str, name: str, data: str, target: str, task: str) -> None:
    """From the workspace page: open ``project`` and create an experiment through the wizard."""
    page.get_by_role("link", name=project).first.click()
    page.get_by_role("link", name="New experiment").first.click()
    page.get_by_label("Experiment name").fill(name)
    page.get_by_label("Data", exact=True).select_option(label=data)
    page.get_by_label("Target column", exact=True).select_option(target)
    page.get_by_label(task).check()
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))


def test_whole_loop(page: Page, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()

    # Data: upload a CSV with categorical columns and missing values.
    upload_table(page, churn_csv(tmp_path / "churn.csv"), "churn", 400)

    # Project and experiment.
    page.get_by_role("tab", name="Projects").click()
    page.get_by_label("Project name").fill("Churn")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("link", name="Churn").first).to_be_visible()
    new_experiment(page, "Churn", "Churn baseline", "churn (csv, 400 rows)", "churn", "Binary")

    # Compare: the leaderboard fills in while the run is still running.
    page.get_by_label("Plan").select_option(label="Compare models")
    page.get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    status = page.get_by_test_id("status-badge")
    seen_counts: set[int] = set()
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        seen_counts.add(leaderboard_rows(page))
        if status.inner_text().strip() in {"succeeded", "failed", "cancelled"}:
            break
        page.wait_for_timeout(150)
    expect(status).to_have_text("succeeded")
    final = leaderboard_rows(page)
    assert final >= 10, f"expected a full leaderboard, got {final} rows"
    partial = {c for c in seen_counts if 0 < c < final}
    assert partial, f"rows never arrived one by one (row counts seen: {sorted(seen_counts)})"
    events = page.get_by_test_id("event-stream")
    expect(events.get_by_text("leaderboard.updated").first).to_be_visible()
    expect(events.get_by_text("run.closed")).to_be_visible()

    # Promote the winner; the worker builds the pipeline.
    # Deploy behind an endpoint and try a prediction.
    promote_and_deploy(page, "churn-model", "churn-e2e")
    example = json.loads(page.get_by_label("Rows (JSON)").input_value())
    assert set(example[0]) == {"tenure", "monthly", "plan", "region", "paperless"}  # no target
    page.get_by_role("button", name="Predict").click()  # the pre-filled training row predicts
    expect(page.get_by_test_id("predict-latency")).to_contain_text(re.compile(r"1 prediction in"))
    rows = [
        {"tenure": 3, "monthly": 95.5, "plan": "basic", "region": "north", "paperless": True},
        {"tenure": 60, "monthly": 40.0, "plan": "pro", "region": "west", "paperless": "N"},
    ]
    page.get_by_label("Rows (JSON)").fill(json.dumps(rows))
    page.get_by_role("button", name="Predict").click()
    latency = page.get_by_test_id("predict-latency")
    expect(latency).to_contain_text(re.compile(r"2 predictions in \d"))
    results = page.get_by_label("Prediction tester").locator("xpath=..").locator("tbody tr")
    expect(results).to_have_count(2)
    for row in results.all():
        expect(row.get_by_role("cell", name=re.compile(r"^(yes|no)$"))).to_have_count(1)

    score_csv_file(page, tmp_path, rows)


def score_csv_file(page: Page, tmp_path: Path, rows: list[dict[str, object]]) -> None:
    """Batch-score a CSV through the deployment page, download it, and see a bad file refused."""
    scored_in = tmp_path / "to-score.csv"
    pd.DataFrame([{"customer": f"c{i}", **r} for i, r in enumerate(rows * 2)]).to_csv(
        scored_in, index=False
    )
    page.get_by_label("CSV file", exact=True).set_input_files(scored_in)
    page.get_by_role("button", name="Score CSV").click()
    expect(page.get_by_test_id("csv-summary")).to_contain_text("Scored 4 rows")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"^Download churn-e2e-predictions\.csv")).click()
    out = pd.read_csv(info.value.path())
    assert len(out) == 4
    assert list(out["customer"]) == ["c0", "c1", "c2", "c3"]  # extra columns kept, in order
    assert set(out["prediction"]) <= {"yes", "no"}  # (+ proba_* when the winner has them)

    bad = tmp_path / "bad.csv"
    pd.DataFrame([{k: v for k, v in r.items() if k != "region"} for r in rows]).to_csv(
        bad, index=False
    )
    page.get_by_label("CSV file", exact=True).set_input_files(bad)
    page.get_by_role("button", name="Score CSV").click()
    alert = page.get_by_role("form", name="Score a CSV file").get_by_role("alert")
    expect(alert).to_contain_text("Not scored")
    expect(alert).to_contain_text("region")


def test_unknown_run_reads_not_found(page: Page) -> None:
    sign_in(page)
    page.goto("/runs/not-a-run-id")
    expect(page.get_by_role("heading", name="Run not found")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Back to")).click()
    expect(page).not_to_have_url(re.compile(r"/runs/"))


def test_cancel_keeps_finished_rows(page: Page) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    if page.get_by_role("link", name="Digits").count() == 0:
        page.get_by_role("tab", name="Projects").click()
        page.get_by_label("Project name").fill("Digits")
        page.get_by_role("button", name="Create project").click()
        expect(page.get_by_role("link", name="Digits").first).to_be_visible()
    sample = re.compile(r"^sklearn:digits")
    page.get_by_role("link", name="Digits").first.click()
    page.get_by_role("link", name="New experiment").first.click()
    page.get_by_label("Experiment name").fill("Digits, cancelled")
    data = page.get_by_label("Data", exact=True)
    expect(data.locator("option", has_text=sample)).to_have_count(1)
    data.select_option("sklearn:digits")
    target = page.get_by_label("Target column", exact=True)
    if target.evaluate("e => e.tagName") == "SELECT":
        target.select_option("target")
    else:
        expect(target).to_have_value("target")  # a sample names its own target
    page.get_by_label("Multiclass").check()
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))

    page.get_by_label("Plan").select_option(label="Compare models")
    page.get_by_role("button", name="Start run").click()
    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    board = page.get_by_test_id("leaderboard")
    expect(board.locator("tbody tr").first).to_be_visible(timeout=180_000)
    page.get_by_role("button", name="Cancel run").click()
    expect(page.get_by_test_id("status-badge")).to_have_text("cancelled", timeout=30_000)
    kept = leaderboard_rows(page)
    assert kept >= 1, "the rows that finished before the cancel were lost"
    events = page.get_by_test_id("event-stream")
    expect(events.get_by_text("run.cancelled")).to_be_visible()
    expect(events.get_by_text("compare.finished")).to_have_count(0)


@pytest.fixture(autouse=True)
def _screenshot_on_failure(page: Page, request: pytest.FixtureRequest) -> object:
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        out = Path("test-results")
        out.mkdir(exist_ok=True)
        page.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
