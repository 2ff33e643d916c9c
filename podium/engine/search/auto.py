"""``auto``: the best model within a time budget — race the zoo, tune the leaders, then greedy
ensemble selection (Caruana et al., 2004) over the out-of-fold predictions of everything it
trained.

Race (until ``RACE_SHARE`` of the budget): every default model's folds run fold by fold (all
first folds first). After each fold, a model with at least two folds is stopped when the leader
beats it on the folds both ran by more than two standard errors of their per-fold differences
(a paired test on the same rows: mean(d) − 2·sd(d)/√k > 0, d = leader − model); it keeps a
partial row (the mean of the folds it ran). Tune (until ``TUNE_SHARE``): the ``LEADERS`` best
complete models with a search space, one study each, sharing the time. Ensemble: greedy forward
selection with replacement over the complete models and trials (the best ``LIBRARY`` by CV),
``ROUNDS`` rounds, the best prefix kept; members' weights are how often they were picked. Its
CV scores come from the members' out-of-fold predictions (the rows each fold model did not
see); its holdout scores from the members fitted on the training part — the same numbers the
blend recipe it becomes (soft voting with those weights) gives.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np

from podium.engine.errors import Cancelled, DataError
from podium.engine.events import Emitter, OnEvent, ShouldStop
from podium.engine.models import recipes, registry
from podium.engine.records import ModelRecipe
from podium.engine.run.executors import Executor
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask
from podium.engine.run.metrics import score_predictions, scorer
from podium.engine.run.predictions import FoldPrediction
from podium.engine.run.results import Prepared
from podium.engine.search.board import Board, CrossValidate
from podium.engine.search.loop import drive, opened
from podium.engine.search.results import ImproveResult, Trial
from podium.engine.search.tune import Study, tuned_recipe

RACE_SHARE, TUNE_SHARE = 0.45, 0.85
LEADERS, LIBRARY, ROUNDS = 2, 20, 25
ENSEMBLE_ID = "auto_ensemble"
Array = np.ndarray[Any, Any]


class Race(CrossValidate):
    """Fold-major cross-validation that stops the models that cannot catch the leader."""

    def __init__(self, board: Board, items: list[ModelRecipe], emit: Emitter, until: float) -> None:
        super().__init__(board, items, emit, holdout=False)
        # the cheapest real model's folds first (a complete row soon), then fold by fold,
        # cheapest first within a fold
        real = [
            t for t in self.pending if registry.get(board.exp.task, t.model_id).family != "baseline"
        ] or list(self.pending)
        first = min(real, key=lambda t: t.cost).model_id
        self.pending = type(self.pending)(
            sorted(self.pending, key=lambda t: (t.model_id != first, t.fold, t.cost))
        )
        self.stopped: list[str] = []
        self.until = until

    def next_task(self) -> FitTask | None:
        """Nothing new past the race's share of the budget once a model is complete (the fits
        in flight end; without any complete model the race goes on to the hard deadline)."""
        b = self.board
        if time.monotonic() > self.until and any(
            b.complete(m) and not b.outcomes[m].error for m in b.outcomes
        ):
            return None
        return super().next_task()

    def on_result(self, task: FitTask, result: FitResult) -> None:
        super().on_result(task, result)
        for model_id in list(self.board.outcomes):
            self._judge(model_id)

    def _judge(self, model_id: str) -> None:
        board = self.board
        mine = board.outcomes[model_id].fold_scores
        if model_id in self.stopped or len(mine) < 2 or board.complete(model_id):
            return
        leader = self._leader()
        if leader is None or leader == model_id:
            return
        theirs = board.outcomes[leader].fold_scores
        common = sorted(set(mine) & set(theirs))
        if len(common) < 2:
            return
        key = board.sort.sort_key
        d = np.array([key(theirs[f][board.sort.id]) - key(mine[f][board.sort.id]) for f in common])
        if not np.isfinite(d).all():
            return
        if d.mean() - 2 * d.std(ddof=1) / math.sqrt(len(d)) > 0:
            self.stopped.append(model_id)
            self.pending = type(self.pending)(t for t in self.pending if t.model_id != model_id)
            self.emit(
                "auto.stage",
                {
                    "stage": "race",
                    "message": (
                        f"{board.outcomes[model_id].name} stopped after {len(mine)} of "
                        f"{board.exp.folds} folds: it cannot catch {board.outcomes[leader].name}"
                    ),
                },
            )
            self.emit("leaderboard.updated", {"leaderboard": self.board.table(self.shown())})

    def _leader(self) -> str | None:
        scored = [
            (len(o.fold_scores), self.board.sort.sort_key(o.mean(self.board.sort.id)), m)
            for m, o in self.board.outcomes.items()
            if not o.error and o.fold_scores and m not in self.stopped
        ]
        return max(scored)[2] if scored else None

    def shown(self) -> list[str]:
        """Complete models and the partial rows of the stopped ones."""
        b = self.board
        return [
            m
            for m in b.outcomes
            if b.complete(m) or (m in self.stopped and not b.outcomes[m].error)
        ]


def run_auto(
    exp: Prepared,
    budget_s: float,
    sort: str | None,
    on_event: OnEvent | None,
    should_stop: ShouldStop | None,
    executor: Executor | None,
) -> ImproveResult:
    """Implementation of :meth:`Experiment.auto`."""
    if not isinstance(budget_s, int | float) or isinstance(budget_s, bool) or budget_s <= 0:
        raise DataError(f"budget_s must be a positive number of seconds, not {budget_s!r}")
    start = time.monotonic()
    emit = Emitter(on_event)
    board = Board(exp, scorer(exp.task, sort or exp.default_sort))
    rows, width, classes = exp.fit_size()
    specs, _ = registry.default_split(registry.resolve(exp.task, None), rows, width, classes)
    zoo = [recipes.plain(exp.task, s.id) for s in specs]
    with opened(exp, executor, exp.has_holdout, board.truth) as ex:
        emit("auto.stage", {"stage": "race", "message": f"racing {len(zoo)} models"})
        race = Race(board, zoo, emit, start + RACE_SHARE * budget_s)
        status = drive(ex, race, should_stop, start + TUNE_SHARE * budget_s)
        shown = race.shown()
        _stopped(status, board, shown, [])
        trials, tuned = _tune(board, ex, emit, should_stop, start + TUNE_SHARE * budget_s, shown)
        shown += tuned
        emit("auto.stage", {"stage": "ensemble", "message": "greedy ensemble selection"})
        copied = set(board.copies.values())  # trials shown as <id>_tuned: under that id
        others = [f"{t.model_id}#{t.number}" for t in trials]
        model = _select(board, shown + [m for m in others if m not in copied])
        members = _unique_members(model)
        _holdout(ex, board, members, should_stop, shown, trials)
    if model["id"] == ENSEMBLE_ID:
        _score_ensemble(board, model)
    table = board.table([model["id"], *[m for m in shown if m != model["id"]]])
    models = {m: board.recipes[m] for m in (r["model_id"] for r in table["rows"])}
    result = ImproveResult(
        model,
        table,
        board.folds(model["id"]),
        board.holdout.get(model["id"]),
        board.sort.id,
        models,
        trials,
        board.predictions(list(models)),
    )
    emit(
        "auto.finished", {"model_id": model["id"], "leaderboard": table, "holdout": result.holdout}
    )
    return result


def _stopped(status: str, board: Board, shown: list[str], trials: list[Trial]) -> None:
    if status != "cancelled":
        return
    table = board.table(shown)
    best = board.best(shown)
    models = {m: board.recipes[m] for m in shown}
    raise Cancelled(
        "auto cancelled",
        table,
        {"models": models, "best": [best] if best else [], "trials": [t.to_dict() for t in trials]},
        board.predictions(shown),
    )


def _tune(
    board: Board,
    ex: Executor,
    emit: Emitter,
    should_stop: ShouldStop | None,
    until: float,
    shown: list[str],
) -> tuple[list[Trial], list[str]]:
    """Tune the leaders one after the other, sharing the time left until ``until``."""
    ranked = sorted(
        (
            m
            for m in shown
            if board.complete(m)
            and board.recipes[m]["kind"] == "model"
            and recipes.base_spec(board.exp.task, board.recipes[m]).space
            and recipes.base_spec(board.exp.task, board.recipes[m]).family != "baseline"
        ),
        key=lambda m: -board.sort.sort_key(board.score(m)),
    )[:LEADERS]
    trials: list[Trial] = []
    tuned: list[str] = []
    for i, leader in enumerate(ranked):
        left = until - time.monotonic()
        if left <= 0:
            break
        deadline = time.monotonic() + left / (len(ranked) - i)
        base = board.recipes[leader]
        emit("auto.stage", {"stage": "tune", "message": f"tuning {base['name']}"})
        study = Study(
            board,
            base,
            recipes.base_spec(board.exp.task, base).space,
            emit,
            n_trials=None,
            deadline=deadline,
            slots=ex.slots,
            show=lambda: board.table(shown + tuned),
            with_defaults=False,
        )
        status = drive(ex, study, should_stop, deadline)
        trials += study.trials
        if study.best is not None and study.best.number > 0:
            tuned.append(
                board.copy(study.best.recipe["id"], tuned_recipe(base, dict(study.best.params)))
            )
        _stopped(status, board, shown + tuned, trials)
    return trials, tuned


def _blendable(board: Board, model_id: str) -> bool:
    outcome = board.outcomes.get(model_id)
    if outcome is None or outcome.error or not board.complete(model_id):
        return False
    predicted = board.predicted.get(model_id, {})
    folds = [predicted.get(f) for f in range(board.exp.folds)]
    if any(p is None for p in folds):
        return False
    return board.exp.task == "regression" or all(
        p is not None and p.score_kind == "probability" and p.scores is not None for p in folds
    )


def _stack(board: Board, model_id: str, folds: list[int]) -> Array:
    """A model's out-of-fold output over ``folds`` (probabilities, or values)."""
    parts = []
    for f in folds:
        p = board.predicted[model_id][f]
        parts.append(np.asarray(p.pred if p.scores is None else p.scores, dtype="float64"))
    return np.concatenate(parts)


def _key(board: Board, y: Array, out: Array) -> float:
    s, k = board.sort, board.exp.n_classes
    if board.exp.task == "regression":
        value = s.fn(y, out, k)
    else:
        value = s.fn(y, out if s.needs == "score" else out.argmax(axis=1), k)
    return s.sort_key(None if value is None or not math.isfinite(value) else value)


def _select(board: Board, candidates: list[str]) -> ModelRecipe:
    """Greedy ensemble selection with replacement (Caruana et al., 2004)."""
    usable = [m for m in dict.fromkeys(candidates) if _blendable(board, m)]
    usable = sorted(usable, key=lambda m: -board.sort.sort_key(board.score(m)))[:LIBRARY]
    if not usable:  # nothing complete: the best partial row, else nothing to give
        partial = [m for m, o in board.outcomes.items() if o.fold_scores and not o.error]
        if not partial:
            raise DataError("no model finished within the time budget — raise it")
        return board.recipes[max(partial, key=lambda m: board.sort.sort_key(board.score(m)))]
    folds = list(range(board.exp.folds))
    y = np.concatenate([np.asarray(board.truth[f]) for f in folds])
    outs = {m: _stack(board, m, folds) for m in usable}
    counts = {usable[0]: 1}
    total = outs[usable[0]].copy()
    best_key, best_counts = _key(board, y, total), dict(counts)
    for n in range(1, ROUNDS):
        pick = max(usable, key=lambda m: _key(board, y, (total + outs[m]) / (n + 1)))
        total += outs[pick]
        counts[pick] = counts.get(pick, 0) + 1
        key = _key(board, y, total / (n + 1))
        if key > best_key:
            best_key, best_counts = key, dict(counts)
    if len(best_counts) == 1:
        return board.recipes[next(iter(best_counts))]
    members = [board.recipes[m] for m in best_counts]
    return {
        "id": ENSEMBLE_ID,
        "name": f"Ensemble selection ({len(members)} models)",
        "kind": "blend",
        "members": members,
        "method": "soft",
        "weights": [float(c) for c in best_counts.values()],
    }


def _unique_members(model: ModelRecipe) -> list[ModelRecipe]:
    return list(model.get("members") or [model]) if model["kind"] == "blend" else [model]


def _holdout(
    ex: Executor,
    board: Board,
    members: list[ModelRecipe],
    should_stop: ShouldStop | None,
    shown: list[str],
    trials: list[Trial],
) -> None:
    """Fit the chosen members on the training part and predict the holdout."""
    if not board.exp.has_holdout:
        return
    from podium.engine.search.improve import _Tasks

    tasks = [board.task_of(m, HOLDOUT) for m in members if m["id"] not in board.holdout]
    status = drive(ex, _Tasks(board, tasks), should_stop)
    _stopped(status, board, shown, trials)


def _combined(board: Board, ens: ModelRecipe, fold: int) -> tuple[Array, Array | None]:
    weights = ens.get("weights") or []
    parts = [board.predicted[m["id"]][fold] for m in ens.get("members") or []]
    outs = [np.asarray(p.pred if p.scores is None else p.scores, dtype="float64") for p in parts]
    avg = sum(w * o for w, o in zip(weights, outs, strict=True)) / sum(weights)
    if board.exp.task == "regression":
        return np.asarray(avg), None
    return np.asarray(avg).argmax(axis=1), np.asarray(avg)


def _score_ensemble(board: Board, ens: ModelRecipe) -> None:
    """The ensemble's fold and holdout scores from its members' predictions."""
    outcome = board.add(ens)
    task, k = board.exp.task, board.exp.n_classes
    for fold in [*range(board.exp.folds), HOLDOUT]:
        if fold == HOLDOUT and not all(
            HOLDOUT in board.predicted.get(m["id"], {}) for m in ens.get("members") or []
        ):
            continue
        pred, cont = _combined(board, ens, fold)
        scores = score_predictions(task, np.asarray(board.truth[fold]), pred, cont, k)
        kind = "" if cont is None else "probability"
        board.predicted.setdefault(ens["id"], {})[fold] = FoldPrediction(pred, cont, kind)
        if fold == HOLDOUT:
            outcome.holdout = {m: None if v is None else round(v, 4) for m, v in scores.items()}
            board.holdout[ens["id"]] = outcome.holdout
        else:
            outcome.fold_scores[fold] = scores
            outcome.durations_ms[fold] = sum(
                board.outcomes[m["id"]].durations_ms.get(fold, 0) for m in ens.get("members") or []
            )
