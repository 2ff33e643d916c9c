"""Estimator factories, one per (task kind, model id): ``factory(seed) -> unfitted estimator``.

Boosters are pinned to one thread per fit (the executor runs fits in parallel); optional
libraries are imported inside their factory only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sklearn import (
    discriminant_analysis as da,
)
from sklearn import (
    dummy,
    gaussian_process,
    kernel_ridge,
    naive_bayes,
    neighbors,
    neural_network,
    svm,
    tree,
)
from sklearn import ensemble as ens
from sklearn import linear_model as lm

Factory = Callable[[int], Any]


def _xgb(kind: str) -> Factory:
    def make(seed: int) -> Any:
        import xgboost

        cls = xgboost.XGBClassifier if kind == "classification" else xgboost.XGBRegressor
        return cls(n_jobs=1, random_state=seed, tree_method="hist", verbosity=0)

    return make


def _lgbm(kind: str) -> Factory:
    def make(seed: int) -> Any:
        import lightgbm

        cls = lightgbm.LGBMClassifier if kind == "classification" else lightgbm.LGBMRegressor
        return cls(n_jobs=1, random_state=seed, verbose=-1)

    return make


def _catboost(kind: str) -> Factory:
    def make(seed: int) -> Any:
        import catboost

        cls = (
            catboost.CatBoostClassifier if kind == "classification" else catboost.CatBoostRegressor
        )
        return cls(thread_count=1, random_seed=seed, verbose=False, allow_writing_files=False)

    return make


_C = "classification"
_R = "regression"

FACTORIES: dict[tuple[str, str], Factory] = {
    (_C, "lr"): lambda s: lm.LogisticRegression(max_iter=1000, random_state=s),
    (_C, "knn"): lambda s: neighbors.KNeighborsClassifier(),
    (_C, "nb"): lambda s: naive_bayes.GaussianNB(),
    (_C, "dt"): lambda s: tree.DecisionTreeClassifier(random_state=s),
    (_C, "svm"): lambda s: lm.SGDClassifier(loss="hinge", random_state=s),
    (_C, "rbfsvm"): lambda s: svm.SVC(kernel="rbf", random_state=s),
    (_C, "gpc"): lambda s: gaussian_process.GaussianProcessClassifier(random_state=s),
    (_C, "mlp"): lambda s: neural_network.MLPClassifier(max_iter=500, random_state=s),
    (_C, "ridge"): lambda s: lm.RidgeClassifier(random_state=s),
    (_C, "rf"): lambda s: ens.RandomForestClassifier(n_jobs=1, random_state=s),
    (_C, "qda"): lambda s: da.QuadraticDiscriminantAnalysis(reg_param=0.01),
    (_C, "ada"): lambda s: ens.AdaBoostClassifier(random_state=s),
    (_C, "gbc"): lambda s: ens.GradientBoostingClassifier(random_state=s),
    (_C, "lda"): lambda s: da.LinearDiscriminantAnalysis(),
    (_C, "et"): lambda s: ens.ExtraTreesClassifier(n_jobs=1, random_state=s),
    (_C, "xgboost"): _xgb(_C),
    (_C, "lightgbm"): _lgbm(_C),
    (_C, "catboost"): _catboost(_C),
    (_C, "hgb"): lambda s: ens.HistGradientBoostingClassifier(random_state=s),
    (_C, "dummy"): lambda s: dummy.DummyClassifier(strategy="prior"),
    (_R, "lr"): lambda s: lm.LinearRegression(),
    (_R, "lasso"): lambda s: lm.Lasso(random_state=s),
    (_R, "ridge"): lambda s: lm.Ridge(random_state=s),
    (_R, "en"): lambda s: lm.ElasticNet(random_state=s),
    (_R, "lar"): lambda s: lm.Lars(random_state=s),
    (_R, "llar"): lambda s: lm.LassoLars(random_state=s),
    (_R, "omp"): lambda s: lm.OrthogonalMatchingPursuit(),
    (_R, "br"): lambda s: lm.BayesianRidge(),
    (_R, "ard"): lambda s: lm.ARDRegression(),
    # PassiveAggressiveRegressor is deprecated since scikit-learn 1.8; this is its replacement.
    (_R, "par"): lambda s: lm.SGDRegressor(
        loss="epsilon_insensitive", penalty=None, learning_rate="pa1", eta0=1.0, random_state=s
    ),
    (_R, "ransac"): lambda s: lm.RANSACRegressor(random_state=s),
    (_R, "tr"): lambda s: lm.TheilSenRegressor(random_state=s, n_jobs=1),
    (_R, "huber"): lambda s: lm.HuberRegressor(max_iter=1000),
    (_R, "kr"): lambda s: kernel_ridge.KernelRidge(),
    (_R, "svm"): lambda s: svm.SVR(),
    (_R, "knn"): lambda s: neighbors.KNeighborsRegressor(),
    (_R, "dt"): lambda s: tree.DecisionTreeRegressor(random_state=s),
    (_R, "rf"): lambda s: ens.RandomForestRegressor(n_jobs=1, random_state=s),
    (_R, "et"): lambda s: ens.ExtraTreesRegressor(n_jobs=1, random_state=s),
    (_R, "ada"): lambda s: ens.AdaBoostRegressor(random_state=s),
    (_R, "gbr"): lambda s: ens.GradientBoostingRegressor(random_state=s),
    (_R, "mlp"): lambda s: neural_network.MLPRegressor(max_iter=500, random_state=s),
    (_R, "xgboost"): _xgb(_R),
    (_R, "lightgbm"): _lgbm(_R),
    (_R, "catboost"): _catboost(_R),
    (_R, "hgb"): lambda s: ens.HistGradientBoostingRegressor(random_state=s),
    (_R, "dummy"): lambda s: dummy.DummyRegressor(),
}
