"""The engine gives the C heap's freed pages back after large transient work (heap.py):
after setup, after preprocessing large folds, after a fit on a large fold in a worker."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from podium.engine import experiment as experiment_module
from podium.engine import setup
from podium.engine.run import executors, fits, heap
from podium.engine.run.fits import FitTask, run_fit
from podium.engine.setup_experiment import _frame
from tests.engine.conftest import make_table

_FRAGMENTED = """
import numpy as np, psutil
from podium.engine.run import heap
# 4 MB blocks from the heap, as after glibc's threshold grew: set here, since the dynamic
# growth is off whenever a MALLOC_*_ variable or an earlier mallopt fixed a parameter
heap._libc().mallopt(-3, 32 * 2**20)  # M_MMAP_THRESHOLD
blocks, kept = [], []
for _ in range(60):  # 60 x 4 MB from the heap now, each below a small block that stays
    blocks.append(np.ones(2**20 // 8 * 4))
    kept.append(np.ones(600))
del blocks
before = psutil.Process().memory_info().rss
heap.release()
print(before - psutil.Process().memory_info().rss)
"""


@pytest.mark.skipif(heap._libc() is None, reason="no malloc_trim (not glibc)")
def test_release_gives_freed_heap_pages_back() -> None:
    # a fresh interpreter: this one's heap holds whatever earlier tests left
    done = subprocess.run(
        [sys.executable, "-c", _FRAGMENTED], capture_output=True, text=True, check=True
    )
    assert int(done.stdout) > 100 * 2**20


@pytest.fixture
def releases(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(heap, "release", lambda: calls.append(1) or True)
    monkeypatch.setattr(executors, "_prestart", {"enabled": False})
    return calls


def test_setup_and_large_folds_release_the_heap(
    releases: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    assert len(releases) == 1
    exp.fold_data()
    assert len(releases) == 1  # small folds stay in memory: nothing large was freed
    monkeypatch.setattr(experiment_module, "SPILL_BYTES", 0)
    large = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    large.fold_data()
    large.fold_data()  # cached: nothing new computed
    assert len(releases) == 3


def test_a_fit_on_a_large_fold_releases_the_heap(
    releases: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    arrays = exp.fold_data()[0]
    task = FitTask("dt", exp.task, 0, exp.seed, exp.n_classes)
    releases.clear()
    run_fit(task, arrays)
    assert releases == []
    monkeypatch.setattr(heap, "WORTH_BYTES", 0)
    assert run_fit(task, arrays).scores is not None
    assert releases == [1]
    assert fits.heap is heap


@pytest.mark.skipif(int(pd.__version__.split(".")[0]) < 3, reason="copy-on-write: pandas 3")
def test_setup_copies_the_callers_frame_lazily() -> None:
    df = pd.DataFrame({"a": np.arange(5.0), "b": list("abcde")})
    mine = _frame(df)
    assert np.shares_memory(mine["a"].to_numpy(), df["a"].to_numpy())
    mine.loc[0, "a"] = 99.0  # a write copies: the caller's frame never changes
    assert df.loc[0, "a"] == 0.0


def test_setup_keeps_the_callers_float_columns_instead_of_a_copy() -> None:
    """A float64 number column without infinities is prepared as itself: setup's frame holds
    the caller's column (shared, copy-on-write), not a copy; the frame equals the one
    ``prepare_input`` builds, column for column."""
    from podium.engine.prepare.preprocessing import normalize_frame
    from podium.engine.prepare.schema import infer_schema
    from podium.engine.standalone import prepare_input

    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "count": rng.integers(0, 9, n),
            "inf": np.where(rng.random(n) < 0.1, np.inf, rng.normal(size=n)),
            "city": rng.choice(["paris", "lyon", None], n),
            "gap": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
        }
    )
    df["y"] = rng.choice(["a", "b"], n)
    schema = infer_schema(df, "y")
    features = [c for c in schema if c.get("role", "feature") == "feature"]
    X = normalize_frame(df, schema)
    pd.testing.assert_frame_equal(X, prepare_input(df, features, errors="coerce"))
    for name in ("x", "gap"):
        assert np.shares_memory(X[name].to_numpy(), df[name].to_numpy())
    for name in ("count", "inf"):  # converted or coerced: its own column
        assert not np.shares_memory(X[name].to_numpy(), df[name].to_numpy())
    X.loc[0, "x"] = 99.0
    assert df.loc[0, "x"] != 99.0
