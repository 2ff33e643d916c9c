"""Anomaly detection in Chromium against a real ``podium serve``: upload a table of machine
readings with a few planted faults, create an anomaly-detection experiment through the wizard
(no label column, a contamination), compare two detectors, open a model's plots, promote, deploy
and ask the deployment page for a typical and a faulty reading's score and flag."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from flow_steps import compare, finished, open_wizard, promote_and_deploy, upload_table
from playwright.sync_api import Page, expect
from test_product_loop import WORKSPACE, sign_in

ROWS = 300
TYPICAL = {"temperature": 60.0, "pressure": 3.0, "vibration": 0.5, "line": "b"}
FAULTY = {"temperature": 95.0, "pressure": 0.8, "vibration": 4.0, "line": "b"}


def readings_csv(path: Path) -> Path:
    """Seeded readings around ``TYPICAL`` (sd 2 / 0.1 / 0.05); six are faults like ``FAULTY``."""
    rng = np.random.default_rng(5)
    frame = pd.DataFrame(
        {
            "temperature": rng.normal(60, 2, ROWS).round(2),
            "pressure": rng.normal(3, 0.1, ROWS).round(3),
            "vibration": rng.normal(0.5, 0.05, ROWS).round(3),
            "line": rng.choice(["a", "b", "c"], ROWS),
        }
    )
    faults = rng.choice(ROWS, 6, replace=False)
    frame.loc[faults, ["temperature", "pressure", "vibration"]] = [95.0, 0.8, 4.0]
    frame.to_csv(path, index=False)
    return path


def test_anomaly_compare_promote_deploy(page: Page, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name=WORKSPACE).click()
    upload_table(page, readings_csv(tmp_path / "readings.csv"), "readings", ROWS)
    open_wizard(page, "Machine faults")
    page.get_by_label("Experiment name").fill("Odd readings")
    page.get_by_label("Data", exact=True).select_option(label=f"readings (csv, {ROWS} rows)")
    page.get_by_label("Anomaly detection").check()
    # a label of known anomalies is optional: none here, so nothing ranks the detectors
    expect(page.get_by_label("Target column", exact=True)).to_have_count(0)
    expect(page.get_by_label("Label column (optional)", exact=True)).to_have_value("")
    page.get_by_label("Contamination", exact=True).fill("0.02")
    page.get_by_role("button", name="Create experiment").click()
    expect(page).to_have_url(re.compile(r"/experiments/[0-9a-f-]{36}$"))

    run_url = compare(page, ["iforest", "lof"])
    board = page.get_by_test_id("leaderboard")
    expect(board.locator("tbody tr")).to_have_count(2)
    expect(board).to_contain_text("Flagged")
    expect(board).not_to_contain_text("AUC")  # no label: no AUC column

    board.get_by_text("Isolation Forest").click()
    expect(page).to_have_url(re.compile(r"/models/iforest$"))
    for plot in ("score_distribution", "embedding"):
        drawn = page.locator(f"[data-testid=model-plot][data-plot={plot}] svg").first
        expect(drawn).to_be_visible(timeout=30_000)

    page.goto(run_url)
    finished(page)
    promote_and_deploy(page, "machine-faults", "machine-faults")
    example = json.loads(page.get_by_label("Rows (JSON)").input_value())
    assert set(example[0]) == set(TYPICAL)
    page.get_by_label("Rows (JSON)").fill(json.dumps([TYPICAL, FAULTY]))
    page.get_by_role("button", name="Predict").click()
    expect(page.get_by_test_id("predict-latency")).to_contain_text(re.compile(r"2 predictions in"))
    answer = page.get_by_role("table").filter(has_text="anomaly")
    rows = answer.locator("tbody tr")
    expect(rows).to_have_count(2)
    for i, flagged in ((0, "false"), (1, "true")):
        cells = rows.nth(i).locator("td")
        expect(cells).to_have_count(3)  # the row's number, its score, its flag
        expect(cells.nth(1)).to_have_text(re.compile(r"^-?[0-9.]+(e-?[0-9]+)?$"))
        expect(cells.nth(2)).to_have_text(flagged)
