"""Improving models: tuning (Optuna), bagging/boosting, blending, stacking and ``auto``."""
