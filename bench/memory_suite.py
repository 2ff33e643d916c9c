"""Suite ``memory``: the peak memory of a 1M-row × 20-column compare's process tree (issue 17).

Target: peak ≤ 4 × the table's size as float64 (1,000,000 × 20 × 8 B = 160 MB → 640 MB). Two
Podium-only runs, each in a fresh subprocess sampled by :func:`bench.common.run_measured`:

- the **floor**: the parent with pandas and the engine imported and its process pool warm (every
  worker has imported the fitting code and the model modules), no data;
- the **compare**: ``setup`` + ``compare`` of ``synth1m`` (``HUGE_MODELS`` × 5 folds, raced,
  seed 42, train share 0.7), once (cold).

Printed for each: peak summed RSS (a page shared by n processes counted n times) and peak summed
PSS (counted once: shared pages split between the processes mapping them) of the tree, and at
the peak PSS sample each process's PSS split into fold files (the engine's memory-mapped folds),
anonymous memory (private arrays and copies) and code (libraries and other mapped files).

With ``--lone`` (:func:`lone`): each model of the list fitted on ONE fold in a fresh process of
the plain libraries (``bench.runners.lone_fit``: no Podium), on the fold arrays Podium's fold
files give — the floor any tool fitting that model on that fold pays.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import datasets
from bench.common import DATA, PODIUM_PYTHON, Measured, run_measured, table, tail
from bench.engine_suite import PODIUM_ENV, check_engine, prime_bytecode

TABLE_FLOAT64_MB = 1_000_000 * 20 * 8 / 2**20
TARGET_MB = 4 * TABLE_FLOAT64_MB
TIMEOUT_S = 7200


def _run(runner: str, spec: dict[str, Any]) -> Measured:
    cmd = [str(PODIUM_PYTHON), "-m", f"bench.runners.{runner}", json.dumps(spec)]
    return run_measured(cmd, env=PODIUM_ENV, timeout_s=TIMEOUT_S, breakdown=True)


def compare_spec(
    name: str = "synth1m", models: list[str] | None = None, fit_memory_mb: float | None = None
) -> dict[str, Any]:
    """The compare the suite measures (the engine suite's spec, raced, one run;
    ``fit_memory_mb``: another memory admission budget than the scheduler's)."""
    ds = datasets.load(name)
    return {
        "fit_memory_mb": fit_memory_mb,
        "data": str(ds.path),
        "target": datasets.TARGET,
        "task": ds.task,
        "models": models or ds.models,
        "folds": 5,
        "train_size": 0.7,
        "seed": datasets.SEED,
        "sort": ds.sort,
        "race": True,
    }


def _row(name: str, m: Measured) -> list[Any]:
    by_role: dict[str, dict[str, float]] = {}
    for proc in m.at_peak_pss:
        role = by_role.setdefault(proc["role"], {"n": 0})
        role["n"] += 1
        for key in ("pss", "folds_pss", "anon_pss", "code_pss"):
            role[key] = role.get(key, 0.0) + proc[key]

    def part(role: str) -> str:
        r = by_role.get(role)
        if not r:
            return "—"
        return (
            f"{r['n']:.0f}× {r['pss']:.0f} (folds {r['folds_pss']:.0f}, anon {r['anon_pss']:.0f}, "
            f"code {r['code_pss']:.0f})"
        )

    return [
        name, m.wall_s, m.peak_tree_rss_mb, m.peak_tree_pss_mb, m.max_rss_mb,
        part("parent"), part("server"), part("worker"),
    ]  # fmt: skip


def run(
    name: str = "synth1m", models: list[str] | None = None, fit_memory_mb: float | None = None
) -> dict[str, Any]:
    """Measure the floor and the compare; print the table; return the records."""
    check_engine()
    prime_bytecode()
    out: dict[str, Any] = {}
    rows = []
    for label, runner, spec in (
        ("floor (pool warm, no data)", "podium_floor", {}),
        (f"compare {name}", "podium_compare", compare_spec(name, models, fit_memory_mb)),
    ):
        m = _run(runner, spec)
        if m.returncode != 0:
            print(f"  {label} failed (exit {m.returncode}):\n{tail(m.stderr or m.stdout, 12)}")
            continue
        result = {k: v for k, v in m.result.items() if k not in ("leaderboard", "warm")}
        print(f"- {label}: {m.wall_s:.1f} s, peak RSS {m.peak_tree_rss_mb:.0f} MB, "
              f"PSS {m.peak_tree_pss_mb:.0f} MB, best {result.get('best_model')} "
              f"{result.get('best_score')}")  # fmt: skip
        out[label] = {**result, "peak_tree_rss_mb": m.peak_tree_rss_mb,
                      "peak_tree_pss_mb": m.peak_tree_pss_mb, "max_rss_mb": m.max_rss_mb,
                      "at_peak_pss": m.at_peak_pss}  # fmt: skip
        rows.append(_row(label, m))
    headers = [
        "run", "wall s", "peak Σ RSS MB", "peak Σ PSS MB", "largest process MB",
        "parent at peak PSS: MB PSS", "fork server at it", "workers at it",
    ]  # fmt: skip
    print()
    print(table(headers, rows))
    print(
        f"\nTarget: peak ≤ 4 × 1,000,000 × 20 × 8 B = 640 × 10^6 B = {TARGET_MB:.0f} MiB; every "
        "MB above is a MiB (2^20 B), as the other suites print."
    )
    return out


def fold_files(name: str, fold: int = 0) -> Path:
    """Fold ``fold`` of the compare's experiment written as Podium's ``FoldFiles`` (float64, as
    ``fold_data`` preprocesses it: its first ``fold`` + 1 folds), cached under the data folder."""
    folder = DATA / f"{name}_folds"
    if (folder / f"{fold}_y_valid.npy").exists():
        return folder
    import pandas as pd

    from podium.engine import setup

    spec = compare_spec(name)
    exp = setup(pd.read_csv(spec["data"]), spec["target"], train_size=spec["train_size"],
                seed=spec["seed"], folds=spec["folds"])  # fmt: skip
    d = exp._d  # the very arrays fold_data builds, one fold only (the bench's shortcut)
    from podium.engine.prepare.cv import fold_indices

    splits = fold_indices(d.y_enc[d.train_idx], d.task, d.folds, d.seed, d.stratify)
    tr, va = splits[fold]
    arrays = exp._transform(d.train_idx[tr], d.train_idx[va])
    folder.mkdir(parents=True, exist_ok=True)
    arrays.save(folder, fold)
    return folder


def lone(name: str = "synth1m", models: list[str] | None = None) -> dict[str, Any]:
    """Each model fitted alone on one fold with the plain libraries; print the table."""
    folder = fold_files(name)
    out: dict[str, Any] = {}
    rows = []
    for model in models or datasets.load(name).models:
        spec = {"folds": str(folder), "fold": 0, "model": model, "seed": datasets.SEED}
        m = run_measured(
            [str(PODIUM_PYTHON), "-m", "bench.runners.lone_fit", json.dumps(spec)],
            env=PODIUM_ENV, timeout_s=TIMEOUT_S, breakdown=True,
        )  # fmt: skip
        if m.returncode != 0:
            print(f"  {model} failed (exit {m.returncode}):\n{tail(m.stderr or m.stdout, 12)}")
            continue
        r, at = m.result, (m.at_peak_pss or [{}])[0]
        out[model] = {**r, "peak_rss_mb": m.peak_tree_rss_mb, "peak_pss_mb": m.peak_tree_pss_mb,
                      "at_peak_pss": m.at_peak_pss}  # fmt: skip
        rows.append([
            model, r["fit_score_s"], r["before"]["rss_mb"], r["before"]["anon_mb"],
            r["peak_rss_mb"], m.peak_tree_pss_mb, at.get("folds_pss", 0.0),
            at.get("anon_pss", 0.0), r["peak_rss_mb"] - r["before"]["rss_mb"],
        ])  # fmt: skip
        print(f"- {model}: {r['fit_score_s']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB, "
              f"PSS {m.peak_tree_pss_mb:.0f} MB", flush=True)  # fmt: skip
    headers = [
        "model", "fit+score s", "RSS before fit", "anon before", "peak RSS (VmHWM)",
        "peak PSS", "fold files at it", "anon at it", "fit's own (peak − before)",
    ]  # fmt: skip
    print()
    print(table(headers, rows))
    return out
