"""Suite ``plots``: how long a model's evaluation plot takes to open for a 100,000-row run.

``python -m bench.plots_suite [--dataset synth100k] [--repeats 5]``: a real ``podium serve``
(embedded worker) on a free port; upload the table, run a compare of one cheap model per task
(binary: the table's yes/no target; regression: its numeric column ``f00`` as the target), then
request the model view and every ``predictions`` plot of each over HTTP, as the model page does.
Each plot is computed at request time from the stored out-of-fold predictions (70,000 rows: the
other 30,000 are the holdout). Last, ``podium serve`` restarts on the same data and the first
plot is asked for as soon as it answers (before its background imports are done: the worst case).
Target: every plot ≤ 1 s (issue 14).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench import datasets
from bench.common import machine_load
from bench.serverkit import Server

TARGET_S = 1.0
RUNS = (("binary", datasets.TARGET, "nb"), ("regression", "f00", "lr"))


def _timed(server: Server, path: str, repeats: int) -> tuple[list[float], int]:
    times, size = [], 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        resp = server.api.http.get(path)
        times.append(time.perf_counter() - t0)
        resp.raise_for_status()
        size = len(resp.content)
    return times, size


def main() -> None:
    """Print one line per request: median and worst of ``repeats``, response size."""
    parser = argparse.ArgumentParser(prog="python -m bench.plots_suite")
    parser.add_argument("--dataset", default="synth100k")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    data = datasets.load(args.dataset)
    print(machine_load())
    worst = 0.0
    first: list[str] = []
    with Server(embedded_workers=1) as server:
        source = server.api.upload(data.path, args.dataset)
        for task, target, model in RUNS:
            exp = server.api.experiment(f"plots-{task}", task, target, data_source_id=source)
            t0 = time.perf_counter()
            run = server.api.submit(exp, plan_params={"models": [model]})
            done = server.api.wait(run["id"])
            print(f"{task}: compare [{model}] {done['status']} in {time.perf_counter() - t0:.1f} s")
            base = f"/runs/{run['id']}/models/{model}"
            view = server.api.call("GET", base)
            paths = [("model view", base)] + [
                (p["id"], f"{base}/plots/{p['id']}")
                for p in view["plots"]
                if p["source"] == "predictions" and p["available"]
            ]
            first = first or [p for _, p in paths[1:]]
            for name, path in paths:
                times, size = _timed(server, path, args.repeats)
                worst = max(worst, max(times))
                print(
                    f"  {name:28} first {times[0] * 1000:7.1f} ms, median "
                    f"{statistics.median(times) * 1000:7.1f} ms, worst {max(times) * 1000:7.1f} ms,"
                    f" {size / 1000:6.1f} kB"
                )
        worst = max(worst, _after_restart(server, first))
    verdict = "met" if worst <= TARGET_S else "MISSED"
    print(f"worst request {worst * 1000:.0f} ms (every plot ≤ {TARGET_S:.0f} s: {verdict})")


def _after_restart(server: Server, paths: list[str]) -> float:
    """Restart ``podium serve`` on the same data and ask for a plot the moment it answers
    ``/healthz``: the worst case, a plot opened before the API's background import of
    scikit-learn's metrics is done. Returns that request's time."""
    server.proc.stop()
    t0 = time.perf_counter()
    server.proc.start()
    server._wait_healthy()
    up = time.perf_counter() - t0
    times, _ = _timed(server, paths[0], 1)
    print(
        f"restart: healthy after {up:.1f} s, then the first plot ({paths[0].rsplit('/', 1)[1]}) "
        f"{times[0] * 1000:.1f} ms"
    )
    return times[0]


if __name__ == "__main__":
    main()
