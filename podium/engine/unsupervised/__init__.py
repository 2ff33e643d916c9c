"""Clustering and anomaly detection: tables without a target (issue #15).

>>> from podium.engine import samples
>>> from podium.engine.unsupervised import setup
>>> df, species = samples.load("iris")
>>> exp = setup(df.drop(columns=species), task="clustering", n_clusters=3, seed=0)
>>> exp.compare(models=["kmeans"]).leaderboard["columns"][:3]
['Model', 'Silhouette', 'Calinski-Harabasz']

``setup`` prepares the table with the supervised code (schema, guardrails, preprocessing);
every model is fitted once on the whole table (:mod:`.experiment`); models, metrics, the rule
choosing the number of clusters, the rule answering new rows and the plots live in
:mod:`.catalogue`, :mod:`.metrics`, :mod:`.fitting` and :mod:`.plots`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from podium.engine.errors import DataError
from podium.engine.events import Emitter, OnEvent
from podium.engine.prepare import params
from podium.engine.prepare.data import check_columns, read_table
from podium.engine.unsupervised.data import K_RANGE, TASKS, check_settings, prepare, setup_params
from podium.engine.unsupervised.experiment import UnsupervisedExperiment
from podium.engine.unsupervised.fitting import choose_k

__all__ = ["TASKS", "UnsupervisedExperiment", "setup", "setup_params"]


def setup(
    data: pd.DataFrame | str | Path,
    target: str | None = None,
    *,
    task: str,
    seed: int = 42,
    folds: int | None = None,
    train_size: float | None = None,
    on_event: OnEvent | None = None,
    **settings: Any,
) -> UnsupervisedExperiment:
    """Check and encode a table for clustering or anomaly detection.

    Parameters
    ----------
    data : DataFrame or path
        The table (or a CSV/Parquet file).
    target : str, optional
        A label column (the same as the ``label_column`` setting): left out of the features,
        used only to score the models (clustering: ARI; anomaly: ROC AUC, precision at k).
    task : {"clustering", "anomaly"}
    seed : int
        Seed of every model and sample.
    folds, train_size
        Not used: every model is fitted once on the whole table (only 1 / None accepted).
    **settings
        :func:`setup_params` (``n_clusters``, ``contamination``, preprocessing ...).

    Raises
    ------
    DataError
        Bad data or settings, with what to do.
    """
    emit = Emitter(on_event)
    if task not in TASKS:
        raise DataError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")
    _refuse_splits(task, folds, train_size)
    df = _frame(data)
    label = _label(target, settings.pop("label_column", None))
    if label is not None and label not in df.columns:
        names = ", ".join(repr(str(c)) for c in list(df.columns)[:20])
        raise DataError(f"unknown label column {label!r}: the columns are {names}")
    emit("setup.started", {"rows": len(df), "columns": int(df.shape[1]), "target": label or ""})
    seed = params.check_number("seed", seed, "int", *params.bounds("seed"))
    opts = check_settings(task, settings, [str(c) for c in df.columns if c != label])
    table = prepare(df, task, label, opts, seed)
    rows = len(table.X)
    sweep: list[dict[str, Any]] = []
    if task == "clustering":
        k = opts.get("n_clusters")
        if k is not None and k >= rows:
            raise DataError(
                f"n_clusters={k} needs more rows than clusters, the table has {rows}: "
                f"lower n_clusters (at most {rows - 1}) or add rows"
            )
        if k is None:
            k, sweep = choose_k(table.Xt, seed, K_RANGE)
            opts["n_clusters"] = k
            message = (
                f"n_clusters={k} chosen: the best k-means silhouette over "
                f"k={K_RANGE[0]}..{min(K_RANGE[1], rows - 1)}; set n_clusters to choose"
            )
            table.findings.append({"level": "info", "code": "n_clusters", "message": message})
    exp = UnsupervisedExperiment(task, table, label, seed, opts, sweep)
    payload = {"task": task, "target": label or "", "folds": 1, "train_rows": rows,
               "holdout_rows": 0, "schema": exp.schema, "findings": exp.findings}  # fmt: skip
    emit("setup.finished", payload)
    return exp


def _refuse_splits(task: str, folds: int | None, train_size: float | None) -> None:
    if folds not in (None, 1) or train_size not in (None, 1, 1.0):
        raise DataError(
            f"{task} fits every model once on the whole table: folds and train_size do not "
            "apply; leave them out"
        )


def _label(target: str | None, label_column: str | None) -> str | None:
    if target and label_column and target != label_column:
        raise DataError(
            f"two label columns given (target={target!r}, label_column={label_column!r}): give one"
        )
    return target or label_column or None


def _frame(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    if isinstance(data, str | Path):
        return read_table(data)
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"data must be a pandas DataFrame or a file path, got {type(data).__name__}"
        )
    check_columns(data)
    if len(data) == 0:
        raise DataError("the table has no rows: give at least one row of data")
    return data.copy()
