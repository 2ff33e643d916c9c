"""What a ``model`` argument may be — a model id, a leaderboard row, a recipe or a result —
turned into one :class:`~podium.engine.records.ModelRecipe`."""

from __future__ import annotations

from typing import Any

from podium.engine.errors import DataError
from podium.engine.models import recipes
from podium.engine.records import ModelRecipe
from podium.engine.run.results import CompareResult, CreateResult
from podium.engine.search.results import ImproveResult


def resolve(task: str, model: Any, known: dict[str, ModelRecipe]) -> ModelRecipe:
    """The recipe ``model`` stands for; ``known`` holds the models this experiment trained
    (tuned, ensembled ...) by id, and learns ``model`` when it is a recipe or a result.

    Examples
    --------
    >>> resolve("binary", {"Model": "Logistic Regression", "model_id": "lr"}, {})["kind"]
    'model'
    """
    recipe: ModelRecipe | None = None
    if isinstance(model, ImproveResult):
        recipe = model.model
        known.update(model.models)
    elif isinstance(model, CompareResult):
        model = model.best[0] if model.best else ""
    elif isinstance(model, CreateResult):
        model = model.model_id
    elif isinstance(model, dict) and "kind" in model:
        recipe = model  # type: ignore[assignment]
    elif isinstance(model, dict) and model.get("model_id"):
        model = str(model["model_id"])
    if recipe is None:
        if not isinstance(model, str) or not model:
            raise DataError(
                "model must be a model id, a leaderboard row, or a result's model, "
                f"not {type(model).__name__}"
            )
        recipe = known.get(model) or recipes.plain(task, model)
    _check(task, recipe)
    known[recipe["id"]] = recipe
    return recipe


def _check(task: str, recipe: ModelRecipe) -> None:
    for key in ("id", "name", "kind"):
        if not isinstance(recipe.get(key), str):
            raise DataError(f"a model recipe needs {key!r} (text); got {recipe.get(key)!r}")
    for leaf in recipes.leaves(recipe):
        recipes.base_spec(task, leaf)  # unknown / unavailable models are refused here
