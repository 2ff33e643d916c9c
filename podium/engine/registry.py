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
from podium.engine.models import FACTORIES

CLASSIFICATION_TASKS = ("binary", "multiclass")
ALL_TASKS = ("binary", "multiclass", "regression")


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
    cost : int
        Relative expected fit cost; the slowest fits are started first.
    turbo : bool
        False for slow kernels skipped by default on large data.
    requires : str or None
        Importable module needed; when missing the model is unavailable with ``extra`` as fix.
    """

    id: str
    name: str
    family: str
    kind: str
    cost: int
    turbo: bool = True
    requires: str | None = None
    extra: str | None = None
    factory: Callable[[int], Any] = field(default=lambda seed: None, repr=False, compare=False)

    @property
    def tasks(self) -> tuple[str, ...]:
        """The tasks this model can be used for."""
        return CLASSIFICATION_TASKS if self.kind == "classification" else ("regression",)

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


# (id, name, family, cost, turbo, requires, extra)
_C = "classification"
_R = "regression"
_TABLE: tuple[tuple[str, str, str, str, int, bool, str | None, str | None], ...] = (
    (_C, "lr", "Logistic Regression", "linear", 2, True, None, None),
    (_C, "knn", "K Neighbors Classifier", "neighbors", 1, True, None, None),
    (_C, "nb", "Naive Bayes", "bayes", 1, True, None, None),
    (_C, "dt", "Decision Tree Classifier", "tree", 1, True, None, None),
    (_C, "svm", "SVM - Linear Kernel", "svm", 1, True, None, None),
    (_C, "rbfsvm", "SVM - Radial Kernel", "svm", 5, False, None, None),
    (_C, "gpc", "Gaussian Process Classifier", "gaussian_process", 8, False, None, None),
    (_C, "mlp", "MLP Classifier", "neural_network", 6, False, None, None),
    (_C, "ridge", "Ridge Classifier", "linear", 1, True, None, None),
    (_C, "rf", "Random Forest Classifier", "ensemble", 5, True, None, None),
    (_C, "qda", "Quadratic Discriminant Analysis", "discriminant", 1, True, None, None),
    (_C, "ada", "Ada Boost Classifier", "ensemble", 3, True, None, None),
    (_C, "gbc", "Gradient Boosting Classifier", "boosting", 6, True, None, None),
    (_C, "lda", "Linear Discriminant Analysis", "discriminant", 1, True, None, None),
    (_C, "et", "Extra Trees Classifier", "ensemble", 4, True, None, None),
    (_C, "xgboost", "Extreme Gradient Boosting", "boosting", 4, True, "xgboost", "boost"),
    (_C, "lightgbm", "Light Gradient Boosting Machine", "boosting", 3, True, "lightgbm", None),
    (_C, "catboost", "CatBoost Classifier", "boosting", 8, True, "catboost", "catboost"),
    (_C, "hgb", "Histogram Gradient Boosting Classifier", "boosting", 4, True, None, None),
    (_C, "dummy", "Dummy Classifier", "baseline", 0, True, None, None),
    (_R, "lr", "Linear Regression", "linear", 1, True, None, None),
    (_R, "lasso", "Lasso Regression", "linear", 1, True, None, None),
    (_R, "ridge", "Ridge Regression", "linear", 1, True, None, None),
    (_R, "en", "Elastic Net", "linear", 1, True, None, None),
    (_R, "lar", "Least Angle Regression", "linear", 1, True, None, None),
    (_R, "llar", "Lasso Least Angle Regression", "linear", 1, True, None, None),
    (_R, "omp", "Orthogonal Matching Pursuit", "linear", 1, True, None, None),
    (_R, "br", "Bayesian Ridge", "linear", 1, True, None, None),
    (_R, "ard", "Automatic Relevance Determination", "linear", 3, False, None, None),
    (_R, "par", "Passive Aggressive Regressor", "linear", 1, True, None, None),
    (_R, "ransac", "Random Sample Consensus", "linear", 2, False, None, None),
    (_R, "tr", "TheilSen Regressor", "linear", 6, False, None, None),
    (_R, "huber", "Huber Regressor", "linear", 2, True, None, None),
    (_R, "kr", "Kernel Ridge", "kernel", 5, False, None, None),
    (_R, "svm", "Support Vector Regression", "svm", 4, False, None, None),
    (_R, "knn", "K Neighbors Regressor", "neighbors", 1, True, None, None),
    (_R, "dt", "Decision Tree Regressor", "tree", 1, True, None, None),
    (_R, "rf", "Random Forest Regressor", "ensemble", 5, True, None, None),
    (_R, "et", "Extra Trees Regressor", "ensemble", 4, True, None, None),
    (_R, "ada", "AdaBoost Regressor", "ensemble", 3, True, None, None),
    (_R, "gbr", "Gradient Boosting Regressor", "boosting", 5, True, None, None),
    (_R, "mlp", "MLP Regressor", "neural_network", 6, False, None, None),
    (_R, "xgboost", "Extreme Gradient Boosting", "boosting", 4, True, "xgboost", "boost"),
    (_R, "lightgbm", "Light Gradient Boosting Machine", "boosting", 3, True, "lightgbm", None),
    (_R, "catboost", "CatBoost Regressor", "boosting", 8, True, "catboost", "catboost"),
    (_R, "hgb", "Histogram Gradient Boosting Regressor", "boosting", 4, True, None, None),
    (_R, "dummy", "Dummy Regressor", "baseline", 0, True, None, None),
)


def _build_registry() -> dict[tuple[str, str], ModelSpec]:
    registry: dict[tuple[str, str], ModelSpec] = {}
    for kind, mid, name, family, cost, turbo, requires, extra in _TABLE:
        if (kind, mid) in registry:
            raise RuntimeError(f"duplicate model id {mid!r} for {kind}")
        if (kind, mid) not in FACTORIES:
            raise RuntimeError(f"model {mid!r} ({kind}) has no factory in podium.engine.models")
        registry[(kind, mid)] = ModelSpec(
            id=mid,
            name=name,
            family=family,
            kind=kind,
            cost=cost,
            turbo=turbo,
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
