"""Suite ``cold``: a fresh process's first compare against the second one in the same process.

One subprocess (``bench.runners.podium_compare`` with ``repeats: 2``) runs setup + compare twice
on the same table: *cold* (a fresh interpreter: the process pool starts, its workers import the
fitting code and the model modules) and *warm* (the pool already running). Each tool's default
model list (``models: None``), 5 shuffled folds, seed 42, train share 0.7 — raced, then in a
second subprocess with ``race=False`` (every fold of every model): a raced compare stops most
models early, and its tail (the leader's last fits) can leave a core idle, which the ratio
counts as overhead; the full compare is what the target was first measured on. Both are
reported; the raced one is the default compare's.

Printed per run: setup s, compare s, first row s (from just before ``setup``), Σ fit+score s,
fits, two overheads: compare ÷ (Σ fit+score ÷ cores) — the engine suite's — and
(setup + compare) ÷ (Σ fit+score ÷ cores), which still counts a pool start that ``setup`` began;
the holdout fits' Σ fit+score (they emit no ``model.fitted`` event, so the overheads above
leave that work out of the denominator: ~1/5 of a model's work at 5 folds) and both
overheads counting them; CPU seconds of the parent and of the fork server (its imports) over
setup + compare; then
cold ÷ warm of each overhead (target: the cold overhead ≤ 1.2; under load, cold ÷ warm of one
run and the CPU seconds are what carry signal).
"""

from __future__ import annotations

from typing import Any

from bench import datasets
from bench.common import CORES, table, tail
from bench.engine_suite import check_engine, prime_bytecode, run_podium

TARGET_OVERHEAD = 1.2
HEADERS = [
    "run", "setup s", "compare s", "first row s", "Σ fit+score s", "fits",
    "overhead (compare)", "overhead (setup + compare)", "holdout fits s",
    "overhead with holdout fits: compare / setup + compare", "parent CPU s", "server CPU s",
    "best",
]  # fmt: skip


def _overheads(run: dict[str, Any]) -> tuple[float, float]:
    per_core = run["fit_sum_s"] / CORES
    return run["compare_s"] / per_core, run["wall_s"] / per_core


def _row(label: str, r: dict[str, Any]) -> list[Any]:
    compare_oh, wall_oh = _overheads(r)
    holdout = r.get("holdout_fit_sum_s") or 0.0
    per_core = (r["fit_sum_s"] + holdout) / CORES
    with_holdout = f"{r['compare_s'] / per_core:.2f} / {r['wall_s'] / per_core:.2f}"
    return [
        label, r["setup_s"], r["compare_s"], r["first_row_s"], r["fit_sum_s"], r["fits"],
        compare_oh, wall_oh, holdout, with_holdout, r.get("parent_cpu_s"), r.get("server_cpu_s"),
        f"{r['best_model']} {r['best_score']}",
    ]  # fmt: skip


def _pair(spec: dict[str, Any], race: bool) -> dict[str, Any]:
    """One subprocess: a cold and a warm compare (``race`` as given); {} when it failed."""
    m = run_podium({**spec, "race": race}, timeout_s=7200)
    if m.returncode != 0 or not m.result:
        print(f"  failed (exit {m.returncode}):\n{tail(m.stderr or m.stdout, 12)}")
        return {}
    cold = {k: v for k, v in m.result.items() if k not in ("leaderboard", "warm")}
    warm = m.result["warm"][0]
    rows = [_row("cold (first compare of the process)", cold), _row("warm (second)", warm)]
    ratio = [rows[0][i] / rows[1][i] for i in (6, 7)]
    print(f"\n{'raced (the default)' if race else 'race=False (every fold)'}:")
    print(table(HEADERS, rows))
    print(
        f"cold ÷ warm: compare overhead {ratio[0]:.2f}, setup + compare {ratio[1]:.2f}. "
        f"Peak tree RSS {m.peak_tree_rss_mb:.0f} MB."
    )
    return {"cold": cold, "warm": warm, "ratio": ratio}


def run(name: str = "synth10k", models: list[str] | None = None) -> dict[str, Any]:
    """Measure one cold and one warm compare of ``name``, raced and with ``race=False``;
    print the tables; return the record (the raced pair at the top level, as before)."""
    check_engine()
    prime_bytecode()
    ds = datasets.load(name)
    spec = {
        "data": str(ds.path), "target": datasets.TARGET, "task": ds.task, "models": models,
        "folds": 5, "train_size": 0.7, "seed": datasets.SEED, "sort": None, "repeats": 2,
    }  # fmt: skip
    print(f"- {name}: {ds.rows:,} rows, {'default' if models is None else len(models)} models")
    raced = _pair(spec, race=True)
    full = _pair(spec, race=False)
    if not raced:
        return {}
    print(f"\ntarget: cold overhead ≤ {TARGET_OVERHEAD} (raced and race=False).")
    return {"dataset": name, **raced, "full": full}
