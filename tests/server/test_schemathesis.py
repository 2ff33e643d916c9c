"""Schemathesis over the served OpenAPI document, as a workspace owner.

A real app (uvicorn, real HTTP) on a fresh SQLite file with a populated world: the owner's
workspace, a project, an experiment on an uploaded data source, terminal runs, a ready pipeline
(built by an in-process worker before the server starts), its deployment and an API key. Path
parameters are drawn mostly (80 %) from those real ids, so operations reach their real code, and
otherwise from generated values (404s, 422s). Every phase but the stateful one runs, positive and
negative data, with the checks in ``CHECKS``: no 5xx, no undeclared status, bodies, content types
and headers as declared, schema-invalid input refused, 405 with ``Allow`` for other methods.

Bounded and seeded for CI: a fixed seed, ``MAX_EXAMPLES`` fuzzed cases per operation, no example
database or crash cache carried between runs (a run does not depend on the ones before it).

It drives the ``schemathesis`` CLI with a config file (the tool's public interface); its pytest
plugin's fixture-based loader does not run under pytest 9.2.

What it must not do, and how it is kept from it:
- Start heavy work: no worker runs while it does, so runs it submits stay queued; every run in
  the world is terminal, so ``GET /runs/{id}/wait`` answers at once.
- Destroy the world the other operations need: DELETE operations run last, in a second run, and
  there ``ws`` is a spare workspace (deleting it is tested; the main one is not deleted).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import update

from podium.server.app import create_app
from podium.server.db.models import Run
from podium.server.db.session import Database
from tests.server.api.serving import deploy, ready_pipeline
from tests.server.conftest import World

pytestmark = pytest.mark.slow
SEED = 20261206
MAX_EXAMPLES = 5
CHECKS = [
    "not_a_server_error",  # no 5xx
    "status_code_conformance",  # no status the operation does not declare
    "content_type_conformance",
    "response_schema_conformance",  # every body as declared (errors: {"detail": str})
    "response_headers_conformance",
    "negative_data_rejection",  # what the document calls invalid is refused
    "unsupported_method",  # an undeclared method on a path: 405
    "allow_header_conformance",  # ... with an Allow header that lists the declared ones
]


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """SQLite only: the subject is the HTTP contract, not the dialect."""
    return sqlite_url


@dataclass
class Served:
    """The running server and the ids of its world."""

    url: str
    token: str
    ids: dict[str, list[str]]


def _populate(world: World) -> dict[str, list[str]]:
    pipeline = ready_pipeline(world)
    deployment = deploy(world, pipeline["id"], slug="iris-st", auth_mode="workspace")
    source = world.upload()
    project = world.project()
    experiment = world.experiment(project, data_source_id=source, target="species")
    run = world.run(experiment)["id"]
    key = world.client.post(
        f"/api/v1/workspaces/{world.ws}/api-keys", json={"name": "k"}, headers=world.owner.headers
    ).json()["id"]
    db: Database = world.client.app.state.db  # type: ignore[attr-defined]
    with db.sessions() as session:  # every run terminal: /wait answers at once, no work pending
        session.execute(update(Run).where(Run.status == "queued").values(status="cancelled"))
        session.commit()
    return {
        "ws": [world.ws],
        "project_id": [project],
        "experiment_id": [experiment],
        "source_id": [source],
        "run_id": [run, pipeline["run_id"]],
        "pipeline_id": [pipeline["id"]],
        "deployment_id": [deployment["id"]],
        "slug": [deployment["slug"]],
        "key_id": [key],
        "user_id": [world.viewer.id, world.editor.id],
    }


def _spare_workspace(world: World) -> str:
    r = world.client.post("/api/v1/workspaces", json={"name": "Spare"}, headers=world.owner.headers)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


@pytest.fixture
def served(world: World) -> Iterator[Served]:
    """A second app on the world's database and store, served by uvicorn on a free port."""
    ids = _populate(world)
    server = uvicorn.Server(
        uvicorn.Config(create_app(world.settings), log_level="warning", lifespan="on")
    )
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            assert thread.is_alive(), "uvicorn stopped before it started"
            time.sleep(0.05)
        host, port = sock.getsockname()
        yield Served(f"http://{host}:{port}", world.owner.token, ids)
    finally:
        server.should_exit = True
        thread.join(timeout=60)
        sock.close()


def _toml(values: dict[str, Any]) -> str:
    """The few TOML shapes the config needs (JSON strings and arrays are TOML too)."""
    lines = []
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(
                f"{key} = {{ {', '.join(f'{k} = {json.dumps(v)}' for k, v in value.items())} }}"
            )
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def _schemathesis(served: Served, tmp_path: Path, ids: dict[str, list[str]], *args: str) -> None:
    """One seeded, bounded run of the schemathesis CLI; fails with its report."""
    config = tmp_path / f"schemathesis-{len(list(tmp_path.glob('*.toml')))}.toml"  # kept on failure
    body = _toml({"seed": SEED, "headers": {"Authorization": f"Bearer {served.token}"}})
    body += "[cache]\nenabled = false\n"
    body += "[generation]\n"
    body += _toml({"mode": "all", "max-examples": MAX_EXAMPLES, "database": "none"})
    body += "[phases.stateful]\nenabled = false\n"
    for name, values in ids.items():
        body += f"[dictionaries.{name}]\n" + _toml({"values": values})
    body += "[parameters]\n" + "".join(
        f'"path.{name}" = {{ dictionary = "{name}", probability = 0.8 }}\n' for name in ids
    )
    config.write_text(body)
    schema = tmp_path / "openapi.json"
    with urllib.request.urlopen(f"{served.url}/openapi.json", timeout=120) as r:
        schema.write_bytes(r.read())
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        str(schema),  # read here: schemathesis gives a schema URL 10 s, a loaded machine more
        "--url",
        served.url,
        "--checks",
        ",".join(CHECKS),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        *args,
    ]
    out = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False
    )
    assert out.returncode == 0, out.stdout[-20_000:] + out.stderr[-5_000:]


def test_api_as_an_owner(world: World, served: Served, tmp_path: Path) -> None:
    """Every operation but DELETE on the world, then the DELETEs (the workspace: a spare one)."""
    _schemathesis(served, tmp_path, served.ids, "--exclude-method", "DELETE")
    spare = {**served.ids, "ws": [_spare_workspace(world)]}
    _schemathesis(served, tmp_path, spare, "--include-method", "DELETE")
