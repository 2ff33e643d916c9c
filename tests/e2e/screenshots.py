"""Regenerate the README's screenshots: ``make screenshots``.

Starts a real ``podium serve`` in a temporary folder, drives a compare → promote → deploy through
the API, then photographs the key screens in Chromium into ``docs/screenshots/``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from harness import CHROMIUM_ARGS, REPO, PodiumServer
from playwright.sync_api import sync_playwright
from test_product_loop import EMAIL, PASSWORD, WORKSPACE, churn_csv

OUT = REPO / "docs" / "screenshots"


class Api:
    """A tiny authenticated client for the setup steps."""

    def __init__(self, base: str) -> None:
        self.http = httpx.Client(base_url=f"{base}/api/v1", timeout=60)
        body = {"email": EMAIL, "password": PASSWORD, "workspace_name": WORKSPACE}
        token = self.call("POST", "/setup/bootstrap", json=body)["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json() if response.content else None

    def paths(self) -> set[str]:
        """The routes the server publishes (features a helper may not have landed yet)."""
        origin = str(self.http.base_url).removesuffix("/").removesuffix("/api/v1")
        return set(httpx.get(f"{origin}/openapi.json").json()["paths"])

    def wait(self, path: str, done: set[str], timeout: float = 600) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            item: dict[str, Any] = self.call("GET", path)
            if item.get("status", "done") in done:  # a ready profile has no status
                return item
            time.sleep(0.5)
        raise RuntimeError(f"{path} did not finish in {timeout} s")


def prepare(api: Api, workdir: Path) -> dict[str, str]:
    """Upload, experiment, compare, promote, deploy and predict; return the ids to photograph."""
    ws = api.call("GET", "/workspaces")["data"][0]["id"]
    csv = churn_csv(workdir / "churn.csv")
    with csv.open("rb") as fh:
        files = {"file": ("churn.csv", fh, "text/csv")}
        source = api.call(
            "POST", f"/workspaces/{ws}/data-sources/upload", files=files, data={"name": "churn"}
        )
    project = api.call("POST", f"/workspaces/{ws}/projects", json={"name": "Churn"})
    body = {"name": "Churn baseline", "task": "binary", "target": "churn"}
    experiment = api.call(
        "POST",
        f"/projects/{project['id']}/experiments",
        json={**body, "data_source_id": source["id"]},
    )
    run = api.call("POST", f"/experiments/{experiment['id']}/runs", json={"plan": "compare"})
    done = api.wait(f"/runs/{run['id']}", {"succeeded"})
    model = done["leaderboard"]["rows"][0]["model_id"]
    quick = {"plan": "compare", "plan_params": {"models": ["lr", "dt", "rf"]}}
    other = api.call("POST", f"/experiments/{experiment['id']}/runs", json=quick)
    api.wait(f"/runs/{other['id']}", {"succeeded"})
    analysis = f"/runs/{run['id']}/models/{model}/analysis"
    if "/api/v1/runs/{run_id}/models/{model_id}/analysis" in api.paths():
        api.call("POST", analysis)
        api.wait(analysis, {"done", "failed"})
    pipeline = api.call("POST", f"/runs/{run['id']}/promote", json={"name": "churn-model"})
    api.wait(f"/pipelines/{pipeline['id']}", {"ready"})
    deployment = api.call(
        "POST",
        f"/pipelines/{pipeline['id']}/deployments",
        json={"slug": "churn", "auth_mode": "workspace"},
    )
    rows = [{"tenure": 3, "monthly": 95.5, "plan": "basic", "region": "north", "paperless": "Y"}]
    for _ in range(20):
        api.call("POST", "/deployments/churn/predict", json={"rows": rows})
    api.wait(f"/data-sources/{source['id']}/profile?target=churn", {"done"})
    return {
        "workspace": ws,
        "source": source["id"],
        "project": project["id"],
        "run": run["id"],
        "model": model,
        "experiment": experiment["id"],
        "other_run": other["id"],
        "pipeline": pipeline["id"],
        "deployment": deployment["id"],
    }


def photograph(base: str, ids: dict[str, str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=base, viewport={"width": 1280, "height": 860})
        page.goto("/login")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name=WORKSPACE).wait_for()
        shots = {
            "run-detail.png": f"/runs/{ids['run']}",
            "new-experiment.png": f"/projects/{ids['project']}/experiments/new",
            "deployment.png": f"/deployments/{ids['deployment']}",
            "data-source.png": f"/data-sources/{ids['source']}",
            "model.png": f"/runs/{ids['run']}/models/{ids['model']}",
            "compare-runs.png": f"/experiments/{ids['experiment']}/compare"
            f"?runs={ids['run']},{ids['other_run']}",
        }
        for name, path in shots.items():
            page.goto(path)
            page.wait_for_load_state("networkidle")
            charts = page.locator('[data-testid="chart"]')
            for i in range(charts.count()):  # drawn by a lazily loaded library
                charts.nth(i).and_(page.locator('[data-state="ready"]')).wait_for(timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT / name), full_page=name != "run-detail.png")
            print(f"wrote {OUT / name}")
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="podium-shots-") as tmp:
        server = PodiumServer(Path(tmp))
        try:
            ids = prepare(Api(server.url), Path(tmp))
            photograph(server.url, ids)
        finally:
            server.stop()
    print(json.dumps({"screenshots": str(OUT)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
