"""AutoGluon ``TabularPredictor.fit(time_limit=..., presets=...)`` in bench/.venvs/autogluon.

Usage: ``python autogluon_fit.py '<json spec>'`` (see anchor_io.py; ``preset`` is
``medium_quality`` or ``best_quality``, ``workdir`` a scratch folder for its models).

``best_quality`` runs with ``dynamic_stacking=False``: with a 60 s limit on a loaded machine its
DyStack sub-fit (a quarter of the time, in-process without ray) failed on 6 of 9 tables
("Learner is already fit", "Not enough time left ... setting dynamic_stacking=False"), which is
AutoGluon's own advice; the stack levels and bagging of the preset are kept.
"""

from __future__ import annotations

import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from anchor_io import Clock, load, read_spec, write_predictions

METRICS = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}


def main() -> None:
    spec = read_spec()
    warnings.filterwarnings("ignore")
    clock = Clock()
    from autogluon.tabular import TabularPredictor

    clock.lap("import")
    train, test = load(spec)
    predictor = TabularPredictor(
        label=spec["target"],
        problem_type=spec["task"],
        eval_metric=METRICS[spec["task"]],
        path=spec["workdir"],
        verbosity=spec.get("verbosity", 0),
    )
    extra = {"dynamic_stacking": False} if spec["preset"] == "best_quality" else {}
    predictor.fit(train, time_limit=spec["budget_s"], presets=spec["preset"], **extra)
    clock.lap("fit")
    if spec["task"] == "regression":
        write_predictions(spec, predictor.predict(test))
    else:
        proba = predictor.predict_proba(test)
        write_predictions(spec, predictor.predict(test), proba.to_numpy(), list(proba.columns))
    clock.lap("predict")
    board = predictor.leaderboard(silent=True)
    clock.report(best_model=predictor.model_best, models_trained=len(board))


if __name__ == "__main__":
    main()
