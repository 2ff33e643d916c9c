"""API fixtures: the app under TestClient and a world of users with every role."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from podium.server.app import create_app
from podium.server.config import Settings
from podium.server.db.models import Membership, User, Workspace
from podium.server.db.session import Database
from podium.server.security import create_access_token, hash_password

PASSWORD = "correct-horse-battery"
_HASH = hash_password(PASSWORD)
IRIS_CSV = "sepal_length,sepal_width,petal_length,petal_width,species\n" + "".join(
    f"{5 + (i % 7) / 10},{3 + (i % 5) / 10},{1 + (i % 3) * 2},{(i % 3) * 0.8},"
    f"{['setosa', 'versicolor', 'virginica'][i % 3]}\n"
    for i in range(60)
)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app under test, lifespan included."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@dataclass
class Person:
    """A user with a ready access token."""

    id: str
    email: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        """Authorization header."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class World:
    """Users of every role in workspace ``ws``; ``outsider`` owns ``other_ws``; ``admin``
    administers this Podium (accounts) and belongs to no workspace."""

    client: TestClient
    settings: Settings
    owner: Person
    editor: Person
    viewer: Person
    outsider: Person
    ws: str
    other_ws: str
    admin: Person
    ids: dict[str, str] = field(default_factory=dict)

    def as_(self, role: str) -> dict[str, str]:
        """Headers of a role name (``anonymous`` → none)."""
        if role == "anonymous":
            return {}
        person: Person = getattr(self, role)
        return person.headers

    def project(self, ws: str | None = None, who: Person | None = None) -> str:
        """Create a project; return its id."""
        r = self.client.post(
            f"/api/v1/workspaces/{ws or self.ws}/projects",
            json={"name": "P"},
            headers=(who or self.owner).headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def experiment(self, project: str, who: Person | None = None, **body: Any) -> str:
        """Create an iris experiment; return its id."""
        payload: dict[str, Any] = {"name": "E", "task": "multiclass", "target": "target"}
        if "data_source_id" not in body:
            payload["sklearn_dataset"] = "sklearn:iris"
        payload.update(body)
        r = self.client.post(
            f"/api/v1/projects/{project}/experiments",
            json=payload,
            headers=(who or self.owner).headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def upload(self, ws: str | None = None, content: str = IRIS_CSV, name: str = "x.csv") -> str:
        """Upload a CSV; return the data source id."""
        r = self.client.post(
            f"/api/v1/workspaces/{ws or self.ws}/data-sources/upload",
            files={"file": (name, io.BytesIO(content.encode()), "text/csv")},
            data={"name": "flowers"},
            headers=self.outsider.headers if ws == self.other_ws else self.owner.headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    def run(self, experiment: str, **body: Any) -> dict[str, Any]:
        """Submit a run; return its JSON."""
        payload = body or {"plan": "compare", "plan_params": {"models": ["dt", "nb"]}}
        r = self.client.post(
            f"/api/v1/experiments/{experiment}/runs", json=payload, headers=self.owner.headers
        )
        assert r.status_code == 202, r.text
        data: dict[str, Any] = r.json()
        return data


def _person(db: Database, settings: Settings, email: str, is_admin: bool = False) -> Person:
    with db.sessions() as session:
        user = User(
            email=email,
            password_hash=_HASH,
            display_name=email.split("@")[0],
            is_admin=is_admin,
        )
        session.add(user)
        session.commit()
        token = create_access_token(user.id, settings.signing_key, settings.access_token_ttl_s)
        return Person(str(user.id), email, token)


def _workspace(db: Database, name: str, members: dict[str, str]) -> str:
    with db.sessions() as session:
        ws = Workspace(name=name)
        session.add(ws)
        session.flush()
        for user_id, role in members.items():
            session.add(Membership(workspace_id=ws.id, user_id=uuid.UUID(user_id), role=role))
        session.commit()
        return str(ws.id)


@pytest.fixture
def world(client: TestClient, settings: Settings) -> World:
    """Owner, editor, viewer of one workspace and an outsider with a workspace of their own."""
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    owner, editor, viewer, outsider = (
        _person(db, settings, f"{n}@example.com") for n in ("owner", "editor", "viewer", "outsider")
    )
    ws = _workspace(db, "Main", {owner.id: "owner", editor.id: "editor", viewer.id: "viewer"})
    other = _workspace(db, "Other", {outsider.id: "owner"})
    admin = _person(db, settings, "admin@example.com", is_admin=True)
    return World(client, settings, owner, editor, viewer, outsider, ws, other, admin)
