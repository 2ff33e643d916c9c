"""What the improving methods return."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podium.engine.records import Leaderboard, ModelRecipe
from podium.engine.run.predictions import ModelPredictions


@dataclass(frozen=True)
class Trial:
    """One trial of a study: its parameters (on top of the model's), its mean CV score by the
    sort metric over the folds it ran (``folds``), and how it ended.

    ``state`` is ``complete``, ``pruned`` (stopped after its first folds: it could not catch
    the others) or ``failed`` (``error`` says why). Trial 0 is the model as given.
    """

    model_id: str
    number: int
    params: dict[str, Any]
    score: float | None
    state: str
    folds: int
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (the ``trials`` table of a run)."""
        return {
            "model_id": self.model_id,
            "trial": self.number,
            "params": dict(self.params),
            "score": self.score,
            "state": self.state,
            "folds": self.folds,
            "error": self.error,
        }


@dataclass(frozen=True)
class ImproveResult:
    """What ``tune``, ``ensemble``, ``blend``, ``stack`` and ``auto`` return.

    Attributes
    ----------
    model : ModelRecipe
        The resulting model (pass it to ``finalize``, ``tune``, ``blend`` ...).
    leaderboard : Leaderboard
        Compare-shaped rows: the new model and what it was made from, on the same folds.
    folds : Leaderboard
        The new model's per-fold table (Fold, metrics; Mean and Std).
    holdout : dict or None
        The new model's scores on the holdout split (None without one).
    sort : str
        The metric it was ranked by.
    models : dict
        Every model of the leaderboard by id, as recipes.
    trials : list of Trial
        Every trial (tune and auto), in the order they ended.
    predictions : dict
        Out-of-fold (and holdout) predictions of the leaderboard's models, by id.
    """

    model: ModelRecipe
    leaderboard: Leaderboard
    folds: Leaderboard
    holdout: dict[str, float | None] | None
    sort: str
    models: dict[str, ModelRecipe]
    trials: list[Trial] = field(default_factory=list)
    predictions: dict[str, ModelPredictions] = field(default_factory=dict)

    @property
    def model_id(self) -> str:
        """The new model's leaderboard id."""
        return self.model["id"]

    @property
    def cv(self) -> dict[str, Any]:
        """The new model's mean CV scores (the ``Mean`` row of :attr:`folds`)."""
        row = next((r for r in self.folds["rows"] if r.get("Fold") == "Mean"), {})
        return {k: v for k, v in row.items() if k != "Fold"}

    def to_json(self) -> dict[str, Any]:
        """What a run stores as its result (JSON)."""
        return {
            "model_id": self.model_id,
            "best": [self.model_id],
            "models": dict(self.models),
            "folds": self.folds,
            "sort": self.sort,
            "trials": [t.to_dict() for t in self.trials],
        }
