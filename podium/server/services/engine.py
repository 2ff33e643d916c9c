"""The server's window on the engine: describe, samples, table reading, versions.

The engine (pandas, scikit-learn) is imported on first use, not at start-up: the API process
stays small and starts fast, and most requests never need it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from podium import __version__
from podium.server.config import Settings
from podium.server.errors import InvalidInput, TooLarge

SAMPLE_PREFIX = "sklearn:"
VERSIONED = ("scikit-learn", "pandas", "numpy", "scipy", "lightgbm", "xgboost", "catboost", "skops")


def describe_tasks() -> list[dict[str, Any]]:
    """``describe.tasks()``."""
    from podium.engine import describe

    return list(describe.tasks())


def describe_models(task: str) -> list[dict[str, Any]]:
    """``describe.models(task)``."""
    from podium.engine import describe

    return list(describe.models(check_task(task)))


def describe_metrics(task: str) -> list[dict[str, Any]]:
    """``describe.metrics(task)``."""
    from podium.engine import describe

    return list(describe.metrics(check_task(task)))


def check_plan(
    task: str, plan: str, model_id: str | None, params: dict[str, Any]
) -> dict[str, Any]:
    """The engine's check of a run submission (``run.plans.check_plan``): the plan params to
    store; the engine's refusal as InvalidInput, so nothing it would refuse is queued."""
    from podium.engine import DataError
    from podium.engine.run.plans import check_plan as engine_check

    try:
        return engine_check(check_task(task), plan, model_id, params)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def check_search_space(task: str, recipe: dict[str, Any], space: Any) -> None:
    """A tune's model and ``search_space`` (None: the model's own) checked as the tune will
    (``search.tune.search_space``: one registry model with a space, names its estimator
    takes), as InvalidInput."""
    from podium.engine import DataError
    from podium.engine.search.tune import search_space

    try:
        search_space(task, cast(Any, recipe), space, 0)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def plain_recipe(task: str, model_id: str, params: dict[str, Any]) -> dict[str, Any]:
    """The engine's recipe of a registry model with ``params`` (``models.recipes.plain``)."""
    from podium.engine.models.recipes import plain

    return dict(plain(task, model_id, params))


def describe_plans(task: str | None = None) -> list[dict[str, Any]]:
    """``describe.plans(task)``: every plan, or those a task offers."""
    from podium.engine import describe

    return list(describe.plans(check_task(task) if task is not None else None))


def describe_setup_params(task: str) -> list[dict[str, Any]]:
    """``describe.setup_params(task)``."""
    from podium.engine import describe

    return list(describe.setup_params(check_task(task)))


def describe_plots(task: str) -> list[dict[str, Any]]:
    """``describe.plots(task)``."""
    from podium.engine import describe

    return list(describe.plots(check_task(task)))


def describe_samples() -> list[dict[str, Any]]:
    """``describe.samples()``."""
    from podium.engine import describe

    return list(describe.samples())


def check_task(task: str) -> str:
    """The engine's check of a task id (``tasks.check``): unknown tasks, and tasks this
    version cannot run end to end, are InvalidInput in the engine's words."""
    from podium.engine import DataError, tasks

    try:
        return tasks.check(task).id
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def task_output(task: str) -> str:
    """What one prediction of ``task``'s pipelines holds (``TaskDef.output``); ``value`` for a
    task this engine does not know (a pipeline from a newer version)."""
    from podium.engine import DataError, tasks

    try:
        return tasks.get(task).output
    except DataError:
        return "value"


def check_target(task: str, target: str | None) -> str:
    """The target an experiment of ``task`` stores (``""`` for a task without one), by the
    engine's rule (``tasks.check_target``); a refusal is InvalidInput in its words."""
    from podium.engine import DataError, tasks

    try:
        return tasks.check_target(check_task(task), target)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def check_target_column(task: str, column: dict[str, Any]) -> None:
    """The engine's check of a target against its column's profile
    (``schema.check_target_column``); a refusal is InvalidInput in its words."""
    from podium.engine import DataError
    from podium.engine.prepare.schema import check_target_column as check

    try:
        check(task, cast(Any, column))
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def setup_default(task: str, name: str) -> Any:
    """The engine's default of setup parameter ``name`` (e.g. the seed a run records); None
    when the task has no such parameter."""
    return next((p["default"] for p in describe_setup_params(task) if p["name"] == name), None)


def check_setup_params(
    task: str, target: str, given: dict[str, Any], columns: list[str]
) -> dict[str, Any]:
    """An experiment's setup params checked by the engine's own rule, as they will be stored.

    Raises
    ------
    InvalidInput
        With the engine's message, naming the parameter and what it accepts.
    """
    from podium.engine import DataError
    from podium.engine.prepare.params import check_params

    try:
        return check_params(check_task(task), given, columns, target)
    except DataError as exc:
        raise InvalidInput(str(exc)) from None


def sample_name(value: str) -> str:
    """Normalise ``sklearn:iris`` / ``iris`` to ``iris``; refuse unknown samples."""
    name = value.removeprefix(SAMPLE_PREFIX)
    known = [s["id"] for s in describe_samples()]
    if name not in known:
        raise InvalidInput(
            f"unknown sample {value!r}; use one of {', '.join(SAMPLE_PREFIX + k for k in known)}"
        )
    return name


@lru_cache(maxsize=16)
def sample_profile(name: str) -> tuple[tuple[str, ...], str, int]:
    """A sample's column names, SHA-256 of its content, and row count (cached)."""
    import pandas as pd

    from podium.engine import samples

    frame, _target = samples.load(name)
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return tuple(str(c) for c in frame.columns), digest.hexdigest(), len(frame)


LIMIT_SETTINGS = {
    "rows": "PODIUM_MAX_UPLOAD_ROWS",
    "columns": "PODIUM_MAX_UPLOAD_COLUMNS",
    "bytes": "PODIUM_MAX_UPLOAD_EXPANDED_BYTES",
}


def profile_table(
    path: Path, kind: str, filename: str, settings: Settings
) -> tuple[Any, list[dict[str, Any]]]:
    """Read a stored table with the engine, within the upload limits, and infer its schema.

    Each column also carries ``task``: what the engine would infer were it the target.

    Raises
    ------
    InvalidInput
        With the engine's own message (the user's file name, never the storage path).
    TooLarge
        Over a row, column or expanded-size limit, naming the setting that raises it.
    """
    from podium.engine import DataError, infer_schema, read_table
    from podium.engine.errors import TableTooLarge
    from podium.engine.prepare.schema import suggest_tasks

    def user_words(message: str) -> str:
        return message.replace(str(path), filename).replace(path.name, filename)

    try:
        frame = read_table(
            path,
            max_rows=settings.max_upload_rows,
            max_columns=settings.max_upload_columns,
            max_bytes=settings.max_upload_expanded_bytes,
        )
        schema = infer_schema(frame)
    except TableTooLarge as exc:
        raise TooLarge(
            f"{user_words(str(exc))} ({LIMIT_SETTINGS[exc.measure]}): upload a smaller table "
            "(fewer rows or columns), or ask the administrator to raise the limit"
        ) from None
    except DataError as exc:
        raise InvalidInput(user_words(str(exc))) from None
    except (ValueError, OSError) as exc:
        raise InvalidInput(f"could not read {filename} as {kind}: {user_words(str(exc))}") from None
    tasks = suggest_tasks(frame, schema)
    return frame, [{**col, "task": task} for col, task in zip(schema, tasks, strict=True)]


def versions() -> dict[str, str]:
    """Podium, Python and library versions, recorded in every run snapshot."""
    found = {"podium": __version__, "python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return found
