"""tune, ensemble, blend and stack (called by :class:`~podium.engine.experiment.Experiment`,
read through :class:`~podium.engine.run.results.Prepared`)."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from podium.engine.errors import Cancelled, DataError
from podium.engine.events import Emitter, OnEvent, ShouldStop
from podium.engine.models import recipes
from podium.engine.records import ModelRecipe
from podium.engine.run.executors import Executor
from podium.engine.run.metrics import scorer
from podium.engine.run.results import Prepared
from podium.engine.search.board import Board, CrossValidate
from podium.engine.search.loop import drive, opened
from podium.engine.search.results import ImproveResult
from podium.engine.search.tune import DEFAULT_TRIALS, Study, finish, search_space

ENSEMBLE_METHODS = ("bagging", "boosting")
BLEND_METHODS = ("soft", "hard")
MAX_ESTIMATORS = 500


def run_tune(
    exp: Prepared,
    base: ModelRecipe,
    n_trials: int | None,
    budget_s: float | None,
    space: Any,
    sort: str | None,
    on_event: OnEvent | None,
    should_stop: ShouldStop | None,
    executor: Executor | None,
) -> ImproveResult:
    """Implementation of :meth:`Experiment.tune`."""
    started = time.monotonic()
    emit = Emitter(on_event)
    checked = search_space(exp.task, base, space, exp.seed)
    _positive("n_trials", n_trials, integer=True)
    _positive("budget_s", budget_s)
    if n_trials is None and budget_s is None:
        n_trials = DEFAULT_TRIALS
    board = Board(exp, scorer(exp.task, sort or exp.default_sort))
    deadline = None if budget_s is None else started + budget_s
    with opened(board, executor, exp.has_holdout) as ex:
        study = Study(
            board, base, checked, emit, n_trials=n_trials, deadline=deadline, slots=ex.slots
        )
        status = drive(ex, study, should_stop, deadline)
        if status == "budget":
            emit.warning(
                "budget",
                f"time budget of {budget_s:g} s reached after "
                f"{len(study.trials)} trial(s); the best of them is kept",
            )
        result = finish(study, status, emit)
        result = _with_holdout(ex, board, result, should_stop)
    payload = {
        "model_id": result.model_id,
        "leaderboard": result.leaderboard,
        "holdout": result.holdout,
        "trials": len(result.trials),
    }
    emit("tune.finished", payload)
    return result


def ensemble_recipe(base: ModelRecipe, method: str, n_estimators: int) -> ModelRecipe:
    """Bagging or boosting (AdaBoost) of ``base``."""
    if method not in ENSEMBLE_METHODS:
        raise DataError(
            f"unknown ensemble method {method!r}: use one of {', '.join(ENSEMBLE_METHODS)}"
        )
    _positive("n_estimators", n_estimators, integer=True)
    if n_estimators > MAX_ESTIMATORS:
        raise DataError(f"n_estimators must be at most {MAX_ESTIMATORS}, not {n_estimators}")
    word = "bagged" if method == "bagging" else "boosted"
    return {
        "id": f"{base['id']}_{word}",
        "name": f"{base['name']} ({word} ×{n_estimators})",
        "kind": method,
        "members": [base],
        "n_estimators": n_estimators,
    }


def blend_recipe(members: list[ModelRecipe], method: str, weights: Any) -> ModelRecipe:
    """Voting over ``members``: averaged probabilities (soft) or majority labels (hard);
    averaged predictions for regression."""
    _distinct("blend", members)
    if method not in BLEND_METHODS:
        raise DataError(f"unknown blend method {method!r}: use one of {', '.join(BLEND_METHODS)}")
    if weights is not None:
        ok = isinstance(weights, list | tuple) and len(weights) == len(members)
        if (
            not ok
            or not all(
                isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in weights
            )
            or not any(weights)
        ):
            raise DataError(
                f"weights must be {len(members)} numbers ≥ 0 (one per model), not all 0"
            )
        weights = [float(w) for w in weights]
    names = " + ".join(m["id"] for m in members)
    return {
        "id": f"blend_{len(members)}",
        "name": f"Blend ({method}): {names}",
        "kind": "blend",
        "members": list(members),
        "method": method,
        "weights": weights,
    }


def stack_recipe(
    members: list[ModelRecipe], meta: ModelRecipe | None, passthrough: bool
) -> ModelRecipe:
    """Stacking: ``meta`` (scikit-learn's default, a logistic/ridge regression, when None)
    learns from the members' out-of-fold predictions (and the features with
    ``passthrough``)."""
    _distinct("stack", members)
    names = " + ".join(m["id"] for m in members)
    to = f" → {meta['id']}" if meta else ""
    return {
        "id": f"stack_{len(members)}",
        "name": f"Stack: {names}{to}",
        "kind": "stack",
        "members": list(members),
        "meta": meta,
        "passthrough": bool(passthrough),
    }


def run_composite(
    exp: Prepared,
    recipe: ModelRecipe,
    sort: str | None,
    on_event: OnEvent | None,
    should_stop: ShouldStop | None,
    executor: Executor | None,
    done_kind: str,
) -> ImproveResult:
    """Cross-validate a composite model beside the models it is made of (same folds)."""
    recipes.build(exp.task, recipe, exp.seed)  # refuse a model that cannot be built, now
    emit = Emitter(on_event)
    board = Board(exp, scorer(exp.task, sort or exp.default_sort))
    shown = [recipe, *_unique(recipe.get("members") or [])]
    with opened(board, executor, exp.has_holdout) as ex:
        source = CrossValidate(board, shown, emit, holdout=exp.has_holdout)
        status = drive(ex, source, should_stop)
    table = board.table()
    models = {row["model_id"]: board.recipes[row["model_id"]] for row in table["rows"]}
    if status == "cancelled":
        done = [m for m in models if not board.outcomes[m].error]
        best = [recipe["id"]] if recipe["id"] in done else []
        raise Cancelled(
            f"{done_kind.split('.')[0]} cancelled: {len(done)} model(s) finished",
            table,
            {"models": models, "best": best},
            board.predictions(done),
        )
    error = board.outcomes[recipe["id"]].error
    if error is not None:
        raise DataError(f"model {recipe['id']!r} failed: {error}")
    holdout = board.holdout.get(recipe["id"])
    result = ImproveResult(
        recipe,
        table,
        board.folds(recipe["id"]),
        holdout,
        board.sort.id,
        models,
        predictions=board.predictions(list(models)),
    )
    emit(done_kind, {"model_id": recipe["id"], "leaderboard": table, "holdout": holdout})
    return result


class _Tasks:
    """A source of a fixed list of fits (the holdout fits after a study)."""

    def __init__(self, board: Board, tasks: list[Any]) -> None:
        self.board, self.tasks = board, list(tasks)

    def next_task(self) -> Any:
        return self.tasks.pop(0) if self.tasks else None

    def on_result(self, task: Any, result: Any) -> None:
        self.board.record(task, result)


def _with_holdout(
    ex: Executor, board: Board, result: ImproveResult, should_stop: ShouldStop | None
) -> ImproveResult:
    """The result with its model fitted on the training part and scored on the holdout."""
    if not board.exp.has_holdout:
        ids = [row["model_id"] for row in result.leaderboard["rows"]]
        return replace(result, predictions=board.predictions(ids))
    from podium.engine.run.fits import HOLDOUT

    ids = [row["model_id"] for row in result.leaderboard["rows"]]
    tasks = [board.task_of(board.recipes[m], HOLDOUT) for m in ids]
    status = drive(ex, _Tasks(board, tasks), should_stop)
    if status == "cancelled":
        raise Cancelled(
            "cancelled while scoring the holdout split",
            result.leaderboard,
            result.to_json(),
            board.predictions(ids),
        )
    return ImproveResult(
        result.model,
        board.table(ids),  # now with the Holdout column
        result.folds,
        board.holdout.get(result.model_id),
        result.sort,
        result.models,
        result.trials,
        board.predictions(ids),
    )


def _unique(members: list[ModelRecipe]) -> list[ModelRecipe]:
    seen: dict[str, ModelRecipe] = {}
    for m in members:
        seen.setdefault(m["id"], m)
    return list(seen.values())


def _distinct(what: str, members: list[ModelRecipe]) -> None:
    ids = [m["id"] for m in members]
    if len(set(ids)) < 2:
        raise DataError(f"a {what} needs at least two different models, not {ids}")
    if len(set(ids)) < len(ids):
        raise DataError(f"a {what} takes each model once: {', '.join(ids)} repeats one")


def _positive(name: str, value: Any, *, integer: bool = False) -> None:
    if value is None:
        return
    number = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    if not number or (integer and not float(value).is_integer()):
        kind = "a positive integer" if integer else "a positive number"
        raise DataError(f"{name} must be {kind}, not {value!r}")
