"""The improving methods of :class:`~podium.engine.experiment.Experiment` (a mixin, so the
facade stays one readable file): tune, ensemble, blend, stack and auto."""

from __future__ import annotations

from typing import Any, cast

from podium.engine.events import OnEvent, ShouldStop
from podium.engine.records import ModelRecipe
from podium.engine.run.executors import Executor
from podium.engine.run.results import Prepared
from podium.engine.search import improve
from podium.engine.search.models import resolve
from podium.engine.search.results import ImproveResult


class Improving:
    """Tune, ensemble, blend, stack: each takes models as ids, leaderboard rows, recipes or
    results, cross-validates on the experiment's folds, and remembers what it made (so its
    id can be passed on: ``exp.blend(["lightgbm_tuned", "rf"])``)."""

    task: str
    seed: int
    _models: dict[str, ModelRecipe]

    def model(self, model: Any) -> ModelRecipe:
        """The recipe a ``model`` argument stands for (id, leaderboard row, recipe, result)."""
        return resolve(self.task, model, self._models)

    def _done(self, result: ImproveResult) -> ImproveResult:
        self._models.update(result.models)
        self._models[result.model_id] = result.model
        return result

    def _composite(
        self,
        recipe: ModelRecipe,
        finished: str,
        sort: str | None,
        on_event: OnEvent | None,
        should_stop: ShouldStop | None,
        executor: Executor | None,
    ) -> ImproveResult:
        """Cross-validate an ensemble, blend or stack recipe; ``finished`` is its last event."""
        return self._done(
            improve.run_composite(
                cast(Prepared, self), recipe, sort, on_event, should_stop, executor, finished
            )
        )

    def tune(
        self,
        model: Any,
        *,
        n_trials: int | None = None,
        budget_s: float | None = None,
        search_space: dict[str, Any] | None = None,
        sort: str | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
    ) -> ImproveResult:
        """Tune a model's hyperparameters with Optuna (seeded TPE, median pruning after the
        first folds), every trial cross-validated on the experiment's folds.

        Parameters
        ----------
        model : str, dict or result
            A model id, a leaderboard row, a recipe or a result's model.
        n_trials : int, optional
            Sampled trials (trial 0, the model as given, comes on top). 30 when neither this
            nor ``budget_s`` is given; with only ``budget_s``, as many as fit in it.
        budget_s : float, optional
            Wall-time budget of the search (the holdout fit of the winner comes after it).
        search_space : dict, optional
            ``{param: {"low", "high", "log"?} | [choices]}``, replacing the model's own
            (``ModelSpec.space``).
        sort : str, optional
            The metric to maximize (or minimize: MAE ...); the task's default.

        Returns
        -------
        ImproveResult
            ``model`` is ``<id>_tuned``; ``trials`` lists every trial; ``leaderboard`` has
            the tuned model above the model as given.

        Raises
        ------
        Cancelled
            When ``should_stop`` turned true: carries the best trial so far (``result``).

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> res = exp.tune("dt", n_trials=3)
        >>> res.model_id, len(res.trials)
        ('dt_tuned', 4)
        """
        base = self.model(model)
        return self._done(
            improve.run_tune(
                cast(Prepared, self),
                base,
                n_trials,
                budget_s,
                search_space,
                sort,
                on_event,
                should_stop,
                executor,
            )
        )

    def ensemble(
        self,
        model: Any,
        method: str = "bagging",
        n_estimators: int = 10,
        *,
        sort: str | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
    ) -> ImproveResult:
        """Bag (``BaggingClassifier``/``Regressor``) or boost (``AdaBoost…``) a model; the
        leaderboard shows it above the model it was made from.

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> exp.ensemble("dt", n_estimators=3).model_id
        'dt_bagged'
        """
        recipe = improve.ensemble_recipe(self.model(model), method, n_estimators)
        return self._composite(recipe, "ensemble.finished", sort, on_event, should_stop, executor)

    def blend(
        self,
        models: list[Any],
        method: str = "soft",
        weights: list[float] | None = None,
        *,
        sort: str | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
    ) -> ImproveResult:
        """Blend models by voting (``VotingClassifier``/``Regressor``): averaged probabilities
        (``soft``) or majority labels (``hard``); ``weights`` per model.

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> exp.blend(["lr", "dt"]).leaderboard["rows"][0]["model_id"] in {"blend_2", "lr", "dt"}
        True
        """
        recipe = improve.blend_recipe([self.model(m) for m in models], method, weights)
        return self._composite(recipe, "blend.finished", sort, on_event, should_stop, executor)

    def stack(
        self,
        models: list[Any],
        meta_model: Any = None,
        passthrough: bool = False,
        *,
        sort: str | None = None,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
    ) -> ImproveResult:
        """Stack models (``StackingClassifier``/``Regressor``): ``meta_model`` (a logistic
        regression / ridge by default) learns from their out-of-fold predictions.

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> exp.stack(["lr", "dt"]).model_id
        'stack_2'
        """
        meta = None if meta_model is None else self.model(meta_model)
        recipe = improve.stack_recipe([self.model(m) for m in models], meta, passthrough)
        return self._composite(recipe, "stack.finished", sort, on_event, should_stop, executor)

    def auto(
        self,
        budget_s: float = 300.0,
        sort: str | None = None,
        *,
        on_event: OnEvent | None = None,
        should_stop: ShouldStop | None = None,
        executor: Executor | None = None,
    ) -> ImproveResult:
        """The best model within ``budget_s``: race the default models (those that cannot
        catch the leader stop after a few folds, keeping a partial row), tune the leaders,
        then greedy ensemble selection over everything trained (:mod:`podium.engine.search
        .auto`). The result is one model (usually a weighted soft blend) with CV and holdout
        scores; the leaderboard holds it above every model the search trained.

        Examples
        --------
        >>> from podium.engine import samples, setup
        >>> exp = setup(*samples.load("iris"), folds=2, seed=1)
        >>> res = exp.auto(budget_s=60)  # doctest: +SKIP
        >>> res.model_id in {r["model_id"] for r in res.leaderboard["rows"]}  # doctest: +SKIP
        True
        """
        from podium.engine.search.auto import run_auto

        return self._done(
            run_auto(cast(Prepared, self), budget_s, sort, on_event, should_stop, executor)
        )
