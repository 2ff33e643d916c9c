"""Evaluation: plots drawn from a model's stored out-of-fold and holdout predictions
(:mod:`podium.engine.evaluate.plots`, the registry per task), nothing refit to draw."""
