"""The models a search trained, their fold scores and the compare-shaped leaderboard of them;
and :class:`CrossValidate`, the source that cross-validates a list of recipes."""

from __future__ import annotations

from collections import deque
from dataclasses import replace
from typing import Any

from podium.engine.events import Emitter
from podium.engine.models import recipes
from podium.engine.records import Leaderboard, ModelRecipe
from podium.engine.run import scheduler
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask
from podium.engine.run.leaderboard import ModelOutcome, compare_table, create_table, round4
from podium.engine.run.metrics import Scorer
from podium.engine.run.predictions import FoldPrediction, ModelPredictions, assemble
from podium.engine.run.results import Prepared


class Board:
    """Every model of one search: its recipe, fold scores, holdout scores."""

    def __init__(self, exp: Prepared, sort: Scorer) -> None:
        self.exp, self.sort = exp, sort
        self.recipes: dict[str, ModelRecipe] = {}
        self.outcomes: dict[str, ModelOutcome] = {}
        self.holdout: dict[str, dict[str, float | None]] = {}
        self.predicted: dict[str, dict[int, FoldPrediction]] = {}
        self.params: dict[str, dict[str, Any]] = {}
        self.truth: dict[int, Any] = {}  # each fold's validation target (set when opened)
        self.copies: dict[str, str] = {}  # id → the id whose fits it shows (see copy)
        self.x_train: dict[int, tuple[int, int]] = {}  # each fold's X_train bytes, rows (opened)

    def add(self, recipe: ModelRecipe) -> ModelOutcome:
        """Register a model (a fresh outcome; an id added again starts over)."""
        self.recipes[recipe["id"]] = recipe
        self.outcomes[recipe["id"]] = ModelOutcome(recipe["id"], recipe["name"])
        self.predicted.pop(recipe["id"], None)
        return self.outcomes[recipe["id"]]

    def copy(self, source_id: str, recipe: ModelRecipe) -> str:
        """Register ``recipe`` with the fits of ``source_id`` (a trial shown as the tuned
        model); returns its id."""
        source = self.outcomes[source_id]
        outcome = self.add(recipe)
        outcome.fold_scores = dict(source.fold_scores)
        outcome.durations_ms = dict(source.durations_ms)
        outcome.holdout = source.holdout
        self.predicted[recipe["id"]] = dict(self.predicted.get(source_id, {}))
        if source_id in self.params:
            self.params[recipe["id"]] = self.params[source_id]
        self.copies[recipe["id"]] = source_id
        return recipe["id"]

    def predictions(self, ids: list[str]) -> dict[str, ModelPredictions]:
        """The out-of-fold (and holdout) predictions of the models among ``ids`` that did not
        fail: a model the race stopped keeps those of the folds it ran (its plots draw from
        them)."""
        out = {}
        rows = self.exp.validation_rows()
        for model_id in ids:
            predicted = self.predicted.get(model_id, {})
            outcome = self.outcomes[model_id]
            folds = [f for f in predicted if f != HOLDOUT]
            if outcome.error or not folds or not self.truth:
                continue
            out[model_id] = assemble(
                model_id=model_id,
                name=outcome.name,
                task=self.exp.task,
                classes=[str(c) for c in self.exp.classes],
                predicted=predicted,
                rows=rows,
                truth=self.truth,
                params=self.params.get(model_id, {}),
                fold_scores=dict(outcome.fold_scores),
                holdout_scores=outcome.holdout,
            )
        return out

    def complete(self, model_id: str) -> bool:
        """Every fold scored (or failed)."""
        o = self.outcomes[model_id]
        return o.error is not None or len(o.fold_scores) == self.exp.folds

    def score(self, model_id: str) -> float | None:
        """Mean CV score by the sort metric (None while unscored or failed)."""
        o = self.outcomes[model_id]
        return None if o.error else o.mean(self.sort.id)

    def table(self, ids: list[str] | None = None) -> Leaderboard:
        """Compare-shaped table of ``ids`` (every finished model by default), best first."""
        chosen = ids if ids is not None else [m for m in self.outcomes if self.complete(m)]
        return compare_table(self.exp.task, [self.outcomes[m] for m in chosen], self.sort)

    def folds(self, model_id: str) -> Leaderboard:
        """The per-fold table of one model (Fold, metrics; then Mean and Std)."""
        return create_table(self.exp.task, self.outcomes[model_id])

    def best(self, ids: list[str] | None = None) -> str | None:
        """The best complete model by the sort metric."""
        scored = [
            (self.sort.sort_key(s), m)
            for m in (ids if ids is not None else list(self.outcomes))
            if self.complete(m) and (s := self.score(m)) is not None
        ]
        return max(scored)[1] if scored else None

    def task_of(self, recipe: ModelRecipe, fold: int) -> FitTask:
        """The fit of ``recipe`` on ``fold`` (``HOLDOUT``: the whole training part), with the
        memory it will allocate on that fold's X_train (memory admission; 0 before opened)."""
        exp = self.exp
        cost = recipes.cost(exp.task, recipe, exp.fit_size())
        task = FitTask(recipe["id"], exp.task, fold, exp.seed, exp.n_classes, cost, recipe=recipe)
        if fold not in self.x_train:
            return task
        return replace(task, memory=scheduler.fit_memory(task, *self.x_train[fold]))

    def record(self, task: FitTask, result: FitResult) -> None:
        """Keep a fit's scores (or its error) on its model's outcome."""
        outcome = self.outcomes.get(task.model_id)
        if outcome is None:
            return
        if result.error is not None:
            outcome.error = outcome.error or result.error
            return
        if result.prediction is not None:
            self.predicted.setdefault(task.model_id, {})[task.fold] = result.prediction
        if result.params is not None:
            self.params.setdefault(task.model_id, result.params)
        if result.scores is not None and task.fold == HOLDOUT:
            outcome.holdout = {k: round4(v) for k, v in result.scores.items()}
            self.holdout[task.model_id] = outcome.holdout
        elif result.scores is not None:
            outcome.fold_scores[task.fold] = result.scores
            outcome.durations_ms[task.fold] = result.duration_ms


class CrossValidate:
    """A :class:`~podium.engine.search.loop.Source` fitting every fold (and the holdout, when
    ``holdout``) of each recipe, with compare's per-model events."""

    def __init__(
        self, board: Board, items: list[ModelRecipe], emit: Emitter, *, holdout: bool
    ) -> None:
        self.board, self.emit = board, emit
        folds = list(range(board.exp.folds)) + ([HOLDOUT] if holdout else [])
        self.pending: deque[FitTask] = deque()
        for recipe in items:
            board.add(recipe)
            self.pending.extend(board.task_of(recipe, f) for f in folds)
        self.expect = {r["id"]: len(folds) for r in items}
        self.started: set[str] = set()

    def next_task(self) -> FitTask | None:
        while self.pending:
            task = self.pending.popleft()
            if self.board.outcomes[task.model_id].error is not None:
                continue  # a failed model's other folds are not worth fitting
            if task.model_id not in self.started:
                self.started.add(task.model_id)
                name = self.board.recipes[task.model_id]["name"]
                self.emit("model.started", {"model_id": task.model_id, "name": name})
            return task
        return None

    def on_result(self, task: FitTask, result: FitResult) -> None:
        board, model_id = self.board, task.model_id
        failed_before = board.outcomes[model_id].error is not None
        board.record(task, result)
        outcome = board.outcomes[model_id]
        self.expect[model_id] -= 1
        base: dict[str, Any] = {"model_id": model_id, "name": outcome.name}
        if outcome.error is not None:
            if not failed_before:
                self.emit("model.failed", {**base, "error": outcome.error})
                self.emit("leaderboard.updated", {"leaderboard": board.table()})
            return
        if task.fold != HOLDOUT and result.scores is not None:
            scores = {k: round4(v) for k, v in result.scores.items()}
            self.emit(
                "model.fitted",
                {**base, "fold": task.fold, "scores": scores},
                duration_ms=result.duration_ms,
            )
        if self.expect[model_id] == 0:
            self.emit("leaderboard.updated", {"leaderboard": board.table()})
