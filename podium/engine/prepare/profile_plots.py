"""The plots of a dataset profile, as :class:`~podium.engine.records.PlotData`: a column's
histogram, correlation heatmaps (Pearson, Spearman, Cramér's V), the target's distribution and
a feature against the target. Vectorised NumPy/pandas only; callers pass the (sampled) data."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from podium.engine.records import Axis, PlotData, Series

BINS = 30
TOP_BARS = 20
MAX_HEATMAP_COLUMNS = 30
MAX_CATEGORIES_FOR_V = 50
MAX_CLASSES_SHOWN = 10
SCATTER_POINTS = 1000
MAX_TARGET_BARS = 50

Array = np.ndarray[Any, Any]


def plot(
    plot_id: str, title: str, x: Axis, y: Axis, series: list[Series], notes: list[str]
) -> PlotData:
    """An ``xy`` plot."""
    return {
        "id": plot_id,
        "title": title,
        "kind": "xy",
        "x": x,
        "y": y,
        "series": series,
        "notes": notes,
    }


def heatmap(
    plot_id: str, title: str, rows: list[str], cols: list[str], values: Array, notes: list[str]
) -> PlotData:
    """A ``heatmap`` plot; NaN cells become null."""
    cells = [[None if not np.isfinite(v) else round(float(v), 4) for v in row] for row in values]
    return {
        "id": plot_id,
        "title": title,
        "kind": "heatmap",
        "x": {"label": "", "scale": "band"},
        "y": {"label": "", "scale": "band"},
        "series": [],
        "heatmap": {"rows": rows, "cols": cols, "values": cells},
        "notes": notes,
    }


def numeric_histogram(plot_id: str, name: str, values: Array, notes: list[str]) -> PlotData:
    """Counts of finite ``values``: a bar per value for ≤ ``BINS`` distinct whole numbers,
    else ``BINS`` equal-width bins (``rect``: from ``x`` to ``x2``)."""
    distinct = np.unique(values)
    if len(distinct) <= BINS and np.all(np.mod(distinct, 1) == 0):
        counts = np.searchsorted(np.sort(values), distinct, side="right")
        counts = np.diff(np.concatenate([[0], counts]))
        labels = [_label(v) for v in distinct]
        series: Series = {"name": "rows", "mark": "bar", "x": labels, "y": _ints(counts)}
        return plot(
            plot_id, name, {"label": name, "scale": "band"}, {"label": "rows"}, [series], notes
        )
    counts, edges = np.histogram(values, bins=BINS)
    rect: Series = {
        "name": "rows",
        "mark": "rect",
        "x": _floats(edges[:-1]),
        "x2": _floats(edges[1:]),
        "y": _ints(counts),
    }
    return plot(plot_id, name, {"label": name}, {"label": "rows"}, [rect], notes)


def category_bars(plot_id: str, name: str, counts: pd.Series, notes: list[str]) -> PlotData:
    """Horizontal bars of the ``TOP_BARS`` most frequent values (``counts``: value_counts,
    most frequent first); the rest summed into one "(n other values)" bar."""
    top = counts.iloc[:TOP_BARS]
    labels = [str(v) for v in top.index]
    heights = _ints(top.to_numpy())
    rest = counts.iloc[TOP_BARS:]
    if len(rest):
        labels.append(f"({len(rest):,} other values)")
        heights.append(int(rest.sum()))
    series: Series = {"name": "rows", "mark": "barh", "x": heights, "y": labels}
    return plot(plot_id, name, {"label": "rows"}, {"label": name, "scale": "band"}, [series], notes)


def date_histogram(plot_id: str, name: str, stamps: Array, notes: list[str]) -> PlotData:
    """Counts of datetimes (int64 nanoseconds) in ``BINS`` equal spans, labelled by start."""
    counts, edges = np.histogram(stamps, bins=BINS)
    labels = [str(s) for s in pd.to_datetime(edges[:-1].astype("int64")).strftime("%Y-%m-%d %H:%M")]
    series: Series = {"name": "rows", "mark": "bar", "x": labels, "y": _ints(counts)}
    return plot(plot_id, name, {"label": name, "scale": "band"}, {"label": "rows"}, [series], notes)


def correlation(frame: pd.DataFrame, method: str, notes: list[str]) -> PlotData | None:
    """Pearson or Spearman correlation of numeric columns (pairwise complete rows)."""
    if frame.shape[1] < 2:
        return None
    data = frame.astype("float64")
    values = data.corr(method="pearson").to_numpy() if method == "pearson" else _spearman(data)
    names = [str(c) for c in frame.columns]
    title = f"{method.capitalize()} correlation"
    return heatmap(f"correlation_{method}", title, names, names, values, notes)


def _spearman(data: pd.DataFrame) -> Array:
    """Spearman's rho over pairwise complete rows: Pearson of ranks, ranked once for the
    pairs of complete columns and again on the shared rows of pairs with missing values."""
    values = data.rank().corr(method="pearson").to_numpy().copy()
    gaps = [i for i, c in enumerate(data.columns) if data[c].isna().any()]
    for i in gaps:
        for j in range(data.shape[1]):
            if j != i:
                pair = data.iloc[:, [i, j]].dropna()
                values[i, j] = values[j, i] = pair.rank().corr().iloc[0, 1]
    return values


def cramers_v(a: Array, b: Array) -> float:
    """Cramér's V of two integer-coded columns (codes ≥ 0; rows with a -1 code are left
    out): ``sqrt(chi² / n / (min(r, c) - 1))`` over the observed categories, no bias
    correction (``scipy.stats.contingency.association(table, method="cramer")``)."""
    keep = (a >= 0) & (b >= 0)
    a, b = a[keep], b[keep]
    if len(a) == 0:
        return float("nan")
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    rows, cols = int(a.max()) + 1, int(b.max()) + 1
    if min(rows, cols) < 2:
        return float("nan")
    table = np.bincount(a * cols + b, minlength=rows * cols).reshape(rows, cols).astype("float64")
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    return float(np.sqrt(chi2 / n / (min(rows, cols) - 1)))


def cramers_heatmap(codes: dict[str, Array], notes: list[str]) -> PlotData | None:
    """Cramér's V between every pair of categorical columns (``codes``: integer codes)."""
    names = list(codes)
    if len(names) < 2:
        return None
    values = np.eye(len(names))
    for i, left in enumerate(names):
        for j in range(i + 1, len(names)):
            values[i, j] = values[j, i] = cramers_v(codes[left], codes[names[j]])
    return heatmap("cramers_v", "Cramér's V (categorical association)", names, names, values, notes)


def target_distribution(target: pd.Series, classification: bool, notes: list[str]) -> PlotData:
    """Rows per class (classification) or the histogram of the target (regression)."""
    name = str(target.name)
    plot_id = "target_distribution"
    if classification:
        counts = target.value_counts()
        labels = [str(v) for v in counts.index[:MAX_TARGET_BARS]]
        heights = _ints(counts.to_numpy()[:MAX_TARGET_BARS])
        if len(counts) > MAX_TARGET_BARS:
            labels.append(f"({len(counts) - MAX_TARGET_BARS:,} other values)")
            heights.append(int(counts.iloc[MAX_TARGET_BARS:].sum()))
        series: Series = {"name": "rows", "mark": "bar", "x": labels, "y": heights}
        return plot(
            plot_id,
            f"{name}: rows per class",
            {"label": name, "scale": "band"},
            {"label": "rows"},
            [series],
            notes,
        )
    values = target.to_numpy(dtype="float64")
    out = numeric_histogram(plot_id, name, values[np.isfinite(values)], notes)
    out["title"] = f"{name}: distribution"
    return out


def numeric_vs_target(
    x: pd.Series, target: pd.Series, classification: bool, notes: list[str]
) -> PlotData:
    """A numeric feature against the target: per class, the share of its rows in each bin
    (classification); a scatter of up to ``SCATTER_POINTS`` rows (regression)."""
    name, tname = str(x.name), str(target.name)
    plot_id = f"vs_target:{name}"
    values = x.to_numpy(dtype="float64")
    if not classification:
        keep = np.flatnonzero(np.isfinite(values))[:SCATTER_POINTS]
        t = target.to_numpy(dtype="float64")[keep]
        series: Series = {
            "name": "rows",
            "mark": "dot",
            "x": _floats(values[keep]),
            "y": _floats(t),
        }
        note = f"{len(keep):,} rows shown"
        return plot(
            plot_id,
            f"{tname} against {name}",
            {"label": name},
            {"label": tname},
            [series],
            [*notes, note],
        )
    finite = np.isfinite(values)
    edges = np.histogram_bin_edges(values[finite], bins=BINS)
    centres = _floats((edges[:-1] + edges[1:]) / 2)
    lines: list[Series] = []
    for label in _classes(target):
        mine = values[finite & (target == label).to_numpy()]
        counts, _ = np.histogram(mine, bins=edges)
        share = counts / max(1, len(mine))
        lines.append({"name": str(label), "mark": "line", "x": centres, "y": _floats(share)})
    return plot(
        plot_id,
        f"{name} by {tname}",
        {"label": name},
        {"label": "share of the class's rows"},
        lines,
        notes,
    )


def category_vs_target(
    x: pd.Series, target: pd.Series, classification: bool, notes: list[str]
) -> PlotData:
    """A categorical feature against the target, over its ``TOP_BARS`` most frequent values:
    the share of each class per value (a heatmap; classification) or the target's mean per
    value (bars; regression)."""
    name, tname = str(x.name), str(target.name)
    plot_id = f"vs_target:{name}"
    labels = x.astype("object").where(x.notna(), "(missing)").astype(str)
    top = labels.value_counts().index[:TOP_BARS]
    labels = labels.where(labels.isin(top), "(other)")
    if not classification:
        means = target.astype("float64").groupby(labels.to_numpy()).mean()
        means = means.reindex([v for v in [*top, "(other)"] if v in means.index])
        series: Series = {
            "name": f"mean {tname}",
            "mark": "barh",
            "x": _floats(means.to_numpy()),
            "y": [str(v) for v in means.index],
        }
        return plot(
            plot_id,
            f"mean {tname} by {name}",
            {"label": f"mean {tname}"},
            {"label": name, "scale": "band"},
            [series],
            notes,
        )
    classes = _classes(target)
    table = pd.crosstab(labels.to_numpy(), target.astype(str).to_numpy(), normalize="index")
    rows = [v for v in [*top, "(other)"] if v in table.index]
    cols = [str(c) for c in classes if str(c) in table.columns]
    values = table.reindex(index=rows, columns=cols).to_numpy()
    return heatmap(plot_id, f"share of each {tname} class by {name}", rows, cols, values, notes)


def _classes(target: pd.Series) -> list[Any]:
    """The most frequent classes (at most ``MAX_CLASSES_SHOWN``)."""
    return list(target.value_counts().index[:MAX_CLASSES_SHOWN])


def _label(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _ints(values: Array) -> list[Any]:
    return [int(v) for v in values]


def _floats(values: Array) -> list[Any]:
    return [float(v) for v in np.asarray(values, dtype="float64")]
