"""The forecast plot as :class:`~podium.engine.records.PlotData`: history, the backtest
forecasts of each window and the future forecast with its widest interval."""

from __future__ import annotations

from typing import Any

import pandas as pd

from podium.engine.forecast.data import DS, ID, Y
from podium.engine.records import PlotData, Series

PLOTS = (
    {
        "id": "forecast",
        "title": "Forecast",
        "source": "predictions",
        "description": "History, backtest forecasts per window and the future forecast with "
        "its prediction interval.",
    },
)


def describe_plots(task: str = "forecasting") -> list[dict[str, str]]:
    """``[{id, title, source, description}]`` of the forecasting plots."""
    return [dict(p) for p in PLOTS]


def _times(values: pd.Series) -> list[str]:
    return [pd.Timestamp(v).isoformat() for v in values]


def _floats(values: pd.Series) -> list[Any]:
    return [None if pd.isna(v) else round(float(v), 6) for v in values]


def _band(frame: pd.DataFrame) -> tuple[int | None, dict[str, list[Any]]]:
    levels = sorted(int(c.split("-")[1]) for c in frame.columns if str(c).startswith("lo-"))
    for lv in reversed(levels):
        lo, hi = frame[f"lo-{lv}"], frame[f"hi-{lv}"]
        if lo.notna().all() and hi.notna().all():
            return lv, {"y_low": _floats(lo), "y_high": _floats(hi)}
    return None, {}


def forecast_plot(
    history: pd.DataFrame,
    backtests: pd.DataFrame | None,
    future: pd.DataFrame | None,
    series: str | None = None,
    last: int = 500,
) -> PlotData:
    """One series' plot (``series`` or the first); ``last`` history points at most."""
    uid = str(series) if series is not None else str(history[ID].iloc[0])
    hist = history[history[ID].astype(str) == uid].tail(last)
    out: list[Series] = [
        {"name": "history", "mark": "line", "x": _times(hist[DS]), "y": _floats(hist[Y])}
    ]
    notes = [f"series {uid!r}" + (f", last {last} points" if len(hist) == last else "")]
    if backtests is not None and len(backtests):
        bt = backtests[backtests[ID].astype(str) == uid]
        for w, part in bt.groupby("window", sort=True):
            _, band = _band(part)
            mark: Series = {
                "name": f"backtest window {int(str(w)) + 1}",
                "mark": "line",
                "x": _times(part[DS]),
                "y": _floats(part["value"]),
                "dashed": True,
            }
            out.append({**mark, **band})  # type: ignore[typeddict-item]
        notes.append(
            f"backtests: {bt['window'].nunique()} windows, each fit on the points before it"
        )
    if future is not None and len(future):
        fut = future[future[ID].astype(str) == uid]
        level, band = _band(fut)
        mark = {
            "name": "forecast",
            "mark": "line",
            "x": _times(fut[DS]),
            "y": _floats(fut["value"]),
        }
        out.append({**mark, **band})  # type: ignore[typeddict-item]
        if level is not None:
            notes.append(f"band: {level} % prediction interval")
    return {
        "id": "forecast",
        "title": "Forecast",
        "kind": "xy",
        "x": {"label": "time", "scale": "time"},
        "y": {"label": "value", "scale": "linear"},
        "series": out,
        "notes": notes,
    }
