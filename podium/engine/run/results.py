"""What a run takes and gives: the one home of the result types and of the experiment's
interface the runner reads (so the runner never imports :mod:`podium.engine.experiment`)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from podium.engine.records import Leaderboard
from podium.engine.run.fits import FoldArrays
from podium.engine.run.predictions import ModelPredictions


@dataclass(frozen=True)
class CompareResult:
    """What ``compare`` returns: the leaderboard, the best model ids and each finished model's
    out-of-fold and holdout predictions (:class:`ModelPredictions`, by model id)."""

    leaderboard: Leaderboard
    best: list[str]
    sort: str
    predictions: dict[str, ModelPredictions] = field(default_factory=dict)


@dataclass(frozen=True)
class CreateResult:
    """What ``create`` returns: per-fold leaderboard (then Mean, Std), holdout scores, and the
    model's out-of-fold and holdout predictions."""

    model_id: str
    leaderboard: Leaderboard
    holdout: dict[str, float | None] | None
    predictions: ModelPredictions | None = None


class Prepared(Protocol):
    """What compare and create read from a prepared experiment
    (:class:`podium.engine.experiment.Experiment` is one)."""

    @property
    def task(self) -> str: ...

    @property
    def folds(self) -> int: ...

    @property
    def seed(self) -> int: ...

    @property
    def n_classes(self) -> int: ...

    @property
    def settings(self) -> dict[str, Any]: ...

    @property
    def default_sort(self) -> str: ...

    @property
    def has_holdout(self) -> bool: ...

    @property
    def classes(self) -> list[Any]: ...

    def validation_rows(self) -> dict[int, np.ndarray[Any, Any]]: ...

    def fit_size(self) -> tuple[int, int, int]: ...

    def fold_data(
        self, include_holdout: bool = False, dtype: str = "float64"
    ) -> dict[int, FoldArrays]: ...

    def frame_aside(self) -> AbstractContextManager[None]: ...
