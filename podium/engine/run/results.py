"""What a run takes and gives: the one home of the result types and of the experiment's
interface the runner reads (so the runner never imports :mod:`podium.engine.experiment`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from podium.engine.records import Leaderboard
from podium.engine.run.fits import FoldArrays


@dataclass(frozen=True)
class CompareResult:
    """What ``compare`` returns: the leaderboard and the best model ids."""

    leaderboard: Leaderboard
    best: list[str]
    sort: str


@dataclass(frozen=True)
class CreateResult:
    """What ``create`` returns: per-fold leaderboard (then Mean, Std) and holdout scores."""

    model_id: str
    leaderboard: Leaderboard
    holdout: dict[str, float | None] | None


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

    def fit_size(self) -> tuple[int, int, int]: ...

    def fold_data(self, include_holdout: bool = False) -> dict[int, FoldArrays]: ...
