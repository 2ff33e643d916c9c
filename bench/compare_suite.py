"""Suite ``compare``: the default compare at 10k-1M rows, raced and full, vs PyCaret 3.3.2.

Each table (``datasets.synthetic``: 20 numeric features, two categorical columns, 2 % missing,
binary) is compared three ways, each in a fresh subprocess on the same CSV bytes, with each
tool's default model list and the same 5 shuffled folds, seed 42, train share 0.7, Accuracy:

- Podium ``compare()`` (races: models beaten beyond noise stop early, rows marked partial);
- Podium ``compare(race=False)`` (every fold of every model: the reference for the winner);
- PyCaret ``setup(fold=5)`` + default ``compare_models()``.

Printed: walls, the ratio Podium ÷ PyCaret (target ≤ 1/3; when PyCaret's side is stopped at
``anchor_timeout_s`` — over an hour at 1M rows here — an upper bound on it: Podium's wall ÷ the
least wall PyCaret could have had, its tree's CPU seconds so far ÷ the cores), each side's best
model and CV score (target: the same model, or within 0.002), how many models stopped, the fits
done, peak memory of each process tree (summed RSS, and summed PSS: shared pages split). Largest
tables last;
the machine's load is printed by ``python -m bench``.
"""

from __future__ import annotations

from typing import Any

from bench import datasets
from bench.common import CORES, Measured, table
from bench.engine_suite import _side, check_engine, prime_bytecode, run_podium, run_pycaret

TARGET_RATIO = 1 / 3
TARGET_GAP = 0.002
TIMEOUT_S = 7200


def _spec(ds: datasets.Dataset, folds: int) -> dict[str, Any]:
    return {
        "data": str(ds.path),
        "target": datasets.TARGET,
        "task": ds.task,
        "models": None,  # each tool's default list
        "folds": folds,
        "train_size": 0.7,
        "seed": datasets.SEED,
        "sort": None,
    }


def _stopped(m: Measured | None) -> dict[str, Any]:
    """A PyCaret side stopped at its timeout: what it ran, and the least wall it could have had."""
    if m is None or not m.timed_out:
        return {}
    return {
        "stopped_after_s": m.wall_s,
        "cpu_s": m.cpu_s,
        "runqueue_wait_s": m.runqueue_wait_s,
        "wall_at_least_s": m.cpu_s / CORES,
        "peak_tree_rss_mb": m.peak_tree_rss_mb,
        "peak_tree_pss_mb": m.peak_tree_pss_mb,
    }


def bench_table(
    ds: datasets.Dataset,
    *,
    pycaret: bool,
    full: bool,
    folds: int,
    anchor_timeout_s: float = TIMEOUT_S,
    podium: bool = True,
) -> dict[str, Any]:
    """The three runs on one table (``podium=False``: PyCaret's alone)."""
    spec = _spec(ds, folds)
    print(f"- {ds.name}: {ds.rows:,} rows, default models × {folds} folds")
    raced: dict[str, Any] = {}
    if podium:
        raced = _side("Podium", run_podium({**spec, "race": True}, timeout_s=TIMEOUT_S))
        _said("Podium raced", raced)
    every = {}
    if full:
        every = _side("Podium full", run_podium({**spec, "race": False}, timeout_s=TIMEOUT_S))
        _said("Podium full", every)
    anchor_run = run_pycaret(spec, timeout_s=anchor_timeout_s) if pycaret else None
    anchor = _side("PyCaret", anchor_run) or _stopped(anchor_run)
    _said("PyCaret", anchor)
    record: dict[str, Any] = {"dataset": ds.name, "rows": ds.rows, "folds": folds}
    for name, side in (("raced", raced), ("full", every), ("pycaret", anchor)):
        record[name] = {k: v for k, v in side.items() if k not in ("leaderboard", "warm")}
    if raced.get("wall_s") and anchor.get("wall_s"):
        record["ratio"] = raced["wall_s"] / anchor["wall_s"]
    elif raced.get("wall_s") and anchor.get("wall_at_least_s"):
        record["ratio_at_most"] = raced["wall_s"] / anchor["wall_at_least_s"]
    if raced.get("wall_s") and every.get("wall_s"):
        record["race_gain"] = raced["wall_s"] / every["wall_s"]
    for name, side in (("raced", raced), ("full", every)):
        if side.get("fit_sum_s"):
            record[f"overhead_{name}"] = side["compare_s"] / (side["fit_sum_s"] / CORES)
    if raced.get("best_score") is not None and anchor.get("best_score") is not None:
        record["gap"] = float(raced["best_score"]) - float(anchor["best_score"])
    return record


def _said(name: str, side: dict[str, Any]) -> None:
    if side.get("stopped_after_s"):
        print(
            f"  {name} stopped after {side['stopped_after_s']:.0f} s with"
            f" {side['cpu_s']:.0f} CPU s: its wall on an idle machine"
            f" ≥ {side['wall_at_least_s']:.0f} s; its threads waited"
            f" {side['runqueue_wait_s']:.0f} s in all for a core"
        )
    elif side:
        wall, best, score = (
            side.get("wall_s", float("nan")),
            side.get("best_model"),
            side.get("best_score"),
        )
        print(
            f"  {name} {wall:.1f} s ({side.get('cpu_s', float('nan')):.0f} CPU s), best {best}"
            f" {score},"
            f" stopped {side.get('partial', '—')}"
        )


def _mb(side: dict[str, Any]) -> str:
    nan = float("nan")
    return f"{side.get('peak_tree_rss_mb', nan):.0f} / {side.get('peak_tree_pss_mb', nan):.0f}"


def _anchor_wall(anchor: dict[str, Any]) -> Any:
    if anchor.get("wall_at_least_s"):
        return f"≥ {anchor['wall_at_least_s']:.0f} (stopped)"
    return anchor.get("wall_s")


def _ratio(record: dict[str, Any]) -> Any:
    if record.get("ratio_at_most") is not None:
        return f"≤ {record['ratio_at_most']:.3f}"
    return record.get("ratio")


def summary(records: list[dict[str, Any]]) -> str:
    """One row per table."""
    rows, nan = [], float("nan")
    for r in records:
        raced, full, anchor = r["raced"], r["full"], r["pycaret"]
        rows.append([
            r["dataset"], r["rows"], raced.get("wall_s"), full.get("wall_s"), _anchor_wall(anchor),
            _ratio(r), f"{raced.get('best_model')} {raced.get('best_score')}",
            f"{full.get('best_model')} {full.get('best_score')}" if full else "—",
            f"{anchor.get('best_model')} {anchor.get('best_score')}"
            if anchor.get("wall_s")
            else "—",
            f"{len(raced.get('partial') or [])}/{raced.get('models_ran')}",
            f"{raced.get('fits')}/{full.get('fits')}" if full else raced.get("fits"),
            _mb(raced), _mb(anchor),
            f"{r.get('overhead_raced', nan):.2f} / {r.get('overhead_full', nan):.2f}",
        ])  # fmt: skip
    headers = [
        "table", "rows", "Podium raced s", "Podium full s", "PyCaret s",
        "raced ÷ PyCaret (≤ 0.333)", "best raced", "best full", "best PyCaret",
        "stopped / models", "fits raced / full", "Podium MB RSS / PSS", "PyCaret MB RSS / PSS",
        "overhead raced / full (cold)",
    ]  # fmt: skip
    return table(headers, rows)


def run(
    names: list[str],
    *,
    pycaret: bool = True,
    full: bool = True,
    folds: int = 5,
    anchor_timeout_s: float = TIMEOUT_S,
    podium: bool = True,
) -> Any:
    """Run the suite on ``names`` (smallest first); return the records."""
    check_engine()
    prime_bytecode()
    records = [
        bench_table(
            datasets.load(n), pycaret=pycaret, full=full, folds=folds,
            anchor_timeout_s=anchor_timeout_s, podium=podium,
        )
        for n in names
    ]  # fmt: skip
    print()
    print(summary(records))
    return records
