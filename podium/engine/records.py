"""The typed records that cross the engine's boundary: a schema column, a finding and a
leaderboard. Plain JSON once serialized; TypedDicts so mypy follows them from the engine to
the worker and the server. Imports nothing from Podium."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class ColumnInfo(TypedDict):
    """One column of :func:`podium.engine.prepare.schema.infer_schema`.

    ``kind`` is numeric, categorical, boolean, datetime, text, id or constant; ``role`` is
    target, feature or ignored (id and constant columns are not used). ``dayfirst``: a
    datetime column written as text with the day first (``31/12/2024``), read so everywhere.
    """

    name: str
    dtype: str
    kind: str
    missing: int
    unique: int
    role: str
    dayfirst: NotRequired[bool]


class Finding(TypedDict):
    """A problem setup found (``level`` info | warning; fatal ones raise ``DataError``)."""

    level: str
    code: str
    message: str
    column: NotRequired[str]


class Leaderboard(TypedDict):
    """A JSON table: ``columns`` in display order and one object per row (cells are text,
    numbers or null)."""

    columns: list[str]
    rows: list[dict[str, Any]]


class ModelRecipe(TypedDict):
    """How to build one model, as JSON: a registry model with parameters (``kind`` "model"),
    or a composite of recipes — ``bagging``/``boosting`` of one member, a ``blend`` (voting,
    ``method`` soft|hard, optional ``weights``) or a ``stack`` (``meta`` model, ``passthrough``).
    ``id`` is its leaderboard ``model_id`` (``lightgbm``, ``lightgbm_tuned``, ``blend_3``).
    Built by :func:`podium.engine.models.recipes.build`; stored with a run so its models can be
    refitted (promote) and improved again."""

    id: str
    name: str
    kind: str
    model_id: NotRequired[str]
    params: NotRequired[dict[str, Any]]
    members: NotRequired[list[ModelRecipe]]
    method: NotRequired[str]
    weights: NotRequired[list[float] | None]
    n_estimators: NotRequired[int]
    meta: NotRequired[ModelRecipe | None]
    passthrough: NotRequired[bool]


class Axis(TypedDict):
    """One axis of a plot: its label and scale (``linear``, ``log``, ``band`` for
    categories or ``time`` for ISO 8601 times); ``domain`` fixes the range (e.g. ``[0, 1]``
    for rates)."""

    label: str
    scale: NotRequired[str]
    domain: NotRequired[list[float]]


class Series(TypedDict):
    """One mark of an ``xy`` plot, drawn as ``mark``: ``line``, ``step``, ``dot``, ``area``,
    ``bar`` (vertical, ``x`` are categories), ``barh`` (horizontal, ``y`` are categories),
    ``rect`` (a histogram: bins from ``x`` to ``x2``, height ``y``) or ``rule`` (a reference
    line through the points). ``y_low``/``y_high`` give a band around ``y`` (intervals);
    ``dashed`` marks a reference such as the chance diagonal."""

    name: str
    mark: str
    x: list[Any]
    y: list[Any]
    x2: NotRequired[list[float]]
    y_low: NotRequired[list[float]]
    y_high: NotRequired[list[float]]
    dashed: NotRequired[bool]
    facet: NotRequired[str]  # the view it belongs to (a plot with ``facets`` shows one at once)


class Heatmap(TypedDict):
    """A matrix plot (a confusion matrix, correlations): ``values[i][j]`` is the cell of
    ``rows[i]`` and ``cols[j]``."""

    rows: list[str]
    cols: list[str]
    values: list[list[float | None]]


class Facets(TypedDict):
    """Views of one plot the reader picks from (e.g. each class of a multiclass model):
    ``label`` names the choice, ``values`` lists the views, the first shown first; each
    series belongs to the view its ``facet`` names."""

    label: str
    values: list[str]


class PlotData(TypedDict):
    """A plot as data, drawn by the browser: ``kind`` is ``xy`` (``series``) or ``heatmap``
    (``heatmap``). Every plot of every task, the profile's histograms included, has this
    shape; ``notes`` say what it was computed from (e.g. "out-of-fold predictions, 5 folds,
    10,000 rows; sampled to 2,000 points")."""

    id: str
    title: str
    kind: str
    x: Axis
    y: Axis
    series: list[Series]
    heatmap: NotRequired[Heatmap]
    facets: NotRequired[Facets]
    notes: list[str]
