"""A plot as data (the engine's ``records.PlotData``): series and axes as JSON, drawn in the
browser. One shape for every plot: evaluation plots, explanations and profile histograms."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.common import Output


class Axis(Output):
    label: str
    scale: Literal["linear", "log", "band", "time"] = "linear"
    domain: list[float] | None = Field(None, description="fixed [min, max], e.g. [0, 1]")


class Series(Output):
    name: str
    mark: Literal["line", "step", "dot", "area", "bar", "barh", "rect", "rule"]
    x: list[Any] = Field(description="numbers, or category names for `bar`")
    y: list[Any] = Field(description="numbers, or category names for `barh`")
    x2: list[float] | None = Field(None, description="bin ends of a `rect` (histogram) mark")
    y_low: list[float] | None = Field(None, description="lower edge of a band around y")
    y_high: list[float] | None = Field(None, description="upper edge of a band around y")
    dashed: bool = False
    facet: str | None = Field(None, description="the view of `facets` this series belongs to")


class Heatmap(Output):
    rows: list[str]
    cols: list[str]
    values: list[list[float | None]] = Field(description="values[i][j]: rows[i] by cols[j]")


class Facets(Output):
    """Views of one plot the reader picks from, e.g. each class of a multiclass model."""

    label: str = Field(description="what the views are, e.g. `Class`")
    values: list[str] = Field(description="the views, the first shown first")


class PlotRead(Output):
    """One plot: `xy` draws `series`, `heatmap` draws `heatmap`; `notes` say what it was
    computed from."""

    id: str
    title: str
    kind: Literal["xy", "heatmap"]
    x: Axis
    y: Axis
    series: list[Series] = Field(default_factory=list)
    heatmap: Heatmap | None = None
    facets: Facets | None = Field(None, description="views to pick from (series name theirs)")
    notes: list[str] = Field(default_factory=list)
