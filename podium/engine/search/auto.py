"""``auto``: the best model within a time budget — race the zoo, tune the leaders, then greedy
ensemble selection (Caruana et al., 2004) over the out-of-fold predictions of everything it
trained.

Race (until ``RACE_SHARE`` of the budget): every default model's folds, each fold in the order
of the time expected to reach it — (fold + 1) × the model's expected fit time — so cheap models
are complete while a costly one fits its first fold; past that share no model starts, and the
``FINISH`` best running ones go on to their last fold; when every model ran before that share,
the stopped ones go on to their last fold (for the ensemble's library). After each fold, a model
with at least ``MIN_RACE_FOLDS`` folds is stopped when the leader beats it on the folds both ran
by more than two standard errors of their per-fold differences (a paired test on the same rows:
mean(d) − 2·sd(d)/√k > 0, d = leader − model); it keeps a partial row (the mean of the folds it
ran).

Tune (until ``TUNE_SHARE`` of the budget, and no later than the budget less the time the end
stage is expected to need — ``_reserve``): the ``LEADERS`` best complete models with a search
space, one study each, sharing the time; each study starts from the model's defaults (its race
scores join the study as a finished trial, so TPE and the pruner know them, and a tuned row is
kept only when a trial beats them) and ends early after ``PATIENCE`` trials without a better
one, leaving its time to the next leader. The time the leaders leave is spent too (small tables
otherwise ended auto at a tenth of its budget): the next study goes to the best-scoring of the
models not yet tuned (in rank order) and the studies that improved late (their deadline ended
them, or their best trial came in their later half) — a second round of the same study, TPE
keeping every trial, its patience renewed — until the stage's end or nothing is left (a model
one trial of which would not end in the time left is not started); the ensemble's library is
then richer and better tuned.

Ensemble: a library of the best complete models and trials (at most ``PER_MODEL`` per
estimator, so one model's trials cannot fill it; ``LIBRARY`` in all); greedy forward selection
with replacement from a sorted initialisation (the ``INIT`` best averaged, or fewer when that
scores better), ``ROUNDS`` rounds, the best prefix kept; then bagged selection — the same on
random halves of the library, ``BAGS`` times while the time allows — members' weights being how
often they were picked over all bags. The ensemble is kept only when it beats the best single
model out of fold one level nested (each choice — the single model, greedy selection's picks, a
level 2's coefficients — made on the other folds for each fold, so an ensemble is not credited
with fitting the rows it is scored on); otherwise that model is the result. A stacked level 2
on the same members (``stacking``) replaces the weighted average when it scores better on the
same nested score. Its CV scores come from the members'
out-of-fold predictions (the rows each fold model did not see); its holdout scores from the
members fitted on the training part — the same numbers the blend recipe it becomes (soft voting
with those weights) gives. Stages end softly (nothing new starts; the fits in flight finish:
``Until``); only ``budget_s`` kills fits in flight (a holdout fit that does not finish by then
leaves the holdout score out).
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
from podium.engine.search import stacking
from podium.engine.search.board import Board, CrossValidate
from podium.engine.search.loop import Source, drive, opened
from podium.engine.search.results import ImproveResult, Trial
from podium.engine.search.tune import Study, tuned_recipe

RACE_SHARE, TUNE_SHARE = 0.45, 0.85
MIN_RACE_FOLDS = 3  # two folds give a standard error too unsure to stop a model on
FINISH = 2  # past the race's share, the best running models still finished
LEADERS, PATIENCE = 2, 20
LIBRARY, PER_MODEL, INIT, ROUNDS, BAGS = 20, 3, 3, 20, 10
# the end stage fits each member on the training part (holdout) and finalize on every row:
# ~1.25× and ~1.8× a fold's fit (a fold trains on 4/5 of the cross-validated 70 %)
END_FITS, END_MEMBERS = 3.0, 5
ENSEMBLE_ID = "auto_ensemble"
Array = np.ndarray[Any, Any]


class Until:
    """A source that hands out nothing past ``until``; the fits in flight then end on their
    own. Only the budget's end kills fits: a kill stops the pool's workers, and starting new
    ones (each imports scikit-learn) took ~50 s on a busy 2-core machine — the next stage's
    time."""

    def __init__(self, source: Source, until: float) -> None:
        self.source, self.until = source, until

    def next_task(self) -> FitTask | None:
        return None if time.monotonic() >= self.until else self.source.next_task()

    def on_result(self, task: FitTask, result: FitResult) -> None:
        self.source.on_result(task, result)


class Race(CrossValidate):
    """Fold-major cross-validation that stops the models that cannot catch the leader."""

    def __init__(self, board: Board, items: list[ModelRecipe], emit: Emitter, until: float) -> None:
        super().__init__(board, items, emit, holdout=False)
        # each fold in the order of the time expected to reach it, (fold + 1) × the model's
        # cost: cheap models finish all their folds while a costly one fits its first, so
        # complete rows (and a leader to judge against) come early even on a busy machine
        self.pending = type(self.pending)(
            sorted(self.pending, key=lambda t: ((t.fold + 1) * t.cost, t.model_id))
        )
        self.stopped: list[str] = []
        self.parked: dict[str, list[FitTask]] = {}  # a stopped model's folds not run
        self.until = until
        self.min_folds = min(MIN_RACE_FOLDS, max(2, board.exp.folds - 1))
        self.finishing: set[str] | None = None

    def next_task(self) -> FitTask | None:
        """Past the race's share of the budget once a model is complete, no new model starts:
        only the ``FINISH`` best models running then (by the mean of their folds so far) go
        on to their last fold, so the leaders are complete models rather than the cheap
        one that finished first (without any complete model the race goes on to the hard
        deadline)."""
        b = self.board
        if time.monotonic() > self.until and any(
            b.complete(m) and not b.outcomes[m].error for m in b.outcomes
        ):
            if self.finishing is None:  # chosen once: the race then ends with them
                running = [
                    m
                    for m, o in b.outcomes.items()
                    if o.fold_scores and not o.error and not b.complete(m)
                    if m not in self.stopped
                ]
                running.sort(key=lambda m: -b.sort.sort_key(b.score(m)))
                self.finishing = set(running[:FINISH])
            keep = self.finishing - set(self.stopped)
            task = next((t for t in self.pending if t.model_id in keep), None)
            if task is not None:
                self.pending.remove(task)
            return task
        task = super().next_task()
        if task is None and self.parked and time.monotonic() < self.until:
            self._resume()
            task = super().next_task()
        return task

    def _resume(self) -> None:
        """Every model ran before the race's share of the budget: the stopped models go on
        to their last fold, the best first. Stopping saved the time for them; the ensemble's
        library wants them complete — a model the leader beats alone can still add to an
        average (Caruana et al., 2004 select from every model trained)."""
        b = self.board
        order = sorted(self.parked, key=lambda m: -b.sort.sort_key(b.score(m)))
        self.emit(
            "auto.stage",
            {"stage": "race", "message": f"time to spare: completing {len(order)} stopped models"},
        )
        for m in order:
            self.pending.extend(self.parked.pop(m))

    def on_result(self, task: FitTask, result: FitResult) -> None:
        super().on_result(task, result)
        for model_id in list(self.board.outcomes):
            self._judge(model_id)

    def _judge(self, model_id: str) -> None:
        board = self.board
        mine = board.outcomes[model_id].fold_scores
        if model_id in self.stopped or len(mine) < self.min_folds or board.complete(model_id):
            return
        leader = self._leader()
        if leader is None or leader == model_id:
            return
        theirs = board.outcomes[leader].fold_scores
        common = sorted(set(mine) & set(theirs))
        if len(common) < self.min_folds:
            return
        key = board.sort.sort_key
        d = np.array([key(theirs[f][board.sort.id]) - key(mine[f][board.sort.id]) for f in common])
        if not np.isfinite(d).all():
            return
        if d.mean() - 2 * d.std(ddof=1) / math.sqrt(len(d)) > 0:
            self.stopped.append(model_id)
            self.parked[model_id] = [t for t in self.pending if t.model_id == model_id]
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
    end = start + budget_s
    emit = Emitter(on_event)
    board = Board(exp, scorer(exp.task, sort or exp.default_sort))
    rows, width, classes = exp.fit_size()
    specs, _ = registry.default_split(registry.resolve(exp.task, None), rows, width, classes)
    zoo = [recipes.plain(exp.task, s.id) for s in specs]
    with opened(board, executor, exp.has_holdout) as ex:
        emit("auto.stage", {"stage": "race", "message": f"racing {len(zoo)} models"})
        race = Race(board, zoo, emit, start + RACE_SHARE * budget_s)
        status = drive(ex, Until(race, start + TUNE_SHARE * budget_s), should_stop, end)
        shown = race.shown()
        _stopped(status, board, shown, [])
        until = min(start + TUNE_SHARE * budget_s, end - _reserve(board, shown, ex.slots))
        trials, tuned = _tune(board, ex, emit, should_stop, until, end, shown)
        shown += tuned
        emit("auto.stage", {"stage": "ensemble", "message": "greedy ensemble selection"})
        copied = set(board.copies.values())  # trials shown as <id>_tuned: under that id
        others = [f"{t.model_id}#{t.number}" for t in trials]
        candidates = shown + [m for m in others if m not in copied]
        spare = end - _reserve(board, candidates, ex.slots)
        model = _select(board, candidates, spare, end, ex.slots, emit)
        members = _unique_members(model)
        _holdout(ex, board, members, should_stop, shown, trials, end)
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


def _reserve(board: Board, ids: list[str], slots: int, members: int = END_MEMBERS) -> float:
    """Seconds the end stage is expected to need: the ``members`` best complete models' fits
    on the training part and on every row, from their fold fits' measured time."""
    done = [m for m in ids if board.complete(m) and not board.outcomes[m].error]
    best = sorted(done, key=lambda m: -board.sort.sort_key(board.score(m)))[:members]
    fold_s = [
        sum(d.values()) / len(d) / 1000 for m in best if (d := board.outcomes[m].durations_ms)
    ]
    return END_FITS * sum(fold_s) / max(1, slots)


def _tunable(board: Board, shown: list[str]) -> list[str]:
    """The complete models with a search space, best CV first, one per estimator."""
    ranked: list[str] = []
    for m in sorted(
        (
            m
            for m in shown
            if board.complete(m)
            and not board.outcomes[m].error
            and board.recipes[m]["kind"] == "model"
            and recipes.base_spec(board.exp.task, board.recipes[m]).space
            and recipes.base_spec(board.exp.task, board.recipes[m]).family != "baseline"
        ),
        key=lambda m: -board.sort.sort_key(board.score(m)),
    ):
        if board.recipes[m]["model_id"] not in {board.recipes[r]["model_id"] for r in ranked}:
            ranked.append(m)
    return ranked


def improved_late(best_number: int | None, asked: int, since_best: int, patience: int) -> bool:
    """A study worth a second round: its deadline, not its patience, ended it (it was still
    finding better trials), or its best trial came in the later half of its trials."""
    if best_number is None:
        return False
    return since_best < patience or best_number > asked / 2


def _late(study: Study) -> bool:
    best = study.best.number if study.best is not None else None
    return improved_late(best, study.asked, study.since_best, study.patience or PATIENCE)


def _trial_s(board: Board, model_id: str, slots: int) -> float:
    """Seconds one trial of ``model_id`` is expected to take: its race folds' measured fit
    time, its folds spread over the slots."""
    d = board.outcomes[model_id].durations_ms
    return sum(d.values()) / 1000 / max(1, slots) if d else 0.0


def _next(
    board: Board,
    ranked: list[str],
    studies: dict[str, Study],
    spent: set[str],
    left_s: float = math.inf,
    slots: int = 1,
) -> tuple[str, Study | None] | None:
    """What the tune stage runs next: the ``LEADERS`` best models first, in rank order; then,
    of the models not yet tuned and the studies that improved late, the one with the best CV
    score (a tuned model's by its best trial) — a leader still improving before the models
    below it, each of those before a study that stalled; past the leaders, a model is not
    started when one trial of it would not end in the ``left_s`` seconds left (a fit running
    past the stage delays the end stage, or is killed at the budget). None when nothing is
    left."""
    fresh = [m for m in ranked if m not in studies]
    if any(m in fresh for m in ranked[:LEADERS]):
        return fresh[0], None
    options: list[tuple[float, int, str, Study | None]] = []
    for i, m in enumerate(ranked):
        study = studies.get(m)
        if study is None:
            if _trial_s(board, m, slots) <= left_s:
                options.append((board.sort.sort_key(board.score(m)), -i, m, None))
        elif _late(study) and m not in spent:
            options.append((study.best_key, -i, m, study))
    if not options:
        return None
    _, _, m, study = max(options, key=lambda o: (o[0], o[1]))
    return m, study


def _tune(
    board: Board,
    ex: Executor,
    emit: Emitter,
    should_stop: ShouldStop | None,
    until: float,
    end: float,
    shown: list[str],
) -> tuple[list[Trial], list[str]]:
    """Tune until ``until``: the ``LEADERS`` best models share the time, one study each; the
    time they leave (each study ends after ``PATIENCE`` trials without a better one) goes to
    the next choice of :func:`_next` — further models in rank order, and second rounds of the
    studies that improved late — until ``until`` or nothing is left (each round ends by its
    patience, so a stalled study is not resumed)."""
    ranked = _tunable(board, shown)
    studies: dict[str, Study] = {}
    spent: set[str] = set()  # studies whose last round ran no trial (no time for one)
    tuned: list[str] = []

    def collect() -> tuple[list[Trial], list[str]]:
        tuned.clear()
        for m, study in studies.items():
            if study.best is not None:  # a trial beat the defaults
                base = board.recipes[m]
                recipe = tuned_recipe(base, dict(study.best.params))
                tuned.append(board.copy(study.best.recipe["id"], recipe))
        return [t for s in studies.values() for t in s.trials], list(tuned)

    while (left := until - time.monotonic()) > 0:
        pick = _next(board, ranked, studies, spent, left, ex.slots)
        if pick is None:
            break
        leader, study = pick
        waiting = [m for m in ranked[:LEADERS] if m not in studies and m != leader]
        deadline = time.monotonic() + left / (1 + len(waiting))
        base = board.recipes[leader]
        if study is None:
            emit("auto.stage", {"stage": "tune", "message": f"tuning {base['name']}"})
            study = studies[leader] = Study(
                board,
                base,
                recipes.base_spec(board.exp.task, base).space,
                emit,
                n_trials=None,
                deadline=deadline,
                slots=ex.slots,
                show=lambda: board.table(shown + tuned),
                with_defaults=False,
                start_from=leader,
                patience=PATIENCE,
            )
        else:
            message = f"tuning {base['name']} further: its study improved late"
            emit("auto.stage", {"stage": "tune", "message": message})
            study.resume(deadline)
        ended = len(study.trials)
        status = drive(ex, Until(study, deadline), should_stop, end)
        if len(study.trials) == ended:
            spent.add(leader)
        trials, _ = collect()
        _stopped(status, board, shown + tuned, trials)
    return collect()


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


def _library(board: Board, candidates: list[str]) -> list[str]:
    """The blendable candidates, best CV first: at most ``PER_MODEL`` per estimator (a tuned
    model's trials are near copies of each other), ``LIBRARY`` in all."""
    usable = [m for m in dict.fromkeys(candidates) if _blendable(board, m)]
    usable.sort(key=lambda m: -board.sort.sort_key(board.score(m)))
    per: dict[str, int] = {}
    out = []
    for m in usable:
        estimator = str(board.recipes[m].get("model_id") or m)
        if per.get(estimator, 0) < PER_MODEL:
            per[estimator] = per.get(estimator, 0) + 1
            out.append(m)
    return out[:LIBRARY]


def _greedy(board: Board, y: Array, outs: dict[str, Array], library: list[str]) -> dict[str, int]:
    """Forward selection with replacement from a sorted initialisation; the best prefix's
    counts (Caruana et al., 2004)."""
    init, init_key = 1, -math.inf
    for n in range(1, min(INIT, len(library)) + 1):
        key = _key(board, y, np.mean([outs[m] for m in library[:n]], axis=0))
        if key > init_key:
            init, init_key = n, key
    counts = dict.fromkeys(library[:init], 1)
    total, size = np.sum([outs[m] for m in library[:init]], axis=0), init
    best_key, best_counts = init_key, dict(counts)
    for _ in range(ROUNDS):
        pick = max(library, key=lambda m: _key(board, y, (total + outs[m]) / (size + 1)))
        total, size = total + outs[pick], size + 1
        counts[pick] = counts.get(pick, 0) + 1
        key = _key(board, y, total / size)
        if key > best_key:
            best_key, best_counts = key, dict(counts)
    return best_counts


def _affordable(board: Board, weights: dict[str, int], left_s: float, slots: int) -> dict[str, int]:
    """The most weighted members whose end-stage fits (``_reserve``'s estimate) fit in
    ``left_s``; the most weighted one always."""
    kept: dict[str, int] = {}
    for m in sorted(weights, key=lambda m: -weights[m]):
        if kept and _reserve(board, [*kept, m], slots, len(kept) + 1) > left_s:
            continue
        kept[m] = weights[m]
    return {m: w for m, w in weights.items() if m in kept}


def _select(
    board: Board,
    candidates: list[str],
    deadline: float,
    end: float,
    slots: int,
    emit: Emitter | None = None,
) -> ModelRecipe:
    """Bagged greedy ensemble selection; the best single model unless the ensemble beats it
    out of fold. Bags past the first (the whole library) only while ``deadline`` allows; the
    members whose fits would not end by ``end`` are left out, the least weighted first."""
    usable = _library(board, candidates)
    if not usable:  # nothing complete: the best partial row, else nothing to give
        partial = [m for m, o in board.outcomes.items() if o.fold_scores and not o.error]
        if not partial:
            raise DataError("no model finished within the time budget — raise it")
        return board.recipes[max(partial, key=lambda m: board.sort.sort_key(board.score(m)))]
    folds = list(range(board.exp.folds))
    y = np.concatenate([np.asarray(board.truth[f]) for f in folds])
    outs = {m: _stack(board, m, folds) for m in usable}
    counts = _greedy(board, y, outs, usable)
    rng = np.random.default_rng(board.exp.seed)
    half = max(2, len(usable) // 2)
    for _ in range(BAGS - 1):
        if len(usable) <= half or time.monotonic() >= deadline:
            break
        bag = [usable[i] for i in sorted(rng.choice(len(usable), size=half, replace=False))]
        for m, c in _greedy(board, y, outs, bag).items():
            counts[m] = counts.get(m, 0) + c
    weights = {m: counts[m] for m in usable if m in counts}  # library order: best CV first
    weights = _affordable(board, weights, end - time.monotonic(), slots)
    blended = np.sum([w * outs[m] for m, w in weights.items()], axis=0) / sum(weights.values())
    best_single = max(_key(board, y, outs[m]) for m in usable)
    say = emit or Emitter(None)
    if len(weights) == 1 or _key(board, y, blended) <= best_single:
        best = board.recipes[usable[0]]
        message = f"no ensemble beats {best['name']} out of fold: it is the result"
        say("auto.stage", {"stage": "ensemble", "message": message})
        return best
    members = [board.recipes[m] for m in weights]
    single, stacked, averaged = _nested(board, y, outs, usable)
    sign = 1 if board.sort.greater_is_better else -1
    scores = (
        f"{board.sort.id} out of fold, each choice made on the other folds: best single model "
        f"{sign * single:.4f}, stacked level 2 {sign * stacked:.4f}, greedy selection "
        f"{sign * averaged:.4f}"
    )
    if max(stacked, averaged) <= single:  # the ensemble's edge was fitting its own rows
        best = board.recipes[usable[0]]
        message = f"{scores}: no ensemble carries over, {best['name']} is the result"
        say("auto.stage", {"stage": "ensemble", "message": message})
        return best
    say("auto.stage", {"stage": "ensemble", "message": scores})
    if stacked > averaged:
        return {
            "id": ENSEMBLE_ID,
            "name": f"Stacked ensemble ({len(members)} models)",
            "kind": "stack",
            "members": members,
            "meta": None,
            "passthrough": False,
        }
    return {
        "id": ENSEMBLE_ID,
        "name": f"Ensemble selection ({len(members)} models)",
        "kind": "blend",
        "members": members,
        "method": "soft",
        "weights": [float(c) for c in weights.values()],
    }


def _fold_of(board: Board) -> Array:
    """The fold of each row of the folds' concatenated out-of-fold outputs (``_stack``)."""
    return np.concatenate([np.full(len(board.truth[f]), f) for f in range(board.exp.folds)])


def _nested(
    board: Board, y: Array, outs: dict[str, Array], library: list[str]
) -> tuple[float, float, float]:
    """Sort keys of the best single model, a stacked level 2 and greedy selection's weighted
    average, each scored out of fold one level further (``stacking``): on each fold, the best
    single model of ``library`` is chosen on the other folds and greedy selection picks from
    it there, and the level 2 learns from the other folds' rows of the members it picked. All
    three choices are made on rows they are not scored on, so an ensemble is credited only
    with what carries over to rows it did not see, as the single model is."""
    task, k = board.exp.task, board.exp.n_classes
    fold_of = _fold_of(board)
    averaged = np.zeros_like(outs[library[0]])
    stacked, single = np.zeros_like(averaged), np.zeros_like(averaged)
    for f in range(board.exp.folds):
        test = fold_of == f
        fit = {m: o[~test] for m, o in outs.items()}
        best = max(library, key=lambda m: _key(board, y[~test], fit[m]))
        single[test] = outs[best][test]
        picks = _greedy(board, y[~test], fit, library)
        total = sum(picks.values())
        averaged[test] = sum(c * outs[m][test] for m, c in picks.items()) / total
        if len(picks) < 2:
            stacked[test] = outs[next(iter(picks))][test]
            continue
        x = stacking.features(task, [outs[m] for m in picks])
        stacked[test] = stacking.level2(task, k, x[~test], y[~test], x[test])
    return _key(board, y, single), _key(board, y, stacked), _key(board, y, averaged)


def _unique_members(model: ModelRecipe) -> list[ModelRecipe]:
    """What the holdout fits: an ensemble's members (a blend averages their outputs, a stack's
    level 2 reads them, ``_combined``), else the model itself."""
    ensemble = model["kind"] in ("blend", "stack")
    return list(model.get("members") or [model]) if ensemble else [model]


def _holdout(
    ex: Executor,
    board: Board,
    members: list[ModelRecipe],
    should_stop: ShouldStop | None,
    shown: list[str],
    trials: list[Trial],
    end: float,
) -> None:
    """Fit the chosen members on the training part and predict the holdout, until ``end``
    (a member not fitted by then leaves the holdout score out)."""
    if not board.exp.has_holdout:
        return
    from podium.engine.search.improve import _Tasks

    tasks = [board.task_of(m, HOLDOUT) for m in members if m["id"] not in board.holdout]
    status = drive(ex, _Tasks(board, tasks), should_stop, end)
    _stopped(status, board, shown, trials)


def _combined(board: Board, ens: ModelRecipe) -> dict[int, Array]:
    """The ensemble's output on each fold (out of fold) and on the holdout (when every member
    predicted it): the weighted average of its members' for a blend; for a stack, its level 2
    fitted on the other folds' rows (on every fold's, for the holdout)."""
    ids = [m["id"] for m in ens.get("members") or []]
    folds = list(range(board.exp.folds))
    if all(HOLDOUT in board.predicted.get(m, {}) for m in ids):
        folds.append(HOLDOUT)

    def out(model_id: str, fold: int) -> Array:
        p = board.predicted[model_id][fold]
        return np.asarray(p.pred if p.scores is None else p.scores, dtype="float64")

    if ens["kind"] == "blend":
        weights = ens.get("weights") or []
        return {
            f: np.sum([w * out(m, f) for w, m in zip(weights, ids, strict=True)], axis=0)
            / sum(weights)
            for f in folds
        }
    task, k = board.exp.task, board.exp.n_classes
    cv = list(range(board.exp.folds))
    y = np.concatenate([np.asarray(board.truth[f]) for f in cv])
    x = stacking.features(task, [_stack(board, m, cv) for m in ids])
    fold_of = _fold_of(board)
    nested = stacking.nested(task, k, x, y, fold_of)
    outs = {f: nested[fold_of == f] for f in cv}
    if HOLDOUT in folds:
        x_holdout = stacking.features(task, [out(m, HOLDOUT) for m in ids])
        outs[HOLDOUT] = stacking.level2(task, k, x, y, x_holdout)
    return outs


def _score_ensemble(board: Board, ens: ModelRecipe) -> None:
    """The ensemble's fold and holdout scores from its members' predictions."""
    outcome = board.add(ens)
    task, k = board.exp.task, board.exp.n_classes
    for fold, avg in _combined(board, ens).items():
        pred, cont = (avg, None) if task == "regression" else (avg.argmax(axis=1), avg)
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
