"""Prove infra/docker/nginx.ui.conf with the real pieces, no Docker: nginx + ``podium serve``.

Starts a real ``podium serve`` (temporary data folder, one embedded worker) on a free port and a
real nginx (Debian's ``nginx`` binary) whose config is nginx.ui.conf with only the upstream
address, the listen port, the SPA root and the log paths rewritten for a non-container run. Then
checks through nginx: the SPA and its history fallback, /healthz, the REST API, a run's event
WebSocket to ``run.closed``, close code 4401 for a bad token, and that no ``token=`` reaches the
access log. Usage (from the repository root, after ``make web``)::

    .venv/bin/python infra/docker/check_nginx.py
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.common import free_port  # noqa: E402
from bench.serverkit import EventRecorder, Server  # noqa: E402

NGINX_MAIN = """worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fcgi; uwsgi_temp_path {tmp}/uwsgi; scgi_temp_path {tmp}/scgi;
  include {tmp}/site.conf;
}}
"""


def site_conf(upstream_port: int, listen: int, tmp: Path) -> str:
    """nginx.ui.conf with the container-only values replaced."""
    conf = (ROOT / "infra" / "docker" / "nginx.ui.conf").read_text()
    conf = conf.replace("server server:8000;", f"server 127.0.0.1:{upstream_port};")
    conf = conf.replace("listen 8080;", f"listen 127.0.0.1:{listen};")
    conf = conf.replace("/var/log/nginx/access.log", str(tmp / "access.log"))
    return conf.replace("root /usr/share/nginx/html;", f"root {ROOT / 'apps' / 'web' / 'dist'};")


def check(name: str, ok: bool, detail: str = "") -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}{'  — ' + detail if detail else ''}")
    return ok


def probe(base: str, server: Server) -> list[bool]:
    """The checks, through nginx at ``base``."""
    results = []
    index = httpx.get(f"{base}/")
    results.append(check("GET / serves the SPA", "<div id=" in index.text, str(index.status_code)))
    csp = index.headers.get("content-security-policy", "")
    framing = index.headers.get("x-frame-options", "")
    results.append(
        check(
            "SPA sent with CSP + X-Frame-Options", "script-src 'self';" in csp and framing == "DENY"
        )
    )
    deep = httpx.get(f"{base}/runs/some-run-id")
    results.append(check("history fallback /runs/:id → index.html", deep.text == index.text))
    asset = re.search(r'/assets/[^"]+\.js', index.text)
    if asset:
        got = httpx.get(f"{base}{asset.group(0)}")
        cache = got.headers.get("cache-control", "")
        results.append(check("/assets/* cached immutable", "immutable" in cache, cache))
    results.append(check("/healthz proxied", httpx.get(f"{base}/healthz").status_code == 200))
    status = httpx.get(f"{base}/api/v1/setup/status").json()
    results.append(check("REST /api/v1 proxied", "needs_bootstrap" in status, json.dumps(status)))
    api = server.api
    exp = api.experiment("nginx", "multiclass", "target", sklearn_dataset="iris")
    run = api.submit(exp, "compare", plan_params={"models": ["dt", "lr"]})
    url = api.ws_url(run["id"]).replace(server.base.removeprefix("http://"), base[7:])
    rec = EventRecorder(url)
    rec.start()
    rec.join(300)
    kinds = [e.get("kind") for _, e in rec.events]
    results.append(
        check(
            "WebSocket upgrade through nginx, live events to run.closed",
            rec.error is None and bool(kinds) and kinds[-1] == "run.closed",
            f"{len(kinds)} events, last {kinds[-1] if kinds else None}, error {rec.error}",
        )
    )
    results.append(check("close code 4401 passes through", _bad_token_code(url) == 4401))
    return results


def _bad_token_code(url: str) -> int | None:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    bad = re.sub(r"token=[^&]+", "token=not-a-token", url)
    try:
        with connect(bad, open_timeout=10) as ws:
            ws.recv(timeout=10)
    except ConnectionClosed as exc:
        return exc.rcvd.code if exc.rcvd else None
    return None


def main() -> int:
    if shutil.which("nginx") is None:
        print("nginx is not installed (apt-get install nginx); nothing checked")
        return 2
    if not (ROOT / "apps" / "web" / "dist" / "index.html").exists():
        print("apps/web/dist is not built (make web); nothing checked")
        return 2
    with tempfile.TemporaryDirectory(prefix="podium-nginx-") as tmp_name, Server() as server:
        tmp = Path(tmp_name)
        listen = free_port()
        (tmp / "site.conf").write_text(site_conf(server.port, listen, tmp))
        (tmp / "nginx.conf").write_text(NGINX_MAIN.format(tmp=tmp))
        subprocess.run(["nginx", "-t", "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], check=True)
        nginx = subprocess.Popen(
            ["nginx", "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"]
        )
        try:
            results = probe(f"http://127.0.0.1:{listen}", server)
        finally:
            nginx.terminate()
            nginx.wait(10)
        log = (tmp / "access.log").read_text()
        results.append(check("no token= in the access log", "token=" not in log))
        results.append(check("WebSocket path logged (without query)", "/events/ws " in log))
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
