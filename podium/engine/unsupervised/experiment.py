"""The clustering / anomaly experiment: compare, create, finalize and plots.

"Folds": there is no target to validate against, so every model is fitted once on the whole
table (``folds`` is 1; ``model.fitted`` events carry ``fold`` 0). Fits run one after another
in this process, ``should_stop`` polled between them (a fit in flight finishes first); the
default list leaves out the models whose cost grows faster than the table once one fit is
expected to take over 2 s (:mod:`podium.engine.unsupervised.catalogue`).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline

from podium import __version__
from podium.engine.errors import Cancelled, DataError
from podium.engine.events import Emitter, OnEvent, ShouldStop
from podium.engine.models.hyperparams import hyperparameters
from podium.engine.models.spec import DEFAULT_FIT_S
from podium.engine.prepare.preprocessing import build_preprocessor, describe_preprocessing
from podium.engine.records import ColumnInfo, Finding, Leaderboard, PlotData
from podium.engine.run.results import CompareResult, CreateResult
from podium.engine.standalone import describe_values
from podium.engine.unsupervised import catalogue, fitting, plots
from podium.engine.unsupervised import metrics as m
from podium.engine.unsupervised.data import Table, anomaly_truth
from podium.engine.unsupervised.leaderboard import Outcome, table


class UnsupervisedExperiment:
    """A prepared clustering or anomaly experiment; build it with
    :func:`podium.engine.unsupervised.setup`."""

    folds = 1

    def __init__(
        self,
        task: str,
        data: Table,
        label: str | None,
        seed: int,
        settings: dict[str, Any],
        sweep: list[dict[str, Any]] | None = None,
    ) -> None:
        self.task, self.seed, self._t = task, seed, data
        self.target = label or ""
        self._settings = settings
        self.findings: list[Finding] = list(data.findings)
        self.sweep = sweep or []  # the k-means sweep choosing n_clusters (elbow plot)
        self.fitted: dict[str, fitting.Fitted] = {}  # by model id, from compare/create
        self._truth = anomaly_truth(data) if task == "anomaly" else None
        self._embedding: Any = None

    settings = property(lambda self: dict(self._settings), doc="Validated setup settings.")
    labelled = property(lambda self: self._t.label is not None, doc="A label column was named.")

    @property
    def schema(self) -> list[ColumnInfo]:
        """``[{name, dtype, kind, missing, unique, role}]`` per column."""
        return [c.copy() for c in self._t.schema]

    @property
    def default_sort(self) -> str:
        """ARI / AUC with a label column; silhouette (clustering) or fit time (anomaly)."""
        return m.default_sort(self.task, self.labelled).id

    @property
    def n_clusters(self) -> int | None:
        """The number of clusters the k-based models use (given, or chosen by setup)."""
        k = self._settings.get("n_clusters")
        return int(k) if k is not None else None

    def fit_size(self) -> tuple[int, int]:
        """``(rows, encoded columns)`` of every fit."""
        return int(self._t.Xt.shape[0]), int(self._t.Xt.shape[1])

    def preprocessing(self) -> list[dict[str, Any]]:
        """The preprocessing every model sees, in words."""
        return describe_preprocessing(self._t.schema, self._settings)

    def models(self) -> list[dict[str, Any]]:
        """``[{id, name, available, reason}]`` of the task's models."""
        return [
            {"id": s.id, "name": s.name, "available": s.is_available, "reason": s.reason}
            for s in catalogue.specs(self.task)
        ]

    # --- compare / create --------------------------------------------------------------

    def compare(
        self,
        models: list[str] | str | None = None,
        sort: str | None = None,
        n_select: int = 1,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Any = None,
        **_: Any,
    ) -> CompareResult:
        """Fit every model (or ``models``) once on the whole table and rank them.

        ``executor`` is accepted for the supervised signature and not used: fits run in this
        process, one after another. Raises ``Cancelled`` (finished rows kept) when
        ``should_stop()`` turns true between fits, ``DataError`` when no model succeeded.
        """
        emit = Emitter(on_event)
        specs = self._select(models, emit)
        key = m.metric(self.task, self.labelled, sort or self.default_sort)
        if not self.labelled and self.task == "anomaly":
            emit.warning(
                "no_labels",
                "no label column: a detector's quality cannot be measured without known "
                "anomalies, so the leaderboard is ordered by fit time; name a label column to "
                "rank by ROC AUC",
            )
        outcomes: list[Outcome] = []
        started = time.monotonic()
        for i, spec in enumerate(specs):
            if should_stop is not None and should_stop():
                board = table(self.task, self.labelled, outcomes, key)
                raise Cancelled(
                    f"compare cancelled: {len(outcomes)} of {len(specs)} models finished", board
                )
            progress = {"models_done": i, "models_total": len(specs),
                        "elapsed_s": round(time.monotonic() - started, 1)}  # fmt: skip
            emit("model.started", {"model_id": spec.id, "name": spec.name, "progress": progress})
            outcomes.append(self._run_one(spec, {}, emit, progress))
            progress = {**progress, "models_done": i + 1}
            board = table(self.task, self.labelled, outcomes, key)
            emit("leaderboard.updated", {"leaderboard": board, "progress": progress})
        board = table(self.task, self.labelled, outcomes, key)
        best = [r["model_id"] for r in board["rows"] if not r.get("Error")][: max(1, n_select)]
        if not best:
            raise DataError(
                "no model succeeded: every model failed (the Error column of the leaderboard "
                "says why)"
            )
        emit("compare.finished", {"best": best, "leaderboard": board})
        return CompareResult(leaderboard=board, best=best, sort=key.id)

    def create(
        self, model: str, on_event: OnEvent | None = None, should_stop: ShouldStop | None = None,
        executor: Any = None, **params: Any,
    ) -> CreateResult:  # fmt: skip
        """Fit one model (``params`` on its defaults) on the whole table; one row, fold 0.

        ``executor`` is accepted for the supervised signature (as :meth:`compare` does) and not
        used: the fit runs in this process."""
        spec = catalogue.get(self.task, model)
        spec.build(self.seed, **params)  # refuse bad parameters before the fit
        emit = Emitter(on_event)
        if should_stop is not None and should_stop():
            raise Cancelled(f"create {model!r} cancelled before its fit")
        emit("model.started", {"model_id": spec.id, "name": spec.name})
        outcome = self._run_one(spec, params, emit, None)
        if outcome.error is not None:
            raise DataError(f"model {model!r} failed: {outcome.error}")
        cols = m.columns(self.task, self.labelled)
        row = {"Fold": 0, **{c.id: outcome.cell(c.id) for c in cols}}
        board: Leaderboard = {"columns": ["Fold", *[c.id for c in cols]], "rows": [row]}
        emit("create.finished", {"model_id": spec.id, "leaderboard": board, "holdout": None})
        return CreateResult(model_id=spec.id, leaderboard=board, holdout=None)

    def _select(self, models: list[str] | str | None, emit: Emitter) -> list[catalogue.UnsupSpec]:
        chosen = catalogue.resolve(self.task, models)
        if models is not None or not self._settings.get("turbo", True):
            return chosen
        rows, width = self.fit_size()
        kept, left = catalogue.default_split(chosen, rows, width)
        if left:
            costs = ", ".join(
                f"{s.name} ({s.id}, ~{s.expected_s(rows, width):.0f} s)" for s in left
            )
            message = (
                f"left out of the default compare: {costs} — their cost grows faster than the "
                f"table, and at {rows:,} rows × {width:,} encoded columns each is expected to "
                f"take over {DEFAULT_FIT_S:g} s; pick them under Models (models=[...]) to run them"
            )
            emit("warning", {"code": "costly_models", "message": message,
                             "models": [s.id for s in left]})  # fmt: skip
        return kept

    def _run_one(
        self, spec: catalogue.UnsupSpec, params: dict[str, Any], emit: Emitter,
        progress: dict[str, Any] | None,
    ) -> Outcome:  # fmt: skip
        try:
            fitted = fitting.fit(spec, self._t.Xt, self.seed, self._settings, **params)
            scores = self._score(fitted)
        except Exception as exc:  # one failed model is a row with its error
            error = f"{type(exc).__name__}: {exc}"
            emit("model.failed", {"model_id": spec.id, "name": spec.name, "error": error})
            return Outcome(spec.id, spec.name, error=error)
        self.fitted[spec.id] = fitted
        outcome = Outcome(spec.id, spec.name, scores=scores, seconds=fitted.seconds)
        payload: dict[str, Any] = {"model_id": spec.id, "name": spec.name, "fold": 0,
                                   "scores": outcome.rounded()}  # fmt: skip
        if progress is not None:
            payload["progress"] = progress
        emit("model.fitted", payload, duration_ms=int(fitted.seconds * 1000))
        return outcome

    def _score(self, fitted: fitting.Fitted) -> dict[str, float | None]:
        if self.task == "clustering":
            assert fitted.labels is not None
            return m.clustering_scores(self._t.Xt, fitted.labels, self._t.label, self.seed)
        assert fitted.scores is not None
        assert fitted.flags is not None
        return m.anomaly_scores(fitted.scores, fitted.flags, self._truth)

    # --- finalize and plots ------------------------------------------------------------

    def result(self, model: str, **params: Any) -> fitting.Fitted:
        """The fit of ``model`` from compare/create (fitted now when it was not, or when
        ``params`` are given)."""
        if model in self.fitted and not params:
            return self.fitted[model]
        spec = catalogue.get(self.task, model)
        fitted = fitting.fit(spec, self._t.Xt, self.seed, self._settings, **params)
        if not params:
            self.fitted[model] = fitted
        return fitted

    def finalize(self, model: str, **params: Any) -> Pipeline:
        """The pipeline (preprocessing + the model's answer for new rows) fitted on every row.

        Clustering: ``predict`` returns the cluster of each row; anomaly: the last step scores
        rows, and :func:`podium.engine.standalone.unsupervised_answers` turns the scores into
        ``score`` and ``anomaly`` with the rule in ``podium_metadata_["output"]``.
        """
        spec = catalogue.get(self.task, model)
        fitted = self.result(model, **params)
        pre = build_preprocessor(self._t.schema, self._settings, self.task, self.seed)
        pre.fit(self._t.X)
        if self.task == "clustering":
            last = fitting.assigner(spec, fitted, self._t.Xt)
            output: dict[str, Any] = {"kind": "cluster", "assign": spec.assign}
        else:
            last = fitted.estimator
            method, sign = spec.score
            output = {"kind": "anomaly", "method": method, "sign": sign,
                      "threshold": fitted.threshold,
                      "contamination": float(self._settings["contamination"])}  # fmt: skip
        pipe = Pipeline([("preprocess", pre), ("model", last)])
        pipe.podium_metadata_ = {
            "model_id": spec.id,
            "model_name": spec.name,
            "params": hyperparameters(fitted.estimator),
            "task": self.task,
            "target": self.target,
            "classes": [],
            "input_schema": self._input_schema(),
            "examples": self._examples(),
            "seed": self.seed,
            "rows": len(self._t.X),
            "engine_version": __version__,
            "output": output,
        }
        return pipe

    def _input_schema(self) -> list[dict[str, Any]]:
        out = []
        for col in self._t.schema:
            if col["role"] != "feature":
                continue
            spec = {"name": col["name"], "kind": col["kind"], "dtype": col["dtype"]}
            if col["kind"] != "datetime":
                spec.update(describe_values(self._t.X[col["name"]].unique()))
            out.append(spec)
        return out

    def _examples(self, n: int = 3) -> list[dict[str, Any]]:
        """Up to ``n`` complete rows of the input columns as JSON objects."""
        X = self._t.X
        rows = X[X.notna().all(axis=1)].head(n)
        return [{str(k): _json_value(v) for k, v in r.items()} for r in rows.to_dict("records")]

    def drawn_plots(self, model: str) -> list[PlotData]:
        """Every plot of the task that ``model`` can draw (the worker stores them as JSON):
        the elbow only when the run chose k, the silhouette only with 2 clusters or more."""
        out = []
        for spec in plots.plots(self.task):
            try:
                out.append(self.plot(spec.id, model))
            except DataError:
                continue
        return out

    def sample_rows(self, n: int = 64) -> pd.DataFrame:
        """Up to ``n`` rows of the input columns, as a finalized pipeline takes them."""
        return self._t.X.head(n)

    def input_schema(self) -> list[dict[str, Any]]:
        """The finalized pipeline's input columns (name, kind, dtype, what training held)."""
        return self._input_schema()

    def plots(self) -> list[dict[str, str]]:
        """``[{id, title, description}]`` of the task's plots."""
        return [p.describe() for p in plots.plots(self.task)]

    def plot(self, plot_id: str, model: str) -> PlotData:
        """Draw one plot of ``model`` (fitted by compare/create, else now)."""
        spec = plots.get(self.task, plot_id)
        fitted = self.result(model)
        if self._embedding is None:
            self._embedding = plots.embedding(self._t.Xt, self.seed)
        view = plots.View(self._t.Xt, fitted, self._embedding, self.sweep, self.n_clusters,
                          self.seed, self._truth)  # fmt: skip
        return spec.draw(view)


def _json_value(value: Any) -> Any:
    """A table value as JSON: dates as ISO text, NumPy scalars as Python values."""
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value.item() if isinstance(value, np.generic) else value
