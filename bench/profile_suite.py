"""Suite ``profile``: the dataset profile of the 1M-row table, as a worker computes it.

``python -m bench.profile_suite [--dataset synth1m]``: read the CSV (``read_table``, as the
worker does), profile it without and with the target, and serialize the profile to JSON (what
the worker stores). Target: read + profile + JSON ≤ 30 s on the 2-core machine (issue 14).
CPU seconds are printed beside wall seconds: on a machine shared with other work they say what
the profile itself costs.
"""

from __future__ import annotations

import argparse
import json
import time

from bench import datasets
from bench.common import machine_load

TARGET_S = 30.0


def main() -> None:
    """Print one line per step and the totals."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile_suite")
    parser.add_argument("--dataset", default="synth1m")
    args = parser.parse_args()
    from podium.engine import read_table
    from podium.engine.prepare.profile import profile

    data = datasets.load(args.dataset)
    print(machine_load())
    t0, cpu0 = time.perf_counter(), time.process_time()
    df = read_table(data.path)
    read_s = time.perf_counter() - t0
    print(
        f"read_table: {read_s:.2f} s (CPU {time.process_time() - cpu0:.2f} s; "
        f"{len(df):,} rows × {df.shape[1]} columns)"
    )
    for target in (None, datasets.TARGET):
        t0, cpu0 = time.perf_counter(), time.process_time()
        result = profile(df, target)
        profile_s, cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
        t0 = time.perf_counter()
        text = json.dumps(result)
        json_s = time.perf_counter() - t0
        total = read_s + profile_s + json_s
        verdict = "met" if total <= TARGET_S else "MISSED"
        print(
            f"target={target}: profile {profile_s:.2f} s (CPU {cpu_s:.2f} s), JSON {json_s:.2f} s "
            f"({len(text) / 1e6:.2f} MB); read + profile + JSON {total:.2f} s "
            f"(≤ {TARGET_S:.0f} s: {verdict}); findings {[f['code'] for f in result['findings']]}"
        )
    print(result["notes"][0])


if __name__ == "__main__":
    main()
