"""Scores of a clustering or of an anomaly detector: scikit-learn's own metric functions.

Clustering: silhouette (a seeded sample of :data:`SILHOUETTE_SAMPLE` rows above that, through
scikit-learn's ``sample_size``), Calinski–Harabasz and Davies–Bouldin on the encoded matrix
every model saw, with the labels as the model gave them (DBSCAN/OPTICS noise, -1, counts as one
group); the adjusted Rand index against a label column when one is named (rows where it is
present). All are None when a model found fewer than 2 or as many clusters as rows.

Anomaly, with a label column: ROC AUC of the scores and precision at k (k = the number of
labelled anomalies: the share of them among the k highest scores). Always: the share of rows
flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn import metrics

from podium.engine.standalone import quiet

SILHOUETTE_SAMPLE = 5000
TT = "TT (Sec)"


@dataclass(frozen=True)
class Metric:
    """One leaderboard column: ``higher`` is better unless False (Davies–Bouldin)."""

    id: str
    name: str
    higher: bool = True

    def sort_key(self, value: float | None) -> float:
        """Higher is better, None last."""
        if value is None:
            return float("-inf")
        return float(value) if self.higher else -float(value)


SILHOUETTE = Metric("Silhouette", "Silhouette coefficient")
CALINSKI = Metric("Calinski-Harabasz", "Calinski–Harabasz index")
DAVIES = Metric("Davies-Bouldin", "Davies–Bouldin index", higher=False)
ARI = Metric("ARI", "Adjusted Rand index (against the label column)")
CLUSTERS = Metric("Clusters", "Number of clusters found (noise not counted)")
AUC = Metric("AUC", "ROC AUC of the scores against the label column")
PRECISION_K = Metric("P@k", "Precision among the k highest scores, k = labelled anomalies")
FLAGGED = Metric("Flagged", "Share of rows flagged as anomalies")
FIT_TIME = Metric(TT, "Fit time in seconds (lower first)", higher=False)


def columns(task: str, labelled: bool) -> list[Metric]:
    """The metric columns of a leaderboard, in display order."""
    if task == "clustering":
        return [SILHOUETTE, CALINSKI, DAVIES, *([ARI] if labelled else []), CLUSTERS]
    return [*([AUC, PRECISION_K] if labelled else []), FLAGGED]


def default_sort(task: str, labelled: bool) -> Metric:
    """ARI / AUC with a label column; silhouette for clustering; fit time for anomaly
    without labels (no score of a detector's quality exists without them)."""
    if task == "clustering":
        return ARI if labelled else SILHOUETTE
    return AUC if labelled else FIT_TIME


def metric(task: str, labelled: bool, metric_id: str) -> Metric:
    """The column ``metric_id`` of this leaderboard (DataError naming the choices)."""
    from podium.engine.errors import DataError

    known = [*columns(task, labelled), FIT_TIME]
    for m in known:
        if m.id.lower() == str(metric_id).lower():
            return m
    names = ", ".join(m.id for m in known)
    raise DataError(f"unknown sort metric {metric_id!r} for {task}: use one of {names}")


def clustering_scores(
    X: np.ndarray[Any, Any], labels: np.ndarray[Any, Any], truth: Any, seed: int
) -> dict[str, float | None]:
    """Silhouette, Calinski–Harabasz, Davies–Bouldin, ARI (with ``truth``) and cluster count."""
    labels = np.asarray(labels)
    groups = len(np.unique(labels))
    found = len(set(labels.tolist()) - {-1})
    out: dict[str, float | None] = {CLUSTERS.id: float(found)}
    if 2 <= groups < len(labels):
        sample = SILHOUETTE_SAMPLE if len(labels) > SILHOUETTE_SAMPLE else None
        with quiet():
            out[SILHOUETTE.id] = float(
                metrics.silhouette_score(X, labels, sample_size=sample, random_state=seed)
            )
            out[CALINSKI.id] = float(metrics.calinski_harabasz_score(X, labels))
            out[DAVIES.id] = float(metrics.davies_bouldin_score(X, labels))
    else:
        out.update({SILHOUETTE.id: None, CALINSKI.id: None, DAVIES.id: None})
    if truth is not None:
        present = np.asarray(truth.notna())
        values = truth[present].astype(str).to_numpy()
        out[ARI.id] = float(metrics.adjusted_rand_score(values, labels[present]))
    return out


def anomaly_scores(
    scores: np.ndarray[Any, Any], flags: np.ndarray[Any, Any], truth: np.ndarray[Any, Any] | None
) -> dict[str, float | None]:
    """AUC and precision at k against ``truth`` (1 anomaly, 0 normal, -1 unknown), and the
    share flagged."""
    out: dict[str, float | None] = {FLAGGED.id: float(np.mean(flags))}
    if truth is None:
        return out
    known = truth >= 0
    y, s = truth[known], np.asarray(scores, dtype="float64")[known]
    if len(np.unique(y)) < 2 or not np.all(np.isfinite(s)):
        out.update({AUC.id: None, PRECISION_K.id: None})
        return out
    out[AUC.id] = float(metrics.roc_auc_score(y, s))
    out[PRECISION_K.id] = precision_at_k(y, s)
    return out


def precision_at_k(y: np.ndarray[Any, Any], scores: np.ndarray[Any, Any]) -> float:
    """Share of true anomalies among the ``k = sum(y)`` highest scores (ties: stable order)."""
    k = int(np.sum(y))
    top = np.argsort(-scores, kind="stable")[:k]
    return float(np.mean(y[top])) if k else 0.0
