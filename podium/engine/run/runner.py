"""compare and create: turn fits into events and leaderboards (called by
:class:`~podium.engine.experiment.Experiment`, read through :class:`Prepared`)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from podium.engine.errors import Cancelled, DataError, Failed, Interrupted
from podium.engine.events import Emitter, OnEvent, ShouldStop
from podium.engine.models import registry
from podium.engine.records import Leaderboard
from podium.engine.run import halving, racing, scheduler
from podium.engine.run.executors import Executor, ProcessExecutor
from podium.engine.run.fits import HOLDOUT, FitResult, FitTask, FoldArrays
from podium.engine.run.leaderboard import (
    ModelOutcome,
    best_ids,
    compare_table,
    create_table,
    round4,
)
from podium.engine.run.metrics import scorer
from podium.engine.run.predictions import FoldPrediction, ModelPredictions, assemble
from podium.engine.run.progress import Progress
from podium.engine.run.results import CompareResult, CreateResult, Prepared


class _Tracker:
    """Collects fold results per model and emits the per-model events."""

    def __init__(
        self,
        exp: Prepared,
        specs: list[registry.ModelSpec],
        emit: Emitter,
        sort: str,
        *,
        create: bool = False,
        wants_holdout: bool = False,
        race: racing.Race | None = None,
        halves: halving.Halving | None = None,
    ) -> None:
        self.exp, self.emit, self.sort = exp, emit, scorer(exp.task, sort)
        self.create, self.wants_holdout, self.race = create, wants_holdout, race
        self.halves = halves
        self.low: dict[str, ModelOutcome] = {}  # low-fidelity scores at the larger anchor
        self.low_predicted: dict[str, dict[int, FoldPrediction]] = {}
        self.to_stop: list[str] = []  # raced out since the scheduler last asked
        self.specs = {s.id: s for s in specs}
        self.started: set[str] = set()
        self.running: dict[str, ModelOutcome] = {s.id: ModelOutcome(s.id, s.name) for s in specs}
        self.finished: list[ModelOutcome] = []
        self.holdout: dict[str, float | None] | None = None
        self.folds = exp.folds
        self.progress: Progress | None = None  # set once the executor's slots are known
        self.truth: dict[int, Any] = {}  # each fold's validation target, set with the data
        self.predicted: dict[str, dict[int, FoldPrediction]] = {}
        self.params: dict[str, dict[str, Any]] = {}
        self.predictions: dict[str, ModelPredictions] = {}

    def _with_progress(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.progress is not None:
            payload["progress"] = self.progress.payload()
        return payload

    def table(self) -> Leaderboard:
        if self.create:
            outcome = self.finished[0] if self.finished else next(iter(self.running.values()))
            return create_table(self.exp.task, outcome)
        order = {m: i for i, m in enumerate(self.specs)}  # ties: the catalogue's order
        finished = sorted(self.finished, key=lambda o: order.get(o.model_id, len(order)))
        return compare_table(self.exp.task, finished, self.sort)

    def on_submit(self, task: FitTask) -> None:
        if task.model_id not in self.started:
            self.started.add(task.model_id)
            spec = self.specs[task.model_id]
            payload = {"model_id": spec.id, "name": spec.name}
            self.emit("model.started", self._with_progress(payload))

    def on_result(self, task: FitTask, res: FitResult) -> None:
        outcome = self.running.get(task.model_id)
        if outcome is None:
            return
        if self.progress is not None:
            self.progress.fit_done(task, res.duration_ms / 1000)
        if task.rows is not None:
            self._low_fidelity(task, res)
            return
        if res.error is not None:
            self._fail(outcome, res.error)
            self._settle()
            return
        assert res.scores is not None
        if res.prediction is not None:
            self.predicted.setdefault(task.model_id, {})[task.fold] = res.prediction
        if res.params is not None:
            self.params.setdefault(task.model_id, res.params)
        if task.fold == HOLDOUT:
            outcome.holdout = {k: round4(v) for k, v in res.scores.items()}
            self.holdout = outcome.holdout
        else:
            outcome.fold_scores[task.fold] = res.scores
            outcome.durations_ms[task.fold] = res.duration_ms
            payload = {
                "model_id": outcome.model_id,
                "name": outcome.name,
                "fold": task.fold,
                "scores": {k: round4(v) for k, v in res.scores.items()},
            }
            self.emit("model.fitted", self._with_progress(payload), duration_ms=res.duration_ms)
        if self.race is not None and task.fold != HOLDOUT:
            gains = None
            if self.race.train_rows is not None and res.prediction is not None:
                gains = racing.row_gains(self.sort.id, self.truth[task.fold], res.prediction.pred)
            self.race.record(task.model_id, task.fold, res.scores.get(self.sort.id), gains)
        self._settle()

    def _low_fidelity(self, task: FitTask, res: FitResult) -> None:
        """A halving fit on ``task.rows`` training rows: evidence for :class:`Halving`; a
        failed one takes the model out of halving only (it goes on to the full folds)."""
        assert self.halves is not None
        assert task.rows is not None
        if res.error is not None or res.scores is None:
            self.halves.drop(task.model_id)
            self._settle()
            return
        self.halves.record(task.model_id, task.rows, task.fold, res.scores.get(self.sort.id))
        if task.rows == self.halves.anchors[1]:  # the row a model halving stops keeps
            low = self.low.setdefault(task.model_id, ModelOutcome(task.model_id, ""))
            low.fold_scores[task.fold] = res.scores
            low.durations_ms[task.fold] = res.duration_ms
            if res.prediction is not None:
                self.low_predicted.setdefault(task.model_id, {})[task.fold] = res.prediction
        if res.params is not None:
            self.params.setdefault(task.model_id, res.params)
        spec = self.specs[task.model_id]
        payload = {
            "model_id": spec.id,
            "name": spec.name,
            "fold": task.fold,
            "fit_rows": task.rows,
            "scores": {k: round4(v) for k, v in res.scores.items()},
        }
        self.emit("model.fitted", self._with_progress(payload), duration_ms=res.duration_ms)
        self._settle()

    def _settle(self) -> None:
        """Stop the models halving and the race rule out, then show the rows that are
        complete. The race waits for halving's verdicts: whichever fits came in first, the
        same models give the race its evidence."""
        if self.halves is not None:
            for halved in self.halves.settle():
                self._halve(halved)
        if self.race is not None and (self.halves is None or self.halves.decided):
            for verdict in self.race.settle():
                self._stop(verdict)
        for outcome in list(self.running.values()):
            if self._complete(outcome):
                self._keep_predictions(outcome)
                self._finish(outcome)

    def _complete(self, outcome: ModelOutcome) -> bool:
        """Every fold (and the holdout fit) in, and, racing, every checkpoint passed."""
        folds = len(outcome.fold_scores) == self.folds
        holdout = outcome.holdout is not None or not self.wants_holdout
        raced = self.race is None or self.race.complete(outcome.model_id)
        return folds and holdout and raced

    def _stop(self, verdict: racing.Verdict) -> None:
        """A model racing stopped keeps a partial row of its first ``verdict.folds`` folds."""
        outcome = self.running[verdict.model_id]
        outcome.partial = True
        kept = range(verdict.folds)
        outcome.fold_scores = {f: outcome.fold_scores[f] for f in kept}
        outcome.durations_ms = {f: outcome.durations_ms[f] for f in kept}
        outcome.holdout = None
        predicted = self.predicted.get(verdict.model_id, {})
        self.predicted[verdict.model_id] = {f: predicted[f] for f in kept if f in predicted}
        self._keep_predictions(outcome, folds=verdict.folds)  # its plots: the folds it ran
        self.to_stop.append(verdict.model_id)
        leader = self.specs[verdict.leader_id].name
        test = "paired t-test, 5%"
        if verdict.folds < racing.MIN_FOLDS:
            test = "paired test on their validation rows, 0.1%"
        reason = (
            f"{leader} beats it beyond noise on its first {verdict.folds} folds ({test}): "
            f"stopped after {verdict.folds} of {self.folds} folds"
        )
        payload = {
            "model_id": outcome.model_id,
            "name": outcome.name,
            "folds_done": verdict.folds,
            "folds": self.folds,
            "leader_id": verdict.leader_id,
            "reason": reason,
        }
        self._finish(outcome, "model.stopped", payload)

    def _halve(self, verdict: halving.Verdict) -> None:
        """A model halving stopped keeps a partial row of its folds at ``fit_rows`` rows."""
        outcome = self.running.get(verdict.model_id)
        if outcome is None:
            return
        if self.race is not None:
            self.race.drop(verdict.model_id)  # no full folds to wait for
        low = self.low.get(verdict.model_id, ModelOutcome(verdict.model_id, ""))
        outcome.partial, outcome.fit_rows = True, verdict.fit_rows
        outcome.fold_scores, outcome.durations_ms = low.fold_scores, low.durations_ms
        outcome.holdout = None
        self.predicted[verdict.model_id] = self.low_predicted.pop(verdict.model_id, {})
        self._keep_predictions(outcome, folds=len(outcome.fold_scores))  # its plots: those folds
        self.to_stop.append(verdict.model_id)
        leader = self.specs[verdict.leader_id].name
        rows, full = f"{verdict.fit_rows:,}", f"{self.halves.rows:,}" if self.halves else "?"
        reason = (
            f"{leader} on {rows} rows beats the most its learning curve allows on {full} rows, "
            f"beyond noise (paired t-test, 5%): stopped after {len(outcome.fold_scores)} folds on "
            f"{rows} training rows"
        )
        payload = {
            "model_id": outcome.model_id,
            "name": outcome.name,
            "folds_done": len(outcome.fold_scores),
            "folds": self.folds,
            "fit_rows": verdict.fit_rows,
            "leader_id": verdict.leader_id,
            "reason": reason,
        }
        self._finish(outcome, "model.stopped", payload)

    def stopped(self) -> list[str]:
        """The models raced out since the last call (the scheduler drops their fits)."""
        out, self.to_stop = self.to_stop, []
        return out

    def speculative(self, task: FitTask) -> float | None:
        """None when ``task``'s result will be kept whatever halving and the race decide
        next; else a rank for the scheduler (:class:`scheduler.Hooks`): minus the model's mean
        score so far, so the leader's next fold goes first. A full-size fit waits for halving's
        verdict; a fold from the race's next checkpoint on, and the holdout fit, for the race's."""
        model_id = task.model_id
        if task.rows is not None or model_id not in self.running:
            return None
        halves, race = self.halves, self.race
        undecided = halves is not None and not halves.decided and model_id in halves.models
        if undecided and halves is not None and model_id not in halves.out:
            return self._standing(model_id)
        if race is None or model_id in race.out:
            return None
        if task.fold == HOLDOUT:
            return None if race.complete(model_id) else self._standing(model_id)
        return None if task.fold < race.level[model_id] else self._standing(model_id)

    def _standing(self, model_id: str) -> float:
        """Minus the mean sort-key of the model's full-size folds so far (its halving scores
        at the larger anchor before it has any); 0 with none."""
        scores = list(self.race.scores[model_id].values()) if self.race is not None else []
        if not scores and self.halves is not None:
            n2 = self.halves.anchors[1]
            scores = [v for (rows, _), v in self.halves.scores[model_id].items() if rows == n2]
        keyed = [v if v is not None else -math.inf for v in scores]
        return -sum(keyed) / len(keyed) if keyed else 0.0

    def _keep_predictions(self, outcome: ModelOutcome, folds: int | None = None) -> None:
        """Assemble the finished model's out-of-fold (and holdout) predictions; a model the
        race stopped keeps those of the ``folds`` folds it ran."""
        predicted = self.predicted.pop(outcome.model_id, {})
        if len(predicted) < (folds or self.folds) or not self.truth:
            return
        self.predictions[outcome.model_id] = assemble(
            model_id=outcome.model_id,
            name=outcome.name,
            task=self.exp.task,
            classes=[str(c) for c in self.exp.classes],
            predicted=predicted,
            rows=self.exp.validation_rows(),
            truth=self.truth,
            params=self.params.get(outcome.model_id, {}),
            fold_scores=dict(outcome.fold_scores),
            holdout_scores=outcome.holdout,
        )

    def on_timeout(self, model_id: str, limit: float, why: str | None) -> None:
        outcome = self.running.get(model_id)
        if outcome is None:
            return
        how = f" ({why}; set model_time_limit_s to change it)" if why else ""
        what = f"the per-model time limit of {limit:g} s{how}"
        self.emit.warning("model_time_limit", f"model {model_id!r} exceeded {what} and was stopped")
        self._fail(outcome, f"stopped: exceeded {what}")
        self._settle()

    def _fail(self, outcome: ModelOutcome, error: str) -> None:
        outcome.error = error
        if self.race is not None:
            self.race.drop(outcome.model_id)
        if self.halves is not None:
            self.halves.drop(outcome.model_id)
        payload = {"model_id": outcome.model_id, "name": outcome.name, "error": error}
        self._finish(outcome, "model.failed", payload)

    def _finish(
        self, outcome: ModelOutcome, kind: str | None = None, payload: dict[str, Any] | None = None
    ) -> None:
        self.running.pop(outcome.model_id, None)
        self.finished.append(outcome)
        if self.progress is not None:
            self.progress.model_done(outcome.model_id)
        if kind is not None and payload is not None:
            self.emit(kind, self._with_progress(payload))
        self.emit("leaderboard.updated", self._with_progress({"leaderboard": self.table()}))


def _select(exp: Prepared, models: list[str] | None, emit: Emitter) -> list[registry.ModelSpec]:
    if isinstance(models, str):
        models = [m for m in models.split(",") if m.strip()]
    specs = registry.resolve(exp.task, models)
    if models is not None or not exp.settings.get("turbo", True):
        return specs  # a model named explicitly always runs
    rows, width, classes = exp.fit_size()
    kept, left = registry.default_split(specs, rows, width, classes)
    if left:
        costs = ", ".join(
            f"{s.name} ({s.id}, ~{s.expected_s(rows, width, classes):.0f} s)" for s in left
        )
        message = (
            f"left out of the default compare: {costs} — their cost grows faster than the "
            f"table, and at {rows:,} rows × {width:,} encoded columns per fit each is expected "
            f"to take over {registry.DEFAULT_FIT_S:g} s per fit; pick them under Models "
            "(models=[...]) to run them"
        )
        payload = {"code": "costly_models", "message": message, "models": [s.id for s in left]}
        emit("warning", payload)
    return kept


def _first_row(specs: list[registry.ModelSpec], exp: Prepared) -> str | None:
    """The cheapest model that is not a baseline: its folds run first, so a row comes soon."""
    rows, width, classes = exp.fit_size()
    real = [s for s in specs if s.family != "baseline"] or specs
    return min(real, key=lambda s: s.expected_s(rows, width, classes)).id if real else None


def _execute(
    exp: Prepared,
    tasks: list[FitTask],
    tracker: _Tracker,
    executor: Executor | None,
    limits: scheduler.Limits,
    include_holdout: bool,
    first: str | None = None,
    dtype: str = "float64",
) -> str:
    started = time.monotonic()
    ex: Executor = executor or ProcessExecutor()
    ex.warm()
    data = exp.fold_data(include_holdout=include_holdout, dtype=dtype)
    tracker.truth = {fold: arrays.y_valid for fold, arrays in data.items()}
    tasks = _with_memory(tasks, data)
    ex.open(data)
    if limits.budget_s is not None:  # the budget covers preprocessing and shipping the data too
        limits.budget_s = max(0.0, limits.budget_s - (time.monotonic() - started))
    tracker.progress = Progress(tasks, ex.slots, limits.budget_s)
    hooks = scheduler.Hooks(
        tracker.on_submit,
        tracker.on_result,
        tracker.on_timeout,
        tracker.stopped,
        tracker.speculative,
    )
    try:
        race = tracker.race
        first_round = racing.MIN_FOLDS if race is None else race.first
        with exp.frame_aside():  # the folds are written: the table waits on disk meanwhile
            return scheduler.run(ex, tasks, limits, hooks, first, race is not None, first_round)
    finally:
        ex.close()


def _with_memory(tasks: list[FitTask], data: dict[int, FoldArrays]) -> list[FitTask]:
    """Each fit with the bytes it will allocate beside its mapped fold (``FitTask.memory``,
    the scheduler's memory admission; :func:`scheduler.fit_memory`)."""
    out = []
    for task in tasks:
        arrays = data.get(task.fold)
        if arrays is None:
            out.append(task)
            continue
        x = arrays.X_train
        out.append(replace(task, memory=scheduler.fit_memory(task, int(x.nbytes), len(x))))
    return out


def run_compare(
    exp: Prepared,
    models: list[str] | None,
    sort: str | None,
    n_select: int,
    budget_s: float | None,
    model_time_limit_s: float | None,
    on_event: OnEvent | None,
    should_stop: ShouldStop | None,
    executor: Executor | None,
    race: bool = True,
) -> CompareResult:
    """Implementation of :meth:`Experiment.compare`."""
    emit = Emitter(on_event)
    specs = _select(exp, models, emit)
    sort_id = scorer(exp.task, sort or exp.default_sort).id
    if sort is None and sort_id == "AUC":
        message = "classes are imbalanced: ranking by AUC instead of Accuracy"
        # It restates the setup finding: ``finding`` lets a reader that printed it skip this one.
        emit("warning", {"code": "sort_auc", "message": message, "finding": "class_imbalance"})
    has_holdout = exp.has_holdout
    first = _first_row(specs, exp)
    ids, key = [s.id for s in specs], scorer(exp.task, sort_id).sort_key
    screen = _screen_rows(exp, sort_id)
    raced = racing.Race(ids, exp.folds, first, key, screen) if race else None
    halves = None
    if race and screen is None:  # the screen judges at full size what halving extrapolates
        halves = _halving(exp, [i for i in ids if i != first], key)
    tracker = _Tracker(
        exp, specs, emit, sort_id, wants_holdout=has_holdout, race=raced, halves=halves
    )
    tasks = [task for s in specs for task in _fit_tasks(exp, s, {}, has_holdout)]
    if halves is not None:
        tasks += [t for s in specs if s.id in halves.models for t in _low_tasks(exp, s, halves)]
    limits = scheduler.Limits(should_stop, budget_s, model_time_limit_s, default_model_limit=True)
    try:
        dtype = "float32" if all(registry.takes_float32(s.id) for s in specs) else "float64"
        status = _execute(exp, tasks, tracker, executor, limits, has_holdout, first, dtype)
    except DataError:
        raise
    except Exception as exc:  # not one model's failure (a refused write, a lost cluster)
        raise _interrupted(Failed, f"failed ({type(exc).__name__}: {exc})", tracker) from exc
    table = tracker.table()
    if status == "cancelled":
        raise _interrupted(Cancelled, "cancelled", tracker)
    if status == "budget":
        cut = [s.id for s in specs if s.id in tracker.running]
        emit.warning(
            "budget",
            f"time budget of {budget_s:g} s reached: {len(tracker.finished)} of "
            f"{len(specs)} models finished; not finished: {', '.join(cut)}",
        )
    if not best_ids(table, 1):
        raise DataError(_nothing_finished(status, tracker))
    best = best_ids(table, max(1, n_select))
    emit("compare.finished", {"best": best, "leaderboard": table})
    return CompareResult(
        leaderboard=table, best=best, sort=sort_id, predictions=dict(tracker.predictions)
    )


def _interrupted(kind: type[Interrupted], why: str, tracker: _Tracker) -> Interrupted:
    """A compare ended early: its finished rows and their predictions go with the error."""
    done, planned = len(tracker.finished), len(tracker.specs)
    return kind(
        f"compare {why}: {done} of {planned} models finished",
        tracker.table(),
        predictions=dict(tracker.predictions),
    )


def _halving(
    exp: Prepared, ids: list[str], key: Callable[[float | None], float]
) -> halving.Halving | None:
    """Successive halving for the models but the first row's, when the table is large
    enough (:func:`halving.anchors`) and there are two models to compare."""
    rows, width, _ = exp.fit_size()
    sizes = halving.anchors(rows, width)
    if sizes is None or len(ids) < 2 or exp.folds < racing.MIN_FOLDS:
        return None
    return halving.Halving(ids, exp.folds, rows, sizes, key)


def _screen_rows(exp: Prepared, sort_id: str) -> int | None:
    """The training rows of a fold when the race's first-fold screen applies (a row-mean sort
    metric, folds of at least :data:`racing.SCREEN_MIN_ROWS` validation rows, and at least
    :data:`racing.MIN_FOLDS` folds); None otherwise."""
    rows, _, _ = exp.fit_size()
    valid = rows // max(1, exp.folds - 1)
    if sort_id not in racing.SCREEN_METRICS or exp.folds < racing.MIN_FOLDS:
        return None
    return rows if valid >= racing.SCREEN_MIN_ROWS else None


def _low_tasks(exp: Prepared, spec: registry.ModelSpec, halves: halving.Halving) -> list[FitTask]:
    """A model's low-fidelity fits: halving's first folds at each of its anchors."""
    _, width, classes = exp.fit_size()
    return [
        FitTask(spec.id, exp.task, f, exp.seed, exp.n_classes, spec.expected_s(n, width, classes),
                rows=n)
        for n in halves.anchors
        for f in range(halves.low_folds)
    ]  # fmt: skip


def _fit_tasks(
    exp: Prepared, spec: registry.ModelSpec, params: dict[str, Any], holdout: bool
) -> list[FitTask]:
    """A model's fits: one per CV fold, then (``holdout``) one on the whole training part
    that predicts the holdout rows, expected to cost ``folds / (folds - 1)`` of a fold's."""
    rows, width, classes = exp.fit_size()
    cost = spec.expected_s(rows, width, classes)
    threadable = registry.takes_threads(spec.id) and "n_jobs" not in params
    tasks = [
        FitTask(spec.id, exp.task, f, exp.seed, exp.n_classes, cost, dict(params),
                threadable=threadable)
        for f in range(exp.folds)
    ]  # fmt: skip
    if holdout:
        whole = cost * exp.folds / max(1, exp.folds - 1)
        tasks.append(
            FitTask(spec.id, exp.task, HOLDOUT, exp.seed, exp.n_classes, whole, dict(params),
                    threadable=threadable)
        )  # fmt: skip
    return tasks


NO_MODEL_IN_BUDGET = "no model finished within the time budget — raise it or pick faster models"


def _nothing_finished(status: str, tracker: _Tracker) -> str:
    """Why a compare has no model to rank (then it fails: there is nothing to promote)."""
    if status == "budget":
        return NO_MODEL_IN_BUDGET
    if tracker.finished and all("time limit" in (o.error or "") for o in tracker.finished):
        return (
            "no model finished within its per-model time limit — raise model_time_limit_s "
            "or pick faster models"
        )
    return "no model succeeded: every model failed (the Error column of the leaderboard says why)"


def run_create(
    exp: Prepared,
    model_id: str,
    on_event: OnEvent | None,
    should_stop: ShouldStop | None,
    executor: Executor | None,
    params: dict[str, Any],
) -> CreateResult:
    """Implementation of :meth:`Experiment.create`."""
    emit = Emitter(on_event)
    spec = registry.get(exp.task, model_id)
    spec.build(exp.seed, **params)  # refuse bad parameters before any fit
    has_holdout = exp.has_holdout
    tracker = _Tracker(exp, [spec], emit, exp.default_sort, create=True, wants_holdout=has_holdout)
    tasks = _fit_tasks(exp, spec, params, has_holdout)
    status = _execute(exp, tasks, tracker, executor, scheduler.Limits(should_stop), has_holdout)
    outcome = tracker.finished[0] if tracker.finished else tracker.running[spec.id]
    table = tracker.table()
    if status == "cancelled":
        raise Cancelled(
            f"create {model_id!r} cancelled: {len(outcome.fold_scores)} fold(s) finished", table
        )
    if outcome.error is not None:
        raise DataError(f"model {model_id!r} failed: {outcome.error}")
    emit("create.finished", {"model_id": spec.id, "leaderboard": table, "holdout": tracker.holdout})
    return CreateResult(
        model_id=spec.id,
        leaderboard=table,
        holdout=tracker.holdout,
        predictions=tracker.predictions.get(spec.id),
    )
