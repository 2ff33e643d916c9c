"""One fit of a clustering or anomaly model on the whole encoded table, the rule choosing the
number of clusters, and the scikit-learn estimator that answers for new rows.

New rows (a finalized pipeline's ``predict``):

- k-means, mini-batch k-means, Gaussian mixture, mean shift, affinity propagation: the model's
  own ``predict`` (nearest centroid / exemplar, most probable component);
- Birch: the label of the nearest subcluster centre — its own ``predict`` rule, as a fitted
  ``KNeighborsClassifier(n_neighbors=1)`` on those centres (skops cannot save the CF-tree);
- agglomerative, spectral, OPTICS (no ``predict``): the cluster of the nearest training row, a
  fitted ``KNeighborsClassifier(n_neighbors=1)`` — it follows clusters of any shape;
- DBSCAN: the majority cluster of the core rows within ``eps`` of the new row, else noise
  (-1): a fitted ``RadiusNeighborsClassifier(radius=eps, outlier_label=-1)`` on the core rows.

Every one is a scikit-learn estimator, so the artifact holds no Podium type.

Fits and the k sweep run with BLAS/OpenMP at one thread (``run.fits.single_threaded``, the
engine's rule for every fit): on a busy machine k-means' threads fought each other — the wine
sweep took 3.2 s with them, 0.45 s without.

Anomaly scores are oriented so that higher is more anomalous (PyOD's ``decision_function``;
``-score_samples`` for scikit-learn's detectors). The threshold is the ``1 - contamination``
quantile of the training rows' scores (PyOD's own ``threshold_`` rule, applied to every
detector); a row is flagged when its score is above it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from podium.engine.errors import DataError
from podium.engine.run.fits import single_threaded
from podium.engine.standalone import quiet
from podium.engine.unsupervised.catalogue import UnsupSpec
from podium.engine.unsupervised.metrics import SILHOUETTE_SAMPLE

Array = np.ndarray[Any, Any]


@dataclass
class Fitted:
    """What one fit gave: the fitted model, training labels (clustering) or scores and flags
    (anomaly), the threshold, and the fit's seconds."""

    model_id: str
    estimator: Any
    seconds: float
    labels: Array | None = None
    scores: Array | None = None
    flags: Array | None = None
    threshold: float | None = None
    params: dict[str, Any] = field(default_factory=dict)


def fit(spec: UnsupSpec, X: Array, seed: int, settings: dict[str, Any], **params: Any) -> Fitted:
    """Fit ``spec`` on every row of ``X`` (warnings silenced; failures raise)."""
    own = dict(params)
    if spec.kind == "clustering" and spec.takes_k and spec.k_param not in own:
        own[spec.k_param] = int(settings["n_clusters"])
    if spec.kind == "anomaly" and spec.contamination_param and "contamination" not in own:
        own[spec.contamination_param] = float(settings["contamination"])
    est = spec.build(seed, **own)
    started = time.perf_counter()
    with quiet(), single_threaded():
        est.fit(X)
        out = Fitted(spec.id, est, 0.0, params=own)
        if spec.kind == "clustering":
            out.labels = _labels(est, X)
        else:
            out.scores = training_scores(spec, est, X)
            _check_finite(spec, out.scores)
            out.threshold = threshold(out.scores, float(settings["contamination"]))
            out.flags = out.scores > out.threshold
    out.seconds = time.perf_counter() - started
    return out


def _check_finite(spec: UnsupSpec, scores: Array) -> None:
    """A detector that scores rows inf or NaN ranks nothing (PyOD's PCA divides by a zero
    variance when columns are collinear): its fit fails, with what to do."""
    bad = int((~np.isfinite(scores)).sum())
    if bad:
        raise DataError(
            f"{spec.name}: {bad} of {len(scores)} scores are not finite (collinear columns leave "
            "a direction of zero variance): drop one of the columns that move together, or use "
            "another detector"
        )


def _labels(est: Any, X: Array) -> Array:
    labels = getattr(est, "labels_", None)
    if labels is None:
        labels = est.predict(X)
    return np.asarray(labels, dtype="int64")


def training_scores(spec: UnsupSpec, est: Any, X: Array) -> Array:
    """The training rows' anomaly scores, higher = more anomalous."""
    if hasattr(est, "decision_scores_"):  # PyOD: scored during fit
        return np.asarray(est.decision_scores_, dtype="float64")
    if hasattr(est, "negative_outlier_factor_"):  # LOF: its own leave-self-out scores
        return -np.asarray(est.negative_outlier_factor_, dtype="float64")
    return new_scores(spec.score, est, X)


def new_scores(rule: tuple[str, int] | list[Any], est: Any, X: Array) -> Array:
    """Scores of rows the model did not see: ``sign * method(X)``."""
    method, sign = rule
    return int(sign) * np.asarray(getattr(est, str(method))(X), dtype="float64")


def threshold(scores: Array, contamination: float) -> float:
    """The ``1 - contamination`` quantile of the training scores (NumPy's linear rule)."""
    return float(np.percentile(scores, 100 * (1 - contamination)))


def choose_k(X: Array, seed: int, k_range: tuple[int, int]) -> tuple[int, list[dict[str, Any]]]:
    """The number of clusters with the best k-means silhouette over ``k_range`` (smallest k
    on ties), and per k the k-means inertia and silhouette (the elbow plot's data). The
    silhouette is computed on a seeded sample above :data:`SILHOUETTE_SAMPLE` rows."""
    lo, hi = k_range
    hi = min(hi, len(X) - 1)
    sample = SILHOUETTE_SAMPLE if len(X) > SILHOUETTE_SAMPLE else None
    sweep: list[dict[str, Any]] = []
    with quiet(), single_threaded():
        for k in range(1, hi + 1):
            km = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(X)
            sil = None
            if k >= lo and len(np.unique(km.labels_)) >= 2:
                sil = float(silhouette_score(X, km.labels_, sample_size=sample, random_state=seed))
            sweep.append({"k": k, "inertia": float(km.inertia_), "silhouette": sil})
    scored = [s for s in sweep if s["silhouette"] is not None]
    best = max(scored, key=lambda s: (s["silhouette"], -s["k"]))["k"] if scored else lo
    return int(best), sweep


def assigner(spec: UnsupSpec, fitted: Fitted, X: Array) -> Any:
    """The fitted scikit-learn estimator a clustering pipeline predicts new rows with."""
    from sklearn.neighbors import KNeighborsClassifier, RadiusNeighborsClassifier

    est, labels = fitted.estimator, fitted.labels
    assert labels is not None
    if spec.assign == "model":
        return est
    with quiet():
        if spec.assign == "subclusters":
            centers, names = est.subcluster_centers_, est.subcluster_labels_
            return KNeighborsClassifier(n_neighbors=1).fit(centers, names)
        if spec.assign == "core":
            core = np.asarray(getattr(est, "core_sample_indices_", []), dtype="int64")
            if len(core):
                radius = RadiusNeighborsClassifier(radius=float(est.eps), outlier_label=-1)
                return radius.fit(X[core], labels[core])
        return KNeighborsClassifier(n_neighbors=1).fit(X, labels)
