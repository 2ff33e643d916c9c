"""The quality suite's tables (Markdown) and the issue's win criteria, from its records."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from bench.common import table

ANCHORS_AUTOML = ("flaml", "ag_medium", "ag_best")
PYCARET_TOLERANCE = 0.005
LABELS = {
    "podium": "Podium auto",
    "podium_compare": "Podium compare",
    "flaml": "FLAML",
    "ag_medium": "AutoGluon medium",
    "ag_best": "AutoGluon best",
    "pycaret": "PyCaret c→t→f",
}
METRIC = {"binary": "AUC", "multiclass": "Accuracy", "regression": "R2"}


def _by_table(records: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in records:
        out[r["table"]][_system(r)] = r
    return out


def _system(r: dict[str, Any]) -> str:
    return (
        "podium_compare" if r["system"] == "podium" and r.get("mode") == "compare" else r["system"]
    )


def _score(r: dict[str, Any] | None) -> float | None:
    return None if r is None or "score" not in r else float(r["score"])


def verdicts(cells: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Podium − best AutoML anchor, Podium − PyCaret, and whether each criterion holds."""
    podium = _score(cells.get("podium") or cells.get("podium_compare"))
    automl = [s for s in (_score(cells.get(a)) for a in ANCHORS_AUTOML) if s is not None]
    pycaret = _score(cells.get("pycaret"))
    out: dict[str, Any] = {"vs_automl": None, "vs_pycaret": None}
    if podium is not None and automl:
        out["vs_automl"] = podium - max(automl)
    if podium is not None and pycaret is not None:
        out["vs_pycaret"] = podium - pycaret
    out["beats_automl"] = out["vs_automl"] is not None and out["vs_automl"] >= 0
    out["holds_pycaret"] = out["vs_pycaret"] is not None and out["vs_pycaret"] >= -PYCARET_TOLERANCE
    return out


def report(records: list[dict[str, Any]], budget_s: float) -> str:
    """Scores, budget used and peak memory per table and system, then the criteria."""
    grouped = _by_table(records)
    systems = [s for s in LABELS if any(s in cells for cells in grouped.values())]
    score_rows, cost_rows, wins, holds = [], [], 0, 0
    for name, cells in grouped.items():
        any_cell = next(iter(cells.values()))
        task = next((r.get("task") for r in cells.values() if r.get("task")), None)
        v = verdicts(cells)
        wins += v["beats_automl"]
        holds += v["holds_pycaret"]
        score_rows.append(
            [name, f"{any_cell.get('rows', 0):,}", task or "", METRIC.get(task or "", "")]
            + [_cell(cells.get(s)) for s in systems]
            + [_signed(v["vs_automl"]), _signed(v["vs_pycaret"])]
        )
        cost_rows.append([name] + [_cost(cells.get(s)) for s in systems])
    n = len(grouped)
    head = ["table", "rows", "task", "metric", *(LABELS[s] for s in systems)]
    scores = table([*head, "Podium − best AutoML", "Podium − PyCaret"], score_rows)
    costs = table(["table", *(LABELS[s] for s in systems)], cost_rows)
    criteria = (
        f"Podium ≥ the best of FLAML / AutoGluon (both presets): {wins}/{n} tables "
        f"(target ≥ 80 %: {'met' if n and wins >= 0.8 * n else 'not met'}); "
        f"Podium ≥ PyCaret − {PYCARET_TOLERANCE}: {holds}/{n} "
        f"(target all: {'met' if n and holds == n else 'not met'})."
    )
    return (
        f"Test-split scores (budget {budget_s:g} s per system):\n\n{scores}\n\n{criteria}\n\n"
        f"Fit wall s (budget actually used) / peak RSS of the process tree MB:\n\n{costs}"
    )


def _cell(r: dict[str, Any] | None) -> str:
    """A score; "—" when not run; why not when it failed (a timeout says so)."""
    if r is None:
        return "—"
    if "score" in r:
        return f"{float(r['score']):.4f}"
    timed_out = r.get("wall_s", 0) >= 1790 and "score" not in r
    return "timeout (30 min)" if timed_out else "failed"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def _cost(r: dict[str, Any] | None) -> str:
    if r is None:
        return "—"
    fit = r.get("fit_s")
    fit_txt = f"{fit:.0f}" if isinstance(fit, int | float) else "—"
    return f"{fit_txt} s / {r.get('peak_tree_rss_mb', 0):.0f} MB"
