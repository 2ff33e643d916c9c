"""The table of a clustering or anomaly experiment: settings, schema, guardrails, encoding.

Nothing new is written here: the schema is :func:`~podium.engine.prepare.schema.infer_schema`'s,
ID-like/constant/duplicate columns are dropped by
:func:`~podium.engine.prepare.guardrails.drop_findings`, and the matrix every model sees is the
supervised :func:`~podium.engine.prepare.preprocessing.build_preprocessor`'s (imputation,
one-hot/ordinal encoding, dates, TF-IDF, scaling), fitted once on every row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from podium.engine.errors import DataError, shown
from podium.engine.prepare import guardrails, params
from podium.engine.prepare.data import check_values
from podium.engine.prepare.preprocessing import (
    build_preprocessor,
    encoded_width,
    normalize_frame,
)
from podium.engine.prepare.schema import infer_schema
from podium.engine.records import ColumnInfo, Finding
from podium.engine.standalone import quiet

TASKS = ("clustering", "anomaly")
K_RANGE = (2, 10)  # the number of clusters a run chooses from when none is given
MIN_ROWS = 3

# The task's own setup parameters, in the shape of prepare/params.py's table:
# name, kind, group, default, choices, min, max, description, tasks
_Param = tuple[
    str, str, str, Any, list[Any] | None, float | None, float | None, str, tuple[str, ...] | None
]
PARAMS: tuple[_Param, ...] = (
    ("label_column", "column", "data", None, None, None, None,
     "Optional column of known groups, left out of the features and used only to score the "
     "clusterings (adjusted Rand index). Anomaly detection takes its label as the target.",
     ("clustering",)),
    ("n_clusters", "int", "model", None, None, 2, 50,
     "Number of clusters of the models that take one; chosen by the run when empty "
     f"(the best k-means silhouette over k={K_RANGE[0]}..{K_RANGE[1]}).", ("clustering",)),
    ("contamination", "float", "model", 0.05, None, 0.001, 0.5,
     "Share of rows flagged as anomalies (the threshold on each detector's scores).",
     ("anomaly",)),
)  # fmt: skip
#: the supervised preprocessing defaults that differ here, per task. Distances need comparable
#: scales, so scaling is on. Clustering z-scores: the absolute radii of scikit-learn's defaults
#: (Birch's threshold 0.5, DBSCAN's eps 0.5) are set for unit-variance columns. Anomaly
#: detection scales to [0, 1] (ADBench's preprocessing, Han et al. 2022): z-scoring divides a
#: near-constant column by its tiny deviation, so its rare values (the sparse edge pixels of
#: digits) become the largest coordinates and rule the k-NN/LOF distances; min-max caps every
#: column's share of a distance at its range.
DEFAULTS: dict[str, dict[str, Any]] = {
    "clustering": {"normalize": True, "normalize_method": "zscore",
                   "high_cardinality_encoding": "ordinal"},
    "anomaly": {"normalize": True, "normalize_method": "minmax",
                "high_cardinality_encoding": "ordinal"},
}  # fmt: skip


def setup_params(task: str) -> list[dict[str, Any]]:
    """The setup parameters of ``task`` (its TaskDef's ``setup_params`` part): the shared
    preprocessing ones (scaling on by default, the task's scaler), then the task's own."""
    shared = [
        {**p, "default": DEFAULTS[task].get(p["name"], p["default"])}
        for p in params.supervised_params(task)
        if p["name"] not in ("target", "task", "folds", "train_size")
    ]
    own = [
        {"name": n, "kind": k, "group": g, "default": d, "choices": c, "min": lo, "max": hi,
         "description": desc, "accepts": None, "required": False}
        for n, k, g, d, c, lo, hi, desc, tasks in PARAMS
        if tasks is None or task in tasks
    ]  # fmt: skip
    return shared + own


def check_settings(task: str, given: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """The settings checked by the one rule (``params.check_params``), defaults filled."""
    if task not in TASKS:
        raise DataError(f"unknown task {task!r}: use one of {', '.join(TASKS)}")
    if given.get("high_cardinality_encoding") == "target":
        raise DataError(
            "high_cardinality_encoding='target' needs a target; clustering and anomaly "
            "detection have none: use 'ordinal'"
        )
    share = given.get("contamination")
    if isinstance(share, int | float) and not isinstance(share, bool) and not 0 < share <= 0.5:
        raise DataError(
            "setup parameter 'contamination' is the share of rows flagged: a number above 0 "
            f"and at most 0.5, got {share!r}"
        )
    defaults = {p["name"]: p["default"] for p in setup_params(task) if p["name"] != "seed"}
    return defaults | params.check_params(task, given, columns)


@dataclass
class Table:
    """A prepared table: what every model of the experiment is fitted on."""

    X: pd.DataFrame  # the feature columns, as a finalized pipeline takes them
    Xt: np.ndarray[Any, Any]  # the encoded matrix (every row)
    schema: list[ColumnInfo]
    findings: list[Finding]
    label: pd.Series | None  # the label column's values (scoring only)
    positive: Any = None  # anomaly: the label value that means "anomaly"


def prepare(
    df: pd.DataFrame, task: str, label: str | None, settings: dict[str, Any], seed: int
) -> Table:
    """Check and encode ``df`` (DataError with what to do when it cannot be used)."""
    if len(df) < MIN_ROWS:
        raise DataError(
            f"the table has {len(df)} row(s): {task} needs at least {MIN_ROWS}; add rows"
        )
    check_values(df)
    schema = infer_schema(df, label)
    findings: list[Finding] = []
    for col in schema:
        if col["name"] in settings.get("ignore_features", []):
            col["role"] = "ignored"
            msg = f"column {col['name']!r} ignored (setting)"
            findings.append(guardrails.finding("info", "ignored_column", msg, col["name"]))
    findings += guardrails.drop_findings(schema, df, settings.get("drop_id_columns", True))
    _check_features(schema, label, task)
    features = [c["name"] for c in schema if c["role"] == "feature"]
    X = normalize_frame(df[features], schema)
    pre = build_preprocessor(schema, settings, task, seed)
    with quiet():
        Xt = np.ascontiguousarray(pre.fit_transform(X), dtype="float64")
    if Xt.shape[1] == 0:
        raise DataError(
            f"no column left to use for {task} once encoded: give numeric or categorical columns"
        )
    width = encoded_width(schema, settings, 0)
    findings += guardrails.check_memory(len(df), width, 1)
    y = df[label] if label else None
    positive = _positive(y) if task == "anomaly" and y is not None else None
    return Table(X, Xt, schema, findings, y, positive)


def _check_features(schema: list[ColumnInfo], label: str | None, task: str) -> None:
    if any(c["role"] == "feature" for c in schema):
        return
    others = [c["name"] for c in schema if c["role"] != "target"]
    detail = (
        f"the table has only the label column {label!r}"
        if not others
        else "every column was dropped (ID-like, constant or duplicate): "
        + ", ".join(repr(o) for o in others)
    )
    raise DataError(f"no feature column for {task}: {detail}; add numeric or categorical columns")


_TRUE = frozenset({"1", "true", "yes", "y", "t", "anomaly", "outlier", "abnormal"})


def _positive(y: pd.Series) -> Any:
    """The value of a two-valued label that means "anomaly": 1/True/"anomaly"... when present,
    else the rarer value."""
    values = y.dropna()
    distinct = list(pd.unique(values))
    if len(distinct) != 2:
        shown_values = ", ".join(shown(v) for v in distinct[:5])
        raise DataError(
            f"label column {str(y.name)!r} must hold exactly 2 values (normal and anomaly), "
            f"it holds {len(distinct)}: {shown_values}"
        )
    for v in distinct:
        if str(v).strip().lower() in _TRUE:
            return v
    counts = values.value_counts()
    return counts.idxmin()


def whole_table(y: Any, *_: Any, **__: Any) -> list[tuple[np.ndarray[Any, Any], ...]]:
    """The task's ``cv`` part: no split — every model is fitted and scored on every row once
    (there is no target to validate against)."""
    rows = np.arange(len(y))
    return [(rows, rows)]


def anomaly_truth(table: Table) -> np.ndarray[Any, Any] | None:
    """1 where the label says anomaly, 0 where normal, -1 where missing (None without label)."""
    if table.label is None:
        return None
    y = table.label
    out = np.where(y.isna().to_numpy(), -1, (y == table.positive).to_numpy().astype("int64"))
    return out.astype("int64")
