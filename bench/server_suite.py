"""Suite ``server``: a real ``podium serve`` on a free port, driven over HTTP and the WebSocket.

- submit → first ``leaderboard.updated`` and → ``run.finished`` for an iris compare (default
  models), with the WebSocket opened right after the submit (stored events replay, so none is
  missed);
- WebSocket event latency: event row ``ts`` → client receive, for events written after the client
  connected (p50/p95 over all such events of all runs);
- cancel latency: a long compare (digits, all default models) cancelled once its first row is
  in → ``run.cancelled`` received, and → the worker's process tree back under 10 % CPU;
- idle RSS of the server process (and with its embedded worker) before any run.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import percentile, table
from bench.serverkit import EventRecorder, Server, check_server, parse_ts, tree_cpu

TARGET_FIRST_ROW_S = 1.5
TARGET_CANCEL_S = 2.0
TARGET_P95_MS = 200.0
IDLE_CPU_PERCENT = 10.0


def idle_rss(server: Server) -> dict[str, float]:
    """RSS of the server process alone and of its whole tree (embedded worker included)."""
    time.sleep(2.0)
    ps = server.proc.ps
    own = ps.memory_info().rss
    tree = own + sum(k.memory_info().rss for k in ps.children(recursive=True))
    return {"server_rss_mb": own / 2**20, "tree_rss_mb": tree / 2**20}


def timed_compare(server: Server, experiment_id: str) -> dict[str, Any]:
    """Submit one compare, follow it over the WebSocket; timings and per-event latencies."""
    t0 = time.time()
    run = server.api.submit(experiment_id, "compare")
    t_submit = time.time() - t0
    rec = EventRecorder(server.api.ws_url(run["id"]))
    rec.start()
    rec.join(600)
    if rec.error:
        raise RuntimeError(f"WebSocket: {rec.error}")
    first = rec.first("leaderboard.updated")
    done = rec.first("run.finished") or rec.first("run.failed")
    live = [
        (recv - parse_ts(e["ts"])) * 1000
        for recv, e in rec.events
        if e.get("kind") != "run.closed" and parse_ts(e["ts"]) >= rec.connected_at
    ]
    return {
        "submit_s": t_submit,
        "first_row_s": (first[0] - t0) if first else None,
        "finished_s": (done[0] - t0) if done else None,
        "final_kind": done[1]["kind"] if done else None,
        "events": len(rec.events),
        "latencies_ms": live,
    }


def cancel_latency(server: Server) -> dict[str, Any]:
    """Cancel a long compare once its first row is in; time to cancelled and to idle CPU."""
    exp = server.api.experiment("cancel", "multiclass", "target", sklearn_dataset="digits")
    run = server.api.submit(exp, "compare")
    rec = EventRecorder(server.api.ws_url(run["id"]))
    rec.start()
    if rec.wait_for("leaderboard.updated", 300) is None:
        raise RuntimeError("no leaderboard.updated event within 300 s")
    busy = tree_cpu(server.proc.ps)
    t0 = time.time()
    server.api.call("POST", f"/runs/{run['id']}/cancel")
    t_ack = time.time() - t0
    hit = rec.wait_for("run.cancelled", 60)
    t_cancelled = (hit[0] - t0) if hit else None
    t_idle = None
    while time.time() - t0 < 60:
        if tree_cpu(server.proc.ps, 0.1) < IDLE_CPU_PERCENT:
            t_idle = time.time() - t0
            break
    final = server.api.wait(run["id"], 60)
    rows = len((final.get("leaderboard") or {}).get("rows") or [])
    return {
        "cpu_before_cancel_percent": busy,
        "cancel_request_s": t_ack,
        "cancelled_s": t_cancelled,
        "idle_s": t_idle,
        "status": final["status"],
        "rows_kept": rows,
    }


def run(repeats: int = 5) -> dict[str, Any]:
    """Run the suite; print the table; return the measurements."""
    check_server()
    with Server(embedded_workers=1) as server:
        rss = idle_rss(server)
        exp = server.api.experiment("iris", "multiclass", "target", sklearn_dataset="iris")
        runs = [timed_compare(server, exp) for _ in range(repeats)]
        cancel = cancel_latency(server)
    latencies = [ms for r in runs for ms in r["latencies_ms"]]
    result = {
        "idle": rss,
        "runs": [{k: v for k, v in r.items() if k != "latencies_ms"} for r in runs],
        "cancel": cancel,
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        "latency_n": len(latencies),
    }
    print(_report(result))
    return result


def _report(r: dict[str, Any]) -> str:
    first = [x["first_row_s"] for x in r["runs"] if x["first_row_s"] is not None]
    done = [x["finished_s"] for x in r["runs"] if x["finished_s"] is not None]
    c = r["cancel"]
    rows = [
        ["iris submit → first leaderboard.updated (median s)", percentile(first, 50),
         f"≤ {TARGET_FIRST_ROW_S}", f"runs: {', '.join(f'{x:.2f}' for x in first)}"],
        ["iris submit → run.finished (median s)", percentile(done, 50), "—",
         f"runs: {', '.join(f'{x:.2f}' for x in done)}"],
        ["cancel → run.cancelled (s)", c["cancelled_s"], f"≤ {TARGET_CANCEL_S}",
         f"status {c['status']}, {c['rows_kept']} rows kept"],
        ["cancel → worker tree CPU < 10 % (s)", c["idle_s"], f"≤ {TARGET_CANCEL_S}",
         f"CPU before cancel {c['cpu_before_cancel_percent']:.0f} %"],
        ["WS event latency p50 (ms)", r["latency_p50_ms"], "—", f"n = {r['latency_n']}"],
        ["WS event latency p95 (ms)", r["latency_p95_ms"], f"≤ {TARGET_P95_MS:.0f}", ""],
        ["server idle RSS (MB)", r["idle"]["server_rss_mb"], "—",
         f"with embedded worker: {r['idle']['tree_rss_mb']:.0f} MB"],
    ]  # fmt: skip
    return table(["measure", "value", "target", "detail"], rows)
