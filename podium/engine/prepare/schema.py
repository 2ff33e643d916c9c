"""Schema inference: what each column is, and what task a target implies."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from podium.engine import tasks
from podium.engine.errors import DataError
from podium.engine.prepare.targets import MAX_CLASSES, TaskSuggestion, suggest_task, task_for
from podium.engine.records import ColumnInfo
from podium.engine.standalone import to_datetime

KINDS = ("numeric", "categorical", "boolean", "datetime", "text", "id", "constant")
SUPERVISED = ("classification", "regression")  # model kinds learnt from a target column
_BOOL_WORDS = {"true", "false", "yes", "no", "y", "n", "t", "f"}
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key)$|^id[_\W]|Id$|ID$")
_MIN_ROWS_FOR_ID = 20
_TEXT_MEAN_LENGTH = 30
# a date written with its first two fields as numbers: 05/03/2024, 5.3.24, 05-03-2024 10:00
_TWO_NUMBERS_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}(?!\d)")


def infer_schema(df: pd.DataFrame, target: str | None = None) -> list[ColumnInfo]:
    """Describe every column: dtype, kind, missing count, distinct count and role.

    Parameters
    ----------
    df : DataFrame
        The table.
    target : str, optional
        The target column; its role is ``"target"``.

    Returns
    -------
    list of dict
        ``{name, dtype, kind, missing, unique, role}`` per column; kind is one of
        numeric, categorical, boolean, datetime, text, id, constant; role is ``target``,
        ``feature`` or ``ignored`` (id and constant columns are not used).

    Examples
    --------
    >>> import pandas as pd
    >>> s = infer_schema(pd.DataFrame({"a": [1.5, 2.5], "b": ["x", "y"]}))
    >>> [(c["name"], c["kind"]) for c in s]
    [('a', 'numeric'), ('b', 'categorical')]
    """
    out: list[ColumnInfo] = []
    for name in df.columns:
        col = df[name]
        kind = column_kind(str(name), col)
        if name == target:
            role = "target"
        elif kind in ("id", "constant"):
            role = "ignored"
        else:
            role = "feature"
        info: ColumnInfo = {
            "name": str(name),
            "dtype": str(col.dtype),
            "kind": kind,
            "missing": int(col.isna().sum()),
            "unique": int(col.nunique(dropna=True)),
            "role": role,
        }
        if kind == "datetime" and reads_day_first(col):
            info["dayfirst"] = True
        out.append(info)
    return out


def reads_day_first(col: pd.Series) -> bool:
    """Whether a column of dates written as text puts the day first (``31/12/2024``), decided
    once for the whole column so that every value is read the same way.

    Only values that begin with two numbers (``dd/mm/yyyy``, ``mm.dd.yy``, …) say anything;
    ISO 8601 is year first and needs no decision. A first field above 12 where no second
    field is says day first; a second field above 12 says month first. When neither field
    ever passes 12 the order cannot be read off one value: a first field that never changes
    while the second does (``01/01/2024``, ``01/02/2024``, …, monthly data) is a day;
    otherwise month first, pandas' and the US reading.

    Examples
    --------
    >>> import pandas as pd
    >>> reads_day_first(pd.Series(["02/01/2024", "13/01/2024"]))
    True
    >>> reads_day_first(pd.Series(["01/02/2024", "01/13/2024"]))
    False
    >>> reads_day_first(pd.Series(["01/01/2024", "01/02/2024", "01/03/2024"]))
    True
    >>> reads_day_first(pd.Series(["2024-01-02", "2024-01-13"]))
    False
    """
    if pd.api.types.is_datetime64_any_dtype(col) or pd.api.types.is_numeric_dtype(col):
        return False
    fields = pd.Series(col.dropna().astype(str).unique()).str.extract(_TWO_NUMBERS_FIRST)
    fields = fields.dropna().astype(int)
    if fields.empty:
        return False
    first, second = fields[0], fields[1]
    if first.max() > 12 or second.max() > 12:
        return bool(first.max() > 12 and second.max() <= 12)
    return bool(first.nunique() == 1 and second.nunique() > 1)


def column_kind(name: str, col: pd.Series) -> str:
    """Return the kind of one column (see :data:`KINDS`)."""
    values = col.dropna()
    n_unique = int(values.nunique())
    if n_unique <= 1:
        return "constant"
    if pd.api.types.is_bool_dtype(col):
        return "boolean"
    if pd.api.types.is_datetime64_any_dtype(col):
        return "datetime"
    if pd.api.types.is_numeric_dtype(col):
        return _numeric_kind(name, values, n_unique)
    strings = values.astype(str)
    if n_unique == 2 and {s.strip().lower() for s in strings.unique()} <= _BOOL_WORDS:
        return "boolean"
    if _looks_like_dates(strings):
        return "datetime"
    if n_unique == len(values) and len(values) >= _MIN_ROWS_FOR_ID:
        if float(strings.str.len().mean()) >= _TEXT_MEAN_LENGTH and strings.str.contains(" ").any():
            return "text"
        return "id"
    if float(strings.str.len().mean()) >= _TEXT_MEAN_LENGTH and n_unique > 0.5 * len(values):
        return "text"
    return "categorical"


def _numeric_kind(name: str, values: pd.Series, n_unique: int) -> str:
    if not pd.api.types.is_integer_dtype(values):
        return "numeric"
    n = len(values)
    if n_unique == n and n >= _MIN_ROWS_FOR_ID:
        span = int(values.max()) - int(values.min()) + 1
        if span == n or _ID_NAME.search(name):
            return "id"
    return "numeric"


def _looks_like_dates(strings: pd.Series) -> bool:
    sample = strings.head(200)
    if not sample.str.contains(r"\d{1,4}[-/.:]\d{1,2}", regex=True).all():
        return False
    parsed = to_datetime(sample, reads_day_first(strings))
    return bool(parsed.notna().mean() >= 0.95)


def infer_task(y: pd.Series) -> str:
    """Guess the task from the target column (the rule:
    :func:`podium.engine.prepare.targets.task_for`).

    Text, boolean and categorical targets are classification; numbers are regression
    unless they are few distinct integers.

    Examples
    --------
    >>> import pandas as pd
    >>> infer_task(pd.Series([0, 1, 1, 0]))
    'binary'
    >>> infer_task(pd.Series([0.5, 1.25, 3.0, 7.5]))
    'regression'
    """
    numeric, integral, n_unique = _target_facts(y)
    task = task_for(n_unique, numeric=numeric, integral=integral)
    if task is None:
        raise DataError(
            f"target {y.name!r} has {n_unique} distinct text values: too many classes "
            f"(more than {MAX_CLASSES}); pick another target or group the classes"
        )
    return task


def suggest_tasks(df: pd.DataFrame, schema: list[ColumnInfo]) -> list[TaskSuggestion | None]:
    """Per column of ``schema`` (``infer_schema(df)``), the task ``setup`` would infer were it
    the target, and why.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"price": [1.5, 2.5, 1.5], "n": [1, 2, 1]})
    >>> [s and s["task"] for s in suggest_tasks(df, infer_schema(df))]
    ['regression', 'binary']
    """
    out = []
    for name, column in zip(df.columns, schema, strict=True):
        numeric, integral = _number_facts(df[name].dropna())
        out.append(suggest_task(column, numeric=numeric, integral=integral))
    return out


def _target_facts(y: pd.Series) -> tuple[bool, bool, int]:
    """(numeric, all whole numbers, distinct values) of a target's present values."""
    values = y.dropna()
    return (*_number_facts(values), int(values.nunique()))


def _number_facts(values: pd.Series) -> tuple[bool, bool]:
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    if not numeric:
        return False, False
    as_float = values.to_numpy(dtype="float64")
    with np.errstate(invalid="ignore"):  # ±inf: not a whole number (and no warning)
        return True, bool(np.all(np.mod(as_float, 1) == 0))


def check_target_column(task: str, column: ColumnInfo) -> None:
    """Refuse, from a column's profile alone (``infer_schema``: kind, dtype, distinct values),
    a target the supervised ``task`` cannot learn — in :func:`check_task`'s words, so a server
    can say it when the experiment is made rather than when its first run fails.

    A column stored without its distinct count or dtype (an older schema) is not judged here:
    setup checks the data itself.

    >>> check_target_column("binary", {"name": "y", "dtype": "str", "kind": "boolean",
    ...                                "missing": 0, "unique": 2, "role": "target"})
    >>> check_target_column("binary", {"name": "y", "kind": "categorical"})  # type: ignore
    """
    facts: dict[str, object] = dict(column)
    stored = None not in (facts.get("unique"), facts.get("dtype"))
    if tasks.get(task).model_kind not in SUPERVISED or not stored:
        return
    name, n_unique = column["name"], int(column["unique"])
    if n_unique == 0:
        raise DataError(f"target {name!r} is empty (every value is missing): pick another target")
    if n_unique == 1:
        raise DataError(
            f"target {name!r} is constant (it holds one value): nothing to learn; "
            "pick another target"
        )
    numeric = column["dtype"].lower().startswith(("int", "uint", "float"))
    _check_target_facts(task, name, numeric=numeric, n_unique=n_unique)


def check_task(task: str, y: pd.Series) -> None:
    """Refuse a task the target cannot support, with what to do (supervised tasks)."""
    if tasks.get(task).model_kind not in ("classification", "regression"):
        supervised = ", ".join(t.id for t in tasks.listed() if t.model_kind in SUPERVISED)
        raise DataError(
            f"task {task!r} does not learn from a target column: use one of {supervised}"
        )
    numeric = pd.api.types.is_numeric_dtype(y.dropna())
    _check_target_facts(task, y.name, numeric=numeric, n_unique=int(y.dropna().nunique()))


def _check_target_facts(task: str, name: object, *, numeric: bool, n_unique: int) -> None:
    """The refusals :func:`check_task` and :func:`check_target_column` share."""
    if task == "regression" and not numeric:
        raise DataError(
            f"task 'regression' needs a numeric target, but {name!r} holds text: "
            "use task='binary' or 'multiclass', or pick a numeric target"
        )
    if task == "binary" and n_unique != 2:
        raise DataError(
            f"task 'binary' needs exactly 2 classes, target {name!r} has {n_unique}: "
            "use task='multiclass' or 'regression'"
        )
    if task == "multiclass" and n_unique > MAX_CLASSES * 4:
        raise DataError(
            f"target {name!r} has {n_unique} classes: too many for classification; "
            "use task='regression'"
        )
