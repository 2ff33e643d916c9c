"""App-level behaviour: health, token-free logs, SPA fallback, upload cap, OpenAPI ids, CLI."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from podium.server.api.logs import TokenFilter, scrub
from podium.server.app import create_app
from podium.server.config import Settings
from tests.conftest import METRICS_HEADERS, make_settings, new_id
from tests.server.conftest import World

PODIUM = [sys.executable, "-c", "from podium.cli import app; app()"]


class TestHealthz:
    def test_reports_database_and_workers(self, world: World) -> None:
        body = world.client.get("/healthz", headers=METRICS_HEADERS).json()
        assert body["database"]["ok"] is True
        assert body["database"]["revision"]
        assert body["workers"] == {"alive": 0, "last_heartbeat_at": None, "items": []}
        assert body["status"] == "degraded"
        assert body["queue"] == {"queued": 0, "running": 0}

    def test_database_down(self, tmp_path: Path, sqlite_url: str) -> None:
        down = "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=2"
        app = create_app(make_settings(tmp_path, down))
        with TestClient(app) as client:
            r = client.get("/healthz", headers=METRICS_HEADERS)
            public = client.get("/healthz")
        assert r.status_code == 503
        assert r.json()["database"]["ok"] is False
        assert public.status_code == 503
        assert public.json() == {"status": "degraded"}


class TestTokenScrubbing:
    def test_scrub(self) -> None:
        line = "GET /api/v1/runs/1/events/ws?token=eyJabc.def&after_id=3 HTTP/1.1"
        assert scrub(line) == "GET /api/v1/runs/1/events/ws?token=***&after_id=3 HTTP/1.1"

    def test_filter_rewrites_access_log_args(self) -> None:
        record = logging.LogRecord(
            "uvicorn.access",
            logging.INFO,
            __file__,
            1,
            '%s - "%s %s HTTP/%s" %d',
            ("127.0.0.1", "GET", "/x?after_id=1&token=secret", "1.1", 200),
            None,
        )
        assert TokenFilter().filter(record)
        assert "secret" not in record.getMessage()


class TestSpa:
    def test_history_fallback_but_not_for_api(self, tmp_path: Path, sqlite_url: str) -> None:
        dist = tmp_path / "dist"
        (dist / "assets").mkdir(parents=True)
        (dist / "index.html").write_text("<html>podium</html>")
        (dist / "assets" / "app.js").write_text("console.log(1)")
        settings = make_settings(tmp_path, sqlite_url, web_dist=dist)
        with TestClient(create_app(settings)) as client:
            assert client.get("/").text == "<html>podium</html>"
            assert client.get("/runs/123").text == "<html>podium</html>"
            assert client.get("/assets/app.js").text == "console.log(1)"
            missing = client.get("/api/v1/nope")
            assert missing.status_code == 404
            assert "detail" in missing.json()
            assert client.get("/api/v1/setup/status").json()["needs_bootstrap"] is True


class TestSecurityHeaders:
    def test_spa_api_and_early_answers_carry_them(self, tmp_path: Path, sqlite_url: str) -> None:
        dist = tmp_path / "dist"
        dist.mkdir()
        (dist / "index.html").write_text("<html>podium</html>")
        settings = make_settings(tmp_path, sqlite_url, web_dist=dist)
        with TestClient(create_app(settings)) as client:
            answers = [
                client.get("/"),
                client.get("/runs/123"),
                client.get("/api/v1/setup/status"),
                client.get("/api/v1/auth/me"),  # 401
                client.post(
                    f"/api/v1/workspaces/{new_id()}/data-sources/upload",
                    content=b"x",
                    headers={"Content-Length": str(10**9)},
                ),  # 413 from the upload cap, before any route
            ]
            docs = client.get("/docs")
        assert [r.status_code for r in answers] == [200, 200, 200, 401, 413]
        for r in answers:
            csp = r.headers["content-security-policy"]
            assert "script-src 'self';" in csp
            assert "frame-ancestors 'none'" in csp
            assert "unsafe-inline" not in csp
            assert r.headers["x-frame-options"] == "DENY"
            assert r.headers["referrer-policy"] == "no-referrer"
            assert r.headers["x-content-type-options"] == "nosniff"
        # Swagger UI comes from jsDelivr and starts with an inline script: allowed there only
        assert "https://cdn.jsdelivr.net" in docs.headers["content-security-policy"]
        assert docs.headers["x-frame-options"] == "DENY"


class TestUploadCap:
    def test_declared_size_refused_before_reading(self, world: World) -> None:
        r = world.client.post(
            f"/api/v1/workspaces/{world.ws}/data-sources/upload",
            content=b"x" * 10,
            headers={**world.owner.headers, "Content-Length": str(10**9)},
        )
        assert r.status_code == 413


class TestOpenApi:
    def test_operation_ids_are_clean(self, world: World) -> None:
        spec = world.client.get("/openapi.json").json()
        ids = {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}
        assert {"runs-get", "runs-submit", "runs-list-for-experiment", "runs-events"} <= ids
        assert {"runs-cancel", "runs-wait", "auth-login", "setup-bootstrap", "health-get"} <= ids


class TestCli:
    def test_check_port_in_use(self, tmp_path: Path) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen()
            port = sock.getsockname()[1]
            env = {"PODIUM_DATA_DIR": str(tmp_path), "PODIUM_PORT": str(port), "PATH": "/usr/bin"}
            out = subprocess.run(
                [*PODIUM, "serve", "--check-port"],
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert out.returncode == 1
        assert (
            f"port {port} is in use; pick another with PODIUM_PORT={port + 1} make run"
            in out.stderr
        )

    def test_bad_config_is_reported(self, tmp_path: Path) -> None:
        env = {"PODIUM_DATA_DIR": str(tmp_path), "PODIUM_PORT": "99999", "PATH": "/usr/bin"}
        out = subprocess.run(
            [*PODIUM, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
        )
        assert out.returncode == 2
        assert "invalid configuration" in out.stderr
        assert "PODIUM_PORT: Input should be less than or equal to 65535" in out.stderr

    def test_db_upgrade_and_user_create(self, tmp_path: Path) -> None:
        env = {"PODIUM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"}
        assert subprocess.run([*PODIUM, "db", "upgrade"], env=env, timeout=120).returncode == 0
        create = [
            *PODIUM,
            "user",
            "create",
            "a@example.com",
            "--password",
            "long-enough",
            "--workspace",
            "Lab",
        ]
        out = subprocess.run(create, env=env, capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        again = subprocess.run(create, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 1
        assert "already exists" in again.stderr
        settings = Settings(data_dir=tmp_path)
        with TestClient(create_app(settings)) as client:
            login = client.post(
                "/api/v1/auth/login", json={"email": "a@example.com", "password": "long-enough"}
            )
            assert login.status_code == 200


@pytest.fixture(autouse=True)
def _no_env_leak(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PODIUM_DATA_DIR", "PODIUM_DATABASE_URL", "PODIUM_PORT"):
        monkeypatch.delenv(name, raising=False)
