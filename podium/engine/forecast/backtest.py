"""Backtests: fit a model on each window's training part, forecast its horizon, score it.

Fits run one after another in the calling process, checking ``should_stop`` before each:
a fit takes milliseconds to a few seconds, and a process pool would pay more to start and to
load statsforecast's compiled code than the fits cost (docs/DESIGN.md, "Forecasting").
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.events import Emitter, ShouldStop
from podium.engine.forecast.data import DS, ID, SeriesData, Y, window_rows
from podium.engine.forecast.metrics import SCORERS, score_window
from podium.engine.forecast.models import Forecaster, ForecastSpec
from podium.engine.records import Leaderboard
from podium.engine.run.leaderboard import TT, round4
from podium.engine.run.metrics import Scorer


@dataclass
class Outcome:
    """One model's backtest: scores and seconds per window, its forecasts, or an error."""

    model_id: str
    name: str
    scores: dict[int, dict[str, float | None]] = field(default_factory=dict)
    seconds: dict[int, float] = field(default_factory=dict)
    forecasts: list[pd.DataFrame] = field(default_factory=list)
    error: str | None = None

    def mean(self, metric: str) -> float | None:
        """Mean over windows of ``metric`` (None when no window has it)."""
        values = [v for s in self.scores.values() if (v := s.get(metric)) is not None]
        return float(np.mean(values)) if values else None


def forecaster(data: SeriesData, model_id: str, levels: list[int], seed: int) -> Forecaster:
    """The :class:`Forecaster` of ``model_id`` for this data."""
    return Forecaster(
        model_id,
        freq=data.freq,
        season_length=data.season_length,
        levels=levels,
        seed=seed,
        exogenous=data.exogenous,
    )


def run_window(
    data: SeriesData,
    model_id: str,
    levels: list[int],
    seed: int,
    window: int,
    rows: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
) -> tuple[dict[str, float | None], pd.DataFrame]:
    """Fit on the window's training rows, forecast its test rows; scores and the forecasts
    (with ``y``, the actual values, and ``window``)."""
    train_rows, test_rows = rows
    train, test = data.frame.iloc[train_rows], data.frame.iloc[test_rows]
    model = forecaster(data, model_id, levels, seed).fit(train, data.horizon)
    future = test[[ID, DS, *data.exogenous]]
    pred = model.predict(data.horizon, future)
    merged = test[[ID, DS, Y]].merge(pred, on=[ID, DS], how="left")
    if merged["value"].isna().any():
        raise ValueError("the model gave no forecast for some backtest times")
    widest = max(levels) if levels else None
    parts = []
    for uid, part in merged.groupby(ID, sort=False):
        history = train.loc[train[ID] == uid, Y].to_numpy()
        band = None
        if widest is not None and part[f"lo-{widest}"].notna().all():
            band = (part[f"lo-{widest}"].to_numpy(), part[f"hi-{widest}"].to_numpy())
        parts.append((history, part[Y].to_numpy(), part["value"].to_numpy(), band))
    merged.insert(0, "window", window)
    return score_window(parts, data.season_length), merged


def run_model(
    data: SeriesData,
    spec: ForecastSpec,
    levels: list[int],
    seed: int,
    emit: Emitter,
    should_stop: ShouldStop | None,
    on_stop: Any,
) -> Outcome:
    """Every backtest window of one model, emitting ``model.fitted`` per window (``fold`` is
    the window, 0 = oldest) or ``model.failed``; ``on_stop()`` is called (and raises) when
    ``should_stop`` says so before a window."""
    outcome = Outcome(spec.id, spec.name)
    emit("model.started", {"model_id": spec.id, "name": spec.name})
    for w, rows in enumerate(window_rows(data)):
        if should_stop is not None and should_stop():
            on_stop()
        started = time.perf_counter()
        try:
            scores, frame = run_window(data, spec.id, levels, seed, w, rows)
        except Exception as exc:  # one failed model is a row with its error (error_score)
            outcome.error = f"{type(exc).__name__}: {exc}"[:500]
            emit("model.failed", {"model_id": spec.id, "name": spec.name, "error": outcome.error})
            return outcome
        seconds = time.perf_counter() - started
        outcome.scores[w], outcome.seconds[w] = scores, seconds
        outcome.forecasts.append(frame)
        scores_shown = {k: round4(v) for k, v in scores.items()}
        payload = {"model_id": spec.id, "name": spec.name, "fold": w, "scores": scores_shown}
        emit("model.fitted", payload, duration_ms=int(seconds * 1000))
    return outcome


def compare_table(outcomes: list[Outcome], sort: Scorer) -> Leaderboard:
    """One row per model (mean over windows), best first by ``sort``; failed ones last."""
    metric_ids = [s.id for s in SCORERS]
    has_error = any(o.error is not None for o in outcomes)
    columns = ["Model", *metric_ids, TT, *(["Error"] if has_error else [])]
    rows = []
    for o in outcomes:
        row: dict[str, Any] = {"Model": o.name}
        for m in metric_ids:
            row[m] = None if o.error else round4(o.mean(m))
        secs = list(o.seconds.values())
        row[TT] = round4(float(np.mean(secs))) if secs and not o.error else None
        if has_error:
            row["Error"] = o.error
        row["model_id"] = o.model_id
        rows.append(row)
    rows.sort(key=lambda r: (r.get("Error") is not None, -sort.sort_key(r[sort.id]), r[TT] or 0.0))
    return {"columns": columns, "rows": rows}


def create_table(outcome: Outcome) -> Leaderboard:
    """One row per window (``Fold``), then Mean and Std."""
    metric_ids = [s.id for s in SCORERS]
    rows: list[dict[str, Any]] = [
        {"Fold": w, **{m: round4(s.get(m)) for m in metric_ids}}
        for w, s in sorted(outcome.scores.items())
    ]
    for label, fn in (("Mean", np.mean), ("Std", np.std)):
        row: dict[str, Any] = {"Fold": label}
        for m in metric_ids:
            vals = [v for s in outcome.scores.values() if (v := s.get(m)) is not None]
            row[m] = round4(float(fn(vals))) if vals else None
        rows.append(row)
    return {"columns": ["Fold", *metric_ids], "rows": rows}
