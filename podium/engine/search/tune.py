"""``tune``: an Optuna study over a model's search space, cross-validated on the experiment's
folds, trials fitted in parallel on the run's executor.

Sampler: TPE, seeded with the experiment's seed (``constant_liar``: trials running at once
do not all sample the same spot); the first trials are random. Trial 0 is the model as
given (its own defaults), so the tuned model is never worse than it on CV. Pruner: Optuna's
``MedianPruner`` on the running mean of the folds done — once a trial has two folds, it stops
when that mean is below the median of the finished trials after as many folds (a trial fits
its folds in order, one at a time while other trials wait for slots, so most trials are
judged before they cost their last folds).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from podium.engine.errors import Cancelled, DataError
from podium.engine.events import Emitter
from podium.engine.models import recipes
from podium.engine.models.spaces import check_space
from podium.engine.records import Leaderboard, ModelRecipe
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask
from podium.engine.run.metrics import Scorer
from podium.engine.search.board import Board
from podium.engine.search.results import ImproveResult, Trial
from podium.engine.standalone import quiet

DEFAULT_TRIALS = 30
PRUNE_AFTER_FOLDS = 2  # the pruner judges a trial once it has this many folds


@dataclass
class _Running:
    """A trial in progress."""

    number: int
    params: dict[str, Any]
    recipe: ModelRecipe
    handle: Any  # the optuna trial (None for trial 0)
    next_fold: int = 0
    inflight: int = 0
    state: str = "running"
    steps: dict[int, float] = field(default_factory=dict)


def tuned_recipe(base: ModelRecipe, params: dict[str, Any]) -> ModelRecipe:
    """The recipe of ``base`` with tuned ``params`` (id ``<id>_tuned``)."""
    return {
        "id": f"{base['id']}_tuned",
        "name": f"{base['name']} (tuned)",
        "kind": "model",
        "model_id": base["model_id"],
        "params": params,
    }


def search_space(task: str, base: ModelRecipe, given: Any, seed: int) -> dict[str, Any]:
    """The space to sample: the caller's (checked) or the model's, its names checked against
    the estimator's parameters."""
    spec = recipes.base_spec(task, base)
    space = check_space(given, spec.id) if given is not None else spec.space
    if not space:
        raise DataError(
            f"model {spec.id!r} declares no hyperparameters to tune: pass search_space "
            "(parameter → range) or tune another model"
        )
    known = set(spec.build(seed).get_params())
    unknown = sorted(set(space) - known)
    if unknown:
        raise DataError(
            f"search_space names {', '.join(unknown)}, not parameters of {spec.id!r}; "
            f"its parameters: {', '.join(sorted(known))}"
        )
    return space


def distributions(space: dict[str, Any]) -> dict[str, Any]:
    """Optuna distributions of a checked space."""
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    out: dict[str, Any] = {}
    for name, dim in space.items():
        if dim["type"] == "categorical":
            out[name] = CategoricalDistribution(dim["choices"])
        elif dim["type"] == "int":
            out[name] = IntDistribution(dim["low"], dim["high"], log=dim["log"])
        else:
            out[name] = FloatDistribution(dim["low"], dim["high"], log=dim["log"])
    return out


def create_study(seed: int, n_trials: int | None) -> Any:
    """A maximizing study: seeded TPE (random first trials), median pruning after the first
    folds."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    startup = max(3, min(10, (n_trials or 30) // 3))
    with quiet():  # constant_liar is "experimental"
        sampler = optuna.samplers.TPESampler(
            seed=seed, n_startup_trials=startup, constant_liar=True
        )
    pruner = optuna.pruners.MedianPruner(n_startup_trials=3, n_warmup_steps=PRUNE_AFTER_FOLDS)
    return optuna.create_study(direction="maximize", sampler=sampler, pruner=pruner)


class Study:
    """A :class:`~podium.engine.search.loop.Source` running the trials of one model."""

    def __init__(
        self,
        board: Board,
        base: ModelRecipe,
        space: dict[str, Any],
        emit: Emitter,
        *,
        n_trials: int | None,
        deadline: float | None,
        slots: int,
        show: Callable[[], Leaderboard] | None = None,
        with_defaults: bool = True,
        start_from: str | None = None,
        patience: int | None = None,
    ) -> None:
        self.board, self.base, self.emit = board, base, emit
        self.show = show  # what a new best publishes (auto: its whole table)
        self.sort: Scorer = board.sort
        self.folds = board.exp.folds
        self.dists = distributions(space)
        self.study = create_study(board.exp.seed, n_trials)
        self.n_trials, self.deadline, self.slots = n_trials, deadline, max(1, slots)
        self.started = time.monotonic()
        self.asked = 0
        self.running: dict[str, _Running] = {}
        self.trials: list[Trial] = []
        self.best: _Running | None = None
        self.best_key = -math.inf
        self.reference = start_from
        self.patience, self.since_best = patience, 0
        if with_defaults:  # trial 0: the model as given (auto has its race scores already)
            self._start(0, {}, None)
        elif start_from is not None:
            self._start_from(start_from)

    def _start_from(self, model_id: str) -> None:
        """Warm start from a model already cross-validated on these folds (auto's race row):
        it joins the study as a finished trial at its parameters' values (those inside the
        space), and a trial must beat it to become the tuned model."""
        import optuna

        outcome = self.board.outcomes[model_id]
        key = self.sort.sort_key(outcome.mean(self.sort.id))
        if outcome.error or not math.isfinite(key):
            return
        spec = recipes.base_spec(self.board.exp.task, self.base)
        given = {**spec.build(self.board.exp.seed).get_params(), **(self.base.get("params") or {})}
        params, dists = {}, {}
        for name, dist in self.dists.items():
            try:
                inside = dist._contains(dist.to_internal_repr(given.get(name)))
            except (ValueError, TypeError):
                inside = False
            if inside:
                params[name], dists[name] = given[name], dist
        steps, folds = {}, [outcome.fold_scores[f] for f in sorted(outcome.fold_scores)]
        for k in range(1, len(folds) + 1):
            values = [s.get(self.sort.id) for s in folds[:k]]
            finite = [v for v in values if v is not None and math.isfinite(v)]
            if len(finite) == k:
                steps[k] = self.sort.sort_key(sum(finite) / k)
        self.study.add_trial(
            optuna.trial.create_trial(
                params=params, distributions=dists, value=key, intermediate_values=steps
            )
        )
        self.best_key = key

    def resume(self, deadline: float) -> None:
        """A second round of this study until ``deadline``: TPE keeps every trial so far, the
        numbering goes on, and the patience starts over."""
        self.deadline, self.since_best = deadline, 0

    # -- what runs next ---------------------------------------------------------------
    def next_task(self) -> FitTask | None:
        waiting = [t for t in self.running.values() if t.state == "running"]
        for t in waiting:  # a trial with nothing in flight goes on with its next fold
            if t.inflight == 0 and t.next_fold < self.folds:
                return self._fold(t)
        if self._may_ask():
            return self._fold(self._ask())
        for t in waiting:  # spare slots: more folds of the running trials
            if t.next_fold < self.folds:
                return self._fold(t)
        return None

    def _may_ask(self) -> bool:
        if self.patience is not None and self.since_best >= self.patience:
            return False  # no better trial for a while: the time goes to the next study
        if self.n_trials is not None:
            return self.asked < self.n_trials
        if self.deadline is None:
            return False
        left = self.deadline - time.monotonic()
        done = [t for t in self.trials if t.state == "complete"]
        spent = (
            sum(sum(self.board.outcomes[self._id(t.number)].durations_ms.values()) for t in done)
            / 1000
        )
        per_trial = spent / len(done) if done else 0.0
        return left > per_trial  # a trial that cannot finish in time is not started

    def _ask(self) -> _Running:
        handle = self.study.ask(self.dists)
        self.asked += 1  # our numbering: optuna's counts trial 0 only once it has ended
        return self._start(self.asked, dict(handle.params), handle)

    def _id(self, number: int) -> str:
        return f"{self.base['id']}#{number}"

    def _start(self, number: int, sampled: dict[str, Any], handle: Any) -> _Running:
        params = {**(self.base.get("params") or {}), **sampled}
        recipe: ModelRecipe = {
            "id": self._id(number),
            "name": f"{self.base['name']} (trial {number})",
            "kind": "model",
            "model_id": self.base["model_id"],
            "params": params,
        }
        trial = _Running(number, params if number else {}, recipe, handle)
        self.board.add(recipe)
        self.running[recipe["id"]] = trial
        return trial

    def _fold(self, t: _Running) -> FitTask:
        task = self.board.task_of(t.recipe, t.next_fold)
        t.next_fold += 1
        t.inflight += 1
        return task

    # -- what a result does -----------------------------------------------------------
    def on_result(self, task: FitTask, result: FitResult) -> None:
        t = self.running.get(task.model_id)
        if t is None or task.fold == HOLDOUT:
            return
        t.inflight -= 1
        if t.state != "running":
            return  # a fold of a trial already pruned or failed
        self.board.record(task, result)
        outcome = self.board.outcomes[task.model_id]
        if outcome.error is not None:
            self._end(t, "failed", outcome.error)
            return
        done = len(outcome.fold_scores)
        key = self.sort.sort_key(outcome.mean(self.sort.id))
        t.steps[done] = key
        if done == self.folds:
            self._end(t, "complete")
        elif t.handle is not None and math.isfinite(key):
            t.handle.report(key, done)
            if t.handle.should_prune():
                self._end(t, "pruned")

    def _end(self, t: _Running, state: str, error: str | None = None) -> None:
        import optuna
        from optuna.trial import TrialState

        t.state = state
        outcome = self.board.outcomes[t.recipe["id"]]
        score = None if error else outcome.mean(self.sort.id)
        key = self.sort.sort_key(score)
        if t.handle is None and state == "complete" and math.isfinite(key):
            self.study.add_trial(  # trial 0 joins the study: a reference for the pruner
                optuna.trial.create_trial(
                    params={}, distributions={}, value=key, intermediate_values=t.steps
                )
            )
        elif t.handle is not None:
            if state == "complete" and math.isfinite(key):
                self.study.tell(t.handle, key)
            else:
                pruned = state == "pruned"
                self.study.tell(t.handle, state=TrialState.PRUNED if pruned else TrialState.FAIL)
        trial = Trial(
            self.base["id"], t.number, t.params, _r(score), state, len(outcome.fold_scores), error
        )
        self.trials.append(trial)
        self.since_best += 1
        if state == "complete" and key > self.best_key:
            self.best, self.best_key, self.since_best = t, key, 0
            table = self.table()
            self.emit("leaderboard.updated", {"leaderboard": self.show() if self.show else table})
        payload = trial.to_dict()
        payload.pop("folds")
        payload["best_score"] = _r(self.best_score)
        payload["progress"] = self.progress()
        self.emit("trial.finished", payload)

    # -- what it shows ----------------------------------------------------------------
    @property
    def best_score(self) -> float | None:
        """The best complete trial's mean CV score (the warm start's before one beats it)."""
        if self.best is None:
            return None if self.reference is None else self.board.score(self.reference)
        return self.board.score(self.best.recipe["id"])

    def tuned(self) -> ModelRecipe:
        """The best trial as the tuned model (the model as given when no trial beat it)."""
        params = dict(self.best.params) if self.best else {}
        return tuned_recipe(self.base, {**(self.base.get("params") or {}), **params})

    def table(self) -> Any:
        """The tuned model (best trial so far) above the model as given."""
        rows = []
        if self.best is not None:
            rows.append(self.board.copy(self.best.recipe["id"], self.tuned()))
        first = self._id(0)
        if (
            first in self.board.outcomes
            and self.board.complete(first)
            and self.board.score(first) is not None
        ):
            rows.append(self.board.copy(self._id(0), self.base))
        return self.board.table(rows)

    def progress(self) -> dict[str, Any]:
        """``{models_done, models_total, elapsed_s, eta_s, unit: "trials"}``."""
        elapsed = time.monotonic() - self.started
        done = len(self.trials)
        total = None if self.n_trials is None else self.n_trials + 1
        if self.deadline is not None:
            eta = max(0.0, self.deadline - time.monotonic())
        elif total and done:
            eta = elapsed / done * (total - done)
        else:
            eta = 0.0
        if total is not None and done >= total:
            eta = 0.0
        return {
            "models_done": done,
            "models_total": total,
            "elapsed_s": round(elapsed, 1),
            "eta_s": round(eta, 1),
            "unit": "trials",
        }


def _r(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 4)


def finish(study: Study, status: str, emit: Emitter) -> ImproveResult:
    """The result of a study that ended (``status`` from ``drive``); raises Cancelled or
    DataError when there is no complete trial to show."""
    base, board = study.base, study.board
    table = study.table()
    tuned = study.tuned()
    models = {r: board.recipes[r] for r in (row["model_id"] for row in table["rows"])}
    if status == "cancelled":
        result = {
            "models": models,
            "best": [tuned["id"]] if study.best else [],
            "trials": [t.to_dict() for t in study.trials],
        }
        raise Cancelled(
            f"tune {base['id']!r} cancelled: {len(study.trials)} trial(s) finished",
            table,
            result,
            board.predictions(list(models)),
        )
    if study.best is None:
        raise DataError(
            f"no trial of {base['id']!r} finished: every trial failed or the budget was too "
            "short (the trials table says why)"
        )
    if study.best.number == 0:
        emit.warning(
            "tune_no_gain",
            f"no trial beat {base['id']!r} as given: the tuned model is the model as given",
        )
    return ImproveResult(
        tuned, table, board.folds(tuned["id"]), None, board.sort.id, models, list(study.trials)
    )
