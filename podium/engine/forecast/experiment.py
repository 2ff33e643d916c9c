"""``setup`` for forecasting and :class:`ForecastExperiment`: compare, create, finalize."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from podium.engine.errors import Cancelled, DataError
from podium.engine.events import Emitter, OnEvent, ShouldStop
from podium.engine.forecast import backtest, models, params
from podium.engine.forecast.data import ID, SeriesData, Y, prepare
from podium.engine.forecast.metrics import DEFAULT_SORT, scorer
from podium.engine.records import ColumnInfo, Finding
from podium.engine.run.results import CompareResult, CreateResult

TASK = "forecasting"


def setup(
    data: pd.DataFrame | str | Path,
    target: str,
    *,
    task: str = TASK,
    on_event: OnEvent | None = None,
    **settings: Any,
) -> ForecastExperiment:
    """Check a table of one or many time series and return a :class:`ForecastExperiment`.

    Parameters
    ----------
    data : DataFrame or path
        The table (or a CSV/Parquet file).
    target : str
        Column of the values to forecast.
    task : str
        ``"forecasting"``.
    on_event : callable, optional
        Receives ``setup.started`` and ``setup.finished``.
    **settings
        :func:`podium.engine.forecast.params.setup_params`: ``time_column`` (required),
        ``series_column``, ``exogenous_columns``, ``horizon``, ``windows``, ``freq``,
        ``season_length``, ``levels``, ``seed``.

    Raises
    ------
    DataError
        Naming the column or parameter and how to fix it.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> df = pd.DataFrame({"month": pd.date_range("2020-01-01", periods=48, freq="MS"),
    ...                    "sales": np.arange(48.0) % 12})
    >>> exp = setup(df, "sales", time_column="month", horizon=6, windows=2)
    >>> exp.freq, exp.season_length, exp.folds
    ('MS', 12, 2)
    """
    if task != TASK:
        raise DataError(f"podium.engine.forecast.setup runs task 'forecasting', not {task!r}")
    emit = Emitter(on_event)
    df = _frame(data)
    if not target:
        raise DataError("forecasting needs a target: the column of the values to forecast")
    given = {k: v for k, v in settings.items() if k not in params.IGNORED and v is not None}
    if isinstance(given.get("levels"), list | tuple):  # the library may pass a list
        given["levels"] = ",".join(str(v) for v in given["levels"])
    from podium.engine.prepare.params import check_params

    check_params(TASK, given, [str(c) for c in df.columns], target)
    opts = params.check(settings)
    emit("setup.started", {"rows": len(df), "columns": int(df.shape[1]), "target": target})
    series, notes = prepare(
        df,
        target,
        opts["time_column"],
        opts["series_column"],
        opts["exogenous_columns"],
        opts["horizon"],
        opts["windows"],
        opts["freq"],
        opts["season_length"],
    )
    opts.update(freq=series.freq, season_length=series.season_length)
    findings: list[Finding] = [
        {"level": "info", "code": "forecast_setup", "message": n} for n in notes
    ]
    exp = ForecastExperiment(series, opts, _schema(df, series), findings)
    emit(
        "setup.finished",
        {
            "task": TASK,
            "target": target,
            "folds": series.windows,
            "train_rows": len(series.frame),
            "holdout_rows": 0,
            "schema": exp.schema,
            "findings": findings,
            "series": series.n_series,
            "freq": series.freq,
            "season_length": series.season_length,
            "horizon": series.horizon,
        },
    )
    return exp


def _frame(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    if isinstance(data, str | Path):
        from podium.engine.prepare.data import read_table

        return read_table(data)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"data must be a pandas DataFrame or a file path, got {type(data).__name__}"
        )
    return data.copy()


def _schema(df: pd.DataFrame, data: SeriesData) -> list[ColumnInfo]:
    roles = {data.target: ("target", "numeric"), data.time: ("feature", "datetime")}
    if data.series:
        roles[data.series] = ("feature", "categorical")
    roles.update({c: ("feature", "numeric") for c in data.exogenous})
    out: list[ColumnInfo] = []
    for col in df.columns:
        role, kind = roles.get(str(col), ("ignored", "ignored"))
        values = df[col]
        out.append(
            {
                "name": str(col),
                "dtype": str(values.dtype),
                "kind": kind,
                "missing": int(values.isna().sum()),
                "unique": int(values.nunique()),
                "role": role,
            }
        )
    return out


class ForecastExperiment:
    """A checked forecasting table: compare models on backtests, create one, finalize one.

    ``folds`` is the number of backtest windows; ``backtests[model_id]`` keeps each finished
    model's backtest forecasts (``window``, ``unique_id``, ``ds``, ``y``, ``value``,
    ``lo-<level>``, ``hi-<level>``) for plots.
    """

    task = TASK
    default_sort = DEFAULT_SORT
    has_holdout = False

    def __init__(
        self,
        data: SeriesData,
        settings: dict[str, Any],
        schema: list[ColumnInfo],
        findings: list[Finding],
    ) -> None:
        self.data, self.settings, self.schema, self.findings = data, settings, schema, findings
        self.target = data.target
        self.seed = int(settings["seed"])
        self.folds = data.windows
        self.levels: list[int] = list(settings["levels"])
        self.backtests: dict[str, pd.DataFrame] = {}

    @property
    def freq(self) -> str:
        """The series' pandas frequency alias."""
        return self.data.freq

    @property
    def season_length(self) -> int:
        """The seasonal period the models use."""
        return self.data.season_length

    @property
    def horizon(self) -> int:
        """Steps forecast (and the length of each backtest window)."""
        return self.data.horizon

    def intermittent(self) -> bool:
        """Whether the series look like intermittent demand (over a third of values are 0)."""
        return bool((self.data.frame[Y] == 0).mean() > 1 / 3)

    def compare(
        self,
        models: list[str] | str | None = None,
        sort: str | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Any = None,
        **_: Any,
    ) -> CompareResult:
        """Backtest every model (or ``models``) and rank them by ``sort`` (MASE by default).

        Emits ``model.started``, ``model.fitted`` per window, ``model.failed``,
        ``leaderboard.updated`` per model and ``compare.finished``. ``executor`` is accepted
        and not used: fits run in this process (see backtest.py).

        Raises
        ------
        Cancelled
            ``should_stop()`` was true before a fit; keeps the finished models' rows.
        DataError
            Unknown model or metric, or every model failed.
        """
        emit = Emitter(on_event)
        rank = scorer(sort or self.default_sort)
        specs = models_to_run(self, models)
        finished: list[backtest.Outcome] = []

        def stop() -> None:
            table = backtest.compare_table(finished, rank)
            raise Cancelled(
                f"compare cancelled: {len(finished)} of {len(specs)} models finished", table
            )

        for spec in specs:
            outcome = backtest.run_model(
                self.data, spec, self.levels, self.seed, emit, should_stop, stop
            )
            finished.append(outcome)
            if outcome.error is None:
                self.backtests[spec.id] = pd.concat(outcome.forecasts, ignore_index=True)
            emit("leaderboard.updated", {"leaderboard": backtest.compare_table(finished, rank)})
        table = backtest.compare_table(finished, rank)
        best = [r["model_id"] for r in table["rows"] if r.get("Error") is None][:1]
        if not best:
            raise DataError(
                "no model succeeded: every model failed (the Error column of the leaderboard "
                "says why)"
            )
        emit("compare.finished", {"best": best, "leaderboard": table})
        return CompareResult(leaderboard=table, best=best, sort=rank.id)

    def create(
        self,
        model: str | dict[str, Any],
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Any = None,
        **_: Any,
    ) -> CreateResult:
        """Backtest one model: a row per window, then Mean and Std."""
        emit = Emitter(on_event)
        spec = models.get(_model_id(model))

        def stop() -> None:
            raise Cancelled(f"create {spec.id!r} cancelled", backtest.create_table(outcome))

        outcome = backtest.Outcome(spec.id, spec.name)
        outcome = backtest.run_model(
            self.data, spec, self.levels, self.seed, emit, should_stop, stop
        )
        if outcome.error is not None:
            raise DataError(f"model {spec.id!r} failed: {outcome.error}")
        self.backtests[spec.id] = pd.concat(outcome.forecasts, ignore_index=True)
        table = backtest.create_table(outcome)
        emit("create.finished", {"model_id": spec.id, "leaderboard": table, "holdout": None})
        return CreateResult(model_id=spec.id, leaderboard=table, holdout=None)

    def finalize(self, model: str | dict[str, Any], **_: Any) -> Any:
        """Refit ``model`` on all history and forecast ``horizon`` steps: a
        :class:`~podium.engine.forecast.pipeline.ForecastPipeline` (saved without pickle)."""
        from podium.engine.forecast.pipeline import build

        return build(self.data, models.get(_model_id(model)), self.levels, self.seed)

    def plot(self, model: str | dict[str, Any], series: str | None = None) -> dict[str, Any]:
        """The forecast plot of a compared or created model (history, backtests, future)."""
        from podium.engine.forecast.plots import forecast_plot

        model_id = _model_id(model)
        if model_id not in self.backtests:
            raise DataError(f"model {model_id!r} has no backtests here: compare or create it first")
        pipe = self.finalize(model_id)
        return dict(
            forecast_plot(self.data.frame, self.backtests[model_id], pipe.forecast_, series)
        )

    def drawn_plots(self, model_id: str) -> list[dict[str, Any]]:
        """The plots a run stores for a model (the worker reads this): its forecast plot, or
        none when the model has no backtests (it failed)."""
        return [self.plot(model_id)] if model_id in self.backtests else []

    def series_ids(self) -> list[str]:
        """The series' ids (``series`` for a single-series table)."""
        return [str(s) for s in self.data.frame[ID].unique()]


def models_to_run(
    exp: ForecastExperiment, names: list[str] | str | None
) -> list[models.ForecastSpec]:
    """The models a compare runs (the default list depends on season and demand pattern)."""
    return models.resolve(names, exp.season_length, exp.intermittent())


def _model_id(model: str | dict[str, Any]) -> str:
    if isinstance(model, dict):
        return str(model.get("id") or model.get("model_id"))
    return str(model)
