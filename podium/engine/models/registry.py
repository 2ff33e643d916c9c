"""The model registry: the catalogue's specs by (task kind, id), and the lookups the engine uses
(STYLE.md §11).

Specs only say what a model is and how to build it. Availability of optional libraries is
checked lazily (``is_available``), never by importing them at module import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.models import factories
from podium.engine.models.catalogue import SPECS
from podium.engine.models.spec import (
    DEFAULT_FIT_S,
    FIT_OVERHEAD_S,
    GROWTH,
    ModelSpec,
)

__all__ = [
    "DEFAULT_FIT_S",
    "FIT_OVERHEAD_S",
    "GROWTH",
    "REGISTRY",
    "ModelSpec",
    "default_split",
    "describe_models",
    "get",
    "index",
    "models_for",
    "preload_modules",
    "resolve",
    "task_kind",
]


def index(specs: Iterable[ModelSpec]) -> dict[tuple[str, str], ModelSpec]:
    """Specs by ``(kind, id)``, in catalogue order.

    Raises
    ------
    ValueError
        When two specs of one kind share an id.

    Examples
    --------
    >>> lr = get("binary", "lr")
    >>> index([lr, lr])
    Traceback (most recent call last):
    ...
    ValueError: duplicate model id 'lr' for classification in the model catalogue
    """
    out: dict[tuple[str, str], ModelSpec] = {}
    for spec in specs:
        key = (spec.kind, spec.id)
        if key in out:
            raise ValueError(
                f"duplicate model id {spec.id!r} for {spec.kind} in the model catalogue"
            )
        out[key] = spec
    return out


REGISTRY = index(SPECS)


# Models that convert X to float32 before fitting and predicting (scikit-learn's trees and
# forests, its gradient boosting, XGBoost): float32 folds give them the very values they fit
# on today, without their per-fit copy. Not LightGBM (it bins float64 values as given), nor
# the linear, kernel and neighbour models (float64 solvers: other scores on rounded data).
FLOAT32_MODELS = frozenset({"dt", "rf", "et", "gbc", "gbr", "xgboost"})


def takes_float32(model_id: str) -> bool:
    """True when ``model_id`` fits and predicts on float32 copies of X anyway."""
    return model_id in FLOAT32_MODELS


# What a fit allocates beside the fold it maps, as a multiple of its X_train's bytes: measured
# with one fit alone, plain scikit-learn / LightGBM, on a 1,000,000-row table's fold (560,000 ×
# 30 float64, 128 MiB; bench/RESULTS.md, "Each model alone on one fold"), rounded up. ridge
# centres a copy and solves on more; lda's SVD solver centres, scales and decomposes copies;
# nb's variances and LightGBM's bins are about one; dt converts to float32. The scheduler's
# memory admission adds up those of the fits in flight. A model not listed is taken to copy
# its X once (most scikit-learn fits validate or centre a copy).
FIT_COPIES: dict[str, float] = {
    "lr": 0.1, "nb": 1.0, "dt": 0.5, "ridge": 3.0, "lda": 4.5, "lightgbm": 0.75, "dummy": 0.0,
}  # fmt: skip
DEFAULT_FIT_COPIES = 1.0


def fit_copies(model_id: str) -> float:
    """How many copies of its X_train one fit of ``model_id`` allocates (:data:`FIT_COPIES`)."""
    return FIT_COPIES.get(model_id, DEFAULT_FIT_COPIES)


def fit_bytes(model_id: str, x_bytes: int) -> int:
    """Bytes one fit of ``model_id`` allocates on a fold whose X_train holds ``x_bytes``."""
    return int(fit_copies(model_id) * x_bytes)


# Models whose fit may take several threads (their ``n_jobs``) without changing the fitted model:
# scikit-learn's forests draw every tree's seed before the parallel loop, so the trees and the
# scores are the same with one thread or two (tests/engine/test_racing.py checks). Not the
# boosters: LightGBM's and XGBoost's multi-threaded histograms may sum in another order.
THREADED_MODELS = frozenset({"rf", "et"})


def takes_threads(model_id: str) -> bool:
    """True when ``model_id``'s fit gives the same model on several threads (its ``n_jobs``)."""
    return model_id in THREADED_MODELS


def preload_modules() -> list[str]:
    """Modules of the built-in models that a fresh worker imports before its first fit."""
    return factories.preload_modules(s.factory for s in REGISTRY.values())


def task_kind(task: str) -> str:
    """The model kind of ``task`` (its :class:`~podium.engine.tasks.TaskDef`'s ``model_kind``)."""
    return tasks.get(task).model_kind


def models_for(task: str) -> list[ModelSpec]:
    """Every registered spec usable for ``task``, in registry order."""
    kind = task_kind(task)
    return [s for (k, _), s in REGISTRY.items() if k == kind]


def describe_models(task: str) -> list[dict[str, Any]]:
    """``[{id, name, family, is_available, reason, turbo}]`` of ``task``'s models (the
    supervised tasks' ``models`` part)."""
    return [
        {
            "id": s.id,
            "name": s.name,
            "family": s.family,
            "is_available": s.is_available,
            "reason": s.reason,
            "turbo": s.turbo,
        }
        for s in models_for(task)
    ]


def get(task: str, model_id: str, *, require_available: bool = True) -> ModelSpec:
    """Look up a model by id for ``task``.

    Raises
    ------
    DataError
        Unknown id (listing the valid ones) or unavailable model (with the install fix).
    """
    spec = REGISTRY.get((task_kind(task), model_id))
    if spec is None:
        valid = ", ".join(s.id for s in models_for(task))
        raise DataError(f"unknown model id {model_id!r} for task {task!r}: use one of {valid}")
    if require_available and not spec.is_available:
        raise DataError(f"model {model_id!r} is unavailable: {spec.reason}")
    return spec


def default_split(
    specs: list[ModelSpec], rows: int, width: int, classes: int = 1
) -> tuple[list[ModelSpec], list[ModelSpec]]:
    """The default compare's models at this size, and those left out (costliest first).

    A model whose cost grows faster than the table is left out once one of its fits is
    expected to take more than :data:`DEFAULT_FIT_S`; naming it in ``models=`` runs it.
    """
    kept = [s for s in specs if s.in_default(rows, width, classes)]
    left = [s for s in specs if s not in kept]
    return kept, sorted(left, key=lambda s: -s.expected_s(rows, width, classes))


def resolve(task: str, ids: Iterable[str] | None) -> list[ModelSpec]:
    """Specs for ``ids`` (all available ones when None), unknown/unavailable ids refused."""
    if ids is None:
        return [s for s in models_for(task) if s.is_available]
    seen: list[ModelSpec] = []
    for mid in ids:
        spec = get(task, mid.strip())
        if spec not in seen:
            seen.append(spec)
    if not seen:
        raise DataError("no models to compare: give at least one model id")
    return seen
