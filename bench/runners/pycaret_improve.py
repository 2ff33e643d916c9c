"""PyCaret 3.3.2 ``compare_models`` → ``tune_model`` → ``finalize_model`` on one train CSV.

Run inside bench/.venvs/pycaret. Usage: ``python pycaret_improve.py '<json spec>'`` (see
anchor_io.py). PyCaret's defaults throughout (turbo model list, 10 folds, 70 % of the train file
cross-validated, ``tune_model``'s 10 random-search iterations keeping the better of tuned and
untuned); ``finalize_model`` refits on the whole train file, then the test file is predicted.
"""

from __future__ import annotations

import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from anchor_io import Clock, load, read_spec, write_predictions

METRICS = {"binary": "AUC", "multiclass": "Accuracy", "regression": "R2"}


def main() -> None:
    spec = read_spec()
    warnings.filterwarnings("ignore")
    clock = Clock()
    if spec["task"] == "regression":
        from pycaret import regression as pc
    else:
        from pycaret import classification as pc
    clock.lap("import")
    train, test = load(spec)
    metric = METRICS[spec["task"]]
    pc.setup(train, target=spec["target"], session_id=spec["seed"], verbose=False, html=False)
    clock.lap("setup")
    best = pc.compare_models(sort=metric, verbose=False)
    best_id = str(pc.pull().index[0])
    clock.lap("compare")
    tuned = pc.tune_model(best, optimize=metric, verbose=False)
    clock.lap("tune")
    final = pc.finalize_model(tuned)
    clock.lap("finalize")
    scores_wanted = {} if spec["task"] == "regression" else {"raw_score": True}  # classifiers only
    out = pc.predict_model(final, data=test, verbose=False, **scores_wanted)
    scores = [c for c in out.columns if c.startswith("prediction_score_")]
    classes = [c.removeprefix("prediction_score_") for c in scores]
    write_predictions(
        spec, out["prediction_label"], out[scores].to_numpy() if scores else None, classes
    )
    clock.lap("predict")
    fit = sum(
        v for k, v in clock.marks.items() if k in ("setup_s", "compare_s", "tune_s", "finalize_s")
    )
    clock.report(best_model=best_id, fit_s=fit)


if __name__ == "__main__":
    main()
