"""``setup``: dispatch to the task's setup; the supervised one reads and checks the data, infers
schema and task, splits, and runs the guardrails."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.preprocessing import LabelEncoder

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.events import Emitter, OnEvent
from podium.engine.experiment import Experiment, ExperimentData
from podium.engine.prepare import guardrails, params
from podium.engine.prepare.cv import holdout_split
from podium.engine.prepare.data import check_columns, check_values, read_table
from podium.engine.prepare.preprocessing import copy_on_write, encoded_width, normalize_frame
from podium.engine.prepare.schema import check_task, infer_schema, infer_task
from podium.engine.records import ColumnInfo, Finding
from podium.engine.run import executors, heap


def setup(
    data: pd.DataFrame | str | Path,
    target: str | None = None,
    *,
    task: str | None = None,
    **settings: Any,
) -> Any:
    """Prepare an experiment of ``task`` on ``data``: the task's own setup (its
    :class:`~podium.engine.tasks.TaskDef`'s ``setup`` part) does the work.

    Parameters
    ----------
    data : DataFrame or path
        The table (or a CSV/Parquet file).
    target : str, optional
        The column to predict; tasks without a target (clustering) take none, anomaly
        detection an optional label column to score against.
    task : str, optional
        ``describe.tasks()`` lists them; guessed from the target when None
        (binary, multiclass or regression).
    **settings
        ``folds``, ``train_size``, ``seed``, ``on_event`` and the task's further parameters
        (``describe.setup_params(task)``).

    Returns
    -------
    Experiment
        For the supervised tasks an :class:`~podium.engine.experiment.Experiment`; every
        task's experiment has ``task``, ``target``, ``compare``, ``create`` and ``finalize``.

    Raises
    ------
    DataError
        Unknown task, a target where the task takes none (or none where it needs one), a task
        not wired into this engine yet, or bad data or settings.
    """
    if task is None:
        if not target:
            raise DataError(
                "give target= (the column to predict), or task= for a task without one "
                f"({', '.join(t.id for t in tasks.ALL if t.target != 'required')})"
            )
        return setup_supervised(data, target, **settings)
    found = tasks.get(task)
    column = tasks.check_target(task, target)
    return found.part("setup")(data, column or None, task=task, **settings)


def setup_supervised(
    data: pd.DataFrame | str | Path,
    target: str,
    *,
    task: str | None = None,
    folds: int = 5,
    train_size: float = 0.7,
    seed: int = 42,
    on_event: OnEvent | None = None,
    **settings: Any,
) -> Experiment:
    """Check a table, infer its schema and task, split it, and return an :class:`Experiment`
    (the ``setup`` part of the binary, multiclass and regression tasks).

    Parameters
    ----------
    data : DataFrame or path
        The table (or a CSV/Parquet file).
    target : str
        Column to predict.
    task : {"binary", "multiclass", "regression"}, optional
        Guessed from the target when None.
    folds : int
        Cross-validation folds (2–20) on the training part.
    train_size : float
        Share of rows cross-validated; the rest is the holdout.
    seed : int
        Seed of every split and model.
    on_event : callable, optional
        Receives ``setup.started`` and ``setup.finished`` events.
    **settings
        Further parameters of :func:`podium.engine.describe.setup_params`.

    Returns
    -------
    Experiment

    Raises
    ------
    DataError
        Bad data or settings, naming the column or parameter and what to do.

    Examples
    --------
    >>> from podium.engine import samples, setup
    >>> df, target = samples.load("iris")
    >>> exp = setup_supervised(df, target, folds=3, seed=1)
    >>> exp.task, exp.n_classes
    ('multiclass', 3)
    """
    executors.prestart()  # the pool's imports overlap the rest of setup and the caller's code
    emit = Emitter(on_event)
    df = _frame(data)
    _check_shape(df, target)
    emit("setup.started", {"rows": len(df), "columns": int(df.shape[1]), "target": target})
    folds = params.check_number("folds", folds, "int", *params.bounds("folds"))
    train_size = params.check_number(
        "train_size", train_size, "float", *params.bounds("train_size")
    )
    seed = params.check_number("seed", seed, "int", *params.bounds("seed"))
    check_values(df)
    findings = guardrails.check_target(df[target])
    df = _labelled_rows(df, target)
    task = task or infer_task(df[target])
    check_task(task, df[target])
    opts = params.validate(task, settings, [str(c) for c in df.columns], target)
    exp_data, more = _build(df, target, task, folds, train_size, seed, opts)
    findings += more
    exp = Experiment(exp_data, findings=findings)
    del df
    heap.release()  # the copies setup made and freed stay resident otherwise (heap.py)
    payload = {
        "task": task,
        "target": target,
        "folds": folds,
        "train_rows": len(exp_data.train_idx),
        "holdout_rows": len(exp_data.holdout_idx),
        "schema": exp.schema,
        "findings": findings,
    }
    emit("setup.finished", payload)
    return exp


def _frame(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    if isinstance(data, str | Path):
        return read_table(data)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"data must be a pandas DataFrame or a file path, got {type(data).__name__}"
        )
    check_columns(data)
    # a copy either way: with copy-on-write (pandas 3) a shallow one shares the columns until
    # either side writes, instead of holding the whole table twice
    return data.copy(deep=not copy_on_write())


def _labelled_rows(df: pd.DataFrame, target: str) -> pd.DataFrame:
    """The rows whose target is known, indexed 0..n-1 (the table itself when it already is)."""
    known = df[target].notna()
    if not known.all():
        df = df[known]
    if df.index.equals(pd.RangeIndex(len(df))):
        return df
    return df.reset_index(drop=True)


def _check_shape(df: pd.DataFrame, target: str) -> None:
    if len(df) == 0:
        raise DataError("the table has no rows: give at least one row of data")
    if target not in df.columns:
        names = ", ".join(repr(str(c)) for c in list(df.columns)[:20])
        raise DataError(f"unknown target column {target!r}: the columns are {names}")
    if df.shape[1] < 2:
        raise DataError(
            f"the table has a single column ({target!r}): add at least one feature column"
        )


def _build(
    df: pd.DataFrame,
    target: str,
    task: str,
    folds: int,
    train_size: float,
    seed: int,
    opts: dict[str, Any],
) -> tuple[ExperimentData, list[Finding]]:
    y = df[target]
    schema, findings = _schema(df, target, opts)
    stratify = bool(opts.get("stratify", True)) and task != "regression"
    y_enc, classes = _encode_target(y, task, folds)
    train_idx, holdout_idx = holdout_split(len(df), y_enc, task, train_size, seed, stratify)
    if task != "regression":
        where = f"the training part (train_size={train_size})"
        findings += guardrails.check_classes(y.iloc[train_idx], folds, where)
    features = [c["name"] for c in schema if c["role"] == "feature"]
    findings += guardrails.check_leakage(
        df.iloc[train_idx][features], y_enc[train_idx], task, features, seed
    )
    width = encoded_width(schema, opts, len(classes))
    findings += guardrails.check_memory(len(df), width, folds)
    data = ExperimentData(
        X=normalize_frame(df[features], schema),
        y=y,
        y_enc=y_enc,
        target=target,
        task=task,
        schema=schema,
        classes=classes,
        folds=folds,
        train_size=train_size,
        seed=seed,
        settings=opts,
        train_idx=train_idx,
        holdout_idx=holdout_idx,
        stratify=stratify,
        encoded_width=width,
    )
    return data, findings


def _schema(
    df: pd.DataFrame, target: str, opts: dict[str, Any]
) -> tuple[list[ColumnInfo], list[Finding]]:
    """The schema with final roles, and the findings about dropped/ignored columns."""
    findings: list[Finding] = []
    schema = infer_schema(df, target)
    for col in schema:
        if col["name"] in opts["ignore_features"]:
            col["role"] = "ignored"
            msg = f"column {col['name']!r} ignored (setting)"
            findings.append(guardrails.finding("info", "ignored_column", msg, col["name"]))
    findings += guardrails.drop_findings(schema, df, opts["drop_id_columns"])
    guardrails.check_features(schema, target)
    return schema, findings


def _encode_target(y: pd.Series, task: str, folds: int) -> tuple[Any, list[Any]]:
    """Float targets for regression; labels 0..k-1 (sorted classes) for classification."""
    if task == "regression":
        return y.to_numpy(dtype="float64"), []
    guardrails.check_classes(y, max(folds, 2), "the data")  # fatal problems only
    encoder = LabelEncoder().fit(y)
    return encoder.transform(y).astype("int64"), [_plain(c) for c in encoder.classes_]


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
