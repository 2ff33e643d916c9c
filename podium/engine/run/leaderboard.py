"""The leaderboard JSON table (docs/contracts.md): compare and create shapes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from podium.engine.records import Leaderboard
from podium.engine.run.metrics import Scorer, scorers

TT = "TT (Sec)"
HOLDOUT_COLUMN = "Holdout"  # the sort metric on the holdout rows (fit on the training part)
# what a compare or create row holds besides its metrics (columns and row-only keys)
ROW_KEYS = ("Model", "model_id", "Error", TT, "Fold", HOLDOUT_COLUMN, "partial", "folds_done",
            "fit_rows")  # fmt: skip


def round4(value: float | None) -> float | None:
    """Round for display; None and NaN stay None."""
    if value is None or math.isnan(value):
        return None
    return round(float(value), 4)


def _mean_std(values: list[float | None]) -> tuple[float | None, float | None]:
    present = [v for v in values if v is not None]
    if not present:
        return None, None
    arr = np.asarray(present, dtype="float64")
    return float(arr.mean()), float(arr.std())


@dataclass
class ModelOutcome:
    """What one model produced: fold scores and durations, or an error."""

    model_id: str
    name: str
    fold_scores: dict[int, dict[str, float | None]] = field(default_factory=dict)
    durations_ms: dict[int, int] = field(default_factory=dict)
    error: str | None = None
    holdout: dict[str, float | None] | None = None  # scores on the holdout rows
    partial: bool = False  # stopped by racing: its row is the mean of the folds it ran
    fit_rows: int | None = None  # stopped by halving: its folds trained on this many rows

    def mean(self, metric: str) -> float | None:
        """Mean over folds of one metric (None when every fold is None)."""
        return _mean_std([s.get(metric) for _, s in sorted(self.fold_scores.items())])[0]


def compare_table(task: str, outcomes: list[ModelOutcome], sort: Scorer) -> Leaderboard:
    """One row per model, best first by ``sort`` (equal scores in the order given): the complete
    models, then the ones racing stopped (``"partial": true`` and ``"folds_done"``: the mean of
    the folds they ran; halving's also ``"fit_rows"``: the training rows of those folds), then
    the failed ones with their error."""
    metric_ids = [s.id for s in scorers(task)]
    with_holdout = any(o.holdout is not None for o in outcomes)
    columns = ["Model", *metric_ids, *([HOLDOUT_COLUMN] if with_holdout else []), TT]
    has_error = any(o.error is not None for o in outcomes)
    if has_error:
        columns.append("Error")
    rows = []
    for o in outcomes:
        row: dict[str, Any] = {"Model": o.name}
        for m in metric_ids:
            row[m] = None if o.error else round4(o.mean(m))
        if with_holdout:
            held = o.holdout if o.holdout is not None and not o.error else {}
            row[HOLDOUT_COLUMN] = round4(held.get(sort.id))
        secs = [d / 1000 for d in o.durations_ms.values()]
        row[TT] = round4(float(np.mean(secs))) if secs and not o.error else None
        if has_error:
            row["Error"] = o.error
        row["model_id"] = o.model_id
        if o.partial and not o.error:
            row["partial"] = True
            row["folds_done"] = len(o.fold_scores)
            if o.fit_rows is not None:
                row["fit_rows"] = o.fit_rows
        rows.append(row)
    # a stable sort: equal scores keep the order of ``outcomes`` (never a timing)
    rows.sort(
        key=lambda r: (
            r.get("Error") is not None,
            bool(r.get("partial")),
            -sort.sort_key(r[sort.id]),
        )
    )
    return {"columns": columns, "rows": rows}


def create_table(task: str, outcome: ModelOutcome) -> Leaderboard:
    """One row per fold, then Mean and Std."""
    metric_ids = [s.id for s in scorers(task)]
    rows: list[dict[str, Any]] = []
    for fold, scores in sorted(outcome.fold_scores.items()):
        rows.append({"Fold": fold, **{m: round4(scores.get(m)) for m in metric_ids}})
    if outcome.fold_scores:
        stats = {m: _mean_std([s.get(m) for s in outcome.fold_scores.values()]) for m in metric_ids}
        rows.append({"Fold": "Mean", **{m: round4(stats[m][0]) for m in metric_ids}})
        rows.append({"Fold": "Std", **{m: round4(stats[m][1]) for m in metric_ids}})
    return {"columns": ["Fold", *metric_ids], "rows": rows}


def best_ids(table: Leaderboard, n_select: int) -> list[str]:
    """The first ``n_select`` model ids that did not fail and ran every fold."""
    ok = [r["model_id"] for r in table["rows"] if not r.get("Error") and not r.get("partial")]
    return ok[:n_select]
