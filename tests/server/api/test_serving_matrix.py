"""Pipelines, deployments and API keys as anonymous, outsider, viewer, editor and owner.

anonymous → 401; outsider → 404; below the route's role → 403; enough → 2xx. Destructive routes
get a fresh resource per attempt. The predict routes are not role-based: each auth mode has its
own test in ``test_predict.py``.
"""

from __future__ import annotations

import itertools
import re
import uuid
from typing import Any

from sqlalchemy import update

from podium.server.db.models import Pipeline
from podium.server.db.session import Database
from tests.server.api.serving import deploy, fake_succeeded_run, promote, ready_pipeline
from tests.server.conftest import World

ROLES = ("anonymous", "outsider", "viewer", "editor", "owner")
RANK = {"viewer": 0, "editor": 1, "owner": 2}
TAGS = {
    "pipelines",
    "pipeline-labels",
    "deployments",
    "deployment-versions",
    "prediction-logs",
    "drift-reports",
    "api-keys",
}
ROUTES: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("POST", "/runs/{run}/promote", "editor", {"name": "m"}),
    ("GET", "/workspaces/{ws}/pipelines", "viewer", None),
    ("GET", "/pipelines/{pipeline}", "viewer", None),
    ("GET", "/pipelines/{pipeline}/download", "viewer", None),
    ("DELETE", "/pipelines/{spare}", "editor", None),
    ("POST", "/pipelines/{pipeline}/deployments", "editor", {"slug": "{slug}"}),
    ("GET", "/workspaces/{ws}/deployments", "viewer", None),
    ("GET", "/deployments/{deployment}", "viewer", None),
    ("PATCH", "/deployments/{deployment}", "editor", {"status": "paused"}),
    ("DELETE", "/deployments/{deployment}", "editor", None),
    ("GET", "/deployments/{deployment}/predictions", "viewer", None),
    ("GET", "/deployments/{deployment}/predictions/export", "viewer", None),
    ("GET", "/deployments/{deployment}/versions", "viewer", None),
    ("POST", "/deployments/{deployment}/switch", "editor", {"version": 2}),
    ("POST", "/deployments/{switched}/rollback", "editor", None),
    ("PUT", "/pipelines/{pipeline}/labels/staging", "editor", None),
    ("DELETE", "/pipelines/{labelled}/labels/production", "editor", None),
    ("POST", "/deployments/{depslug}/drift-reports", "editor", {}),
    ("GET", "/deployments/{depslug}/drift-reports", "viewer", None),
    ("GET", "/drift-reports/{report}", "viewer", None),
    ("GET", "/workspaces/{ws}/api-keys", "viewer", None),
    ("POST", "/workspaces/{ws}/api-keys", "editor", {"name": "k"}),
    ("DELETE", "/api-keys/{key}", "editor", None),
]


def _expected(need: str, role: str) -> str:
    if role == "anonymous":
        return "401"
    if role == "outsider":
        return "404"
    return "2xx" if RANK[role] >= RANK[need] else "403"


class _Fresh:
    """Resources created on demand for one attempt."""

    slugs = itertools.count()

    def __init__(self, world: World, pipeline: str) -> None:
        self.world, self.pipeline = world, pipeline

    def make(self, name: str) -> str:
        w = self.world
        if name == "ws":
            return w.ws
        if name == "pipeline":
            return self.pipeline
        if name == "slug":
            return f"matrix-{next(self.slugs)}"
        if name == "run":
            return fake_succeeded_run(w)
        if name == "deployment":
            return str(deploy(w, self.pipeline, slug=self.make("slug"))["id"])
        if name == "depslug":
            return str(deploy(w, self.pipeline, slug=self.make("slug"))["slug"])
        if name == "switched":
            dep = self.make("deployment")
            r = w.client.post(
                f"/api/v1/deployments/{dep}/switch", json={"version": 2}, headers=w.owner.headers
            )
            assert r.status_code == 200, r.text
            return dep
        if name == "labelled":
            url = f"/api/v1/pipelines/{self.pipeline}/labels/production"
            assert w.client.put(url, headers=w.owner.headers).status_code == 200
            return self.pipeline
        if name == "report":
            slug = self.make("depslug")
            r = w.client.post(
                f"/api/v1/deployments/{slug}/drift-reports", json={}, headers=w.owner.headers
            )
            assert r.status_code == 201, r.text
            return str(r.json()["id"])
        if name == "key":
            r = w.client.post(
                f"/api/v1/workspaces/{w.ws}/api-keys", json={"name": "k"}, headers=w.owner.headers
            )
            return str(r.json()["id"])
        assert name == "spare"
        spare = promote(w, fake_succeeded_run(w), name="spare").json()["id"]
        db: Database = w.client.app.state.db  # type: ignore[attr-defined]
        with db.sessions() as session:
            session.execute(
                update(Pipeline).where(Pipeline.id == uuid.UUID(spare)).values(status="failed")
            )
            session.commit()
        return str(spare)

    def fill(self, text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.make(m.group(1)), text)


def test_every_route_as_every_role(world: World) -> None:
    pipeline = str(ready_pipeline(world)["id"])
    assert ready_pipeline(world, model_id="dt")["version"] == 2  # what switch moves to
    failures = []
    for method, path, need, body in ROUTES:
        for role in ROLES:
            fresh = _Fresh(world, pipeline)
            url = "/api/v1" + fresh.fill(path)
            payload = None
            if body is not None:
                payload = {k: fresh.fill(v) if isinstance(v, str) else v for k, v in body.items()}
            status = world.client.request(
                method, url, json=payload, headers=world.as_(role)
            ).status_code
            got = "2xx" if 200 <= status < 300 else str(status)
            if got != _expected(need, role):
                failures.append(f"{method} {path} as {role}: {status}")
    assert not failures, failures


def test_matrix_covers_every_serving_route(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    listed = {(m, re.sub(r"\{\w+\}|(?<=/labels/)\w+$", "{}", p)) for m, p, _n, _b in ROUTES}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if op["tags"][0] in TAGS:
                short = re.sub(r"\{\w+\}", "{}", path.removeprefix("/api/v1"))
                assert (method.upper(), short) in listed, f"{method.upper()} {path} not in matrix"
