"""PyCaret 3.3.2 ``pycaret.time_series`` ``compare_models`` on one series CSV, run inside
bench/.venvs/pycaret.

Usage: ``python pycaret_forecast.py '<json spec>'`` with keys data, freq, horizon, folds,
season_length, seed. PyCaret keeps the last ``horizon`` points as its test set and
cross-validates on expanding windows before them (step = horizon). Prints one JSON line:
import and compare wall, the best model and its CV MASE, the primary seasonal period it used.
"""

from __future__ import annotations

import json
import sys
import time
import warnings


def main() -> None:
    spec = json.loads(sys.argv[1])
    warnings.filterwarnings("ignore")
    t0 = time.perf_counter()
    import pandas as pd
    from pycaret.time_series import TSForecastingExperiment

    t_import = time.perf_counter() - t0
    frame = pd.read_csv(spec["data"])
    y = pd.Series(
        frame["value"].to_numpy(dtype="float64"),
        index=pd.PeriodIndex(pd.to_datetime(frame["time"]), freq=spec["period"]),
    )
    t1 = time.perf_counter()
    exp = TSForecastingExperiment()
    exp.setup(
        data=y,
        fh=spec["horizon"],
        fold=spec["folds"],
        fold_strategy="expanding",
        seasonal_period=spec["season_length"],
        session_id=spec["seed"],
        verbose=False,
        html=False,
        n_jobs=-1,
    )
    t2 = time.perf_counter()
    exp.compare_models(sort="MASE", n_select=1, verbose=False)
    t3 = time.perf_counter()
    board = exp.pull()
    best = board.iloc[0]
    print(
        json.dumps(
            {
                "import_s": t_import,
                "setup_s": t2 - t1,
                "compare_s": t3 - t2,
                "wall_s": t3 - t1,
                "best": str(board.index[0]),
                "best_name": str(best.get("Model", "")),
                "mase": float(best["MASE"]),
                "models": len(board),
                "primary_sp": exp.get_config("primary_sp_to_use"),
            }
        )
    )


if __name__ == "__main__":
    main()
