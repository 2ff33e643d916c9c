"""Podium ``forecast.setup(...).compare()`` on the forecasting suite's series (Podium's venv).

Usage: ``python -m bench.runners.podium_forecast '<json spec>'`` with key ``series``: a list
of {name, data, horizon, folds}. Each series loses its last ``horizon`` points first (PyCaret's
test set), so the backtest windows are PyCaret's CV windows. Prints one JSON line per run:
per series the compare wall (setup included), the best model and its mean backtest MASE.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    spec = json.loads(sys.argv[1])
    t0 = time.perf_counter()
    import pandas as pd

    from podium.engine import forecast

    t_import = time.perf_counter() - t0
    out = {}
    for item in spec["series"]:
        frame = pd.read_csv(item["data"]).iloc[: -item["horizon"]]
        t1 = time.perf_counter()
        exp = forecast.setup(frame, "value", time_column="time", horizon=item["horizon"],
                             windows=item["folds"], seed=42)  # fmt: skip
        res = exp.compare()
        wall = time.perf_counter() - t1
        best = res.leaderboard["rows"][0]
        out[item["name"]] = {
            "wall_s": wall,
            "best": best["model_id"],
            "mase": best["MASE"],
            "season_length": exp.season_length,
            "models": len(res.leaderboard["rows"]),
            "board": [(r["model_id"], r["MASE"], r["TT (Sec)"]) for r in res.leaderboard["rows"]],
        }
    print(json.dumps({"import_s": t_import, "series": out}))


if __name__ == "__main__":
    main()
