"""The model catalogue: one :class:`~podium.engine.models.spec.ModelSpec` per model, in the
order the leaderboard and the model lists show them.

Each line says what the model is and how it is built: id, display name, family, cost growth
law and its measured unit (seconds per unit of work on one core), the factory, and the
optional library it needs. :mod:`podium.engine.models.registry` indexes this table.
"""

from __future__ import annotations

from podium.engine.models.factories import (
    CATBOOST,
    DISCRIMINANT,
    ENSEMBLE,
    LIGHTGBM,
    LINEAR,
    ONE_THREAD,
    XGBOOST,
    Factory,
    lazy,
)
from podium.engine.models.spec import ModelSpec

_LM, _ENS, _DA = LINEAR, ENSEMBLE, DISCRIMINANT
_ONE_THREAD, _XGB, _LGBM, _CAT = ONE_THREAD, XGBOOST, LIGHTGBM, CATBOOST


def _clf(
    id: str,
    name: str,
    family: str,
    growth: str,
    unit_s: float,
    factory: Factory,
    *,
    requires: str | None = None,
    extra: str | None = None,
) -> ModelSpec:
    return ModelSpec(id, name, family, "classification", growth, unit_s, factory, requires, extra)


def _reg(
    id: str,
    name: str,
    family: str,
    growth: str,
    unit_s: float,
    factory: Factory,
    *,
    requires: str | None = None,
    extra: str | None = None,
) -> ModelSpec:
    return ModelSpec(id, name, family, "regression", growth, unit_s, factory, requires, extra)


# fmt: off
SPECS: tuple[ModelSpec, ...] = (
    _clf("lr", "Logistic Regression", "linear", "table", 2e-7,
         lazy(_LM, "LogisticRegression", max_iter=1000)),
    _clf("knn", "K Neighbors Classifier", "neighbors", "rows2", 2e-10,
         lazy("sklearn.neighbors", "KNeighborsClassifier", seed_arg=None)),
    _clf("nb", "Naive Bayes", "bayes", "table", 5e-8,
         lazy("sklearn.naive_bayes", "GaussianNB", seed_arg=None)),
    _clf("dt", "Decision Tree Classifier", "tree", "table", 1.5e-6,
         lazy("sklearn.tree", "DecisionTreeClassifier")),
    _clf("svm", "SVM - Linear Kernel", "svm", "table", 3e-7,
         lazy(_LM, "SGDClassifier", loss="hinge")),
    _clf("rbfsvm", "SVM - Radial Kernel", "svm", "rows2", 1e-9,
         lazy("sklearn.svm", "SVC", kernel="rbf")),
    _clf("gpc", "Gaussian Process Classifier", "gaussian_process", "rows3", 7e-10,
         lazy("sklearn.gaussian_process", "GaussianProcessClassifier")),
    _clf("mlp", "MLP Classifier", "neural_network", "epochs", 3e-5,
         lazy("sklearn.neural_network", "MLPClassifier", max_iter=500)),
    _clf("ridge", "Ridge Classifier", "linear", "table", 1.5e-7,
         lazy(_LM, "RidgeClassifier")),
    _clf("rf", "Random Forest Classifier", "ensemble", "table", 1.7e-5,
         lazy(_ENS, "RandomForestClassifier", **_ONE_THREAD)),
    _clf("qda", "Quadratic Discriminant Analysis", "discriminant", "table", 3e-7,
         lazy(_DA, "QuadraticDiscriminantAnalysis", seed_arg=None, reg_param=0.01)),
    _clf("ada", "Ada Boost Classifier", "ensemble", "table", 1.5e-5,
         lazy(_ENS, "AdaBoostClassifier")),
    _clf("gbc", "Gradient Boosting Classifier", "boosting", "table", 6e-5,
         lazy(_ENS, "GradientBoostingClassifier")),
    _clf("lda", "Linear Discriminant Analysis", "discriminant", "table", 2.5e-7,
         lazy(_DA, "LinearDiscriminantAnalysis", seed_arg=None)),
    _clf("et", "Extra Trees Classifier", "ensemble", "table", 8e-6,
         lazy(_ENS, "ExtraTreesClassifier", **_ONE_THREAD)),
    _clf("xgboost", "Extreme Gradient Boosting", "boosting", "table", 1e-5,
         lazy("xgboost", "XGBClassifier", **_XGB), requires="xgboost", extra="boost"),
    _clf("lightgbm", "Light Gradient Boosting Machine", "boosting", "table", 1.5e-5,
         lazy("lightgbm", "LGBMClassifier", **_LGBM), requires="lightgbm"),
    _clf("catboost", "CatBoost Classifier", "boosting", "table", 4e-5,
         lazy("catboost", "CatBoostClassifier", seed_arg="random_seed", **_CAT),
         requires="catboost", extra="catboost"),
    _clf("hgb", "Histogram Gradient Boosting Classifier", "boosting", "table", 1.8e-5,
         lazy(_ENS, "HistGradientBoostingClassifier")),
    _clf("dummy", "Dummy Classifier", "baseline", "table", 1e-8,
         lazy("sklearn.dummy", "DummyClassifier", seed_arg=None, strategy="prior")),
    _reg("lr", "Linear Regression", "linear", "table", 1e-7,
         lazy(_LM, "LinearRegression", seed_arg=None)),
    _reg("lasso", "Lasso Regression", "linear", "table", 1e-7,
         lazy(_LM, "Lasso")),
    _reg("ridge", "Ridge Regression", "linear", "table", 1e-7,
         lazy(_LM, "Ridge")),
    _reg("en", "Elastic Net", "linear", "table", 1e-7,
         lazy(_LM, "ElasticNet")),
    _reg("lar", "Least Angle Regression", "linear", "table", 2e-7,
         lazy(_LM, "Lars")),
    _reg("llar", "Lasso Least Angle Regression", "linear", "table", 2e-7,
         lazy(_LM, "LassoLars")),
    _reg("omp", "Orthogonal Matching Pursuit", "linear", "table", 1e-7,
         lazy(_LM, "OrthogonalMatchingPursuit", seed_arg=None)),
    _reg("br", "Bayesian Ridge", "linear", "table", 2e-7,
         lazy(_LM, "BayesianRidge", seed_arg=None)),
    _reg("ard", "Automatic Relevance Determination", "linear", "width3", 1e-7,
         lazy(_LM, "ARDRegression", seed_arg=None)),
    # PassiveAggressiveRegressor is deprecated since scikit-learn 1.8; this is its replacement.
    _reg("par", "Passive Aggressive Regressor", "linear", "table", 2e-7,
         lazy(_LM, "SGDRegressor",
              loss="epsilon_insensitive", penalty=None, learning_rate="pa1", eta0=1.0)),
    _reg("ransac", "Random Sample Consensus", "linear", "width3", 5e-8,
         lazy(_LM, "RANSACRegressor")),
    _reg("tr", "TheilSen Regressor", "linear", "width3", 2e-5,
         lazy(_LM, "TheilSenRegressor", **_ONE_THREAD)),
    _reg("huber", "Huber Regressor", "linear", "table", 1e-6,
         lazy(_LM, "HuberRegressor", seed_arg=None, max_iter=1000)),
    _reg("kr", "Kernel Ridge", "kernel", "rows3", 5e-11,
         lazy("sklearn.kernel_ridge", "KernelRidge", seed_arg=None)),
    _reg("svm", "Support Vector Regression", "svm", "rows2", 1e-9,
         lazy("sklearn.svm", "SVR", seed_arg=None)),
    _reg("knn", "K Neighbors Regressor", "neighbors", "rows2", 2e-10,
         lazy("sklearn.neighbors", "KNeighborsRegressor", seed_arg=None)),
    _reg("dt", "Decision Tree Regressor", "tree", "table", 2e-6,
         lazy("sklearn.tree", "DecisionTreeRegressor")),
    _reg("rf", "Random Forest Regressor", "ensemble", "table", 3e-5,
         lazy(_ENS, "RandomForestRegressor", **_ONE_THREAD)),
    _reg("et", "Extra Trees Regressor", "ensemble", "table", 1.5e-5,
         lazy(_ENS, "ExtraTreesRegressor", **_ONE_THREAD)),
    _reg("ada", "AdaBoost Regressor", "ensemble", "table", 1.5e-5,
         lazy(_ENS, "AdaBoostRegressor")),
    _reg("gbr", "Gradient Boosting Regressor", "boosting", "table", 6e-5,
         lazy(_ENS, "GradientBoostingRegressor")),
    _reg("mlp", "MLP Regressor", "neural_network", "epochs", 2.5e-5,
         lazy("sklearn.neural_network", "MLPRegressor", max_iter=500)),
    _reg("xgboost", "Extreme Gradient Boosting", "boosting", "table", 1e-5,
         lazy("xgboost", "XGBRegressor", **_XGB), requires="xgboost", extra="boost"),
    _reg("lightgbm", "Light Gradient Boosting Machine", "boosting", "table", 1.5e-5,
         lazy("lightgbm", "LGBMRegressor", **_LGBM), requires="lightgbm"),
    _reg("catboost", "CatBoost Regressor", "boosting", "table", 4e-5,
         lazy("catboost", "CatBoostRegressor", seed_arg="random_seed", **_CAT),
         requires="catboost", extra="catboost"),
    _reg("hgb", "Histogram Gradient Boosting Regressor", "boosting", "table", 1.8e-5,
         lazy(_ENS, "HistGradientBoostingRegressor")),
    _reg("dummy", "Dummy Regressor", "baseline", "table", 1e-8,
         lazy("sklearn.dummy", "DummyRegressor", seed_arg=None)),
)
# fmt: on
