"""A profile of a table: what each column holds, how columns relate, what the target looks
like, and the guardrail findings setup would report.

Column statistics, top values and histograms use every row (vectorised, cheap). Correlations,
the target's distribution and the feature-against-target plots use a seeded sample of
``SAMPLE_ROWS`` rows when the table is larger; the profile's ``notes`` say which.
"""

from __future__ import annotations

import copy
import time
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from podium.engine.errors import DataError
from podium.engine.prepare import guardrails
from podium.engine.prepare import profile_plots as plots
from podium.engine.prepare.schema import infer_schema, infer_task
from podium.engine.records import ColumnInfo, Finding, PlotData
from podium.engine.standalone import to_datetime

SAMPLE_ROWS = 100_000
TOP_VALUES = 10
QUANTILES = {"5%": 0.05, "25%": 0.25, "50%": 0.5, "75%": 0.75, "95%": 0.95}
MAX_TARGET_FEATURES = 100
NUMERIC_KINDS = ("numeric", "id", "constant")

Array = np.ndarray[Any, Any]


class TopValue(TypedDict):
    """One of a column's most frequent values: how many rows hold it, and their share."""

    value: Any
    count: int
    share: float


class ColumnProfile(TypedDict):
    """One column: its schema facts (``kind``, ``role`` as ``infer_schema`` says), missing
    and distinct counts, statistics of numbers (``min``/``max`` are ISO text for dates),
    top values, a histogram, and (with a target) the column against the target."""

    name: str
    dtype: str
    kind: str
    role: str
    missing: int
    missing_share: float
    unique: int
    min: float | str | None
    max: float | str | None
    mean: float | None
    std: float | None
    quantiles: dict[str, float] | None
    top: list[TopValue]
    histogram: PlotData | None
    vs_target: PlotData | None


class TargetProfile(TypedDict):
    """The target: the task it implies (null when it cannot be one) and its distribution."""

    name: str
    task: str | None
    distribution: PlotData | None


class Profile(TypedDict):
    """A table's profile (see :func:`profile`)."""

    rows: int
    sample_rows: int
    columns: list[ColumnProfile]
    correlations: list[PlotData]
    target: TargetProfile | None
    findings: list[Finding]
    notes: list[str]
    seconds: float


def profile(
    df: pd.DataFrame, target: str | None = None, *, sample_rows: int = SAMPLE_ROWS, seed: int = 0
) -> Profile:
    """Profile a table: per column statistics and a histogram, correlations, the target.

    Parameters
    ----------
    df : DataFrame
        The table.
    target : str, optional
        A column to profile as the target: its distribution, each feature against it, and
        the target findings (imbalance, leakage).
    sample_rows : int
        Correlations and the target plots use a seeded sample of this many rows when the
        table is larger (statistics and histograms always use every row).
    seed : int
        Seed of the sample and of the leakage check.

    Returns
    -------
    dict
        ``{rows, sample_rows, columns, correlations, target, findings, notes, seconds}``.

    Examples
    --------
    >>> import pandas as pd
    >>> p = profile(pd.DataFrame({"a": [1.0, 2.0, None], "b": ["x", "y", "x"]}))
    >>> [(c["name"], c["kind"], c["missing"], c["mean"]) for c in p["columns"]]
    [('a', 'numeric', 1, 1.5), ('b', 'categorical', 0, None)]
    """
    started = time.perf_counter()
    if target is not None and target not in df.columns:
        names = ", ".join(repr(str(c)) for c in list(df.columns)[:20])
        raise DataError(f"unknown target column {target!r}: the columns are {names}")
    if len(df) == 0:
        raise DataError("the table has no rows: give at least one row of data")
    schema = infer_schema(df, target)
    sample = df if len(df) <= sample_rows else df.sample(n=sample_rows, random_state=seed)
    notes = [_sample_note(len(df), len(sample), seed)]
    plot_notes = [f"{len(df):,} rows"]
    sample_notes = [f"{len(sample):,} rows" + (" (sampled)" if len(sample) < len(df) else "")]
    columns = [_column(df[c["name"]], c, len(df), plot_notes) for c in schema]
    out: Profile = {
        "rows": len(df),
        "sample_rows": len(sample),
        "columns": columns,
        "correlations": _correlations(sample, schema, sample_notes),
        "target": None,
        "findings": _findings(df, schema, target, seed),
        "notes": notes,
        "seconds": 0.0,
    }
    if target is not None:
        out["target"] = _target(sample, schema, columns, target, sample_notes, notes)
    out["seconds"] = round(time.perf_counter() - started, 3)
    return out


def _sample_note(rows: int, sampled: int, seed: int) -> str:
    if sampled == rows:
        return f"every statistic and plot uses all {rows:,} rows"
    return (
        f"statistics, top values and histograms use all {rows:,} rows; correlations and the "
        f"target plots use a random sample of {sampled:,} rows (seed {seed}), as every table "
        f"over {SAMPLE_ROWS:,} rows"
    )


def _column(col: pd.Series, info: ColumnInfo, rows: int, notes: list[str]) -> ColumnProfile:
    """Statistics, top values and histogram of one column."""
    name, kind = info["name"], info["kind"]
    out: ColumnProfile = {
        "name": name,
        "dtype": info["dtype"],
        "kind": kind,
        "role": info["role"],
        "missing": info["missing"],
        "missing_share": round(info["missing"] / rows, 4),
        "unique": info["unique"],
        "min": None,
        "max": None,
        "mean": None,
        "std": None,
        "quantiles": None,
        "top": [],
        "histogram": None,
        "vs_target": None,
    }
    present = col.dropna()
    if len(present) == 0:
        return out
    missing_note = [f"{info['missing']:,} missing not shown"] if info["missing"] else []
    if _is_number(col):
        _numbers(out, present.to_numpy(dtype="float64"), [*notes, *missing_note])
    elif kind == "datetime":
        _dates(out, present, bool(info.get("dayfirst")), [*notes, *missing_note])
    elif kind == "text":
        lengths = present.astype(str).str.len().to_numpy(dtype="float64")
        title = f"{name}: length in characters"
        out["histogram"] = plots.numeric_histogram(f"histogram:{name}", title, lengths, notes)
    if kind not in ("id", "text"):
        counts = present.value_counts()
        out["top"] = [
            {"value": _plain(v), "count": int(n), "share": round(int(n) / rows, 4)}
            for v, n in counts.iloc[:TOP_VALUES].items()
        ]
        if out["histogram"] is None and kind != "datetime":
            hist_notes = [*notes, *missing_note]
            out["histogram"] = plots.category_bars(f"histogram:{name}", name, counts, hist_notes)
    return out


def _is_number(col: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)


def _numbers(out: ColumnProfile, values: Array, notes: list[str]) -> None:
    """min/max/mean/std (ddof 1, as pandas)/quantiles (linear, as pandas) of finite values."""
    finite = values[np.isfinite(values)]
    if len(finite) < len(values):
        notes = [*notes, f"{len(values) - len(finite):,} infinite values not shown"]
    if len(finite) == 0:
        return
    out["min"], out["max"] = float(finite.min()), float(finite.max())
    out["mean"] = float(finite.mean())
    out["std"] = float(finite.std(ddof=1)) if len(finite) > 1 else None
    qs = np.quantile(finite, list(QUANTILES.values()))
    out["quantiles"] = {k: float(q) for k, q in zip(QUANTILES, qs, strict=True)}
    if out["kind"] != "id":
        name = out["name"]
        out["histogram"] = plots.numeric_histogram(f"histogram:{name}", name, finite, notes)


def _dates(out: ColumnProfile, present: pd.Series, dayfirst: bool, notes: list[str]) -> None:
    """First and last date (ISO) and a histogram over time, read as training reads them."""
    stamps = to_datetime(present, dayfirst).dropna()
    if len(stamps) == 0:
        return
    out["min"], out["max"] = stamps.min().isoformat(), stamps.max().isoformat()
    ns = stamps.to_numpy(dtype="datetime64[ns]").astype("int64")
    out["histogram"] = plots.date_histogram(f"histogram:{out['name']}", out["name"], ns, notes)


def _correlations(
    sample: pd.DataFrame, schema: list[ColumnInfo], notes: list[str]
) -> list[PlotData]:
    """Pearson and Spearman heatmaps of numeric columns; Cramér's V of categorical ones."""
    cap = plots.MAX_HEATMAP_COLUMNS
    numeric = [
        c["name"] for c in schema if c["kind"] == "numeric" and _is_number(sample[c["name"]])
    ]
    categorical = [
        c["name"]
        for c in schema
        if c["kind"] in ("categorical", "boolean") and c["unique"] <= plots.MAX_CATEGORIES_FOR_V
    ]
    out: list[PlotData] = []
    num_notes = _capped(notes, numeric, cap, "numeric")
    for method in ("pearson", "spearman"):
        heat = plots.correlation(sample[numeric[:cap]], method, num_notes)
        if heat is not None:
            out.append(heat)
    codes = {name: pd.factorize(sample[name])[0] for name in categorical[:cap]}
    cat_notes = _capped(
        notes, categorical, cap, f"categorical (≤ {plots.MAX_CATEGORIES_FOR_V} values)"
    )
    heat = plots.cramers_heatmap(codes, cat_notes)
    if heat is not None:
        out.append(heat)
    return out


def _capped(notes: list[str], names: list[str], cap: int, what: str) -> list[str]:
    if len(names) <= cap:
        return notes
    return [*notes, f"the first {cap} of {len(names)} {what} columns"]


def _findings(
    df: pd.DataFrame, schema: list[ColumnInfo], target: str | None, seed: int
) -> list[Finding]:
    """What setup's guardrails say: ID-like, constant and duplicate columns; with a target,
    missing target values, class imbalance and single-column leakage."""
    schema = copy.deepcopy(schema)
    out = guardrails.drop_findings(schema, df, drop_ids=True)
    if target is None:
        return out
    try:
        out += guardrails.check_target(df[target])
        frame = df[df[target].notna()] if df[target].isna().any() else df
        y = frame[target]
        task = infer_task(y)
        if task != "regression":
            out += guardrails.check_classes(y, 1, "the table")
        y_enc = y.to_numpy(dtype="float64") if task == "regression" else pd.factorize(y)[0]
        features = [c["name"] for c in schema if c["role"] == "feature"]
        out += guardrails.check_leakage(frame, y_enc, task, features, seed)
    except DataError as exc:
        out.append(guardrails.finding("warning", "target_unusable", str(exc), target))
    return out


def _target(
    sample: pd.DataFrame,
    schema: list[ColumnInfo],
    columns: list[ColumnProfile],
    target: str,
    notes: list[str],
    profile_notes: list[str],
) -> TargetProfile:
    """The target's task and distribution; each feature's plot against it (in ``columns``)."""
    frame = sample[sample[target].notna()]
    y = frame[target]
    try:
        task: str | None = infer_task(y) if y.nunique() >= 2 else None
    except DataError:
        task = None
    out: TargetProfile = {"name": target, "task": task, "distribution": None}
    if len(y) == 0:
        return out
    classification = task != "regression" if task else not _is_number(y)
    out["distribution"] = plots.target_distribution(y, classification, notes)
    if task is None:
        return out
    features = [c for c in schema if c["role"] == "feature"]
    if len(features) > MAX_TARGET_FEATURES:
        profile_notes.append(
            f"feature-against-target plots for the first {MAX_TARGET_FEATURES} of "
            f"{len(features)} feature columns"
        )
    by_name = {c["name"]: c for c in columns}
    for info in features[:MAX_TARGET_FEATURES]:
        by_name[info["name"]]["vs_target"] = _versus(frame[info["name"]], info, y, task, notes)
    return out


def _versus(
    x: pd.Series, info: ColumnInfo, y: pd.Series, task: str, notes: list[str]
) -> PlotData | None:
    classification = task != "regression"
    if info["kind"] == "numeric" and _is_number(x):
        if not np.isfinite(x.to_numpy(dtype="float64")).any():
            return None
        return plots.numeric_vs_target(x, y, classification, notes)
    if info["kind"] in ("categorical", "boolean"):
        return plots.category_vs_target(x, y, classification, notes)
    return None


def _plain(value: Any) -> Any:
    """A JSON value: NumPy scalars as Python ones, dates and other objects as text."""
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy":
        value = item()
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)
