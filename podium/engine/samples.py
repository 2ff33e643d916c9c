"""scikit-learn's bundled datasets as ready-to-use samples (no download)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from podium.engine.errors import DataError

_SAMPLES: dict[str, tuple[str, str, str]] = {
    "iris": ("Iris flowers", "multiclass", "load_iris"),
    "wine": ("Wine cultivars", "multiclass", "load_wine"),
    "breast_cancer": ("Breast cancer diagnosis", "binary", "load_breast_cancer"),
    "diabetes": ("Diabetes progression", "regression", "load_diabetes"),
    "digits": ("Handwritten digits (8x8)", "multiclass", "load_digits"),
}
TARGET = "target"


def load(sample_id: str) -> tuple[pd.DataFrame, str]:
    """Load a bundled sample as ``(DataFrame, target_name)``.

    Classification targets hold the class names (e.g. ``"setosa"``).

    Examples
    --------
    >>> df, target = load("iris")
    >>> df.shape, target
    ((150, 5), 'target')
    """
    if sample_id not in _SAMPLES:
        raise DataError(f"unknown sample {sample_id!r}: use one of {', '.join(_SAMPLES)}")
    from sklearn import datasets

    _, task, loader_name = _SAMPLES[sample_id]
    loader: Callable[..., Any] = getattr(datasets, loader_name)
    bunch = loader(as_frame=True)
    df = bunch.frame.copy()
    df.columns = [str(c) for c in df.columns]
    if task != "regression" and sample_id != "digits":
        names = list(bunch.target_names)
        df[TARGET] = [str(names[i]) for i in df[TARGET]]
    return df, TARGET


def describe() -> list[dict[str, Any]]:
    """List the samples: ``[{id, name, task, target, rows, columns}]``."""
    out = []
    for sample_id, (name, task, _) in _SAMPLES.items():
        df, target = load(sample_id)
        out.append(
            {
                "id": sample_id,
                "name": name,
                "task": task,
                "target": target,
                "rows": int(df.shape[0]),
                "columns": int(df.shape[1]),
            }
        )
    return out
