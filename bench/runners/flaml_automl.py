"""FLAML ``AutoML.fit(time_budget=...)`` on one train CSV, run inside bench/.venvs/flaml.

Usage: ``python flaml_automl.py '<json spec>'`` (see anchor_io.py). Text columns become pandas
categories (FLAML's boosters take them as such); FLAML handles the missing values itself.
"""

from __future__ import annotations

import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from anchor_io import Clock, load, read_spec, write_predictions

METRICS = {"binary": "roc_auc", "multiclass": "accuracy", "regression": "r2"}


def _categories(df, columns=None):  # type: ignore[no-untyped-def]
    cols = columns if columns is not None else [c for c in df.columns if df[c].dtype == object]
    for col in cols:
        df[col] = df[col].astype("category")
    return df, cols


def main() -> None:
    spec = read_spec()
    warnings.filterwarnings("ignore")
    clock = Clock()
    from flaml import AutoML

    clock.lap("import")
    train, test = load(spec)
    y = train.pop(spec["target"])
    train, cats = _categories(train)
    test, _ = _categories(test, cats)
    automl = AutoML()
    task = "regression" if spec["task"] == "regression" else "classification"
    automl.fit(
        train,
        y,
        task=task,
        metric=METRICS[spec["task"]],
        time_budget=spec["budget_s"],
        seed=spec["seed"],
        verbose=0,
    )
    clock.lap("fit")
    if task == "classification":
        write_predictions(spec, automl.predict(test), automl.predict_proba(test), automl.classes_)
    else:
        write_predictions(spec, automl.predict(test))
    clock.lap("predict")
    clock.report(
        best_model=automl.best_estimator,
        best_cv_loss=automl.best_loss,
        best_config=automl.best_config,
    )


if __name__ == "__main__":
    main()
