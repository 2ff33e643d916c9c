"""Forecasting input: check a table and turn it into the long frame Nixtla's libraries read
(``unique_id``, ``ds``, ``y`` and exogenous columns), infer the frequency and the season
length, and split it into expanding-window backtests (the last windows of each series)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.errors import DataError, shown
from podium.engine.prepare.schema import reads_day_first
from podium.engine.standalone import to_datetime

ID, DS, Y = "unique_id", "ds", "y"
SINGLE = "series"  # the unique_id of a table without a series column

# Season length by the frequency's base unit (the first letters of its pandas alias).
_SEASONS = {
    "h": 24,
    "min": 60,
    "s": 60,
    "D": 7,
    "B": 5,
    "W": 52,
    "M": 12,
    "MS": 12,
    "ME": 12,
    "SM": 24,
    "SMS": 24,
    "BM": 12,
    "BMS": 12,
    "BME": 12,
    "CBM": 12,
    "CBMS": 12,
    "Q": 4,
    "QS": 4,
    "QE": 4,
    "BQ": 4,
    "BQS": 4,
    "BQE": 4,
    "Y": 1,
    "YS": 1,
    "YE": 1,
    "A": 1,
    "AS": 1,
    "BY": 1,
    "BYS": 1,
}


@dataclass(frozen=True)
class SeriesData:
    """A checked forecasting table.

    ``frame`` is sorted by series then time, with columns ``unique_id``, ``ds``, ``y`` and
    the exogenous columns; ``time``/``series``/``target`` are the user's column names.
    """

    frame: pd.DataFrame
    time: str
    series: str | None
    target: str
    exogenous: list[str]
    freq: str
    season_length: int
    horizon: int
    windows: int
    dayfirst: bool = False  # the time column is text with the day first (31/12/2024)

    @property
    def n_series(self) -> int:
        """How many series the table holds."""
        return int(self.frame[ID].nunique())


def prepare(
    df: pd.DataFrame,
    target: str,
    time: str,
    series: str | None,
    exogenous: list[str] | None,
    horizon: int,
    windows: int,
    freq: str | None,
    season_length: int | None,
) -> tuple[SeriesData, list[str]]:
    """Check ``df`` and return it as :class:`SeriesData`, with notes on what was inferred.

    Raises
    ------
    DataError
        Naming the column (or series) and how to fix it.
    """
    exog = check_roles(list(df.columns), target, time, series, exogenous)
    if len(df) == 0:
        raise DataError("the table has no rows: give at least one row of data")
    dayfirst = reads_day_first(df[time])
    long = pd.DataFrame(
        {
            ID: df[series].astype(str) if series else SINGLE,
            DS: _dates(df[time], time, dayfirst),
            Y: _values(df[target], target),
        }
    )
    for col in exog:
        long[col] = _values(df[col], col, "exogenous column")
    long = long.sort_values([ID, DS], kind="stable").reset_index(drop=True)
    _check_duplicates(long, time, series)
    notes: list[str] = []
    freq = freq or _infer_freq(long, time)
    _check_regular(long, freq, time)
    detected = season_length is None
    m = season_length if season_length is not None else _season(freq)
    shortest = int(long.groupby(ID).size().min())
    _check_length(long, horizon, windows, time, series)
    if detected and m > 1 and shortest - horizon * windows < 2 * m:
        notes.append(
            f"season length {m} (from frequency {freq!r}) dropped to 1: the first backtest "
            f"window has fewer than two seasons ({shortest - horizon * windows} points)"
        )
        m = 1
    elif detected:
        notes.append(f"season length {m} detected from frequency {freq!r}")
    data = SeriesData(long, time, series, target, exog, freq, m, horizon, windows, dayfirst)
    return data, notes


def check_roles(
    columns: Sequence[str],
    target: str,
    time: str | None,
    series: str | None,
    exogenous: Sequence[str] | None = None,
) -> list[str]:
    """The exogenous columns, once target, time, series and exogenous columns are checked
    against the table's column names alone (setup, and the server before it stores an
    experiment, apply this one rule).

    Raises
    ------
    DataError
        When the time column is missing, a column is unknown, two roles name one column or an
        exogenous column is the target, time or series column.
    """
    names = ", ".join(repr(str(c)) for c in list(columns)[:20])
    if not time:
        raise DataError(
            "forecasting needs a time column: set time_column to the column of dates "
            f"(the columns are {names})"
        )
    for what, col in (("target", target), ("time_column", time), ("series_column", series)):
        if col is not None and col not in columns:
            raise DataError(f"unknown {what} {col!r}: the columns are {names}")
    if len({target, time, series} - {None}) < len([c for c in (target, time, series) if c]):
        raise DataError(
            f"target {target!r}, time_column {time!r} and series_column {series!r} must be "
            "three different columns"
        )
    used = {target, time, series}
    for col in exogenous or []:
        if col not in columns or col in used:
            raise DataError(
                f"exogenous column {col!r} is not a further column of the table: name "
                "numeric columns other than the target, time and series columns"
            )
    return list(exogenous or [])


def check_settings(settings: Mapping[str, Any], columns: Sequence[str], target: str | None) -> None:
    """The task's rule across its settings (``TaskDef.check_settings``): :func:`check_roles`."""
    check_roles(
        columns,
        target or "",
        settings.get("time_column"),
        settings.get("series_column"),
        settings.get("exogenous_columns"),
    )


def _dates(values: pd.Series, col: str, dayfirst: bool) -> pd.Series:
    if values.isna().any():
        row = int(np.flatnonzero(values.isna().to_numpy())[0])
        raise DataError(f"time column {col!r} is empty in row {row}: every row needs a time")
    if pd.api.types.is_datetime64_any_dtype(values):
        out = values
    else:
        if pd.api.types.is_numeric_dtype(values):
            raise DataError(
                f"time column {col!r} holds numbers, not dates: give dates or timestamps "
                "(e.g. 2024-01-31)"
            )
        out = to_datetime(values, dayfirst)
        bad = out.isna().to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise DataError(
                f"time column {col!r} has a value that is not a date in row {row} "
                f"({shown(values.iloc[row])}): give dates such as 2024-01-31"
            )
    if getattr(out.dt, "tz", None) is not None:
        out = out.dt.tz_convert("UTC").dt.tz_localize(None)
    return out.astype("datetime64[ns]")


def _values(values: pd.Series, col: str, role: str = "column") -> pd.Series:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        target = role == "column"
        fix = "forecasting predicts numbers; pick a numeric target" if target else "give numbers"
        raise DataError(f"{role} {col!r} is not numeric (dtype {values.dtype}): {fix}")
    out = values.astype("float64")
    bad = ~np.isfinite(out.to_numpy())
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"column {col!r} is missing or infinite in row {row}: fill the gaps (forecasting "
            "needs a value at every time)"
        )
    return out


def _check_duplicates(long: pd.DataFrame, time: str, series: str | None) -> None:
    dup = long.duplicated([ID, DS]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        where = f" in series {long[ID].iloc[i]!r}" if series else ""
        fix = "aggregate them" if series else "aggregate them, or set series_column"
        raise DataError(
            f"time column {time!r} repeats {long[DS].iloc[i]}{where}: each time must appear "
            f"once per series; {fix}"
        )


def _infer_freq(long: pd.DataFrame, time: str) -> str:
    for _, group in long.groupby(ID, sort=False):
        if len(group) >= 3:
            with pd.option_context("future.infer_freq_returns_offset", True):
                freq = pd.infer_freq(pd.DatetimeIndex(group[DS]))
            if freq is not None:
                return str(getattr(freq, "freqstr", freq))
    raise DataError(
        f"could not infer the frequency of time column {time!r}: the times are not evenly "
        "spaced (gaps or irregular steps); fill the gaps or set freq (e.g. 'D', 'W-SUN', 'MS')"
    )


def step_time(t: pd.Timestamp) -> str:
    """A step's time as a caller writes it: the date alone when it falls at midnight."""
    return t.strftime("%Y-%m-%d") if t == t.normalize() else t.isoformat()


def _check_regular(long: pd.DataFrame, freq: str, time: str) -> None:
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except ValueError:
        raise DataError(
            f"unknown freq {freq!r}: use a pandas alias such as 'D', 'W', 'MS'"
        ) from None
    for uid, group in long.groupby(ID, sort=False):
        stamps = pd.DatetimeIndex(group[DS])
        expected = pd.date_range(stamps[0], periods=len(stamps), freq=offset)
        if len(stamps) and not stamps.equals(expected):
            bad = int(np.flatnonzero(stamps != expected)[0])
            where = f" of series {uid!r}" if uid != SINGLE else ""
            after, want, got = (step_time(t) for t in (stamps[bad - 1], expected[bad], stamps[bad]))
            raise DataError(
                f"time column {time!r}{where} is irregular for frequency {freq!r}: no row for "
                f"{want} (one step after {after}; the next row is {got}); add a row for every "
                "missing step, or set freq to the table's step"
            )


def _season(freq: str) -> int:
    base = pd.tseries.frequencies.to_offset(freq).rule_code.split("-")[0]
    return int(_SEASONS.get(base, _SEASONS.get(base.rstrip("E"), 1)))


def _check_length(
    long: pd.DataFrame, horizon: int, windows: int, time: str, series: str | None
) -> None:
    sizes = long.groupby(ID).size()
    need = horizon * windows + 5
    short = sizes[sizes < need]
    if len(short):
        names = ", ".join(repr(s) for s in list(short.index)[:3])
        which = f"series {names} have" if series else "the series has"
        raise DataError(
            f"{which} {int(short.min())} points, too short for horizon {horizon} × windows "
            f"{windows} (needs at least {need}: {horizon * windows} to backtest and 5 to "
            "train on): lower horizon or windows" + (", or drop the short series" if series else "")
        )


def window_rows(data: SeriesData) -> list[tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]]:
    """Each backtest window's ``(train_rows, test_rows)``: positions in ``data.frame``.

    Window ``w`` (0 = oldest) of a series of ``n`` points trains on its first
    ``n - (windows - w) * horizon`` points and tests on the ``horizon`` that follow: windows
    step by ``horizon`` and the last one ends at the series' end. Never shuffled.
    """
    frame = data.frame
    position = frame.groupby(ID, sort=False).cumcount().to_numpy()
    size = frame.groupby(ID, sort=False)[DS].transform("size").to_numpy()
    out = []
    for w in range(data.windows):
        cut = size - (data.windows - w) * data.horizon
        train = np.flatnonzero(position < cut)
        test = np.flatnonzero((position >= cut) & (position < cut + data.horizon))
        out.append((train, test))
    return out
