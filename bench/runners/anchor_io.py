"""Shared by the quality suite's runners (standalone: each runs in its own venv with only pandas).

A runner reads ``spec`` (JSON: train, test, target, task, metric, budget_s, seed, out, ...), fits
on ``train`` only, predicts ``test`` and writes the predictions to ``out`` as CSV: ``pred`` and,
for classification, one ``proba:<class>`` column per class. The suite scores every system's file
with the same code, so no runner's own metric is trusted.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def read_spec() -> dict[str, Any]:
    """The JSON spec given as the first argument."""
    return json.loads(sys.argv[1])


def load(spec: dict[str, Any]) -> tuple[Any, Any]:
    """(train, test) DataFrames; test without the target column."""
    import pandas as pd

    train = pd.read_csv(spec["train"])
    test = pd.read_csv(spec["test"]).drop(columns=[spec["target"]])
    if spec["task"] != "regression":
        train[spec["target"]] = train[spec["target"]].astype(str)
    return train, test


def write_predictions(
    spec: dict[str, Any], pred: Any, proba: Any = None, classes: Any = None
) -> None:
    """``pred`` (n values), ``proba`` (n × k, columns in ``classes`` order) to ``spec['out']``."""
    import numpy as np
    import pandas as pd

    out = pd.DataFrame({"pred": np.asarray(pred)})
    if proba is not None:
        values = np.asarray(proba, dtype=float)
        for j, label in enumerate(classes):
            out[f"proba:{label}"] = values[:, j]
    out.to_csv(spec["out"], index=False)


class Clock:
    """Wall seconds of the named steps, printed with the result as one JSON line."""

    def __init__(self) -> None:
        self.marks: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.marks[f"{name}_s"] = now - self._t
        self._t = now

    def report(self, **extra: Any) -> None:
        print(json.dumps({**self.marks, **extra}, default=str))
