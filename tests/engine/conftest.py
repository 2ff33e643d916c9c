"""Tiny, seeded tables for the engine tests (real processes, no mocks)."""

from __future__ import annotations

from typing import Any

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


def make_nonlinear(n: int, seed: int) -> pd.DataFrame:
    """A binary table whose signal is not linear (3 clusters a class, 5 % flipped labels)."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n, n_features=8, n_informative=5, n_clusters_per_class=3, flip_y=0.05,
        random_state=seed,
    )  # fmt: skip
    df = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    df["y"] = np.where(y == 1, "yes", "no")
    return df


def complete_rows_differ(raced: Any, full: Any) -> list[str]:
    """The complete (not partial) rows of a raced compare whose scores differ from the full
    compare's row of the same model (fit times aside)."""
    theirs = {r["model_id"]: r for r in full.leaderboard["rows"]}
    differ = []
    for row in raced.leaderboard["rows"]:
        if row.get("partial"):
            continue
        other = theirs[row["model_id"]]
        if {k: v for k, v in row.items() if k != "TT (Sec)"} != {
            k: v for k, v in other.items() if k != "TT (Sec)"
        }:
            differ.append(row["model_id"])
    return differ


WINNER_GAP = 0.002  # the tolerance on the winner's CV score
# A per-model time limit no fit here reaches, for tests that compare the outcomes of compares
# rather than the limit: the derived one (scheduler, >= 30 s of a model's wall time) is wall
# time, and on a machine loaded 15-30x over its cores a starved fit outran it (a cold Dask
# worker's first fit; rf in a race=False compare), its row then an error or partial row.
NO_LIMIT_S = 3600.0


def assert_same_winner(raced: Any, full: Any, case: str = "") -> None:
    """A raced (screened, halved) compare's winner ran every fold and scores, in the full
    compare, within ``WINNER_GAP`` of the full compare's winner, which ran every fold too."""
    rows = {r["model_id"]: r for r in raced.leaderboard["rows"]}
    score = {r["model_id"]: r[full.sort] for r in full.leaderboard["rows"]}
    assert not rows[raced.best[0]].get("partial"), case
    assert abs(score[raced.best[0]] - score[full.best[0]]) <= WINNER_GAP, case
    assert not rows[full.best[0]].get("partial"), case


@pytest.fixture(params=["binary", "multiclass", "regression"])
def task(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def executor() -> ProcessExecutor:
    return ProcessExecutor(n_jobs=2)
