"""Checks run by setup before any training; problems become findings, fatal ones DataError."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
import psutil
import sklearn
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import OrdinalEncoder
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from podium.engine.errors import DataError, shown
from podium.engine.records import ColumnInfo, Finding
from podium.engine.standalone import quiet

IMBALANCE_RATIO = 0.25  # minority / majority below this: imbalanced
LEAKAGE_SCORE = 0.99
_LEAK_SAMPLE = 2000
_LEAK_MAX_COLUMNS = 200
_MEMORY_SHARE = 0.5


def finding(level: str, code: str, message: str, column: str | None = None) -> Finding:
    """A finding ``{level, code, message, column?}``."""
    out: Finding = {"level": level, "code": code, "message": message}
    if column is not None:
        out["column"] = column
    return out


def check_target(y: pd.Series) -> list[Finding]:
    """Fatal: target all missing or constant. Rows with a missing target are dropped (said)."""
    name = str(y.name)
    n_missing = int(y.isna().sum())
    if n_missing == len(y):
        raise DataError(f"target {name!r} is empty (every value is missing): pick another target")
    if y.nunique(dropna=True) < 2:
        value = y.dropna().iloc[0]
        raise DataError(
            f"target {name!r} is constant (every value is {shown(value)}): nothing to learn; "
            "pick another target"
        )
    if n_missing:
        msg = f"{n_missing} row(s) with a missing target {name!r} were dropped"
        return [finding("warning", "target_missing", msg, name)]
    return []


def check_classes(y: pd.Series, folds: int, where: str) -> list[Finding]:
    """Fatal when a class has fewer rows than folds; a warning when classes are imbalanced."""
    counts = y.value_counts()
    small = counts[counts < folds]
    if len(small):
        label, n = small.index[0], int(small.iloc[0])
        # folds is at least 2: a class of one row cannot be helped by fewer folds
        lower = f"lower folds (e.g. folds={n}), " if n >= 2 else ""
        raise DataError(
            f"class {shown(label)} of target {str(y.name)!r} has {n} row(s) in {where}, fewer than "
            f"folds={folds}: {lower}add rows of that class, or drop its rows"
        )
    ratio = float(counts.min() / counts.max())
    if ratio < IMBALANCE_RATIO:
        smallest, largest = shown(counts.idxmin()), shown(counts.idxmax())
        msg = (
            f"classes are imbalanced (smallest {smallest}: {int(counts.min())} rows, "
            f"largest {largest}: {int(counts.max())}); AUC is the default sort metric"
        )
        return [finding("warning", "class_imbalance", msg, str(y.name))]
    return []


def drop_findings(schema: list[ColumnInfo], df: pd.DataFrame, drop_ids: bool) -> list[Finding]:
    """Mark ID-like, constant and duplicate columns ignored in ``schema`` and say so."""
    out = []
    seen: dict[str, str] = {}
    for col in schema:
        name = col["name"]
        if col["role"] == "target":
            continue
        if col["kind"] == "constant":
            out.append(
                finding("info", "constant_column", f"column {name!r} is constant: dropped", name)
            )
            continue
        if col["kind"] == "id":
            if drop_ids:
                msg = f"column {name!r} looks like an ID (every value distinct): dropped"
                out.append(finding("info", "id_column", msg, name))
                continue
            col["role"] = "feature"
            col["kind"] = (
                "categorical" if not pd.api.types.is_numeric_dtype(df[name]) else "numeric"
            )
        if col["role"] != "feature":
            continue
        digest = _digest(df[name])
        if digest in seen:
            col["role"] = "ignored"
            msg = f"column {name!r} duplicates column {seen[digest]!r}: dropped"
            out.append(finding("info", "duplicate_column", msg, name))
        else:
            seen[digest] = name
    return out


def _digest(col: pd.Series) -> str:
    values = col if pd.api.types.is_numeric_dtype(col) else col.astype(str)
    hashed = pd.util.hash_pandas_object(values, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def check_features(schema: list[ColumnInfo], target: str) -> None:
    """Fatal when no usable feature column is left."""
    if not any(c["role"] == "feature" for c in schema):
        others = [c["name"] for c in schema if c["role"] != "target"]
        detail = (
            "the table has only the target column"
            if not others
            else (
                "every other column was dropped (ID-like, constant or duplicate): "
                + ", ".join(repr(o) for o in others)
            )
        )
        raise DataError(
            f"no feature column to learn {target!r} from: {detail}; add feature columns"
        )


def check_leakage(
    df: pd.DataFrame, y: Any, task: str, features: list[str], seed: int
) -> list[Finding]:
    """Warn about single columns that predict the target almost perfectly."""
    rng = np.random.default_rng(seed)
    n = len(df)
    rows = (
        rng.choice(n, size=min(n, _LEAK_SAMPLE), replace=False)
        if n > _LEAK_SAMPLE
        else np.arange(n)
    )
    y_s = np.asarray(y)[rows]
    out = []
    for name in features[:_LEAK_MAX_COLUMNS]:
        score = _single_column_score(_as_numeric(df[name].iloc[rows]), y_s, task, seed)
        if score is not None and score >= LEAKAGE_SCORE:
            msg = (
                f"column {name!r} alone predicts the target almost perfectly (score {score:.3f}): "
                "likely target leakage; drop it with ignore_features if it is not known at "
                "prediction time"
            )
            out.append(finding("warning", "target_leakage", msg, name))
    return out


def _single_column_score(x: Any, y: Any, task: str, seed: int) -> float | None:
    """3-fold CV score of a depth-6 tree on one column: balanced accuracy or R².

    The same folds, models and scores as ``cross_val_score(tree, x, y, cv=3)`` with
    ``balanced_accuracy`` / ``r2``, without its per-call machinery: it runs for every column
    on the path to a run's first row (61 columns of digits: 1.4 s that way, ~0.15 s here).
    """
    regression = task == "regression"
    tree: Any = DecisionTreeRegressor if regression else DecisionTreeClassifier
    splitter: Any = KFold(3) if regression else StratifiedKFold(3)
    x, y = np.asarray(x), np.asarray(y)
    scores = []
    try:
        with quiet(), sklearn.config_context(skip_parameter_validation=True):
            for fit, held in splitter.split(x, y):
                model = tree(max_depth=6, random_state=seed).fit(x[fit], y[fit])
                pred, truth = model.predict(x[held]), y[held]
                scores.append(_r2(truth, pred) if regression else _balanced(truth, pred))
    except ValueError:
        return None
    return float(np.mean(scores))


def _balanced(truth: Any, pred: Any) -> float:
    """Mean recall over the classes present in ``truth`` (scikit-learn's balanced accuracy)."""
    return float(np.mean([np.mean(pred[truth == c] == c) for c in np.unique(truth)]))


def _r2(truth: Any, pred: Any) -> float:
    residual = float(((truth - pred) ** 2).sum())
    total = float(((truth - truth.mean()) ** 2).sum())
    if total == 0:
        return 1.0 if residual == 0 else 0.0
    return 1 - residual / total


def _as_numeric(col: pd.Series) -> Any:
    if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
        return col.to_numpy(dtype="float64", na_value=np.nan).reshape(-1, 1)
    enc = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    return enc.fit_transform(col.astype(str).to_frame())


def check_memory(rows: int, width: int, folds: int) -> list[Finding]:
    """Projected encoded width and memory (all folds' arrays) against available RAM."""
    needed = rows * width * 8 * 2 * (folds + 1)
    available = int(psutil.virtual_memory().available)
    msg = (
        f"encoded table: {rows} rows × {width} columns; about {needed / 2**20:.1f} MiB for "
        f"the fold arrays, {available / 2**30:.1f} GiB available"
    )
    if needed > _MEMORY_SHARE * available:
        msg += ": too close to the limit; sample rows, ignore wide columns or lower folds"
        return [finding("warning", "memory", msg)]
    return [finding("info", "encoded_width", msg)]
