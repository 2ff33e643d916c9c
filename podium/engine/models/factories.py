"""Estimator factories, one per (task kind, model id): ``factory(seed) -> unfitted estimator``.

Declarative: ``(module, class, seed keyword, fixed keywords)``; the module is imported only
when the model is built (fast start of worker processes, optional libraries stay optional).
Boosters are pinned to one thread per fit: the executor runs fits in parallel.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Factory = Callable[[int], Any]


def _lazy(
    module: str, name: str, *, seed_arg: str | None = "random_state", **fixed: Any
) -> Factory:
    def make(seed: int) -> Any:
        cls = getattr(importlib.import_module(module), name)
        kwargs = dict(fixed)
        if seed_arg is not None:
            kwargs[seed_arg] = seed
        return cls(**kwargs)

    make.__qualname__ = f"make_{name}"
    make.module = module  # type: ignore[attr-defined]  # read by preload_modules()
    return make


_C = "classification"
_R = "regression"
_LM = "sklearn.linear_model"
_ENS = "sklearn.ensemble"
_DA = "sklearn.discriminant_analysis"
_ONE_THREAD: dict[str, Any] = {"n_jobs": 1}
_XGB: dict[str, Any] = {"n_jobs": 1, "tree_method": "hist", "verbosity": 0}
_LGBM: dict[str, Any] = {"n_jobs": 1, "verbose": -1}
_CAT: dict[str, Any] = {"thread_count": 1, "verbose": False, "allow_writing_files": False}

FACTORIES: dict[tuple[str, str], Factory] = {
    (_C, "lr"): _lazy(_LM, "LogisticRegression", max_iter=1000),
    (_C, "knn"): _lazy("sklearn.neighbors", "KNeighborsClassifier", seed_arg=None),
    (_C, "nb"): _lazy("sklearn.naive_bayes", "GaussianNB", seed_arg=None),
    (_C, "dt"): _lazy("sklearn.tree", "DecisionTreeClassifier"),
    (_C, "svm"): _lazy(_LM, "SGDClassifier", loss="hinge"),
    (_C, "rbfsvm"): _lazy("sklearn.svm", "SVC", kernel="rbf"),
    (_C, "gpc"): _lazy("sklearn.gaussian_process", "GaussianProcessClassifier"),
    (_C, "mlp"): _lazy("sklearn.neural_network", "MLPClassifier", max_iter=500),
    (_C, "ridge"): _lazy(_LM, "RidgeClassifier"),
    (_C, "rf"): _lazy(_ENS, "RandomForestClassifier", **_ONE_THREAD),
    (_C, "qda"): _lazy(_DA, "QuadraticDiscriminantAnalysis", seed_arg=None, reg_param=0.01),
    (_C, "ada"): _lazy(_ENS, "AdaBoostClassifier"),
    (_C, "gbc"): _lazy(_ENS, "GradientBoostingClassifier"),
    (_C, "lda"): _lazy(_DA, "LinearDiscriminantAnalysis", seed_arg=None),
    (_C, "et"): _lazy(_ENS, "ExtraTreesClassifier", **_ONE_THREAD),
    (_C, "xgboost"): _lazy("xgboost", "XGBClassifier", **_XGB),
    (_C, "lightgbm"): _lazy("lightgbm", "LGBMClassifier", **_LGBM),
    (_C, "catboost"): _lazy("catboost", "CatBoostClassifier", seed_arg="random_seed", **_CAT),
    (_C, "hgb"): _lazy(_ENS, "HistGradientBoostingClassifier"),
    (_C, "dummy"): _lazy("sklearn.dummy", "DummyClassifier", seed_arg=None, strategy="prior"),
    (_R, "lr"): _lazy(_LM, "LinearRegression", seed_arg=None),
    (_R, "lasso"): _lazy(_LM, "Lasso"),
    (_R, "ridge"): _lazy(_LM, "Ridge"),
    (_R, "en"): _lazy(_LM, "ElasticNet"),
    (_R, "lar"): _lazy(_LM, "Lars"),
    (_R, "llar"): _lazy(_LM, "LassoLars"),
    (_R, "omp"): _lazy(_LM, "OrthogonalMatchingPursuit", seed_arg=None),
    (_R, "br"): _lazy(_LM, "BayesianRidge", seed_arg=None),
    (_R, "ard"): _lazy(_LM, "ARDRegression", seed_arg=None),
    # PassiveAggressiveRegressor is deprecated since scikit-learn 1.8; this is its replacement.
    (_R, "par"): _lazy(
        _LM, "SGDRegressor", loss="epsilon_insensitive", penalty=None, learning_rate="pa1", eta0=1.0
    ),
    (_R, "ransac"): _lazy(_LM, "RANSACRegressor"),
    (_R, "tr"): _lazy(_LM, "TheilSenRegressor", **_ONE_THREAD),
    (_R, "huber"): _lazy(_LM, "HuberRegressor", seed_arg=None, max_iter=1000),
    (_R, "kr"): _lazy("sklearn.kernel_ridge", "KernelRidge", seed_arg=None),
    (_R, "svm"): _lazy("sklearn.svm", "SVR", seed_arg=None),
    (_R, "knn"): _lazy("sklearn.neighbors", "KNeighborsRegressor", seed_arg=None),
    (_R, "dt"): _lazy("sklearn.tree", "DecisionTreeRegressor"),
    (_R, "rf"): _lazy(_ENS, "RandomForestRegressor", **_ONE_THREAD),
    (_R, "et"): _lazy(_ENS, "ExtraTreesRegressor", **_ONE_THREAD),
    (_R, "ada"): _lazy(_ENS, "AdaBoostRegressor"),
    (_R, "gbr"): _lazy(_ENS, "GradientBoostingRegressor"),
    (_R, "mlp"): _lazy("sklearn.neural_network", "MLPRegressor", max_iter=500),
    (_R, "xgboost"): _lazy("xgboost", "XGBRegressor", **_XGB),
    (_R, "lightgbm"): _lazy("lightgbm", "LGBMRegressor", **_LGBM),
    (_R, "catboost"): _lazy("catboost", "CatBoostRegressor", seed_arg="random_seed", **_CAT),
    (_R, "hgb"): _lazy(_ENS, "HistGradientBoostingRegressor"),
    (_R, "dummy"): _lazy("sklearn.dummy", "DummyRegressor", seed_arg=None),
}


# imported on first use only: optional, and heavier to import than the rest together
_NOT_PRELOADED = frozenset({"xgboost", "catboost"})


def preload_modules() -> list[str]:
    """Modules of the built-in models that a fresh worker imports before its first fit."""
    mods = {getattr(f, "module", "") for f in FACTORIES.values()}
    return sorted(m for m in mods if m and m not in _NOT_PRELOADED)
