"""The one place that defines a task (docs/DESIGN.md, "Tasks").

Every layer that needs the list of tasks reads it here: ``prepare`` (task checks, setup
parameters), ``models`` (task → model kind), ``run.metrics`` and ``evaluate.plots`` (which
tasks are classification), ``describe``, ``setup`` (dispatch to the task's setup), and through
them the server, the worker, the CLI and the web app. Adding a task is a :class:`TaskDef` in a
module of this package (listed in :data:`ALL`) plus the parts it names.

>>> [t.id for t in ALL]
['binary', 'multiclass', 'regression', 'forecasting', 'clustering', 'anomaly']
>>> get("clustering").target
'none'
"""

from __future__ import annotations

from podium.engine.errors import DataError
from podium.engine.tasks.anomaly import ANOMALY
from podium.engine.tasks.base import ALL_PLANS, OPTIONAL_PARTS, OUTPUTS, PARTS, TARGETS, TaskDef
from podium.engine.tasks.clustering import CLUSTERING
from podium.engine.tasks.forecasting import FORECASTING
from podium.engine.tasks.supervised import BINARY, MULTICLASS, REGRESSION

__all__ = [
    "ALL",
    "ALL_PLANS",
    "OPTIONAL_PARTS",
    "OUTPUTS",
    "PARTS",
    "TARGETS",
    "TaskDef",
    "check",
    "check_target",
    "get",
    "ids",
    "listed",
    "of_kind",
]

ALL: tuple[TaskDef, ...] = (BINARY, MULTICLASS, REGRESSION, FORECASTING, CLUSTERING, ANOMALY)
_BY_ID = {t.id: t for t in ALL}
if len(_BY_ID) != len(ALL):
    raise ValueError("duplicate task id in podium.engine.tasks.ALL")


def listed() -> list[TaskDef]:
    """The tasks offered to users (``available``), in display order."""
    return [t for t in _BY_ID.values() if t.available]


def ids() -> list[str]:
    """Ids of the offered tasks, in display order."""
    return [t.id for t in listed()]


def of_kind(*kinds: str) -> frozenset[str]:
    """Ids of every task (offered or not) whose models are of one of ``kinds``.

    >>> sorted(of_kind("classification"))
    ['binary', 'multiclass']
    """
    return frozenset(t.id for t in _BY_ID.values() if t.model_kind in kinds)


def get(task: str) -> TaskDef:
    """The task ``task``, offered or not.

    Raises
    ------
    DataError
        Unknown id, listing the offered ones.
    """
    found = _BY_ID.get(task) if isinstance(task, str) else None
    if found is None:
        raise DataError(f"unknown task {task!r}: use one of {', '.join(ids())}")
    return found


def check(task: str) -> TaskDef:
    """The task ``task`` if it is offered (runnable end to end).

    Raises
    ------
    DataError
        Unknown, or not available in this version, listing the offered ones.

    >>> check("regression").model_kind
    'regression'
    """
    found = get(task)
    if not found.available:
        raise DataError(
            f"task {task!r} ({found.name}) is not available yet: use one of {', '.join(ids())}"
        )
    return found


def check_target(task: str, target: str | None) -> str:
    """The target an experiment of ``task`` stores: the column, or ``""`` when it has none.

    Raises
    ------
    DataError
        A target missing where the task requires one, or given where it takes none.

    >>> check_target("clustering", None), check_target("binary", "y")
    ('', 'y')
    """
    found = get(task)
    # blank is no target; a name is kept as written (a header may begin or end with spaces)
    given = target if target and target.strip() else ""
    if found.target == "required" and not given:
        raise DataError(f"task {task!r} needs a target column: name the column to predict")
    if found.target == "none" and given:
        raise DataError(
            f"task {task!r} takes no target column, got {given!r}: leave the target empty"
        )
    return given
