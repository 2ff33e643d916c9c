"""Predict: rows in, predictions (and class probabilities) out."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from podium.server.schemas.common import Input, Output


class PredictRequest(Input):
    """Rows to score, as column → value objects."""

    rows: list[dict[str, Any]] = Field(min_length=1)
    explain: bool = Field(
        False,
        description="also return each row's explanation (SHAP values in the input columns; "
        "at most 100 rows per request)",
    )


class Contribution(Output):
    """How much one input column moved this row's output away from the base value."""

    column: str
    value: Any = Field(description="the row's value of the column, as prepared for the model")
    contribution: float = Field(description="SHAP value, in the units of `output`")


class Explanation(Output):
    """Why the model answered what it did for one row: ``base_value`` plus every column's
    contribution (the top ones listed, the others summed in ``rest``) is the model's output."""

    base_value: float = Field(
        description="the model's average output (over its training data for tree models, over "
        "a 50-row training sample otherwise), in the units of `output`"
    )
    output: Literal["log-odds", "probability", "value"] = Field(
        description="what the values add up to: log-odds (boosted trees' classification "
        "margin), probability (other classifiers) or value (regression: the prediction)"
    )
    label: Any = Field(
        None, description="the class explained: binary the second class, multiclass the predicted"
    )
    contributions: list[Contribution] = Field(description="the 10 largest, largest first")
    rest: float = Field(description="sum of the contributions not listed")


class PredictResponse(Output):
    """Predictions (and class probabilities for classifiers)."""

    predictions: list[Any] = Field(
        description="one per row, by the task's output (GET /describe/tasks): a class label or "
        'a number; clustering {"cluster": int}; anomaly detection {"score": float, "anomaly": bool}'
    )
    probabilities: list[dict[str, float]] | None = None
    explanations: list[Explanation] | None = Field(
        None, description='one per row, in order, when the request said "explain": true'
    )
    ignored_columns: list[str] = Field(
        default_factory=list,
        description="columns of the rows the pipeline does not read (ids, the target, columns "
        "setup left out): ignored, in the order first sent",
    )
    latency_ms: float
    request_id: str
