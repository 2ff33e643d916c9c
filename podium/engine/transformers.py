"""Podium's own estimators (scikit-learn conventions; trusted by the artifact loader)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.metaestimators import available_if

MISSING = "__missing__"
DATE_PARTS = ("year", "month", "day", "dayofweek", "hour")


class TextCleaner(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Cast categorical columns to text; missing values become a category or the mode.

    Parameters
    ----------
    strategy : {"constant", "mode"}
        ``"constant"`` keeps missing as its own category, ``"mode"`` fills the most frequent.
    """

    def __init__(self, *, strategy: str = "constant") -> None:
        self.strategy = strategy

    def fit(self, X: Any, y: Any = None) -> TextCleaner:
        """Learn the fill value of every column."""
        frame = self._frame(X)
        self.n_features_in_ = frame.shape[1]
        fills = []
        for name in frame.columns:
            col = frame[name].dropna()
            mode = col.astype(str).mode() if self.strategy == "mode" else pd.Series([], dtype=str)
            fills.append(str(mode.iloc[0]) if len(mode) else MISSING)
        self.fill_values_ = fills
        return self

    def transform(self, X: Any) -> Any:
        """Return an object array of strings with no missing value."""
        frame = self._frame(X)
        out = np.empty(frame.shape, dtype=object)
        for j, name in enumerate(frame.columns):
            col = frame[name]
            text = col.astype(object).where(col.notna(), None).astype(str)
            out[:, j] = text.where(col.notna(), self.fill_values_[j]).to_numpy(dtype=object)
        return out

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """Names pass through."""
        return np.asarray(input_features, dtype=object)

    @staticmethod
    def _frame(X: Any) -> pd.DataFrame:
        return X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)


class DateParts(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Expand datetime (or date-like text) columns into year, month, day, weekday, hour."""

    def fit(self, X: Any, y: Any = None) -> DateParts:
        """Remember the number of input columns."""
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X: Any) -> Any:
        """Return a float array, ``len(DATE_PARTS)`` columns per input column, NaN for missing."""
        frame = X if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
        blocks = []
        for name in frame.columns:
            ts = pd.to_datetime(frame[name], errors="coerce", format="mixed")
            parts = [ts.dt.year, ts.dt.month, ts.dt.day, ts.dt.dayofweek, ts.dt.hour]
            blocks.append(
                np.column_stack([p.to_numpy(dtype="float64", na_value=np.nan) for p in parts])
            )
        return np.hstack(blocks) if blocks else np.empty((len(frame), 0))

    def get_feature_names_out(self, input_features: Any = None) -> Any:
        """``<column>_<part>`` per part."""
        names = input_features if input_features is not None else []
        return np.asarray([f"{n}_{p}" for n in names for p in DATE_PARTS], dtype=object)


def _inner_has(attr: str) -> Any:
    def check(self: EncodedClassifier) -> bool:
        inner = getattr(self, "estimator_", self.estimator)
        return hasattr(inner, attr)

    return check


class EncodedClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fit ``estimator`` on labels encoded 0..k-1 and answer in the original labels.

    Lets every booster (XGBoost needs 0..k-1) share one label convention with the CV fits.

    Parameters
    ----------
    estimator : classifier
        The classifier to wrap (cloned at fit).
    """

    def __init__(self, estimator: Any = None) -> None:
        self.estimator = estimator

    def fit(self, X: Any, y: Any) -> EncodedClassifier:
        """Encode ``y`` and fit a clone of the estimator."""
        self.encoder_ = LabelEncoder().fit(y)
        self.classes_ = self.encoder_.classes_
        self.estimator_ = clone(self.estimator).fit(X, self.encoder_.transform(y))
        return self

    def predict(self, X: Any) -> Any:
        """Predicted labels, in the original classes."""
        return self.encoder_.inverse_transform(np.asarray(self.estimator_.predict(X), dtype=int))

    @available_if(_inner_has("predict_proba"))  # type: ignore[untyped-decorator]
    def predict_proba(self, X: Any) -> Any:
        """Class probabilities (columns in ``classes_`` order)."""
        return self.estimator_.predict_proba(X)

    @available_if(_inner_has("decision_function"))  # type: ignore[untyped-decorator]
    def decision_function(self, X: Any) -> Any:
        """Decision values of the wrapped estimator."""
        return self.estimator_.decision_function(X)
