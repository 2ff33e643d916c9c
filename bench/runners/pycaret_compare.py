"""PyCaret 3.3.2 ``compare_models`` on one CSV, run inside bench/.venvs/pycaret.

Usage: ``python pycaret_compare.py '<json spec>'`` with keys data, target, task, models, folds,
train_size, seed, sort. Prints one JSON line: wall times, best model id and score, the leaderboard.
Standalone on purpose: this interpreter has PyCaret's old pins, not Podium's libraries.
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
    if spec["task"] == "regression":
        from pycaret.regression import compare_models, pull, setup
    else:
        from pycaret.classification import compare_models, pull, setup
    import pandas as pd

    t_import = time.perf_counter() - t0
    df = pd.read_csv(spec["data"])
    cold = _once(spec, df, setup, compare_models, pull)
    # warm: a second setup + compare in the same process (joblib's worker pool already running),
    # the counterpart of Podium's warm measure
    warm = [_once(spec, df, setup, compare_models, pull)] if spec.get("warm") else []
    for run in warm:
        run.pop("leaderboard")
    print(json.dumps({"import_s": t_import, **cold, "warm": warm}))


def _once(spec: dict, df: object, setup: object, compare_models: object, pull: object) -> dict:
    t1 = time.perf_counter()
    # models / folds / sort None: PyCaret's own defaults (turbo list, 10 folds, Accuracy / R2)
    folds = {} if spec.get("folds") is None else {"fold": spec["folds"]}
    setup(  # type: ignore[operator]
        df,
        target=spec["target"],
        train_size=spec["train_size"],
        fold_shuffle=True,
        session_id=spec["seed"],
        verbose=False,
        html=False,
        n_jobs=-1,
        **folds,
    )
    t2 = time.perf_counter()
    sort = spec.get("sort") or ("R2" if spec["task"] == "regression" else "Accuracy")
    compare_models(include=spec.get("models"), sort=sort, n_select=1, verbose=False)  # type: ignore[operator]
    t3 = time.perf_counter()
    board = pull()  # type: ignore[operator]
    rows = [
        {"model_id": str(idx), **{k: _plain(v) for k, v in row.items()}}
        for idx, row in board.iterrows()
    ]
    best = rows[0] if rows else {}
    return {
        "setup_s": t2 - t1,
        "compare_s": t3 - t2,
        "wall_s": t3 - t1,
        "best_model": best.get("model_id"),
        "best_score": best.get(sort),
        "models_ran": len(rows),
        "leaderboard": rows,
    }


def _plain(value: object) -> object:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)


if __name__ == "__main__":
    main()
