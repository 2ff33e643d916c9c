"""Suite ``serve``: throughput under concurrent clients, Podium against ``mlflow models serve``.

One LightGBM pipeline (trained by a Podium run on 5,000 synthetic rows, as in ``predict``),
deployed with ``auth_mode=workspace`` (bearer token on every call) and the prediction log at its
default sample rate; the same fitted pipeline object served by MLflow's scoring server. Each
side is loaded by ``wrk`` (a compiled load generator: ``apt-get install -y wrk``) with a Lua
script that POSTs one JSON row: ``--connections`` concurrent clients for ``--duration`` seconds
after a 5 s warm-up. Both sides run ``--api-workers`` server processes. Printed: requests/s,
p50/p90/p99 latency, errors, the CPU each side's process tree spent per answered request (user +
system, from /proc: a measure of work that the machine's other load does not inflate the way it
inflates wall latency), and the ratio (target ≥ 2× MLflow at p99 ≤ 50 ms).

A third side is the floor: an empty FastAPI route (``bench/runners/floor_app.py``) under the same
uvicorn, with as many processes, loaded by the same wrk run — what the loopback, uvicorn,
FastAPI and wrk cost on this machine at this load, below which no Python model server can go.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.common import PODIUM_PYTHON, ROOT, Unavailable, table, tail
from bench.predict_suite import _tables, artifact_dir, deploy, mlflow_server
from bench.serverkit import Server, check_server, served
from tests.ports import free_port

TARGET_RATIO = 2.0
TARGET_P99_MS = 50.0
WARMUP_S = 5
LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{auth}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {{\\"requests\\": %d, \\"duration_us\\": %d, \\"socket_errors\\": %d, "
    .. "\\"non_2xx\\": %d, \\"p50_us\\": %d, \\"p90_us\\": %d, \\"p99_us\\": %d, "
    .. "\\"max_us\\": %d}}\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""


def wrk_binary() -> str:
    """The ``wrk`` executable, or :class:`Unavailable` saying how to install it."""
    found = shutil.which("wrk")
    if found is None:
        raise Unavailable("wrk is not installed (apt-get install -y wrk); the serve suite needs it")
    return found


def load(url: str, body: str, headers: dict[str, str], seconds: int, clients: int) -> dict:
    """``wrk`` POSTing ``body`` to ``url`` with ``clients`` connections for ``seconds``."""
    auth = "\n".join(f'wrk.headers["{k}"] = {json.dumps(v)}' for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.format(body=json.dumps(body), auth=auth))
    threads = min(2, clients)
    cmd = [wrk_binary(), f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "-s", script.name, url]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=seconds + 60)
    Path(script.name).unlink()
    line = next((s for s in done.stdout.splitlines() if s.startswith("WRKJSON ")), None)
    if done.returncode != 0 or line is None:
        raise Unavailable(f"wrk failed: {tail(done.stdout + done.stderr, 10)}")
    out: dict[str, Any] = json.loads(line[len("WRKJSON ") :])
    out["rps"] = out["requests"] / (out["duration_us"] / 1e6)
    return out


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) spent so far by process ``pid`` and its live descendants."""
    total = 0.0
    with contextlib.suppress(psutil.Error):
        root = psutil.Process(pid)
        for proc in [root, *root.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                times = proc.cpu_times()
                total += times.user + times.system
    return total


def measure(
    pid: int, url: str, body: str, headers: dict[str, str], seconds: int, clients: int
) -> dict:
    """A warm-up, then the measured ``wrk`` run, with the CPU that ``pid``'s tree spent on it."""
    load(url, body, headers, WARMUP_S, clients)
    before = tree_cpu_s(pid)
    out = load(url, body, headers, seconds, clients)
    out["cpu_ms_per_request"] = (tree_cpu_s(pid) - before) * 1000 / max(1, out["requests"])
    return out


@contextlib.contextmanager
def floor_server(workers: int) -> Iterator[tuple[str, int]]:
    """The empty FastAPI route under uvicorn with ``workers`` processes; (URL, process id)."""
    port = free_port()
    cmd = [str(PODIUM_PYTHON), "-m", "uvicorn", "bench.runners.floor_app:app"]
    args = ["--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen([*cmd, *args], cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        return httpx.post(f"{base}/predict", content=b"{}", timeout=1).status_code == 200

    with served(proc, up, 60, "the floor app (uvicorn) did not start") as pid:
        yield f"{base}/predict", pid


def run(seconds: int = 30, clients: int = 20, workers: int = 2, mlflow: bool = True) -> dict:
    """Run the suite; print the table; return the measurements."""
    wrk_binary()
    check_server()
    train, _batch, row = _tables()
    sides: dict[str, dict[str, Any]] = {}
    env = {"PODIUM_API_WORKERS": str(workers), "PODIUM_PRELOAD_EVERY_S": "1"}
    with tempfile.TemporaryDirectory(prefix="podium-bench-serve-") as tmp:
        work = Path(tmp)
        with Server(embedded_workers=1, env=env) as server:
            deployed = deploy(server, train, "lightgbm")
            artifact = artifact_dir(server, deployed["pipeline"], work / "artifact")
            time.sleep(2)  # every API process's preload loop picks the deployment up
            url = f"{server.base}/api/v1/deployments/{deployed['slug']}/predict"
            body = json.dumps({"rows": [row]})
            token = {"Authorization": f"Bearer {server.api.token}"}
            assert server.proc.proc is not None
            sides[f"Podium ({workers} API processes, auth on)"] = measure(
                server.proc.proc.pid, url, body, token, seconds, clients
            )
        if mlflow:
            try:
                with mlflow_server(artifact, work, workers=workers) as (base, pid):
                    split = {
                        "dataframe_split": {"columns": list(row), "data": [list(row.values())]}
                    }
                    url, body = f"{base}/invocations", json.dumps(split)
                    sides[f"MLflow serve ({workers} workers)"] = measure(
                        pid, url, body, {}, seconds, clients
                    )
            except Unavailable as exc:
                print(f"  MLflow side skipped: {exc}")
        with floor_server(workers) as (url, pid):
            body = json.dumps({"rows": [row]})
            sides[f"floor: empty FastAPI route ({workers} processes)"] = measure(
                pid, url, body, {}, seconds, clients
            )
    print(_report(sides, seconds, clients))
    return sides


def _report(sides: dict[str, dict[str, Any]], seconds: int, clients: int) -> str:
    rows = [
        [
            name,
            round(s["rps"], 1),
            s["p50_us"] / 1000,
            s["p90_us"] / 1000,
            s["p99_us"] / 1000,
            round(s["cpu_ms_per_request"], 2),
            s["socket_errors"] + s["non_2xx"],
        ]
        for name, s in sides.items()
    ]
    names = [n for n in sides if not n.startswith("floor")]
    ratio = ""
    if len(names) == 2:
        r = sides[names[0]]["rps"] / sides[names[1]]["rps"]
        ratio = f"\nthroughput ratio Podium / MLflow: {r:.2f} (target ≥ {TARGET_RATIO})"
    notes = (
        f"\nwrk, {clients} connections, {seconds} s after a {WARMUP_S} s warm-up, one JSON row "
        f"per POST; target p99 ≤ {TARGET_P99_MS} ms. MLflow returns labels only; Podium "
        "returns labels and class probabilities, checks the bearer token and counts every call "
        "(prediction log at the deployment's default sample rate). CPU ms/request: user + system "
        "time of the side's whole process tree during the measured run, per answered request."
    )
    header = ["side", "requests/s", "p50 ms", "p90 ms", "p99 ms", "CPU ms/request", "errors"]
    return table(header, rows) + ratio + notes
