"""Splits: a seeded holdout, then shuffled (stratified) K-fold on the training part."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

Array = np.ndarray[Any, Any]


def holdout_split(
    n_rows: int, y: Array, task: str, train_size: float, seed: int, stratify: bool = True
) -> tuple[Array, Array]:
    """Row indices ``(train, holdout)``; stratified for classification."""
    idx = np.arange(n_rows)
    if train_size >= 1.0:
        return idx, np.empty(0, dtype=int)
    strat = y if task != "regression" and stratify else None
    train, hold = train_test_split(idx, train_size=train_size, random_state=seed, stratify=strat)
    return np.sort(train), np.sort(hold)


def fold_indices(
    y: Array, task: str, folds: int, seed: int, stratify: bool = True
) -> list[tuple[Array, Array]]:
    """``folds`` pairs of (train, validation) positions into ``y``, shuffled with ``seed``."""
    if task != "regression" and stratify:
        splitter: Any = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        return [(tr, va) for tr, va in splitter.split(np.zeros(len(y)), y)]
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(tr, va) for tr, va in splitter.split(np.zeros(len(y)))]
