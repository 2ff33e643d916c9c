"""How models are built: ``lazy(module, class, seed keyword, fixed keywords)`` → ``factory(seed)``.

The module is imported only when the model is built (fast start of worker processes, optional
libraries stay optional). Boosters are pinned to one thread per fit: the executor runs fits in
parallel. The catalogue (:mod:`podium.engine.models.catalogue`) gives each model its factory.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import Any

Factory = Callable[[int], Any]

LINEAR = "sklearn.linear_model"
ENSEMBLE = "sklearn.ensemble"
DISCRIMINANT = "sklearn.discriminant_analysis"
ONE_THREAD: dict[str, Any] = {"n_jobs": 1}
XGBOOST: dict[str, Any] = {"n_jobs": 1, "tree_method": "hist", "verbosity": 0}
LIGHTGBM: dict[str, Any] = {"n_jobs": 1, "verbose": -1}
CATBOOST: dict[str, Any] = {"thread_count": 1, "verbose": False, "allow_writing_files": False}


def lazy(module: str, name: str, *, seed_arg: str | None = "random_state", **fixed: Any) -> Factory:
    """A factory that imports ``module`` on first use and builds ``name(**fixed)`` with the seed
    passed as ``seed_arg`` (None: the estimator takes no seed)."""

    def make(seed: int) -> Any:
        cls = getattr(importlib.import_module(module), name)
        kwargs = dict(fixed)
        if seed_arg is not None:
            kwargs[seed_arg] = seed
        return cls(**kwargs)

    make.__qualname__ = f"make_{name}"
    make.module = module  # type: ignore[attr-defined]  # read by preload_modules()
    return make


# imported on first use only: optional, and heavier to import than the rest together
_NOT_PRELOADED = frozenset({"xgboost", "catboost"})


def preload_modules(factories: Iterable[Factory]) -> list[str]:
    """Modules of these factories that a fresh worker imports before its first fit."""
    mods = {getattr(f, "module", "") for f in factories}
    return sorted(m for m in mods if m and m not in _NOT_PRELOADED)
