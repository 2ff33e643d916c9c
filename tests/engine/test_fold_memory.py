"""Large folds live on disk, memory-mapped: the process keeps no copy, executors link the
files, scores do not change, and the folder goes with the experiment."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from podium.engine import ProcessExecutor, setup
from podium.engine import experiment as experiment_module
from tests.engine.conftest import make_table


def _board(res: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "TT (Sec)"} for r in res.leaderboard["rows"]]


@pytest.fixture
def spill_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(experiment_module, "SPILL_BYTES", 0)


def test_small_folds_stay_in_memory() -> None:
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    arrays = exp.fold_data()[0]
    assert not isinstance(arrays.X_train, np.memmap)
    assert arrays.source is None


@pytest.mark.usefixtures("spill_everything")
def test_large_folds_are_memory_mapped_with_the_same_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    df = make_table("multiclass", n=150)
    spilled = setup(df, "y", folds=3, seed=0)
    mapped = spilled.fold_data(include_holdout=True)
    monkeypatch.setattr(experiment_module, "SPILL_BYTES", 2**62)
    kept = setup(df, "y", folds=3, seed=0).fold_data(include_holdout=True)
    assert set(mapped) == set(kept)
    for fold, arrays in mapped.items():
        assert isinstance(arrays.X_train, np.memmap)
        assert not arrays.X_train.flags.writeable
        for part in ("X_train", "y_train", "X_valid", "y_valid"):
            np.testing.assert_array_equal(getattr(arrays, part), getattr(kept[fold], part))


@pytest.mark.usefixtures("spill_everything")
def test_the_executor_links_the_files_and_scores_do_not_change(
    monkeypatch: pytest.MonkeyPatch, executor: ProcessExecutor
) -> None:
    df = make_table("binary", n=200, seed=3)
    exp = setup(df, "y", folds=4, seed=1)
    data = exp.fold_data()
    local = ProcessExecutor(n_jobs=1)
    local.open(data)
    try:
        for fold, arrays in data.items():
            assert arrays.source is not None
            linked = local._files[fold].path("X_train")
            assert linked.stat().st_ino == arrays.source.path("X_train").stat().st_ino
    finally:
        local.close()
    spilled = exp.compare(models=["lr", "dt", "nb", "dummy"], executor=executor)
    monkeypatch.setattr(experiment_module, "SPILL_BYTES", 2**62)
    exp2 = setup(df, "y", folds=4, seed=1)
    kept = exp2.compare(models=["lr", "dt", "nb", "dummy"], executor=executor)
    assert _board(spilled) == _board(kept)


@pytest.mark.usefixtures("spill_everything")
def test_the_folder_goes_with_the_experiment() -> None:
    exp = setup(make_table("binary", n=120), "y", folds=3, seed=0)
    source = exp.fold_data()[0].source
    assert source is not None
    folder = Path(source.directory)
    assert folder.is_dir()
    del exp, source
    gc.collect()
    assert not folder.exists()


@pytest.mark.usefixtures("spill_everything")
def test_the_table_waits_on_disk_while_the_fits_run(
    monkeypatch: pytest.MonkeyPatch, executor: ProcessExecutor
) -> None:
    df = make_table("binary", n=200, seed=3)
    exp = setup(df, "y", folds=4, seed=1)
    before = exp._d.X.copy()
    seen: list[bool] = []

    def on_event(event: Any) -> None:
        if event.kind == "model.fitted":
            seen.append(hasattr(exp._d, "X"))

    aside = exp.compare(models=["lr", "dt"], executor=executor, on_event=on_event)
    assert seen
    assert not any(seen)  # the parent held no frame while fits ran
    pd.testing.assert_frame_equal(exp._d.X, before)  # back, the same, for finalize
    assert exp.finalize("dt") is not None
    monkeypatch.setattr(experiment_module, "SPILL_BYTES", 2**62)
    kept = setup(df, "y", folds=4, seed=1).compare(models=["lr", "dt"], executor=executor)
    assert _board(aside) == _board(kept)


@pytest.mark.parametrize("spill", [False, True])
def test_float32_folds_when_every_model_converts_to_float32(
    monkeypatch: pytest.MonkeyPatch, executor: ProcessExecutor, spill: bool
) -> None:
    """dt and rf fit float32 copies of X anyway: their compare maps float32 folds (half the
    bytes) with the same leaderboard; a run with lr keeps float64."""
    from podium.engine.models import registry

    if spill:
        monkeypatch.setattr(experiment_module, "SPILL_BYTES", 0)
    df = make_table("multiclass", n=240, seed=5)
    exp = setup(df, "y", folds=3, seed=2)
    narrow = exp.compare(models=["dt", "rf"], executor=executor)
    assert exp._d.cache32
    assert {a.X_train.dtype for a in exp._d.cache32.values()} == {np.dtype("float32")}
    assert isinstance(exp._d.cache32[0].X_train, np.memmap) is spill
    assert not exp._d.cache  # no float64 fold was made for this run
    wide = setup(df, "y", folds=3, seed=2)
    wide.compare(models=["dt", "lr"], executor=executor)
    assert not wide._d.cache32
    monkeypatch.setattr(registry, "FLOAT32_MODELS", frozenset())
    as64 = setup(df, "y", folds=3, seed=2).compare(models=["dt", "rf"], executor=executor)
    assert _board(narrow) == _board(as64)
