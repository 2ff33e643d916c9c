"""Evaluation: plots drawn from a model's stored out-of-fold and holdout predictions
(:mod:`podium.engine.evaluate.plots`, the registry per task), nothing refit to draw; and the
fit-based analysis of one model (:mod:`podium.engine.evaluate.analysis`: importance,
permutation importance, learning curve, SHAP in the table's own columns)."""
