"""Online scoring of a few checked JSON rows without building DataFrames.

The engine's ``predict`` spends almost all of a single-row call in pandas (building, selecting
and coercing frames for the ColumnTransformer), not in the model. For the small requests of
online scoring, :class:`FastScorer` feeds each fitted ColumnTransformer block a NumPy array
built straight from the rows (numbers as float64 with NaN for null; other kinds as objects with
NaN for null — the engine's input contract), runs the same fitted transformers and model, and
reads labels and probabilities as the engine does.

It is an optimisation only, never a second model: :meth:`FastScorer.build` returns ``None``
for any pipeline shape it does not know (date columns, column selectors other than names,
sparse output …), and refuses itself unless its answers on probe rows (known categories,
unseen ones, nulls, edge numbers) are identical to the engine's ``predict`` — bit for bit. The
caller then uses the engine's ``predict``.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from collections.abc import Callable
from typing import Any

log = logging.getLogger("podium.server.scoring")
MAX_ROWS = 64
PROBE_NUMBERS = (0.0, 1.5, -2.25, None, 12345.678, 1)
SIMPLE_KINDS = ("numeric", "categorical", "boolean", "text", "id", "constant")
Reference = Callable[[Any, list[dict[str, Any]]], Any]


class FastScorer:
    """Labels (+ probabilities) of up to :data:`MAX_ROWS` checked rows, engine-identical."""

    def __init__(self, pipe: Any, schema: list[dict[str, Any]], task: str) -> None:
        self.kinds = {c["name"]: c["kind"] for c in schema}
        self.ct = pipe.steps[0][1]
        self.middle = [step for _name, step in pipe.steps[1:-1]]
        self.model = pipe.steps[-1][1]
        self.proba = task != "regression" and hasattr(self.model, "predict_proba")
        # A soft-voting VotingClassifier (the engine's label wrapper) predicts the argmax of
        # its own predict_proba (scikit-learn's code): one model pass gives both answers.
        self.soft_vote = self.proba and _is_soft_vote(self.model)
        self.labels: list[str] = []

    @classmethod
    def build(
        cls, pipe: Any, schema: list[dict[str, Any]], task: str, reference: Reference
    ) -> FastScorer | None:
        """A verified scorer for ``pipe``, or None (unknown shape, or any probe differs).

        ``reference(pipe, rows)`` is the engine's own answer: a DataFrame with ``prediction``
        and ``proba_<class>`` columns.
        """
        if not _supported(pipe, schema):
            return None
        scorer = cls(pipe, schema, task)
        try:
            probes = _probes(scorer.ct, schema)
            expected = reference(pipe, probes)
            scorer.labels = [str(c)[len("proba_") :] for c in expected.columns[1:]]
            got = scorer.score(probes)
        except Exception as exc:  # a shape the fast path cannot feed: use the engine's path
            log.info("fast scoring off for this pipeline: %s", exc)
            return None
        if got != as_result(expected):
            log.info("fast scoring off for this pipeline: probe answers differ from predict")
            return None
        return scorer

    def score(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        """``{"predictions": [...], "probabilities": [{label: p}] | None}``."""
        import numpy as np
        from sklearn import config_context

        with (
            warnings.catch_warnings(),
            config_context(assume_finite=True, skip_parameter_validation=True),
        ):
            warnings.simplefilter("ignore", UserWarning)  # numpy blocks have no column names
            Xt = self._transform(rows)
            proba = np.asarray(self.model.predict_proba(Xt)) if self.proba else None
            if self.soft_vote and proba is not None:
                labels = self.model.le_.inverse_transform(np.argmax(proba, axis=1))
            else:
                labels = self.model.predict(Xt)
        result: dict[str, Any] = {"predictions": np.asarray(labels).tolist(), "probabilities": None}
        if proba is not None:
            result["probabilities"] = [
                dict(zip(self.labels, row, strict=True)) for row in proba.tolist()
            ]
        return result

    def _transform(self, rows: list[dict[str, Any]]) -> Any:
        import numpy as np
        from scipy import sparse

        blocks = []
        for _name, step, cols in self.ct.transformers_:
            if (isinstance(step, str) and step == "drop") or not len(cols):
                continue
            block = self._block(rows, cols)
            out = block if isinstance(step, str) else step.transform(block)
            blocks.append(out.toarray() if sparse.issparse(out) else np.asarray(out))
        Xt = np.hstack(blocks)
        for step in self.middle:
            Xt = step.transform(Xt)
        return Xt

    def _block(self, rows: list[dict[str, Any]], cols: Any) -> Any:
        import numpy as np

        names = [cols] if isinstance(cols, str) else list(cols)
        if all(self.kinds[n] == "numeric" for n in names):
            nan = np.nan
            block = np.array([[nan if r[n] is None else r[n] for n in names] for r in rows], float)
        else:
            columns = [_like_pandas([r.get(n) for r in rows]) for n in names]
            block = np.empty((len(rows), len(names)), dtype=object)
            for j, values in enumerate(columns):
                block[:, j] = values
        return block[:, 0] if isinstance(cols, str) else block


def _like_pandas(values: list[Any]) -> list[Any]:
    """A non-numeric column's values as the engine's DataFrame holds them: null → NaN, and
    numbers turned to floats where pandas would infer a float column (numbers mixed with
    null or with floats), so ``3`` reads ``3.0`` exactly when it does on the engine's path."""
    nan = float("nan")
    present = [v for v in values if v is not None]
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)
    if (
        present
        and numbers
        and (len(present) < len(values) or any(isinstance(v, float) for v in present))
    ):
        return [nan if v is None else float(v) for v in values]
    return [nan if v is None else v for v in values]


def _is_soft_vote(model: Any) -> bool:
    from sklearn.ensemble import VotingClassifier

    return isinstance(model, VotingClassifier) and model.voting == "soft"


def _supported(pipe: Any, schema: list[dict[str, Any]]) -> bool:
    """An sklearn Pipeline whose first step is a dense ColumnTransformer over named columns."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import Pipeline

    if not isinstance(pipe, Pipeline) or len(pipe.steps) < 2:
        return False
    ct = pipe.steps[0][1]
    if not isinstance(ct, ColumnTransformer) or getattr(ct, "sparse_output_", True):
        return False
    kinds = {c["name"]: c["kind"] for c in schema}
    if any(kind not in SIMPLE_KINDS for kind in kinds.values()):
        return False
    for _name, step, cols in ct.transformers_:
        if isinstance(step, str) and step == "drop":
            continue
        names = [cols] if isinstance(cols, str) else cols
        if not isinstance(names, list) or not all(isinstance(n, str) and n in kinds for n in names):
            return False
        if isinstance(step, str) and step != "passthrough":
            return False
    return True


def _probes(ct: Any, schema: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that walk every known category, an unseen one, nulls and edge numbers."""
    known = _known_values(ct)
    pools: dict[str, list[Any]] = {}
    for col in schema:
        name, kind = col["name"], col["kind"]
        if kind == "numeric":
            pools[name] = list(PROBE_NUMBERS)
        elif kind == "boolean":
            pools[name] = [True, False, None]
        else:
            pools[name] = [*known.get(name, []), "zz-unseen", None]
    size = max(len(p) for p in pools.values())
    cycles = {n: itertools.cycle(p) for n, p in pools.items()}
    return [{n: next(c) for n, c in cycles.items()} for _ in range(size)]


def _known_values(ct: Any) -> dict[str, list[Any]]:
    """Categories the fitted encoders learned, per input column (strings and numbers only)."""
    found: dict[str, list[Any]] = {}
    for _name, step, cols in ct.transformers_:
        if isinstance(step, str) or isinstance(cols, str):
            continue
        inner = getattr(step, "steps", [(None, step)])
        for _n, part in inner:
            categories = getattr(part, "categories_", None)
            if categories is None or len(categories) != len(cols):
                continue
            for name, values in zip(cols, categories, strict=True):
                found[name] = [v.item() if hasattr(v, "item") else v for v in values[:50]]
    return {
        n: [v for v in vals if isinstance(v, (str, int, float)) and v == v]
        for n, vals in found.items()
    }


def as_result(frame: Any) -> dict[str, Any]:
    """The engine's predict output in the JSON response's shape."""
    proba = [c for c in frame.columns if str(c).startswith("proba_")]
    result: dict[str, Any] = {"predictions": frame["prediction"].tolist(), "probabilities": None}
    if proba:
        labels = [str(c)[len("proba_") :] for c in proba]
        values = frame[proba].to_numpy().tolist()
        result["probabilities"] = [dict(zip(labels, row, strict=True)) for row in values]
    return result
