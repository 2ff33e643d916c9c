"""Suite ``engine``: Podium's compare vs PyCaret 3.3.2's ``compare_models``, side by side.

Same CSV bytes, same model ids, same folds (5, shuffled, seed 42), same train share (0.7), same
sort metric (Accuracy / R2). Each side runs in its own subprocess (PyCaret in its own venv with its
old pins), so wall time and peak memory are measured the same way for both. Podium is measured
twice in its subprocess: *cold* (first compare: the process pool starts inside the wall) and
*warm* (a second setup + compare in the same process, pool running — a ``podium worker``).

Both sides import compiled bytecode, as a pip or Docker install does: PyCaret's venv has the
``.pyc`` files pip wrote; Podium's side gets a bytecode cache under ``bench/.data/pycache``
(``PYTHONPYCACHEPREFIX``), primed by one unmeasured run, because the development venv is synced
without bytecode and ``PYTHONDONTWRITEBYTECODE`` may be set — every process, each pool worker
included, would otherwise compile scikit-learn, SciPy and pandas from source (~4 s of CPU each).
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
PYCACHE = DATA / "pycache"
PODIUM_ENV = {
    "PYTHONPATH": str(ROOT),
    "PYTHONPYCACHEPREFIX": str(PYCACHE),
    "PYTHONDONTWRITEBYTECODE": "",  # empty = unset: write the cache
}
TARGET_RATIO = 1 / 3
WARM_ANCHOR_MAX_ROWS = 50_000
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
    """Podium's side in a fresh interpreter of Podium's venv (compiled bytecode cache)."""
    cmd = [str(PODIUM_PYTHON), "-m", "bench.runners.podium_compare", json.dumps(spec)]
    return run_measured(cmd, env=PODIUM_ENV, timeout_s=timeout_s)


def prime_bytecode() -> None:
    """One unmeasured compare on iris (every classification model) fills the bytecode cache
    for the parent and the pool workers, as an installed package's ``.pyc`` files would."""
    ds = datasets.load("iris")
    spec = {**spec_for(ds, None, 2), "models": datasets.CLASSIFICATION_MODELS}
    m = run_podium(spec)
    if m.returncode != 0:
        print(f"  priming the bytecode cache failed (exit {m.returncode}):\n{tail(m.stderr, 6)}")


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
    return {
        **m.result,
        "peak_tree_rss_mb": m.peak_tree_rss_mb,
        "peak_tree_pss_mb": m.peak_tree_pss_mb,
        "max_rss_mb": m.max_rss_mb,
        "cpu_s": m.cpu_s,  # the tree's CPU seconds: its idle-machine wall is ≥ cpu_s ÷ cores
        "runqueue_wait_s": m.runqueue_wait_s,
    }


def bench_dataset(
    ds: datasets.Dataset, *, models: list[str] | None, folds: int, pycaret: bool
) -> dict[str, Any]:
    """Run both sides on one dataset; return the record that the summary table prints."""
    spec = spec_for(ds, models, folds)
    print(f"- {ds.name}: {ds.rows:,} rows, {ds.task}, {len(spec['models'])} models × {folds} folds")
    podium = _side("Podium", run_podium({**spec, "repeats": 2}))
    both_warm = ds.rows < WARM_ANCHOR_MAX_ROWS  # a second PyCaret compare doubles its time
    anchor = _side("PyCaret", run_pycaret({**spec, "warm": both_warm})) if pycaret else {}
    warm = (podium.get("warm") or [{}])[0]
    anchor_warm = (anchor.get("warm") or [{}])[0]
    record: dict[str, Any] = {
        "dataset": ds.name,
        "rows": ds.rows,
        "task": ds.task,
        "models": spec["models"],
        "sort": ds.sort,
        "podium": {k: v for k, v in podium.items() if k not in ("leaderboard", "warm")},
        "podium_warm": warm,
        "pycaret": {k: v for k, v in anchor.items() if k not in ("leaderboard", "warm")},
        "pycaret_warm": anchor_warm,
        "podium_leaderboard": podium.get("leaderboard"),
        "pycaret_leaderboard": anchor.get("leaderboard"),
    }
    if podium.get("fit_sum_s"):
        record["overhead"] = podium["compare_s"] / (podium["fit_sum_s"] / CORES)
    if warm.get("fit_sum_s"):
        record["overhead_warm"] = warm["compare_s"] / (warm["fit_sum_s"] / CORES)
    if podium.get("wall_s") and anchor.get("wall_s"):
        record["ratio"] = podium["wall_s"] / anchor["wall_s"]
    if warm.get("wall_s") and anchor_warm.get("wall_s"):  # warm against warm
        record["ratio_warm"] = warm["wall_s"] / anchor_warm["wall_s"]
    if podium.get("best_score") is not None and anchor.get("best_score") is not None:
        record["score_gap"] = float(podium["best_score"]) - float(anchor["best_score"])
    print(
        f"  Podium cold {podium.get('wall_s', float('nan')):.2f} s, warm "
        f"{warm.get('wall_s', float('nan')):.2f} s, best {podium.get('best_model')} "
        f"{podium.get('best_score')} | PyCaret cold {anchor.get('wall_s', float('nan')):.2f} s, "
        f"warm {anchor_warm.get('wall_s', float('nan')):.2f} s, best "
        f"{anchor.get('best_model')} {anchor.get('best_score')}"
    )
    return record


def summary(records: list[dict[str, Any]]) -> str:
    """The side-by-side table (Markdown)."""
    rows = []
    for r in records:
        p, w, c = r["podium"], r.get("podium_warm") or {}, r["pycaret"]
        cw = r.get("pycaret_warm") or {}
        rows.append(
            [
                r["dataset"],
                f"{r['rows']:,}",
                len(r["models"]),
                c.get("wall_s"),
                p.get("wall_s"),
                r.get("ratio"),
                cw.get("wall_s"),
                w.get("wall_s"),
                r.get("ratio_warm"),
                f"{p.get('best_model')} {p.get('best_score')}" if p else "—",
                f"{c.get('best_model')} {c.get('best_score')}" if c else "—",
                r.get("score_gap"),
                r.get("overhead"),
                r.get("overhead_warm"),
                p.get("first_row_s"),
                w.get("first_row_s"),
                p.get("peak_tree_rss_mb"),
                c.get("peak_tree_rss_mb"),
            ]
        )
    headers = [
        "dataset", "rows", "models", "PyCaret cold s", "Podium cold s", "ratio cold",
        "PyCaret warm s", "Podium warm s", "ratio warm", "Podium best", "PyCaret best", "Δ best",
        "overhead cold", "overhead warm", "1st row cold s", "1st row warm s",
        "Podium MB", "PyCaret MB",
    ]  # fmt: skip
    notes = (
        f"\nTargets: ratio ≤ {TARGET_RATIO:.3f}; Δ best (Podium − PyCaret, sort metric) ≥ "
        f"−{TARGET_SCORE_GAP}; overhead ≤ {TARGET_OVERHEAD}.\n"
        "wall = setup + compare inside each subprocess (imports excluded, listed in the JSON); "
        "cold = first compare of a fresh process (pool start-up inside the wall), warm = a second "
        "setup + compare in the same process (pool running, as in `podium worker`), on both "
        f"sides (PyCaret's warm only below {WARM_ANCHOR_MAX_ROWS:,} rows); ratio warm = Podium "
        "warm ÷ PyCaret warm; "
        "MB = peak summed RSS of the process tree (10 Hz samples); overhead = compare wall ÷ "
        f"(Σ model.fitted durations ÷ {CORES} cores)."
    )
    return table(headers, rows) + notes


def run(
    names: list[str], *, models: list[str] | None = None, folds: int = 5, pycaret: bool = True
) -> list[dict[str, Any]]:
    """Run the suite on ``names``; print the table; save the records as JSON."""
    check_engine()
    prime_bytecode()
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
