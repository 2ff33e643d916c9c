"""The clustering and anomaly models: one frozen :class:`UnsupSpec` per model.

Ids follow PyCaret's ``pycaret.clustering`` / ``pycaret.anomaly`` where it has the model. Cost
laws are the supervised catalogue's (:data:`podium.engine.models.spec.GROWTH`): a model whose
law is not "table" joins the default compare only while one fit is expected to take at most
:data:`~podium.engine.models.spec.DEFAULT_FIT_S` (agglomerative, spectral, DBSCAN, OPTICS,
mean shift, affinity propagation, LOF, one-class SVM, k-NN, ABOD hold or search a rows × rows
matrix). Constants measured on this machine with 2,000 rows × 10 columns, second fit (the
first pays imports and numba compiles), halved for the machine's load (~4 on 2 cores).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from podium.engine.errors import DataError
from podium.engine.models.factories import Factory, lazy
from podium.engine.models.spec import SpecRules

KINDS = ("clustering", "anomaly")
#: how a finalized clustering pipeline assigns new rows
ASSIGN = ("model", "nearest", "core", "subclusters")
PYOD_EXTRA = "anomaly"


@dataclass(frozen=True)
class UnsupSpec(SpecRules):
    """One clustering or anomaly model (its shared rules: :class:`SpecRules`).

    Parameters
    ----------
    id, name, kind : str
        Id (unique per kind), display name, ``"clustering"`` or ``"anomaly"``.
    growth : str
        Key of :data:`~podium.engine.models.spec.GROWTH`.
    unit_s : float
        Seconds per unit of that work on one core (measured).
    factory : callable
        ``factory(seed)`` → a fresh unfitted estimator.
    takes_k : bool
        Clustering: the model takes the number of clusters (``k_param``).
    assign : str
        Clustering: ``model`` (its own ``predict``), ``nearest`` (the cluster of the nearest
        training row) or ``core`` (DBSCAN: the clusters of the core rows within ``eps``, else
        noise) or ``subclusters`` (Birch: the label of the nearest subcluster centre, what
        its ``predict`` does; its CF-tree cannot be saved with skops).
    score : tuple
        Anomaly: ``(method, sign)``: ``sign * method(X)`` is higher for more anomalous rows.
    requires, extra : str or None
        Importable module needed (PyOD) and the extra that installs it.
    """

    KINDS: ClassVar[tuple[str, ...]] = KINDS
    id: str
    name: str
    kind: str
    growth: str
    unit_s: float
    factory: Factory = field(repr=False, compare=False)
    takes_k: bool = False
    k_param: str = "n_clusters"
    assign: str = "model"
    score: tuple[str, int] = ("decision_function", 1)
    contamination_param: str | None = "contamination"
    requires: str | None = None
    extra: str | None = PYOD_EXTRA

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.assign not in ASSIGN:
            raise ValueError(f"model {self.id!r}: unknown assign rule {self.assign!r}")


_CL = "sklearn.cluster"
_MIX = "sklearn.mixture"


def _cl(id_: str, name: str, growth: str, unit: float, factory: Factory, **kw: Any) -> UnsupSpec:
    return UnsupSpec(id_, name, "clustering", growth, unit, factory, **kw)


def _an(id_: str, name: str, growth: str, unit: float, factory: Factory, **kw: Any) -> UnsupSpec:
    return UnsupSpec(id_, name, "anomaly", growth, unit, factory, **kw)


def _pyod(module: str, name: str, **fixed: Any) -> Factory:
    return lazy(f"pyod.models.{module}", name, seed_arg=None, **fixed)


CLUSTERING: tuple[UnsupSpec, ...] = (
    _cl("kmeans", "K-Means", "table", 1e-5, lazy(_CL, "KMeans", n_init=4), takes_k=True),
    _cl("minibatch", "Mini-Batch K-Means", "table", 4e-6,
        lazy(_CL, "MiniBatchKMeans", n_init=3), takes_k=True),
    _cl("hclust", "Agglomerative Clustering", "rows2", 4e-9,
        lazy(_CL, "AgglomerativeClustering", seed_arg=None), takes_k=True, assign="nearest"),
    _cl("birch", "Birch", "table", 3e-6, lazy(_CL, "Birch", seed_arg=None), takes_k=True,
        assign="subclusters"),
    _cl("gmm", "Gaussian Mixture", "table", 2e-6, lazy(_MIX, "GaussianMixture"),
        takes_k=True, k_param="n_components"),
    _cl("sc", "Spectral Clustering", "rows2", 6e-9,
        lazy(_CL, "SpectralClustering", affinity="nearest_neighbors", n_neighbors=10),
        takes_k=True, assign="nearest"),
    _cl("dbscan", "DBSCAN", "rows2", 1e-9, lazy(_CL, "DBSCAN", seed_arg=None), assign="core"),
    _cl("optics", "OPTICS", "rows2", 3e-8, lazy(_CL, "OPTICS", seed_arg=None), assign="nearest"),
    _cl("meanshift", "Mean Shift", "rows2", 1e-8,
        lazy(_CL, "MeanShift", seed_arg=None, bin_seeding=True)),
    _cl("ap", "Affinity Propagation", "rows2", 8e-8, lazy(_CL, "AffinityPropagation")),
)  # fmt: skip

_NEG = ("score_samples", -1)
ANOMALY: tuple[UnsupSpec, ...] = (
    _an("iforest", "Isolation Forest", "table", 5e-6, lazy("sklearn.ensemble", "IsolationForest"),
        score=_NEG),
    _an("lof", "Local Outlier Factor", "rows2", 1e-9,
        lazy("sklearn.neighbors", "LocalOutlierFactor", seed_arg=None, novelty=True), score=_NEG),
    _an("svm", "One-Class SVM", "rows2", 1.5e-9, lazy("sklearn.svm", "OneClassSVM", seed_arg=None),
        score=_NEG, contamination_param=None),
    _an("ecod", "ECOD", "table", 2e-7, _pyod("ecod", "ECOD"), requires="pyod"),
    _an("copod", "COPOD", "table", 2e-7, _pyod("copod", "COPOD"), requires="pyod"),
    _an("histogram", "Histogram-based (HBOS)", "table", 1.5e-7, _pyod("hbos", "HBOS"),
        requires="pyod"),
    _an("knn", "K-Nearest Neighbors Detector", "rows2", 5e-10, _pyod("knn", "KNN"),
        requires="pyod"),
    # the squared distance of a row in whitened principal components (Mahalanobis): the
    # covariance's pseudo-inverse leaves out directions of no variance, so collinear columns
    # neither divide by zero nor rule the scores, as PyOD's PCA let them (docs/DESIGN.md)
    _an("pca", "PCA (whitened)", "table", 5e-8,
        lazy("sklearn.covariance", "EmpiricalCovariance", seed_arg=None),
        score=("mahalanobis", 1), contamination_param=None, extra=None),
    _an("mcd", "Minimum Covariance Determinant", "table", 3e-5,
        lazy("pyod.models.mcd", "MCD"), requires="pyod"),
    _an("cluster", "Clustering-Based LOF (CBLOF)", "table", 1.5e-5,
        lazy("pyod.models.cblof", "CBLOF"), requires="pyod"),
    _an("abod", "Angle-Based (ABOD)", "rows2", 3e-9, _pyod("abod", "ABOD"), requires="pyod"),
)  # fmt: skip


def _index(specs: tuple[UnsupSpec, ...]) -> dict[str, UnsupSpec]:
    out: dict[str, UnsupSpec] = {}
    for s in specs:
        if s.id in out:
            raise ValueError(f"duplicate model id {s.id!r} ({s.kind})")
        out[s.id] = s
    return out


_BY_KIND = {"clustering": _index(CLUSTERING), "anomaly": _index(ANOMALY)}


def specs(task: str) -> list[UnsupSpec]:
    """Every model of ``task`` (``clustering`` or ``anomaly``), available or not."""
    return list(_BY_KIND[task].values())


def get(task: str, model_id: str) -> UnsupSpec:
    """One available model of ``task``.

    Raises
    ------
    DataError
        Unknown id (the message lists the ids of the task) or a missing optional library.
    """
    spec = _BY_KIND[task].get(model_id)
    if spec is None:
        known = ", ".join(_BY_KIND[task])
        raise DataError(f"unknown {task} model {model_id!r}: use one of {known}")
    if not spec.is_available:
        raise DataError(f"model {model_id!r} is unavailable: {spec.reason}")
    return spec


def resolve(task: str, models: list[str] | str | None) -> list[UnsupSpec]:
    """The models a compare runs: the named ones, or every available one."""
    if isinstance(models, str):
        models = [m.strip() for m in models.split(",") if m.strip()]
    if models is None:
        return [s for s in specs(task) if s.is_available]
    if not models:
        raise DataError("models is empty: name at least one model, or leave it out for all")
    return [get(task, m) for m in models]


def default_split(
    chosen: list[UnsupSpec], rows: int, width: int
) -> tuple[list[UnsupSpec], list[UnsupSpec]]:
    """``(kept, left out)`` of the default compare at this size."""
    kept = [s for s in chosen if s.in_default(rows, width)]
    return kept, [s for s in chosen if not s.in_default(rows, width)]
