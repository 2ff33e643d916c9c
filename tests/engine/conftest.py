"""Tiny, seeded tables for the engine tests (real processes, no mocks)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from podium.engine import ProcessExecutor


def make_table(task: str, n: int = 60, seed: int = 0) -> pd.DataFrame:
    """A small table with numeric, categorical and missing values and a learnable target."""
    rng = np.random.default_rng(seed)
    x1 = rng.normal(size=n)
    x2 = rng.normal(size=n)
    color = rng.choice(["red", "green", "blue"], size=n)
    df = pd.DataFrame({"x1": x1, "x2": x2, "color": color, "noise": rng.uniform(size=n)})
    signal = x1 + 0.5 * x2 + (color == "red") + rng.normal(scale=0.7, size=n)
    if task == "binary":
        df["y"] = np.where(signal > np.median(signal), "yes", "no")
    elif task == "multiclass":
        df["y"] = pd.qcut(signal, 3, labels=["low", "mid", "high"]).astype(str)
    else:
        df["y"] = 10 + 3 * signal
    df.loc[[2, 7], "x2"] = np.nan
    df.loc[[4], "color"] = None
    return df


@pytest.fixture(params=["binary", "multiclass", "regression"])
def task(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def executor() -> ProcessExecutor:
    return ProcessExecutor(n_jobs=2)
