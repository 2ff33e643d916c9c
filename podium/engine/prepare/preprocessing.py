"""Preprocessing built from the inferred schema; fitted once per fold, shared by every model.

Every step is a scikit-learn estimator or a ``FunctionTransformer`` around a public NumPy
function, so a saved pipeline loads with scikit-learn and skops alone (no Podium types).
The pipeline's input contract (what :func:`normalize_frame` produces and what a standalone
caller may pass): numeric columns as numbers, categorical/boolean/text columns as values with
NaN or None for missing, datetime columns as ``datetime64`` or ISO-8601 strings.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import (
    FunctionTransformer,
    MinMaxScaler,
    OneHotEncoder,
    OrdinalEncoder,
    RobustScaler,
    StandardScaler,
    TargetEncoder,
)

from podium.engine.records import ColumnInfo
from podium.engine.standalone import prepare_input

_SCALERS = {"zscore": StandardScaler, "minmax": MinMaxScaler, "robust": RobustScaler}
_NUMERIC_IMPUTE = {"mean": "mean", "median": "median", "zero": "constant"}
_MAX_ORDINAL_CATEGORIES = 255
#: date parts of ``YYYY-MM-DDTHH``: (name, characters kept, leading fields dropped)
_DATE_FIELDS = (("year", 4, 0), ("month", 7, 1), ("day", 10, 2), ("hour", 13, 3))
_DIGITS = "0123456789"
#: one-hot day of the week through ``numpy.is_busday`` with a one-day week mask
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DATE_WIDTH = len(_DATE_FIELDS) + len(_WEEKDAYS)
#: the date step's output parts, in order (one column each per date column)
DATE_PARTS = (*(name for name, _, _ in _DATE_FIELDS), *_WEEKDAYS)


def feature_columns(schema: list[ColumnInfo], max_onehot: int = 25) -> dict[str, list[str]]:
    """Group the feature columns of ``schema`` by how they are encoded (one-hot up to
    ``max_onehot`` distinct values).

    Returns
    -------
    dict
        ``numeric``, ``low_card`` (one-hot), ``high_card`` (bounded), ``datetime``, ``text``
        (TF-IDF) lists.
    """
    groups: dict[str, list[str]] = {
        "numeric": [],
        "low_card": [],
        "high_card": [],
        "datetime": [],
        "text": [],
    }
    for col in schema:
        if col["role"] != "feature":
            continue
        kind = col["kind"]
        if kind == "numeric":
            groups["numeric"].append(col["name"])
        elif kind == "datetime":
            groups["datetime"].append(col["name"])
        elif kind == "text":
            groups["text"].append(col["name"])
        elif kind in ("categorical", "boolean") and col["unique"] <= max_onehot:
            groups["low_card"].append(col["name"])
        elif kind in ("categorical", "boolean"):
            groups["high_card"].append(col["name"])
    return groups


def normalize_frame(X: pd.DataFrame, schema: list[ColumnInfo]) -> pd.DataFrame:
    """Coerce the feature columns of training data ``X`` to the pipeline's input contract.

    :func:`podium.engine.standalone.prepare_input` (the same code ships with artifacts and
    prepares every prediction), with values it cannot take made missing, as training may.
    """
    features = [c for c in schema if c.get("role", "feature") == "feature"]
    same = {c["name"] for c in features if _prepared_as_is(X, c)}
    prepared = prepare_input(X, [c for c in features if c["name"] not in same], errors="coerce")
    if not same:
        return cast(pd.DataFrame, prepared)
    # the caller's own column: with copy-on-write shared until either side writes to it
    columns = {
        c["name"]: X[c["name"]] if c["name"] in same else prepared[c["name"]] for c in features
    }
    return pd.DataFrame(columns, index=X.index, copy=False)


def _prepared_as_is(X: pd.DataFrame, column: ColumnInfo) -> bool:
    """Whether :func:`prepare_input` would return this column's values unchanged (a float64
    number column without infinities) and pandas shares columns copy-on-write (pandas 3),
    so that ``X``'s own column can stand for a copy: at 1,000,000 rows × 20 numbers, 160 MB
    the parent no longer holds twice."""
    if column.get("kind") != "numeric" or not copy_on_write():
        return False
    values = X[column["name"]]
    return values.dtype == np.float64 and not np.isinf(values.to_numpy()).any()


def copy_on_write() -> bool:
    """Whether pandas copies a shared column lazily, on the first write (always in pandas 3)."""
    return int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True


def build_preprocessor(
    schema: list[ColumnInfo], settings: dict[str, Any], task: str, seed: int
) -> ColumnTransformer:
    """An unfitted ColumnTransformer producing a dense float matrix.

    Parameters
    ----------
    schema : list of dict
        From :func:`podium.engine.prepare.schema.infer_schema`, roles already final.
    settings : dict
        Validated setup settings (``normalize``, ``normalize_method``, ``numeric_imputation``,
        ``categorical_imputation``, ``max_onehot_cardinality``, ``high_cardinality_encoding``,
        ``text_max_features``).
    task : str
        Used by the target encoder.
    seed : int
        Seed of the target encoder's internal cross-fitting.
    """
    max_onehot = int(settings.get("max_onehot_cardinality", 25))
    groups = feature_columns(schema, max_onehot)
    scale = settings.get("normalize", False)
    parts: list[tuple[str, Any, Any]] = []
    if groups["numeric"]:
        parts.append(("numeric", _numeric(settings, scale), groups["numeric"]))
    if groups["datetime"]:
        parts.append(("datetime", _dates(), groups["datetime"]))
    mode = settings.get("categorical_imputation", "constant") == "mode"
    if groups["low_card"]:
        # missing values are a category of their own unless the mode fills them
        onehot = OneHotEncoder(handle_unknown="ignore", sparse_output=False, drop="if_binary")
        parts.append(("onehot", _categorical(mode, [onehot]), groups["low_card"]))
    if groups["high_card"]:
        steps = [_bounded(settings, task, seed)]
        if scale:
            steps.append(_SCALERS[settings.get("normalize_method", "zscore")]())
        parts.append(("bounded", _categorical(mode, steps), groups["high_card"]))
    max_features = int(settings.get("text_max_features", 100))
    for name in groups["text"]:
        parts.append((f"text_{name}", _text(max_features), [name]))
    return ColumnTransformer(
        parts, remainder="drop", sparse_threshold=0.0, verbose_feature_names_out=False
    )


def _numeric(settings: dict[str, Any], scale: bool) -> Pipeline:
    strategy = _NUMERIC_IMPUTE[settings.get("numeric_imputation", "mean")]
    steps: list[tuple[str, Any]] = [("impute", SimpleImputer(strategy=strategy, fill_value=0.0))]
    if scale:
        steps.append(("scale", _SCALERS[settings.get("normalize_method", "zscore")]()))
    return Pipeline(steps)


def _categorical(mode: bool, steps: list[Any]) -> Pipeline:
    named = [(type(s).__name__.lower(), s) for s in steps]
    if mode:
        named.insert(0, ("impute", SimpleImputer(strategy="most_frequent")))
    return Pipeline(named)


def _bounded(settings: dict[str, Any], task: str, seed: int) -> Any:
    if settings.get("high_cardinality_encoding", "target") == "target":
        target_type = "continuous" if task == "regression" else "auto"
        return TargetEncoder(target_type=target_type, random_state=seed)
    return OrdinalEncoder(
        handle_unknown="use_encoded_value",
        unknown_value=-1,
        encoded_missing_value=-2,
        max_categories=_MAX_ORDINAL_CATEGORIES,
    )


def _text(max_features: int) -> Pipeline:
    """One free-text column → TF-IDF of its most frequent words (missing → empty text)."""
    return Pipeline(
        [
            ("fill", SimpleImputer(strategy="constant", fill_value="")),
            ("flatten", FunctionTransformer(np.ravel, feature_names_out="one-to-one")),
            ("tfidf", TfidfVectorizer(max_features=max_features, sublinear_tf=True)),
        ]
    )


def _dates() -> Pipeline:
    """Datetime columns → year, month, day, hour and a one-hot day of the week.

    Values are parsed to whole hours and printed as ``YYYY-MM-DDTHH``; each part keeps the
    first characters of that text and strips the fields before it (public NumPy string
    functions only, so the artifact needs no Podium code). Missing dates take the most
    frequent timestamp of training.
    """
    text = FunctionTransformer(np.datetime_as_string, kw_args={"unit": "h"})
    fields = [(part, _date_field(width, skip)) for part, width, skip in _DATE_FIELDS]
    days = [
        (day, _pipe(_fn(np.asarray, dtype="datetime64[D]"), _fn(np.is_busday, weekmask=mask)))
        for day, mask in zip(_WEEKDAYS, _weekmasks(), strict=True)
    ]
    return Pipeline(
        [
            ("values", _fn(np.asarray, dtype=object)),
            ("fill", SimpleImputer(strategy="constant", fill_value="NaT")),
            ("parse", _fn(np.asarray, dtype="datetime64[h]")),
            ("text", text),
            ("object", _fn(np.asarray, dtype=object)),
            ("impute", SimpleImputer(missing_values="NaT", strategy="most_frequent")),
            ("parts", FeatureUnion([*fields, *days])),
            ("float", _fn(np.asarray, dtype="float64")),
        ]
    )


def _date_field(width: int, skip: int) -> Pipeline:
    steps = [_fn(np.asarray, dtype=f"<U{width}")]
    for _ in range(skip):  # "2020-03-04T05"[:10] → "-03-04" → "03-04" → "-04" → "04"
        steps += [_fn(np.strings.lstrip, chars=_DIGITS), _fn(np.strings.lstrip, chars="-T")]
    return _pipe(*steps, _fn(np.asarray, dtype="float64"))


def _weekmasks() -> list[str]:
    return ["".join("1" if i == d else "0" for i in range(7)) for d in range(7)]


def _fn(func: Any, **kw_args: Any) -> FunctionTransformer:
    return FunctionTransformer(func, kw_args=kw_args or None)


def _pipe(*steps: Any) -> Pipeline:
    return Pipeline([(f"s{i}", s) for i, s in enumerate(steps)])


def encoded_width(schema: list[ColumnInfo], settings: dict[str, Any], n_classes: int) -> int:
    """Projected number of encoded feature columns (for the memory guardrail)."""
    max_onehot = int(settings.get("max_onehot_cardinality", 25))
    widths: dict[str, int] = {c["name"]: int(c["unique"]) for c in schema}
    groups = feature_columns(schema, max_onehot)
    per_high = max(1, n_classes) if n_classes > 2 else 1
    return (
        len(groups["numeric"])
        + DATE_WIDTH * len(groups["datetime"])
        + sum(widths[c] + 1 for c in groups["low_card"])
        + per_high * len(groups["high_card"])
        + int(settings.get("text_max_features", 100)) * len(groups["text"])
    )


_SCALE_WORDS = {"zscore": "z-score", "minmax": "min–max to [0, 1]", "robust": "median and IQR"}


def describe_preprocessing(
    schema: list[ColumnInfo], settings: dict[str, Any]
) -> list[dict[str, Any]]:
    """The steps :func:`build_preprocessor` takes, in words: ``[{name, columns, details}]``
    in the order they run, then the columns left out (ids, constants, ignored)."""
    groups = feature_columns(schema, int(settings.get("max_onehot_cardinality", 25)))
    method = settings.get("normalize_method", "zscore")
    scaled = f"; scaled ({_SCALE_WORDS.get(method, method)})" if settings.get("normalize") else ""
    mode = settings.get("categorical_imputation", "constant") == "mode"
    missing = "missing → the most frequent value" if mode else "missing is a category of its own"
    target = settings.get("high_cardinality_encoding", "target") == "target"
    bounded = "target encoding (cross-fitted)" if target else "ordinal codes (at most 255)"
    how = settings.get("numeric_imputation", "mean")
    fill = "0" if how == "zero" else f"the {how} of the training rows"
    steps = [
        ("numeric", f"missing → {fill}{scaled}", groups["numeric"]),
        ("datetime", "year, month, day, hour and weekday; missing → the most frequent date",
         groups["datetime"]),
        ("one-hot", f"one column per value (binary: one); {missing}", groups["low_card"]),
        ("high cardinality", f"{bounded}; {missing}{scaled}", groups["high_card"]),
        ("text", f"TF-IDF of the {int(settings.get('text_max_features', 100))} most frequent "
         "words; missing → empty text", groups["text"]),
    ]  # fmt: skip
    out = [{"name": n, "columns": list(c), "details": d} for n, d, c in steps if c]
    unused = [col["name"] for col in schema if col["role"] == "ignored"]
    if unused:
        out.append({"name": "not used", "columns": unused, "details": "ids, constants, ignored"})
    return out
