"""From encoded columns back to the table's own: which input column each encoded one comes
from, and sums over those groups.

The preprocessing (:func:`podium.engine.prepare.preprocessing.build_preprocessor`) turns a
column into one output (numbers, a bounded encoding), several (one-hot categories, date parts,
TF-IDF words) or one per class (target encoding of a multiclass target). Importance and SHAP
values are additive over outputs, so a column's value is the exact sum over its outputs.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

Array = np.ndarray[Any, Any]


def source_columns(pre: ColumnTransformer) -> list[str]:
    """The input column of each output column of a fitted preprocessor, in output order."""
    sources: list[str] = [""] * _width(pre)
    for name, transformer, columns in pre.transformers_:
        part = pre.output_indices_.get(name)
        if part is None or transformer == "drop" or part.stop == part.start:
            continue
        names = _part_sources(transformer, [str(c) for c in columns], part.stop - part.start)
        sources[part.start : part.stop] = names
    missing = [i for i, s in enumerate(sources) if not s]
    if missing:
        raise ValueError(f"encoded columns {missing[:5]} have no source column")
    return sources


def _width(pre: ColumnTransformer) -> int:
    return max((s.stop for s in pre.output_indices_.values()), default=0)


def _part_sources(transformer: Any, columns: list[str], width: int) -> list[str]:
    """The source of each of the ``width`` outputs of one part of the ColumnTransformer."""
    if len(columns) == 1:
        return columns * width
    steps = transformer.steps if isinstance(transformer, Pipeline) else [("only", transformer)]
    kept = columns
    for _name, step in steps:
        if isinstance(step, SimpleImputer):  # drops the columns that were empty in training
            kept = [str(c) for c in step.get_feature_names_out(kept)]
        elif isinstance(step, OneHotEncoder):
            return _onehot_sources(step, kept)
    if width % len(kept):
        raise ValueError(f"{width} encoded columns cannot come from {len(kept)} columns")
    per = width // len(kept)  # one per column, or one per class (multiclass target encoding)
    return [c for c in kept for _ in range(per)]


def _onehot_sources(encoder: OneHotEncoder, columns: list[str]) -> list[str]:
    drops = encoder.drop_idx_ if encoder.drop_idx_ is not None else [None] * len(columns)
    out: list[str] = []
    for column, categories, drop in zip(columns, encoder.categories_, drops, strict=True):
        out += [column] * (len(categories) - (drop is not None))
    return out


def group_matrix(sources: list[str]) -> tuple[list[str], Array]:
    """The distinct source columns (first-seen order) and the 0/1 matrix (encoded × columns)
    whose product sums encoded values into their columns."""
    columns = list(dict.fromkeys(sources))
    index = {c: i for i, c in enumerate(columns)}
    matrix = np.zeros((len(sources), len(columns)))
    for row, source in enumerate(sources):
        matrix[row, index[source]] = 1.0
    return columns, matrix


def sum_by_column(values: Array, sources: list[str]) -> tuple[list[str], Array]:
    """Sum the last axis of ``values`` (one entry per encoded column) per source column.

    Returns the source columns and the summed array (same shape, last axis per column).
    """
    columns, matrix = group_matrix(sources)
    return columns, np.asarray(values, dtype="float64") @ matrix
