"""The explicit allow-list of types a Podium artifact may contain beyond skops' own defaults.

Loading refuses any other type skops reports as untrusted (never "trust whatever skops
reports"). Extend this list only with types the engine itself puts into pipelines; the
contract test saves a finalized pipeline of every available model and checks it loads.
"""

from __future__ import annotations

TRUSTED_TYPES: frozenset[str] = frozenset(
    {
        # podium's own estimators
        "podium.engine.transformers.DateParts",
        "podium.engine.transformers.EncodedClassifier",
        "podium.engine.transformers.TextCleaner",
        # python / numpy containers skops does not trust by default
        "collections.OrderedDict",
        "numpy.dtype",
        # scikit-learn internals of registered models
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.gaussian_process._gpc._BinaryGaussianProcessClassifierLaplace",
        "sklearn.gaussian_process.kernels.ConstantKernel",
        "sklearn.gaussian_process.kernels.Product",
        "sklearn.gaussian_process.kernels.RBF",
        "sklearn.metrics._dist_metrics.EuclideanDistance64",
        "sklearn.neighbors._ball_tree.BallTree",
        "sklearn.neighbors._kd_tree.KDTree",
        "sklearn.neural_network._stochastic_optimizers.AdamOptimizer",
        "sklearn.neural_network._stochastic_optimizers.SGDOptimizer",
        "sklearn.tree._tree.Tree",
        # boosters
        "lightgbm.basic.Booster",
        "lightgbm.sklearn.LGBMClassifier",
        "lightgbm.sklearn.LGBMRegressor",
        "xgboost.core.Booster",
        "xgboost.sklearn.XGBClassifier",
        "xgboost.sklearn.XGBRegressor",
        "catboost.core.CatBoostClassifier",
        "catboost.core.CatBoostRegressor",
    }
)
