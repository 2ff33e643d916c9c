"""Preprocessing built from the inferred schema; fitted once per fold, shared by every model."""

from __future__ import annotations

from typing import Any

from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import (
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
    TargetEncoder,
)

from podium.engine.transformers import DateParts, TextCleaner

_SCALERS = {"zscore": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}
_NUMERIC_IMPUTE = {"mean": "mean", "median": "median", "zero": "constant"}
_MAX_ORDINAL_CATEGORIES = 255


def feature_columns(schema: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Group the feature columns of ``schema`` by how they are encoded.

    Returns
    -------
    dict
        ``numeric``, ``low_card`` (one-hot), ``high_card`` (bounded), ``datetime`` lists.
    """
    groups: dict[str, list[str]] = {"numeric": [], "low_card": [], "high_card": [], "datetime": []}
    for col in schema:
        if col["role"] != "feature":
            continue
        kind = col["kind"]
        if kind == "numeric":
            groups["numeric"].append(col["name"])
        elif kind == "datetime":
            groups["datetime"].append(col["name"])
        elif kind in ("categorical", "boolean") and col["unique"] <= col.get("max_onehot", 25):
            groups["low_card"].append(col["name"])
        elif kind in ("categorical", "boolean", "text"):
            groups["high_card"].append(col["name"])
    return groups


def build_preprocessor(
    schema: list[dict[str, Any]], settings: dict[str, Any], task: str, seed: int
) -> ColumnTransformer:
    """An unfitted ColumnTransformer producing a dense float matrix.

    Parameters
    ----------
    schema : list of dict
        From :func:`podium.engine.schema.infer_schema`, roles already final.
    settings : dict
        Validated setup settings (``normalize``, ``normalize_method``, ``numeric_imputation``,
        ``categorical_imputation``, ``max_onehot_cardinality``, ``high_cardinality_encoding``).
    task : str
        Used by the target encoder.
    seed : int
        Seed of the target encoder's internal cross-fitting.
    """
    max_onehot = int(settings.get("max_onehot_cardinality", 25))
    groups = feature_columns([{**c, "max_onehot": max_onehot} for c in schema])
    scale = settings.get("normalize", False)
    parts: list[tuple[str, Any, list[str]]] = []
    if groups["numeric"]:
        parts.append(("numeric", _numeric(settings, scale), groups["numeric"]))
    if groups["datetime"]:
        steps = [("parts", DateParts()), ("impute", SimpleImputer(strategy="median"))]
        parts.append(("datetime", Pipeline(steps), groups["datetime"]))
    cat_fill = str(settings.get("categorical_imputation", "constant"))
    if groups["low_card"]:
        onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False, drop="if_binary")
        steps = [("clean", TextCleaner(strategy=cat_fill)), ("onehot", onehot)]
        parts.append(("onehot", Pipeline(steps), groups["low_card"]))
    if groups["high_card"]:
        steps = [
            ("clean", TextCleaner(strategy=cat_fill)),
            ("encode", _bounded(settings, task, seed)),
        ]
        if scale:
            steps.append(("scale", _SCALERS[settings.get("normalize_method", "zscore")]()))
        parts.append(("bounded", Pipeline(steps), groups["high_card"]))
    return ColumnTransformer(
        parts, remainder="drop", sparse_threshold=0.0, verbose_feature_names_out=False
    )


def _numeric(settings: dict[str, Any], scale: bool) -> Pipeline:
    strategy = _NUMERIC_IMPUTE[settings.get("numeric_imputation", "mean")]
    steps: list[tuple[str, Any]] = [("impute", SimpleImputer(strategy=strategy, fill_value=0.0))]
    if scale:
        steps.append(("scale", _SCALERS[settings.get("normalize_method", "zscore")]()))
    return Pipeline(steps)


def _bounded(settings: dict[str, Any], task: str, seed: int) -> Any:
    if settings.get("high_cardinality_encoding", "target") == "target":
        target_type = "continuous" if task == "regression" else "auto"
        return TargetEncoder(target_type=target_type, random_state=seed)
    return OrdinalEncoder(
        handle_unknown="use_encoded_value",
        unknown_value=-1,
        max_categories=_MAX_ORDINAL_CATEGORIES,
    )


def encoded_width(schema: list[dict[str, Any]], settings: dict[str, Any], n_classes: int) -> int:
    """Projected number of encoded feature columns (for the memory guardrail)."""
    max_onehot = int(settings.get("max_onehot_cardinality", 25))
    widths: dict[str, int] = {c["name"]: int(c["unique"]) for c in schema}
    groups = feature_columns([{**c, "max_onehot": max_onehot} for c in schema])
    per_high = max(1, n_classes) if n_classes > 2 else 1
    return (
        len(groups["numeric"])
        + 5 * len(groups["datetime"])
        + sum(widths[c] + 1 for c in groups["low_card"])
        + per_high * len(groups["high_card"])
    )
