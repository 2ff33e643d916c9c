"""The benchmark tables, written once as CSV under bench/.data so every side reads the same bytes.

- ``iris``, ``wine``, ``breast_cancer`` (class names as the target), ``diabetes`` (regression):
  scikit-learn's bundled datasets, no download.
- ``mixed``: 5,000 rows, numeric + categorical columns with missing values (seeded), binary target.
- ``synth10k`` / ``synth50k`` / ``synth100k`` / ``synth200k`` / ``synth1m``:
  ``make_classification`` (20 numeric features) plus two categorical columns and 2 % missing
  values, binary target (seeded); ``synth200k`` has ``synth1m``'s models, to iterate on memory.
- ``digits``: scikit-learn's 8×8 digits (1,797 rows × 64 columns, 10 classes), no download.
- ``wide_reg``: 2,000 rows, 20 numbers and 14 categorical columns of 20 values (~300 encoded
  columns), regression (seeded) — the shape on which the default compare once stalled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn import datasets

from bench.common import DATA

SEED = 42
TARGET = "target"

# the same ids on both sides: PyCaret's ids are Podium's ids (PyCaret's turbo list without the
# boosters its plain install lacks: xgboost, catboost)
CLASSIFICATION_MODELS = [
    "lr", "knn", "nb", "dt", "svm", "ridge", "rf", "qda", "ada", "gbc", "lda", "et", "lightgbm",
    "dummy",
]  # fmt: skip
REGRESSION_MODELS = [
    "lr", "lasso", "ridge", "en", "lar", "llar", "omp", "br", "par", "huber", "knn", "dt", "rf",
    "et", "ada", "gbr", "lightgbm", "dummy",
]  # fmt: skip
# large tables: the kernels that finish in minutes at 100k rows on 2 cores
LARGE_MODELS = ["lr", "nb", "dt", "ridge", "lda", "ada", "rf", "et", "lightgbm", "dummy"]
HUGE_MODELS = ["lr", "nb", "dt", "ridge", "lda", "lightgbm", "dummy"]


@dataclass(frozen=True)
class Dataset:
    """One benchmark table on disk."""

    name: str
    path: Path
    task: str  # binary | multiclass | regression
    rows: int
    models: list[str]

    @property
    def sort(self) -> str:
        """The metric both sides sort by (PyCaret's defaults)."""
        return "R2" if self.task == "regression" else "Accuracy"


SMALL = ["iris", "breast_cancer", "wine", "diabetes", "mixed"]
# the default-compare suite: the real tables scikit-learn ships (150-1,797 rows, 4-64 columns),
# then two seeded ones for the shapes the cost rule is about (5,000 mixed rows; ~300 columns)
DEFAULTS = ["iris", "wine", "diabetes", "breast_cancer", "digits", "mixed", "wide_reg"]


def _sklearn(name: str) -> pd.DataFrame:
    loader = getattr(datasets, f"load_{name}")
    bunch = loader(as_frame=True)
    df = bunch.frame.copy()
    df.columns = [str(c) for c in df.columns]
    if name != "diabetes":
        names = list(bunch.target_names)
        df[TARGET] = [str(names[i]) for i in df[TARGET]]
    return df


def _mixed(rows: int = 5000) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    age = rng.integers(18, 80, rows).astype(float)
    income = rng.lognormal(10.5, 0.6, rows)
    tenure = rng.integers(0, 120, rows).astype(float)
    city = rng.choice(["paris", "lyon", "nice", "lille", "nantes", "brest"], rows)
    plan = rng.choice(["basic", "plus", "pro"], rows, p=[0.6, 0.3, 0.1])
    channel = rng.choice(["web", "shop", "phone", "partner"], rows)
    logit = (
        -0.03 * (age - 45)
        + 0.8 * (plan == "pro")
        - 0.5 * (plan == "basic")
        - 0.015 * tenure
        + 0.4 * np.isin(city, ["paris", "lyon"])
        + rng.normal(0, 1, rows)
    )
    df = pd.DataFrame(
        {
            "age": age,
            "income": income.round(2),
            "tenure_months": tenure,
            "city": city,
            "plan": plan,
            "channel": channel,
            TARGET: np.where(logit > 0, "churn", "stay"),
        }
    )
    for col, share in [("age", 0.05), ("income", 0.1), ("city", 0.08), ("channel", 0.03)]:
        df.loc[rng.random(rows) < share, col] = np.nan
    return df


def _wide_regression(rows: int = 2000) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    x = rng.normal(size=(rows, 20))
    df = pd.DataFrame(x.round(5), columns=[f"x{i:02d}" for i in range(20)])
    effect = np.zeros(rows)
    for j in range(14):
        codes = rng.integers(0, 20, rows)
        df[f"c{j:02d}"] = [f"v{c}" for c in codes]
        effect += rng.normal(size=20)[codes] * (j < 5)
    df[TARGET] = (3 * x[:, 0] - 2 * x[:, 1] * x[:, 2] + effect + rng.normal(size=rows)).round(4)
    return df


def synthetic(rows: int, seed: int = SEED) -> pd.DataFrame:
    """``rows`` rows of the synthetic classification table (also used to score batches)."""
    x, y = datasets.make_classification(
        n_samples=rows,
        n_features=20,
        n_informative=10,
        n_redundant=4,
        class_sep=0.8,
        flip_y=0.03,
        random_state=seed,
    )
    df = pd.DataFrame(x.round(5), columns=[f"f{i:02d}" for i in range(20)])
    rng = np.random.default_rng(seed)
    df["region"] = np.where(x[:, 0] > 0, "north", rng.choice(["south", "east", "west"], rows))
    df["segment"] = rng.choice(["a", "b", "c", "d", "e"], rows)
    for col in ["f03", "f07", "region"]:
        df.loc[rng.random(rows) < 0.02, col] = np.nan
    df[TARGET] = np.where(y == 1, "yes", "no")
    return df


_SPECS: dict[str, tuple[str, list[str], Callable[[], pd.DataFrame]]] = {
    "iris": ("multiclass", CLASSIFICATION_MODELS, lambda: _sklearn("iris")),
    "breast_cancer": ("binary", CLASSIFICATION_MODELS, lambda: _sklearn("breast_cancer")),
    "wine": ("multiclass", CLASSIFICATION_MODELS, lambda: _sklearn("wine")),
    "diabetes": ("regression", REGRESSION_MODELS, lambda: _sklearn("diabetes")),
    "mixed": ("binary", CLASSIFICATION_MODELS, _mixed),
    "digits": ("multiclass", CLASSIFICATION_MODELS, lambda: _sklearn("digits")),
    "wide_reg": ("regression", REGRESSION_MODELS, _wide_regression),
    "synth10k": ("binary", CLASSIFICATION_MODELS, lambda: synthetic(10_000)),
    "synth50k": ("binary", LARGE_MODELS, lambda: synthetic(50_000)),
    "synth100k": ("binary", LARGE_MODELS, lambda: synthetic(100_000)),
    "synth200k": ("binary", HUGE_MODELS, lambda: synthetic(200_000)),  # synth1m's shape
    "synth1m": ("binary", HUGE_MODELS, lambda: synthetic(1_000_000)),
}


def load(name: str) -> Dataset:
    """Write (once) and describe the dataset ``name``."""
    if name not in _SPECS:
        raise ValueError(f"unknown dataset {name!r}: use one of {', '.join(_SPECS)}")
    task, models, build = _SPECS[name]
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{name}.csv"
    if not path.exists():
        df = build()
        tmp = path.with_suffix(".tmp")
        df.to_csv(tmp, index=False)
        tmp.rename(path)
    with path.open() as handle:
        rows = sum(1 for _ in handle) - 1
    return Dataset(name=name, path=path, task=task, rows=rows, models=list(models))
