"""Suite ``tune``: ``tune(model, n_trials=30)`` against the model's defaults, per model and table.

On the quality suite's train files (bench/quality_suite.py): Podium's setup with its defaults
(5 folds, seed 42), then for each model ``tune`` with ``n_trials`` trials: trial 0 (the model as
given, on the same folds) against the tuned model, on the table's metric (AUC / accuracy / R²).
One subprocess per table (Podium's venv, compiled bytecode cache as in the other suites).
"""

from __future__ import annotations

import json
from typing import Any

from bench.common import PODIUM_PYTHON, Unavailable, run_measured, table, tail
from bench.engine_suite import PODIUM_ENV
from bench.quality_suite import BY_NAME, SEED, TARGET, prepare

MODELS = {
    "binary": ["lightgbm", "rf", "et", "dt", "lr"],
    "multiclass": ["lightgbm", "rf", "et", "dt", "lr"],
    "regression": ["lightgbm", "rf", "et", "dt", "ridge"],
}


def run(
    names: list[str], *, n_trials: int = 30, models: list[str] | None = None
) -> list[dict[str, Any]]:
    """Tune each model on each table; print one row per (table, model) and the tally."""
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise Unavailable(f"unknown table {', '.join(unknown)}")
    paths = prepare(names)
    records = []
    for name in names:
        task = BY_NAME[name].task
        spec = {
            "train": str(paths[name][0]),
            "test": str(paths[name][1]),
            "target": TARGET,
            "task": task,
            "seed": SEED,
            "mode": "tune",
            "models": models or MODELS[task],
            "n_trials": n_trials,
            "out": "",
        }
        cmd = [str(PODIUM_PYTHON), "-m", "bench.runners.podium_quality", json.dumps(spec)]
        m = run_measured(cmd, env=PODIUM_ENV, timeout_s=3600)
        if m.returncode != 0 or "tune" not in m.result:
            print(f"- {name}: failed (exit {m.returncode})\n{tail(m.stderr or m.stdout, 8)}")
            continue
        for model_id, r in m.result["tune"].items():
            record = {"table": name, "model": model_id, "metric": m.result["sort"], **r}
            records.append(record)
            print(
                f"- {name} {model_id}: default {r['default']} → tuned {r['tuned']} "
                f"({r['tune_s']:.0f} s)"
            )
    print("\n" + report(records, n_trials))
    return records


def report(records: list[dict[str, Any]], n_trials: int) -> str:
    """One row per (table, model): default CV score, tuned CV score, gain; then the tally."""
    rows, better = [], 0
    for r in records:
        gain = None
        if isinstance(r["default"], int | float) and isinstance(r["tuned"], int | float):
            gain = float(r["tuned"]) - float(r["default"])
            better += gain > 0
        rows.append([r["table"], r["model"], r["metric"], r["default"], r["tuned"],
                     "—" if gain is None else f"{gain:+.4f}", f"{r['tune_s']:.0f}"])  # fmt: skip
    head = [
        "table",
        "model",
        "metric",
        "default CV",
        f"tuned CV ({n_trials} trials)",
        "gain",
        "tune s",
    ]
    return table(head, rows) + f"\n\ntune improved the CV score in {better}/{len(records)} cases."
