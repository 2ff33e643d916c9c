"""Model recipes: how a (possibly composite) model is built, as JSON data.

A recipe (:class:`~podium.engine.records.ModelRecipe`) is what a leaderboard row of a tuned,
bagged, boosted, blended or stacked model stands for. It travels to the fit workers inside a
``FitTask``, is stored with a run (so a promote can refit it and a later run improve it), and
builds scikit-learn estimators only — ``BaggingClassifier``, ``AdaBoostClassifier``,
``VotingClassifier``, ``StackingClassifier`` and their regressors around registry models —
so every artifact stays loadable by ``load_pipeline.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

from podium.engine.errors import DataError
from podium.engine.models import registry
from podium.engine.records import ModelRecipe

KINDS = ("model", "bagging", "boosting", "blend", "stack")
_ENSEMBLES = {
    # kind → (classifier class, regressor class) in sklearn.ensemble
    "bagging": ("BaggingClassifier", "BaggingRegressor"),
    "boosting": ("AdaBoostClassifier", "AdaBoostRegressor"),
    "blend": ("VotingClassifier", "VotingRegressor"),
    "stack": ("StackingClassifier", "StackingRegressor"),
}


def plain(task: str, model_id: str, params: dict[str, Any] | None = None) -> ModelRecipe:
    """The recipe of a registry model with ``params`` on its defaults.

    >>> plain("binary", "lr")["name"]
    'Logistic Regression'
    """
    spec = registry.get(task, model_id)
    return {
        "id": spec.id,
        "name": spec.name,
        "kind": "model",
        "model_id": spec.id,
        "params": dict(params or {}),
    }


def leaves(recipe: ModelRecipe) -> list[ModelRecipe]:
    """The registry models a recipe is built from (itself when it is one)."""
    if recipe["kind"] == "model":
        return [recipe]
    out = [leaf for m in recipe.get("members") or [] for leaf in leaves(m)]
    meta = recipe.get("meta")
    return out + (leaves(meta) if meta else [])


def base_spec(task: str, recipe: ModelRecipe) -> registry.ModelSpec:
    """The registry spec of a plain recipe (DataError for a composite one)."""
    if recipe["kind"] != "model":
        raise DataError(f"model {recipe['id']!r} is a {recipe['kind']}, not one registry model")
    return registry.get(task, recipe["model_id"])


def cost(task: str, recipe: ModelRecipe, size: tuple[int, int, int]) -> float:
    """Expected seconds of one fit on one core (the registry's cost laws, summed)."""
    kind = recipe["kind"]
    if kind == "model":
        return registry.get(task, recipe["model_id"]).expected_s(*size)
    members = sum(cost(task, m, size) for m in recipe.get("members") or [])
    if kind in ("bagging", "boosting"):
        return members * int(recipe.get("n_estimators") or 10)
    if kind == "stack":
        meta = recipe.get("meta")
        return members * 6 + (cost(task, meta, size) if meta else 0.0)
    return members


def fit_copies(recipe: ModelRecipe) -> float:
    """How many copies of its X_train one fit of ``recipe`` allocates beside the fold it maps
    (``FitTask.memory`` is this × the X's bytes: memory admission).

    A plain model: the registry's measured multiple (``registry.FIT_COPIES``). A composite
    fits its members one after another in one process (scikit-learn's ensembles as
    :func:`build` makes them, ``n_jobs`` unset), so a member's copies are freed before the next
    one's: the largest member's (or level 2's) copies, not their sum. Bagging adds one copy:
    each estimator fits on rows (and columns) drawn by fancy indexing, a new array. A stack
    adds one too: each member is cross-validated inside it on an indexed copy of the training
    rows (and with ``passthrough`` its level 2 fits on X beside the predictions). Boosting
    reweights the rows and a blend fits every member on X itself: nothing more.
    """
    kind = recipe["kind"]
    if kind == "model":
        return registry.fit_copies(recipe["model_id"])
    parts = list(recipe.get("members") or [])
    meta = recipe.get("meta")
    largest = max((fit_copies(m) for m in parts + ([meta] if meta else [])), default=0.0)
    return largest + (1.0 if kind in ("bagging", "stack") else 0.0)


def build(task: str, recipe: ModelRecipe, seed: int) -> Any:
    """A fresh unfitted estimator for ``recipe`` (every member seeded with ``seed``).

    Raises
    ------
    DataError
        Unknown kind or model id, a bad parameter, or a member that cannot take part
        (soft voting without probabilities, boosting without sample weights).
    """
    kind = recipe.get("kind")
    if kind == "model":
        return registry.get(task, recipe["model_id"]).build(seed, **(recipe.get("params") or {}))
    if kind not in _ENSEMBLES:
        raise DataError(f"unknown recipe kind {kind!r}: use one of {', '.join(KINDS)}")
    classify = task != "regression"
    cls = getattr(importlib.import_module("sklearn.ensemble"), _ENSEMBLES[kind][not classify])
    members = [build(task, m, seed) for m in recipe.get("members") or []]
    if not members:
        raise DataError(f"model {recipe.get('id')!r}: a {kind} needs at least one member")
    if kind in ("bagging", "boosting"):
        if kind == "boosting":
            _check_weights(members[0], recipe)
        n = int(recipe.get("n_estimators") or 10)
        return cls(estimator=members[0], n_estimators=n, random_state=seed)
    named = [
        (f"m{i}_{m.get('id')}", est)
        for i, (m, est) in enumerate(zip(recipe.get("members") or [], members, strict=True))
    ]
    if kind == "blend":
        weights = recipe.get("weights")
        if not classify:
            return cls(named, weights=weights)
        method = recipe.get("method") or "soft"
        if method == "soft":
            _check_proba(recipe, named)
        return cls(named, voting=method, weights=weights)
    meta = recipe.get("meta")
    final = build(task, meta, seed) if meta else default_meta(task)
    return cls(named, final_estimator=final, passthrough=bool(recipe.get("passthrough")))


def default_meta(task: str) -> Any:
    """A stack's level 2 when none is named: scikit-learn's own defaults (a logistic
    regression; a ridge regression choosing its alpha by leave-one-out), named — with None,
    an unfitted stack does not say it will have ``predict_proba``, and the label wrapper would
    fall back to hard voting."""
    linear = importlib.import_module("sklearn.linear_model")
    return linear.RidgeCV() if task == "regression" else linear.LogisticRegression()


def _check_proba(recipe: ModelRecipe, named: list[tuple[str, Any]]) -> None:
    lacking = [name.split("_", 1)[1] for name, est in named if not hasattr(est, "predict_proba")]
    if lacking:
        raise DataError(
            f"a soft blend averages probabilities, and {', '.join(lacking)} give none: "
            "leave them out or use method 'hard'"
        )


def _check_weights(est: Any, recipe: ModelRecipe) -> None:
    from sklearn.utils.validation import has_fit_parameter

    if not has_fit_parameter(est, "sample_weight"):
        member = next(iter(recipe.get("members") or []), None)
        name = member["id"] if member else type(est).__name__
        raise DataError(
            f"boosting reweights the rows, and {name!r} takes no sample weights: "
            "use method 'bagging' for it"
        )
