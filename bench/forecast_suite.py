"""Suite ``forecast``: Podium's forecasting compare vs PyCaret 3.3.2's ``pycaret.time_series``
``compare_models`` (issue 15), side by side in one run.

Series (bench/runners/forecast_series.py, written once as CSV so both sides read the same
values): AirPassengers (monthly, sktime), El Niño sea temperatures (monthly, statsmodels), CO2
at Mauna Loa (weekly, statsmodels), and real GDP, CPI and unemployment (quarterly, statsmodels
macrodata); each its last 240 points at most. Same horizon (12 monthly, 13 weekly, 8
quarterly), 3 expanding windows stepping by the horizon, season length 12/52/4 given to PyCaret
(Podium infers the same from the frequency). PyCaret keeps the last horizon as its test set and
cross-validates before it; Podium gets the series without that last horizon, so both rank
models on the same windows with the same MASE (sktime's: MAE over the in-sample seasonal naive
MAE of each training window). Wall: setup + compare per series, imports excluded.
Targets: mean best MASE ≤ PyCaret's, wall ≤ 1/5 of PyCaret's.
"""

from __future__ import annotations

import json
from typing import Any

from bench.common import (
    DATA,
    PODIUM_PYTHON,
    Unavailable,
    ensure_venv,
    fmt,
    run_measured,
    table,
    tail,
)
from bench.engine_suite import PODIUM_ENV

SERIES = {  # name: (pandas period alias for PyCaret, horizon, season length)
    "airline": ("M", 12, 12),
    "elnino": ("M", 12, 12),
    "co2": ("W-SAT", 13, 52),
    "realgdp": ("Q", 8, 4),
    "cpi": ("Q", 8, 4),
    "unemp": ("Q", 8, 4),
}
FOLDS = 3
SEED = 42
TARGET_WALL = 1 / 5
PYCARET_REQS = ["pycaret==3.3.2", "six"]


def _write_series(python: str) -> dict[str, Any]:
    folder = DATA / "forecast"
    cmd = [python, "bench/runners/forecast_series.py", str(folder)]
    m = run_measured(cmd, timeout_s=600)
    if m.returncode != 0 or not m.result:
        raise Unavailable(f"could not write the series: {tail(m.stderr or m.stdout)}")
    return m.result


def run(names: list[str] | None = None, pycaret: bool = True) -> dict[str, Any]:
    """Both sides on every series; print the table and the two targets."""
    py = str(ensure_venv("pycaret", PYCARET_REQS))
    written = _write_series(py)
    names = names or list(SERIES)
    spec = {
        "series": [
            {"name": n, "data": written[n]["file"], "horizon": SERIES[n][1], "folds": FOLDS}
            for n in names
        ]
    }
    cmd = [str(PODIUM_PYTHON), "-m", "bench.runners.podium_forecast", json.dumps(spec)]
    pod = run_measured(cmd, env=PODIUM_ENV, timeout_s=3600)
    if pod.returncode != 0 or "series" not in pod.result:
        raise Unavailable(f"Podium's side failed: {tail(pod.stderr or pod.stdout, 8)}")
    for n, p in pod.result["series"].items():  # printed now: PyCaret's side takes far longer
        print(f"- {n}: Podium {fmt(p['mase'])} ({p['best']}), {fmt(p['wall_s'], 1)} s")
    anchor: dict[str, Any] = {}
    for n in names if pycaret else []:
        period, h, m = SERIES[n]
        one = {"data": written[n]["file"], "period": period, "horizon": h, "folds": FOLDS,
               "season_length": m, "seed": SEED}  # fmt: skip
        res = run_measured(
            [py, "bench/runners/pycaret_forecast.py", json.dumps(one)], timeout_s=3600
        )
        anchor[n] = res.result if res.returncode == 0 else {"error": tail(res.stderr, 4)}
        print(f"- {n}: PyCaret {fmt(anchor[n].get('mase'))} ({anchor[n].get('best')}), "
              f"{fmt(anchor[n].get('wall_s'), 1)} s")  # fmt: skip
    return report(pod.result["series"], anchor)


def report(pod: dict[str, Any], anchor: dict[str, Any]) -> dict[str, Any]:
    """Print one row per series, the means and the ratios against the targets."""
    rows = []
    for n, p in pod.items():
        a = anchor.get(n, {})
        rows.append([n, p["best"], fmt(p["mase"]), fmt(p["wall_s"], 1), a.get("best", "-"),
                     fmt(a.get("mase")), fmt(a.get("wall_s"), 1)])  # fmt: skip
    print(
        table(["series", "Podium best", "MASE", "wall s", "PyCaret best", "MASE", "wall s"], rows)
    )
    both = [n for n in pod if "mase" in anchor.get(n, {})]
    out: dict[str, Any] = {"podium": pod, "pycaret": anchor}
    if both:
        pm = sum(pod[n]["mase"] for n in both) / len(both)
        am = sum(anchor[n]["mase"] for n in both) / len(both)
        pw = sum(pod[n]["wall_s"] for n in both)
        aw = sum(anchor[n]["wall_s"] for n in both)
        print(f"mean MASE: Podium {pm:.4f} vs PyCaret {am:.4f} (target ≤): "
              f"{'met' if pm <= am else 'NOT met'}")  # fmt: skip
        verdict = "met" if pw / aw <= TARGET_WALL else "NOT met"
        print(f"wall: Podium {pw:.1f} s vs PyCaret {aw:.1f} s, ratio {pw / aw:.3f} "
              f"(target ≤ {TARGET_WALL:.2f}): {verdict}")  # fmt: skip
        out.update(mean_mase={"podium": pm, "pycaret": am}, wall_ratio=pw / aw)
    return out
