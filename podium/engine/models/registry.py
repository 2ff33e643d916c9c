"""The declarative model registry: one frozen spec per model id (STYLE.md §11).

Specs only say what a model is and how to build it. Availability of optional libraries is
checked lazily (``is_available``), never by importing them at module import.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from podium.engine.errors import DataError
from podium.engine.models.factories import FACTORIES

CLASSIFICATION_TASKS = ("binary", "multiclass")
ALL_TASKS = ("binary", "multiclass", "regression")


# How the work of one fit grows with its size: n rows fitted, w encoded columns, k classes
# (k = 1 for binary and regression). Asymptotic costs of the scikit-learn algorithms; the
# constant of each model (``unit_s``, seconds per unit of work on one core) was measured on
# this machine's kind with fits of 1,000-2,000 rows × 30-120 columns (docs/DESIGN.md,
# "The default model list follows the cost of the data").
GROWTH: dict[str, tuple[Callable[[float, float, float], float], str]] = {
    "table": (lambda n, w, k: n * w * k, "rows × columns"),
    "rows2": (lambda n, w, k: n * n * w, "rows² × columns (a rows × rows kernel or distances)"),
    "rows3": (lambda n, w, k: k * n**3, "rows³ (a rows × rows solve)"),
    "width3": (lambda n, w, k: w**3 + n * w, "columns³ (a columns × columns solve, repeated)"),
    "epochs": (lambda n, w, k: n * w * k, "rows × columns × hidden units × epochs"),
}
# A fit of a Podium worker costs ~10 ms beyond its arithmetic (loading the fold, scoring).
FIT_OVERHEAD_S = 0.01
# Models whose cost grows faster than the table (or, for MLPs, carries a large factor) join
# the default compare only while one fit is expected to take at most this long on one core:
# about a random forest's fit on 2,000 rows × 60 columns. Above it they would dominate the
# comparison (a 3,000-row Gaussian process: ~20 s per fit; Theil-Sen on 300 columns: minutes).
DEFAULT_FIT_S = 2.0


@dataclass(frozen=True)
class ModelSpec:
    """One model of the zoo.

    Parameters
    ----------
    id : str
        PyCaret-compatible id (``"rf"``); unique per task kind.
    name : str
        Display name.
    family : str
        linear, tree, ensemble, boosting, neighbors, svm, kernel, bayes, ...
    kind : str
        ``"classification"`` or ``"regression"``.
    growth : str
        Key of :data:`GROWTH`: how a fit's work grows with rows, columns and classes.
    unit_s : float
        Seconds per unit of that work on one core (measured).
    requires : str or None
        Importable module needed; when missing the model is unavailable with ``extra`` as fix.
    """

    id: str
    name: str
    family: str
    kind: str
    growth: str
    unit_s: float
    requires: str | None = None
    extra: str | None = None
    factory: Callable[[int], Any] = field(default=lambda seed: None, repr=False, compare=False)

    @property
    def tasks(self) -> tuple[str, ...]:
        """The tasks this model can be used for."""
        return CLASSIFICATION_TASKS if self.kind == "classification" else ("regression",)

    @property
    def turbo(self) -> bool:
        """True when the model's cost grows like the table's: always in the default compare."""
        return self.growth == "table"

    def expected_s(self, rows: int, width: int, classes: int = 1) -> float:
        """Expected seconds of one fit (and its scoring) on one core.

        Examples
        --------
        >>> gpc = get("binary", "gpc")
        >>> gpc.expected_s(3000, 20) > DEFAULT_FIT_S > gpc.expected_s(300, 20)
        True
        """
        grow = GROWTH[self.growth][0]
        return FIT_OVERHEAD_S + self.unit_s * grow(max(rows, 1), max(width, 1), max(classes, 1))

    def in_default(self, rows: int, width: int, classes: int = 1) -> bool:
        """Whether the default compare (no models given) includes this model at this size."""
        return self.turbo or self.expected_s(rows, width, classes) <= DEFAULT_FIT_S

    @property
    def is_available(self) -> bool:
        """True when the optional library (if any) is importable."""
        return self.requires is None or importlib.util.find_spec(self.requires) is not None

    @property
    def reason(self) -> str | None:
        """Why the model is unavailable, with the fix; None when available."""
        if self.is_available:
            return None
        fix = (
            f"pip install 'podium[{self.extra}]'" if self.extra else f"pip install {self.requires}"
        )
        return f"{self.requires} is not installed: {fix}"

    def build(self, seed: int, **params: Any) -> Any:
        """A fresh unfitted estimator with ``params`` set on top of the defaults."""
        est = self.factory(seed)
        if params:
            try:
                est.set_params(**params)
            except ValueError as exc:
                raise DataError(f"bad parameter for model {self.id!r}: {exc}") from None
        return est


# (kind, id, name, family, growth, unit_s, requires, extra)
_C = "classification"
_R = "regression"
_TABLE: tuple[tuple[str, str, str, str, str, float, str | None, str | None], ...] = (
    (_C, "lr", "Logistic Regression", "linear", "table", 2e-7, None, None),
    (_C, "knn", "K Neighbors Classifier", "neighbors", "rows2", 2e-10, None, None),
    (_C, "nb", "Naive Bayes", "bayes", "table", 5e-8, None, None),
    (_C, "dt", "Decision Tree Classifier", "tree", "table", 1.5e-6, None, None),
    (_C, "svm", "SVM - Linear Kernel", "svm", "table", 3e-7, None, None),
    (_C, "rbfsvm", "SVM - Radial Kernel", "svm", "rows2", 1e-9, None, None),
    (_C, "gpc", "Gaussian Process Classifier", "gaussian_process", "rows3", 7e-10, None, None),
    (_C, "mlp", "MLP Classifier", "neural_network", "epochs", 3e-5, None, None),
    (_C, "ridge", "Ridge Classifier", "linear", "table", 1.5e-7, None, None),
    (_C, "rf", "Random Forest Classifier", "ensemble", "table", 1.7e-5, None, None),
    (_C, "qda", "Quadratic Discriminant Analysis", "discriminant", "table", 3e-7, None, None),
    (_C, "ada", "Ada Boost Classifier", "ensemble", "table", 1.5e-5, None, None),
    (_C, "gbc", "Gradient Boosting Classifier", "boosting", "table", 6e-5, None, None),
    (_C, "lda", "Linear Discriminant Analysis", "discriminant", "table", 2.5e-7, None, None),
    (_C, "et", "Extra Trees Classifier", "ensemble", "table", 8e-6, None, None),
    (_C, "xgboost", "Extreme Gradient Boosting", "boosting", "table", 1e-5, "xgboost", "boost"),
    (
        _C,
        "lightgbm",
        "Light Gradient Boosting Machine",
        "boosting",
        "table",
        1.5e-5,
        "lightgbm",
        None,
    ),
    (_C, "catboost", "CatBoost Classifier", "boosting", "table", 4e-5, "catboost", "catboost"),
    (_C, "hgb", "Histogram Gradient Boosting Classifier", "boosting", "table", 1.8e-5, None, None),
    (_C, "dummy", "Dummy Classifier", "baseline", "table", 1e-8, None, None),
    (_R, "lr", "Linear Regression", "linear", "table", 1e-7, None, None),
    (_R, "lasso", "Lasso Regression", "linear", "table", 1e-7, None, None),
    (_R, "ridge", "Ridge Regression", "linear", "table", 1e-7, None, None),
    (_R, "en", "Elastic Net", "linear", "table", 1e-7, None, None),
    (_R, "lar", "Least Angle Regression", "linear", "table", 2e-7, None, None),
    (_R, "llar", "Lasso Least Angle Regression", "linear", "table", 2e-7, None, None),
    (_R, "omp", "Orthogonal Matching Pursuit", "linear", "table", 1e-7, None, None),
    (_R, "br", "Bayesian Ridge", "linear", "table", 2e-7, None, None),
    (_R, "ard", "Automatic Relevance Determination", "linear", "width3", 1e-7, None, None),
    (_R, "par", "Passive Aggressive Regressor", "linear", "table", 2e-7, None, None),
    (_R, "ransac", "Random Sample Consensus", "linear", "width3", 5e-8, None, None),
    (_R, "tr", "TheilSen Regressor", "linear", "width3", 2e-5, None, None),
    (_R, "huber", "Huber Regressor", "linear", "table", 1e-6, None, None),
    (_R, "kr", "Kernel Ridge", "kernel", "rows3", 5e-11, None, None),
    (_R, "svm", "Support Vector Regression", "svm", "rows2", 1e-9, None, None),
    (_R, "knn", "K Neighbors Regressor", "neighbors", "rows2", 2e-10, None, None),
    (_R, "dt", "Decision Tree Regressor", "tree", "table", 2e-6, None, None),
    (_R, "rf", "Random Forest Regressor", "ensemble", "table", 3e-5, None, None),
    (_R, "et", "Extra Trees Regressor", "ensemble", "table", 1.5e-5, None, None),
    (_R, "ada", "AdaBoost Regressor", "ensemble", "table", 1.5e-5, None, None),
    (_R, "gbr", "Gradient Boosting Regressor", "boosting", "table", 6e-5, None, None),
    (_R, "mlp", "MLP Regressor", "neural_network", "epochs", 2.5e-5, None, None),
    (_R, "xgboost", "Extreme Gradient Boosting", "boosting", "table", 1e-5, "xgboost", "boost"),
    (
        _R,
        "lightgbm",
        "Light Gradient Boosting Machine",
        "boosting",
        "table",
        1.5e-5,
        "lightgbm",
        None,
    ),
    (_R, "catboost", "CatBoost Regressor", "boosting", "table", 4e-5, "catboost", "catboost"),
    (_R, "hgb", "Histogram Gradient Boosting Regressor", "boosting", "table", 1.8e-5, None, None),
    (_R, "dummy", "Dummy Regressor", "baseline", "table", 1e-8, None, None),
)


def _build_registry() -> dict[tuple[str, str], ModelSpec]:
    registry: dict[tuple[str, str], ModelSpec] = {}
    for kind, mid, name, family, growth, unit_s, requires, extra in _TABLE:
        if (kind, mid) in registry:
            raise RuntimeError(f"duplicate model id {mid!r} for {kind}")
        if growth not in GROWTH:
            raise RuntimeError(f"model {mid!r} ({kind}): unknown growth {growth!r}")
        if (kind, mid) not in FACTORIES:
            raise RuntimeError(
                f"model {mid!r} ({kind}) has no factory in podium.engine.models.factories"
            )
        registry[(kind, mid)] = ModelSpec(
            id=mid,
            name=name,
            family=family,
            kind=kind,
            growth=growth,
            unit_s=unit_s,
            requires=requires,
            extra=extra,
            factory=FACTORIES[(kind, mid)],
        )
    return registry


REGISTRY = _build_registry()


def task_kind(task: str) -> str:
    """``"regression"`` or ``"classification"``."""
    return "regression" if task == "regression" else "classification"


def models_for(task: str) -> list[ModelSpec]:
    """Every registered spec usable for ``task``, in registry order."""
    kind = task_kind(task)
    return [s for (k, _), s in REGISTRY.items() if k == kind]


def get(task: str, model_id: str, *, require_available: bool = True) -> ModelSpec:
    """Look up a model by id for ``task``.

    Raises
    ------
    DataError
        Unknown id (listing the valid ones) or unavailable model (with the install fix).
    """
    spec = REGISTRY.get((task_kind(task), model_id))
    if spec is None:
        valid = ", ".join(s.id for s in models_for(task))
        raise DataError(f"unknown model id {model_id!r} for task {task!r}: use one of {valid}")
    if require_available and not spec.is_available:
        raise DataError(f"model {model_id!r} is unavailable: {spec.reason}")
    return spec


def default_split(
    specs: list[ModelSpec], rows: int, width: int, classes: int = 1
) -> tuple[list[ModelSpec], list[ModelSpec]]:
    """The default compare's models at this size, and those left out (costliest first).

    A model whose cost grows faster than the table is left out once one of its fits is
    expected to take more than :data:`DEFAULT_FIT_S`; naming it in ``models=`` runs it.
    """
    kept = [s for s in specs if s.in_default(rows, width, classes)]
    left = [s for s in specs if s not in kept]
    return kept, sorted(left, key=lambda s: -s.expected_s(rows, width, classes))


def resolve(task: str, ids: Iterable[str] | None) -> list[ModelSpec]:
    """Specs for ``ids`` (all available ones when None), unknown/unavailable ids refused."""
    if ids is None:
        return [s for s in models_for(task) if s.is_available]
    seen: list[ModelSpec] = []
    for mid in ids:
        spec = get(task, mid.strip())
        if spec not in seen:
            seen.append(spec)
    if not seen:
        raise DataError("no models to compare: give at least one model id")
    return seen
