"""The clustering / anomaly leaderboard: the supervised table's conventions ("Model", one
column per metric id, "TT (Sec)", "Error" when a model failed, ``model_id`` on every row), one
row per model (fitted once), best first by the sort metric, failed models last."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podium.engine.records import Leaderboard
from podium.engine.run.leaderboard import round4
from podium.engine.unsupervised import metrics as m


@dataclass
class Outcome:
    """One model's scores and fit seconds, or its error."""

    model_id: str
    name: str
    scores: dict[str, float | None] = field(default_factory=dict)
    seconds: float | None = None
    error: str | None = None

    def cell(self, metric_id: str) -> float | None:
        """The rounded value of one column (None on error)."""
        if self.error is not None:
            return None
        if metric_id == m.TT:
            return round4(self.seconds)
        value = self.scores.get(metric_id)
        return int(value) if metric_id == m.CLUSTERS.id and value is not None else round4(value)

    def rounded(self) -> dict[str, float | None]:
        """The scores rounded to 4 places (events)."""
        return {k: self.cell(k) for k in self.scores}


def table(task: str, labelled: bool, outcomes: list[Outcome], sort: m.Metric) -> Leaderboard:
    """One row per model, best first by ``sort`` (ties: faster first)."""
    metric_ids = [c.id for c in m.columns(task, labelled)]
    columns = ["Model", *metric_ids, m.TT]
    has_error = any(o.error is not None for o in outcomes)
    if has_error:
        columns.append("Error")
    rows: list[dict[str, Any]] = []
    for o in outcomes:
        row: dict[str, Any] = {"Model": o.name, **{c: o.cell(c) for c in metric_ids}}
        row[m.TT] = o.cell(m.TT)
        if has_error:
            row["Error"] = o.error
        row["model_id"] = o.model_id
        rows.append(row)
    rows.sort(key=lambda r: (r.get("Error") is not None, -sort.sort_key(r[sort.id]), r[m.TT] or 0))
    return {"columns": columns, "rows": rows}
