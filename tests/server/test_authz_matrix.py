"""Every route as anonymous, outsider, viewer, editor, owner and the Podium administrator.

anonymous → 401; outsider → 404 (existence is not revealed); a role below the route's need → 403;
enough role → 2xx. The Podium administrator belongs to no workspace: an outsider to every
workspace route (404), and the only caller of the account routes (everyone else 403). Each
attempt gets fresh resources, so destructive routes are tried for real.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest

from podium.server.db.session import Database
from tests.server.api.serving import fake_succeeded_run
from tests.server.api.test_models import model_of
from tests.server.conftest import IRIS_CSV, PASSWORD, World, _person

# routers of this suite; pipelines, deployments, predict and API keys have their own matrix
MINE = {
    "workspaces",
    "projects",
    "experiments",
    "data",
    "describe",
    "runs",
    "auth",
    "setup",
    "users",
    "audit",
    "invitations",
    "analysis",
    "webhooks",
    "models",
}
ROLES = ("anonymous", "outsider", "viewer", "editor", "owner", "admin")
RANK = {"viewer": 0, "editor": 1, "owner": 2}


@dataclass(frozen=True)
class Route:
    """A route to try: ``need`` is viewer/editor/owner, ``user`` (any signed-in user) or
    ``admin`` (the Podium administrator)."""

    method: str
    path: str
    need: str
    body: dict[str, Any] | None = None
    upload: bool = False
    covers: str | None = None  # the OpenAPI path, when ``path`` fills a parameter itself

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


ANALYSIS = "/runs/{run}/models/{model}/analysis"
ROUTES = [
    Route("GET", "/workspaces", "user"),
    Route("POST", "/workspaces", "user", {"name": "N"}),
    Route("GET", "/auth/me", "user"),
    Route(
        "POST",
        "/auth/password",
        "user",
        {"current_password": PASSWORD, "new_password": "another-long-password"},
    ),
    Route("GET", "/users", "admin"),
    Route("PATCH", "/users/{member}", "admin", {"is_active": False}),
    Route("GET", "/describe/tasks", "user"),
    Route("GET", "/describe/models?task=binary", "user"),
    Route("GET", "/describe/metrics?task=binary", "user"),
    Route("GET", "/describe/setup-params?task=binary", "user"),
    Route("GET", "/describe/samples", "user"),
    Route("GET", "/describe/plans", "user"),
    Route("GET", "/describe/plots?task=binary", "user"),
    Route("GET", "/workspaces/{ws}", "viewer"),
    Route("PATCH", "/workspaces/{ws}", "owner", {"name": "R"}),
    Route("DELETE", "/workspaces/{ws}", "owner"),
    Route("GET", "/workspaces/{ws}/members", "viewer"),
    Route("POST", "/workspaces/{ws}/members", "owner", {"email": "{newuser}", "role": "viewer"}),
    Route("PATCH", "/workspaces/{ws}/members/{member}", "owner", {"role": "editor"}),
    Route("DELETE", "/workspaces/{ws}/members/{member}", "owner"),
    Route("GET", "/workspaces/{ws}/projects", "viewer"),
    Route("POST", "/workspaces/{ws}/projects", "editor", {"name": "P"}),
    Route("GET", "/projects/{project}", "viewer"),
    Route("PATCH", "/projects/{project}", "editor", {"name": "Q"}),
    Route("DELETE", "/projects/{project}", "editor"),
    Route("GET", "/projects/{project}/experiments", "viewer"),
    Route(
        "POST",
        "/projects/{project}/experiments",
        "editor",
        {"name": "E", "task": "multiclass", "target": "target", "sklearn_dataset": "iris"},
    ),
    Route("GET", "/experiments/{experiment}", "viewer"),
    Route("PATCH", "/experiments/{experiment}", "editor", {"name": "F"}),
    Route("DELETE", "/experiments/{experiment}", "editor"),
    Route("GET", "/workspaces/{ws}/data-sources", "viewer"),
    Route("POST", "/workspaces/{ws}/data-sources/upload", "editor", upload=True),
    Route("GET", "/data-sources/{source}", "viewer"),
    Route("GET", "/data-sources/{source}/preview", "viewer"),
    Route("GET", "/data-sources/{source}/profile", "viewer"),
    Route("DELETE", "/data-sources/{source}", "editor"),
    Route("GET", "/experiments/{experiment}/runs", "viewer"),
    Route("POST", "/experiments/{experiment}/runs", "editor", {"plan": "setup"}),
    Route("GET", "/runs/{run}", "viewer"),
    Route("GET", "/runs/{run}/events", "viewer"),
    Route("POST", "/runs/{run}/cancel", "editor"),
    Route("POST", "/runs/{run}/replay", "editor"),
    Route("GET", "/runs/{run}/wait?timeout=0", "viewer"),
    Route("GET", "/runs/{run}/models/{model}", "viewer"),
    Route("GET", "/runs/{run}/models/{model}/plots/{plot}", "viewer"),
    Route("GET", "/workspaces/{ws}/audit-log", "owner"),
    Route("GET", "/workspaces/{ws}/audit-log?format=csv", "owner"),
    Route("GET", "/audit-log", "admin"),
    Route("POST", "/workspaces/{ws}/invitations", "owner", {"email": "new@example.com"}),
    Route("GET", "/workspaces/{ws}/invitations", "owner"),
    Route("DELETE", "/workspaces/{ws}/invitations/{invitation}", "owner"),
    Route("POST", "/runs/{analysed}/models/dt/analysis", "editor", covers=ANALYSIS),
    Route("GET", "/runs/{analysed}/models/dt/analysis", "viewer", covers=ANALYSIS),
    Route(
        "POST",
        "/workspaces/{ws}/webhooks",
        "owner",
        {"url": "https://example.com/h", "events": ["run.finished"]},
    ),
    Route("GET", "/workspaces/{ws}/webhooks", "owner"),
    Route("PATCH", "/webhooks/{webhook}", "owner", {"active": False}),
    Route("DELETE", "/webhooks/{webhook}", "owner"),
    Route("POST", "/webhooks/{webhook}/ping", "owner"),
    Route("GET", "/webhooks/{webhook}/deliveries", "owner"),
]


def _expected(route: Route, role: str) -> str:
    if role == "anonymous":
        return "401"
    if route.need == "user":
        return "2xx"
    if route.need == "admin":
        return "2xx" if role == "admin" else "403"
    if role in ("outsider", "admin"):
        return "404"
    return "2xx" if RANK[role] >= RANK[route.need] else "403"


class Scope:
    """Fresh resources for one attempt, created lazily by placeholder name."""

    def __init__(self, world: World, counter: list[int]) -> None:
        self.world = world
        self.counter = counter
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str:
        if name not in self.values:
            self.values[name] = getattr(self, f"_make_{name}")()
        return self.values[name]

    def fill(self, text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: self.get(m.group(1)), text)

    def _fresh_person(self) -> Any:
        self.counter[0] += 1
        db: Database = self.world.client.app.state.db  # type: ignore[attr-defined]
        return _person(db, self.world.settings, f"extra{self.counter[0]}@example.com")

    def _make_ws(self) -> str:
        w = self.world
        r = w.client.post("/api/v1/workspaces", json={"name": "M"}, headers=w.owner.headers)
        ws = str(r.json()["id"])
        for person, role in ((w.editor, "editor"), (w.viewer, "viewer")):
            body = {"email": person.email, "role": role}
            w.client.post(f"/api/v1/workspaces/{ws}/members", json=body, headers=w.owner.headers)
        return ws

    def _make_newuser(self) -> str:
        return str(self._fresh_person().email)

    def _make_member(self) -> str:
        person = self._fresh_person()
        body = {"email": person.email, "role": "viewer"}
        url = f"/api/v1/workspaces/{self.get('ws')}/members"
        self.world.client.post(url, json=body, headers=self.world.owner.headers)
        return str(person.id)

    def _make_invitation(self) -> str:
        url = f"/api/v1/workspaces/{self.get('ws')}/invitations"
        body = {"email": "invitee@example.com"}
        r = self.world.client.post(url, json=body, headers=self.world.owner.headers)
        return str(r.json()["id"])

    def _make_webhook(self) -> str:
        url = f"/api/v1/workspaces/{self.get('ws')}/webhooks"
        body = {"url": "https://example.com/h", "events": ["run.failed"]}
        r = self.world.client.post(url, json=body, headers=self.world.owner.headers)
        return str(r.json()["id"])

    def _make_project(self) -> str:
        return self.world.project(self.get("ws"))

    def _make_experiment(self) -> str:
        return self.world.experiment(self.get("project"))

    def _make_source(self) -> str:
        return self.world.upload(self.get("ws"))

    def _make_analysed(self) -> str:
        """A succeeded run (no training) whose model ``dt`` the owner asked to analyse."""
        run_id = fake_succeeded_run(self.world)
        url = f"/api/v1/runs/{run_id}/models/dt/analysis"
        self.world.client.post(url, headers=self.world.owner.headers)
        return run_id

    def _make_run(self) -> str:
        return str(self.world.run(self.get("experiment"), plan="setup")["id"])

    def _make_model(self) -> str:
        """A model of the run: the run ends succeeded with it on its leaderboard and its
        predictions in the store (how a worker leaves a compare run)."""
        return model_of(self.world, self.get("run"))

    def _make_plot(self) -> str:
        return "confusion_matrix"


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_as_every_role(world: World, route: Route) -> None:
    counter = [0]
    outcomes: dict[str, tuple[str, int]] = {}
    for role in ROLES:
        scope = Scope(world, counter)
        url = "/api/v1" + scope.fill(route.path)
        kwargs: dict[str, Any] = {"headers": world.as_(role)}
        if route.body is not None:
            kwargs["json"] = {
                k: scope.fill(v) if isinstance(v, str) else v for k, v in route.body.items()
            }
        if route.upload:
            kwargs["files"] = {"file": ("t.csv", io.BytesIO(IRIS_CSV.encode()), "text/csv")}
        status = world.client.request(route.method, url, **kwargs).status_code
        got = "2xx" if 200 <= status < 300 else str(status)
        outcomes[role] = (_expected(route, role), status)
        assert got == _expected(route, role), f"{route} as {role}: {outcomes}"


def test_matrix_covers_every_api_route(world: World) -> None:
    spec = world.client.get("/openapi.json").json()
    public = {
        "/setup/status",
        "/setup/bootstrap",
        "/auth/register",
        "/auth/login",
        "/auth/refresh",
        "/auth/logout",
        "/invitations/{token}",  # the token is the credential: tests/server/api/test_invitations
        "/invitations/{token}/accept",
    }
    listed = {(r.method, re.sub(r"\?.*", "", r.covers or r.path)) for r in ROUTES}
    normalise = {
        "ws": "ws",
        "project_id": "project",
        "experiment_id": "experiment",
        "source_id": "source",
        "run_id": "run",
        "user_id": "member",
        "invitation_id": "invitation",
        "model_id": "model",
        "webhook_id": "webhook",
        "plot_id": "plot",
    }
    for path, ops in spec["paths"].items():
        if not path.startswith("/api/v1") or path[7:] in public:
            continue
        ops = {m: op for m, op in ops.items() if op["operationId"].split("-")[0] in MINE}
        ops = {m: op for m, op in ops.items() if op["operationId"] != "runs-promote"}
        if not ops:
            continue
        short = re.sub(r"\{(\w+)\}", lambda m: "{" + normalise[m.group(1)] + "}", path[7:])
        for method in ops:
            assert (method.upper(), short) in listed, (
                f"{method.upper()} {short} missing from matrix"
            )
