"""The real API under TestClient, as the first (bootstrap) owner: what the cross-path suite
needs to upload tables, submit runs, promote and wait for the worker's builds."""

from __future__ import annotations

import time
import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

from podium.server.db.models import Run
from podium.server.db.session import Database

PASSWORD = "correct-horse-battery"


class Api:
    """The real API under TestClient, as the bootstrap owner."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        tokens = client.post(
            "/api/v1/setup/bootstrap",
            json={"email": "owner@example.com", "password": PASSWORD, "workspace_name": "X"},
        )
        assert tokens.status_code == 201, tokens.text
        self.headers = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        self.ws = self.get("/api/v1/workspaces")["data"][0]["id"]
        self.project = self.post(f"/api/v1/workspaces/{self.ws}/projects", {"name": "X"})["id"]

    def get(self, url: str) -> Any:
        r = self.client.get(url, headers=self.headers)
        assert r.status_code == 200, r.text
        return r.json()

    def post(self, url: str, body: Any) -> Any:
        r = self.client.post(url, json=body, headers=self.headers)
        assert r.status_code in (200, 201, 202), r.text
        return r.json()

    def wait_pipeline(self, pipeline_id: str, timeout: float = 300.0) -> dict[str, Any]:
        """Poll the pipeline until a worker has built it (or failed to)."""
        deadline = time.monotonic() + timeout
        while True:
            body: dict[str, Any] = self.get(f"/api/v1/pipelines/{pipeline_id}")
            if body["status"] != "building" or time.monotonic() > deadline:
                return body
            time.sleep(0.1)

    def upload(self, name: str, content: str) -> str:
        r = self.client.post(
            f"/api/v1/workspaces/{self.ws}/data-sources/upload",
            files={"file": (f"{name}.csv", content.encode(), "text/csv")},
            data={"name": name},
            headers=self.headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def succeeded_run(
        self,
        source: str,
        task: str,
        target: str,
        models: tuple[str, ...],
        recipes: dict[str, Any] | None = None,
    ) -> str:
        """A real run submission, marked succeeded with a leaderboard of ``models`` (and the
        ``recipes`` of its tuned / composite ones in its result, as an improving run keeps)."""
        made = recipes or {}
        exp = self.post(
            f"/api/v1/projects/{self.project}/experiments",
            {
                "name": f"{source[:8]}-{task}",
                "task": task,
                "target": target,
                "data_source_id": source,
                "setup_params": {"folds": 2},
            },
        )["id"]
        run = self.post(
            f"/api/v1/experiments/{exp}/runs",
            {"plan": "compare", "plan_params": {"models": [m for m in models if m not in made]}},
        )["id"]
        board = {
            "columns": ["Model", "Score"],
            "rows": [{"Model": m, "model_id": m, "Score": 1.0} for m in models],
        }
        db: Database = self.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(Run)
                .where(Run.id == uuid.UUID(run))
                .values(
                    status="succeeded",
                    leaderboard=board,
                    result={"task": task, "models": recipes or {}},
                )
            )
            session.commit()
        return str(run)
