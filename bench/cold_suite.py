"""Suite ``cold``: a fresh process's first compare against the second one in the same process.

One subprocess (``bench.runners.podium_compare`` with ``repeats: 2``) runs setup + compare twice
on the same table: *cold* (a fresh interpreter: the process pool starts, its workers import the
fitting code and the model modules) and *warm* (the pool already running). Each tool's default
model list (``models: None``), 5 shuffled folds, seed 42, train share 0.7, raced.

Printed per run: setup s, compare s, first row s (from just before ``setup``), Σ fit+score s,
fits, and two overheads: compare ÷ (Σ fit+score ÷ cores) — the engine suite's — and
(setup + compare) ÷ (Σ fit+score ÷ cores), which still counts a pool start that ``setup`` began;
then cold ÷ warm of each (target: the cold overhead ≤ 1.2; under load, cold ÷ warm of one run
is what carries signal).
"""

from __future__ import annotations

from typing import Any

from bench import datasets
from bench.common import CORES, table, tail
from bench.engine_suite import check_engine, prime_bytecode, run_podium

TARGET_OVERHEAD = 1.2


def _overheads(run: dict[str, Any]) -> tuple[float, float]:
    per_core = run["fit_sum_s"] / CORES
    return run["compare_s"] / per_core, run["wall_s"] / per_core


def run(name: str = "synth10k", models: list[str] | None = None) -> dict[str, Any]:
    """Measure one cold and one warm compare of ``name``; print the table; return the record."""
    check_engine()
    prime_bytecode()
    ds = datasets.load(name)
    spec = {
        "data": str(ds.path), "target": datasets.TARGET, "task": ds.task, "models": models,
        "folds": 5, "train_size": 0.7, "seed": datasets.SEED, "sort": None, "repeats": 2,
    }  # fmt: skip
    m = run_podium(spec, timeout_s=7200)
    if m.returncode != 0 or not m.result:
        print(f"  failed (exit {m.returncode}):\n{tail(m.stderr or m.stdout, 12)}")
        return {}
    cold = {k: v for k, v in m.result.items() if k not in ("leaderboard", "warm")}
    warm = m.result["warm"][0]
    rows = []
    for label, r in (("cold (first compare of the process)", cold), ("warm (second)", warm)):
        compare_oh, wall_oh = _overheads(r)
        rows.append([
            label, r["setup_s"], r["compare_s"], r["first_row_s"], r["fit_sum_s"], r["fits"],
            compare_oh, wall_oh, f"{r['best_model']} {r['best_score']}",
        ])  # fmt: skip
    ratio = [rows[0][i] / rows[1][i] for i in (6, 7)]
    headers = [
        "run", "setup s", "compare s", "first row s", "Σ fit+score s", "fits",
        "overhead (compare)", "overhead (setup + compare)", "best",
    ]  # fmt: skip
    print(f"- {name}: {ds.rows:,} rows, {'default' if models is None else len(models)} models")
    print(table(headers, rows))
    print(
        f"\ncold ÷ warm: compare overhead {ratio[0]:.2f}, setup + compare {ratio[1]:.2f}; "
        f"target: cold overhead ≤ {TARGET_OVERHEAD}. Peak tree RSS {m.peak_tree_rss_mb:.0f} MB."
    )
    return {"dataset": name, "cold": cold, "warm": warm, "ratio": ratio}
