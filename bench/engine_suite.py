"""Suite ``engine``: Podium's compare vs PyCaret 3.3.2's ``compare_models``, side by side.

Same CSV bytes, same model ids, same folds (5, shuffled, seed 42), same train share (0.7), same
sort metric (Accuracy / R2). Each side runs in its own subprocess (PyCaret in its own venv with its
old pins), so wall time and peak memory are measured the same way for both.
"""

from __future__ import annotations

import json
import time
from typing import Any

from bench import datasets
from bench.common import (
    CORES,
    DATA,
    PODIUM_PYTHON,
    ROOT,
    Measured,
    Unavailable,
    ensure_venv,
    run_measured,
    table,
    tail,
)

PYCARET_REQUIREMENTS = ["pycaret==3.3.2", "six"]  # six: scikit-plot imports it, nobody declares it
TARGET_RATIO = 1 / 3
TARGET_SCORE_GAP = 0.005
TARGET_OVERHEAD = 1.2


def check_engine() -> None:
    """Raise :class:`Unavailable` unless the engine's public API is importable."""
    try:
        from podium.engine import describe, setup  # noqa: F401
    except ImportError as exc:
        raise Unavailable(f"podium.engine's setup/describe are not built yet ({exc})") from exc


def spec_for(ds: datasets.Dataset, models: list[str] | None, folds: int) -> dict[str, Any]:
    """The JSON spec both runners read."""
    return {
        "data": str(ds.path),
        "target": datasets.TARGET,
        "task": ds.task,
        "models": models or ds.models,
        "folds": folds,
        "train_size": 0.7,
        "seed": datasets.SEED,
        "sort": ds.sort,
    }


def run_podium(spec: dict[str, Any], timeout_s: float = 3600.0) -> Measured:
    """Podium's side in a fresh interpreter of Podium's venv."""
    cmd = [str(PODIUM_PYTHON), "-m", "bench.runners.podium_compare", json.dumps(spec)]
    return run_measured(cmd, env={"PYTHONPATH": str(ROOT)}, timeout_s=timeout_s)


def run_pycaret(spec: dict[str, Any], timeout_s: float = 3600.0) -> Measured:
    """PyCaret's side in bench/.venvs/pycaret."""
    py = ensure_venv("pycaret", PYCARET_REQUIREMENTS)
    script = ROOT / "bench" / "runners" / "pycaret_compare.py"
    return run_measured([str(py), str(script), json.dumps(spec)], timeout_s=timeout_s)


def _side(name: str, m: Measured | None) -> dict[str, Any]:
    if m is None:
        return {}
    if m.returncode != 0 or not m.result:
        print(f"  {name} failed (exit {m.returncode}):\n{tail(m.stderr or m.stdout, 12)}")
        return {}
    return {**m.result, "peak_tree_rss_mb": m.peak_tree_rss_mb, "max_rss_mb": m.max_rss_mb}


def bench_dataset(
    ds: datasets.Dataset, *, models: list[str] | None, folds: int, pycaret: bool
) -> dict[str, Any]:
    """Run both sides on one dataset; return the record that the summary table prints."""
    spec = spec_for(ds, models, folds)
    print(f"- {ds.name}: {ds.rows:,} rows, {ds.task}, {len(spec['models'])} models × {folds} folds")
    podium = _side("Podium", run_podium(spec))
    anchor = _side("PyCaret", run_pycaret(spec)) if pycaret else {}
    record: dict[str, Any] = {
        "dataset": ds.name,
        "rows": ds.rows,
        "task": ds.task,
        "models": spec["models"],
        "sort": ds.sort,
        "podium": {k: v for k, v in podium.items() if k != "leaderboard"},
        "pycaret": {k: v for k, v in anchor.items() if k != "leaderboard"},
        "podium_leaderboard": podium.get("leaderboard"),
        "pycaret_leaderboard": anchor.get("leaderboard"),
    }
    if podium.get("fit_sum_s"):
        record["overhead"] = podium["compare_s"] / (podium["fit_sum_s"] / CORES)
    if podium.get("wall_s") and anchor.get("wall_s"):
        record["ratio"] = podium["wall_s"] / anchor["wall_s"]
    if podium.get("best_score") is not None and anchor.get("best_score") is not None:
        record["score_gap"] = float(podium["best_score"]) - float(anchor["best_score"])
    print(
        f"  Podium {podium.get('wall_s', float('nan')):.2f} s best {podium.get('best_model')} "
        f"{podium.get('best_score')} | PyCaret {anchor.get('wall_s', float('nan')):.2f} s best "
        f"{anchor.get('best_model')} {anchor.get('best_score')}"
    )
    return record


def summary(records: list[dict[str, Any]]) -> str:
    """The side-by-side table (Markdown)."""
    rows = []
    for r in records:
        p, c = r["podium"], r["pycaret"]
        rows.append(
            [
                r["dataset"],
                f"{r['rows']:,}",
                len(r["models"]),
                p.get("wall_s"),
                c.get("wall_s"),
                r.get("ratio"),
                f"{p.get('best_model')} {p.get('best_score')}" if p else "—",
                f"{c.get('best_model')} {c.get('best_score')}" if c else "—",
                r.get("score_gap"),
                p.get("peak_tree_rss_mb"),
                c.get("peak_tree_rss_mb"),
                r.get("overhead"),
                p.get("first_row_s"),
            ]
        )
    headers = [
        "dataset", "rows", "models", "Podium s", "PyCaret s", "ratio P/C", "Podium best",
        "PyCaret best", "Δ best", "Podium MB", "PyCaret MB", "overhead", "1st row s",
    ]  # fmt: skip
    notes = (
        f"\nTargets: ratio ≤ {TARGET_RATIO:.3f}; Δ best (Podium − PyCaret, sort metric) ≥ "
        f"−{TARGET_SCORE_GAP}; overhead ≤ {TARGET_OVERHEAD}.\n"
        "wall = setup + compare inside each subprocess (imports excluded, listed in the JSON); "
        "MB = peak summed RSS of the process tree (10 Hz samples); overhead = compare wall ÷ "
        f"(Σ model.fitted durations ÷ {CORES} cores)."
    )
    return table(headers, rows) + notes


def run(
    names: list[str], *, models: list[str] | None = None, folds: int = 5, pycaret: bool = True
) -> list[dict[str, Any]]:
    """Run the suite on ``names``; print the table; save the records as JSON."""
    check_engine()
    records = []
    for name in names:
        ds = datasets.load(name)
        records.append(bench_dataset(ds, models=models, folds=folds, pycaret=pycaret))
    print()
    print(summary(records))
    out = DATA / "results" / f"engine-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(records, indent=1, default=str))
    print(f"\n(records: {out.relative_to(ROOT)})")
    return records
