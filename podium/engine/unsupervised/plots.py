"""The plots of clustering and anomaly models, as :class:`~podium.engine.records.PlotData`
(registry style of :mod:`podium.engine.evaluate.plots`).

The 2-D embedding is a PCA of the encoded matrix every model saw (a seeded sample of
:data:`EMBED_SAMPLE` rows above that): deterministic, linear, seconds on any size, one
projection shared by every model of the run (so their pictures compare), and it keeps
distances' proportions; t-SNE and UMAP would draw tighter clusters but cost minutes on large
tables, change with the seed and distort sizes and distances (and UMAP is another dependency).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from podium.engine.errors import DataError
from podium.engine.records import PlotData, Series
from podium.engine.unsupervised.fitting import Fitted

EMBED_SAMPLE = 2000
SILHOUETTE_ROWS = 2000
HIST_BINS = 40
Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class View:
    """What a plot is drawn from."""

    X: Array
    fitted: Fitted
    embedding: tuple[Array, Array, list[float]]  # rows, 2-D points, explained variance shares
    sweep: list[dict[str, Any]]
    n_clusters: int | None
    seed: int
    truth: Array | None


@dataclass(frozen=True)
class UnsupPlot:
    """One plot of a task."""

    id: str
    title: str
    description: str
    task: str
    draw: Callable[[View], PlotData]

    def describe(self) -> dict[str, str]:
        """``{id, title, source, description}``; source ``predictions``: drawn from the model's
        labels or scores on the table (the worker stores them as JSON at the end of the run)."""
        return {"id": self.id, "title": self.title, "source": "predictions",
                "description": self.description}  # fmt: skip


def embedding(X: Array, seed: int) -> tuple[Array, Array, list[float]]:
    """A 2-D PCA of ``X`` on a seeded sample of rows: (rows, points, explained shares)."""
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(len(X), EMBED_SAMPLE, replace=False)) if len(X) > EMBED_SAMPLE \
        else np.arange(len(X))  # fmt: skip
    dims = min(2, X.shape[1], len(X))
    pca = PCA(n_components=dims, random_state=seed).fit(X)
    points = pca.transform(X[rows])
    if dims < 2:
        points = np.column_stack([points, np.zeros((len(points), 2 - dims))])
    return rows, points, [float(v) for v in pca.explained_variance_ratio_]


def _plot(id_: str, title: str, x: str, y: str, series: list[Series], notes: list[str],
          x_scale: str = "linear") -> PlotData:  # fmt: skip
    return {"id": id_, "title": title, "kind": "xy", "x": {"label": x, "scale": x_scale},
            "y": {"label": y, "scale": "linear"}, "series": series, "notes": notes}  # fmt: skip


def _floats(values: Any) -> list[float]:
    return [round(float(v), 6) for v in values]


def _embed_note(view: View) -> str:
    rows, _, shares = view.embedding
    kept = "" if len(rows) == len(view.X) else f" (a seeded sample of {len(rows):,} rows)"
    share = sum(shares)
    return f"PCA of the encoded table{kept}; the 2 axes keep {share:.0%} of its variance"


def elbow(view: View) -> PlotData:
    """k-means inertia per k, and the silhouette that chose k."""
    if not view.sweep:
        raise DataError("the elbow plot needs the k sweep: n_clusters was given, none was run")
    ks = [s["k"] for s in view.sweep]
    series: list[Series] = [
        {"name": "inertia", "mark": "line", "x": ks, "y": _floats(s["inertia"] for s in view.sweep)}
    ]
    scored = [s for s in view.sweep if s["silhouette"] is not None]
    notes = ["k-means inertia (within-cluster sum of squares) for each number of clusters"]
    if view.n_clusters is not None:
        tried = ", ".join(f"k={s['k']}: {s['silhouette']:.3f}" for s in scored)
        notes.append(f"k = {view.n_clusters} chosen by the best silhouette of {tried}")
        top = max(s["inertia"] for s in view.sweep)
        series.append({"name": f"chosen k = {view.n_clusters}", "mark": "rule",
                       "x": [view.n_clusters, view.n_clusters], "y": [0.0, float(top)],
                       "dashed": True})  # fmt: skip
    return _plot("elbow", "Elbow", "number of clusters (k)", "inertia", series, notes)


def silhouette(view: View) -> PlotData:
    """Each row's silhouette, sorted within its cluster (a seeded sample of rows)."""
    from sklearn.metrics import silhouette_samples

    labels = _labels(view)
    rng = np.random.default_rng(view.seed)
    rows = rng.choice(len(labels), SILHOUETTE_ROWS, replace=False) \
        if len(labels) > SILHOUETTE_ROWS else np.arange(len(labels))  # fmt: skip
    if len(np.unique(labels[rows])) < 2:
        raise DataError("the silhouette plot needs at least 2 clusters; this model found 1")
    values = silhouette_samples(view.X[rows], labels[rows])
    series: list[Series] = []
    start = 0
    for c in np.unique(labels[rows]):
        v = np.sort(values[labels[rows] == c])[::-1]
        xs = list(range(start, start + len(v)))
        series.append({"name": _cluster_name(c), "mark": "area", "x": xs, "y": _floats(v)})
        start += len(v) + max(1, len(rows) // 100)
    mean = float(values.mean())
    series.append({"name": f"mean {mean:.3f}", "mark": "rule", "x": [0, start],
                   "y": [mean, mean], "dashed": True})  # fmt: skip
    notes = [f"{len(rows):,} rows" + (" (a seeded sample)" if len(rows) < len(labels) else "")]
    return _plot("silhouette", "Silhouette", "rows, by cluster", "silhouette", series, notes)


def sizes(view: View) -> PlotData:
    """Rows per cluster."""
    labels = _labels(view)
    values, counts = np.unique(labels, return_counts=True)
    series: list[Series] = [{"name": "rows", "mark": "bar",
                             "x": [_cluster_name(v) for v in values],
                             "y": [int(c) for c in counts]}]  # fmt: skip
    return _plot("cluster_sizes", "Cluster sizes", "cluster", "rows", series,
                 [f"{len(labels):,} rows"], x_scale="band")  # fmt: skip


def clusters_2d(view: View) -> PlotData:
    """The 2-D embedding, one colour per cluster."""
    labels = _labels(view)
    rows, points, _ = view.embedding
    series: list[Series] = []
    for c in np.unique(labels[rows]):
        keep = labels[rows] == c
        series.append({"name": _cluster_name(c), "mark": "dot",
                       "x": _floats(points[keep, 0]), "y": _floats(points[keep, 1])})  # fmt: skip
    return _plot("embedding", "Clusters in 2-D", "component 1", "component 2", series,
                 [_embed_note(view)])  # fmt: skip


def score_distribution(view: View) -> PlotData:
    """Histogram of the anomaly scores, normal and flagged, with the threshold."""
    scores, flags = _anomaly(view)
    edges = np.histogram_bin_edges(scores, bins=HIST_BINS)
    series: list[Series] = []
    for name, keep in (("normal", ~flags), ("anomaly", flags)):
        counts, _ = np.histogram(scores[keep], bins=edges)
        series.append({"name": name, "mark": "rect", "x": _floats(edges[:-1]),
                       "x2": _floats(edges[1:]), "y": [int(c) for c in counts]})  # fmt: skip
    t = float(view.fitted.threshold or 0.0)
    series.append({"name": f"threshold {t:.4g}", "mark": "rule", "x": [t, t],
                   "y": [0.0, float(np.histogram(scores, bins=edges)[0].max())],
                   "dashed": True})  # fmt: skip
    notes = [f"{len(scores):,} training rows; {int(flags.sum()):,} above the threshold "
             "(higher score = more anomalous)"]  # fmt: skip
    return _plot("score_distribution", "Anomaly scores", "score", "rows", series, notes)


def anomalies_2d(view: View) -> PlotData:
    """The 2-D embedding with the flagged rows marked."""
    _, flags = _anomaly(view)
    rows, points, _ = view.embedding
    series: list[Series] = []
    for name, keep in (("normal", ~flags[rows]), ("anomaly", flags[rows])):
        series.append({"name": name, "mark": "dot", "x": _floats(points[keep, 0]),
                       "y": _floats(points[keep, 1])})  # fmt: skip
    return _plot("embedding", "Anomalies in 2-D", "component 1", "component 2", series,
                 [_embed_note(view)])  # fmt: skip


def _labels(view: View) -> Array:
    if view.fitted.labels is None:
        raise DataError("this plot is drawn for clustering models")
    return view.fitted.labels


def _anomaly(view: View) -> tuple[Array, Array]:
    if view.fitted.scores is None or view.fitted.flags is None:
        raise DataError("this plot is drawn for anomaly detectors")
    return view.fitted.scores, np.asarray(view.fitted.flags, dtype=bool)


def _cluster_name(c: Any) -> str:
    return "noise" if int(c) == -1 else f"cluster {int(c)}"


PLOTS: tuple[UnsupPlot, ...] = (
    UnsupPlot("elbow", "Elbow", "k-means inertia for k = 1..10, with the k the run chose.",
              "clustering", elbow),
    UnsupPlot("silhouette", "Silhouette", "Each row's silhouette (how much closer it is to its "
              "own cluster than to the next), sorted within its cluster.", "clustering",
              silhouette),
    UnsupPlot("cluster_sizes", "Cluster sizes", "Rows per cluster (noise: rows of no cluster).",
              "clustering", sizes),
    UnsupPlot("embedding", "Clusters in 2-D", "A 2-D PCA of the table, one colour per cluster.",
              "clustering", clusters_2d),
    UnsupPlot("score_distribution", "Anomaly scores", "Histogram of the scores, normal and "
              "flagged rows, with the threshold.", "anomaly", score_distribution),
    UnsupPlot("embedding", "Anomalies in 2-D", "A 2-D PCA of the table with the flagged rows "
              "marked.", "anomaly", anomalies_2d),
)  # fmt: skip


def plots(task: str) -> list[UnsupPlot]:
    """The plots of ``task``, in display order."""
    return [p for p in PLOTS if p.task == task]


def get(task: str, plot_id: str) -> UnsupPlot:
    """One plot of ``task`` (DataError listing the task's plots)."""
    for p in plots(task):
        if p.id == plot_id:
            return p
    known = ", ".join(p.id for p in plots(task))
    raise DataError(f"unknown plot {plot_id!r} for task {task!r}: use one of {known}")
