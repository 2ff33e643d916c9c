"""Online scoring of a few prepared JSON rows without building DataFrames.

The engine's ``predict`` spends almost all of a single-row call in pandas (building, selecting
and coercing frames for the ColumnTransformer), not in the model. For the small requests of
online scoring, :class:`FastScorer` feeds each fitted ColumnTransformer block a NumPy array
stacked from the prepared columns (``standalone.prepare_rows``: the input preparation every
path shares — numbers as float64, other kinds as objects, NaN for missing), runs the same
fitted transformers and model, and reads labels and probabilities as the engine does.

It is an optimisation only, never a second model: :meth:`FastScorer.build` returns ``None``
for any pipeline shape it does not know (date columns, column selectors other than names,
sparse output …), and refuses itself unless its answers on probe rows (known categories,
unseen ones, nulls, edge numbers, booleans and their spellings) are identical to the engine's
``predict`` — bit for bit. The caller then uses the engine's ``predict``.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from podium.engine.standalone import quiet

log = logging.getLogger("podium.server.scoring")
MAX_ROWS = 64
PROBE_NUMBERS = (0.0, 1.5, -2.25, None, 12345.678, 1, "7.5")
#: leap days, month and year ends, before 1970, hours and minutes, each weekday
PROBE_DATES = (
    "2024-02-29T23:59", "1969-12-31 23:30", "2000-01-01", None, "1970-01-01T00:00:00",
    "2100-03-01", "1900-02-28 12:00", "2023-12-31T12", "1999-03-01", "2030-07-15T06:45",
)  # fmt: skip
SIMPLE_KINDS = ("numeric", "categorical", "boolean", "text", "id", "constant")
Reference = Callable[[Any, dict[str, Any]], Any]
FAST_OUTPUTS = ("label", "value")  # TaskDef outputs answered as predictions (+ probabilities)


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

        ``reference(pipe, columns)`` is the engine's own answer on prepared columns: a
        DataFrame with ``prediction`` and ``proba_<class>`` columns.
        """
        from podium.engine.standalone import prepare_rows

        if not _supported(pipe, schema):
            return None
        scorer = cls(pipe, schema, task)
        try:
            probes = prepare_rows(_probes(scorer.ct, schema), schema)
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

    def score(self, columns: dict[str, Any]) -> dict[str, Any]:
        """``{"predictions": [...], "probabilities": [{label: p}] | None}`` of prepared
        columns (``standalone.prepare_rows``)."""
        import numpy as np
        from sklearn import config_context

        with (
            quiet(UserWarning),  # numpy blocks have no column names
            config_context(assume_finite=True, skip_parameter_validation=True),
        ):
            Xt = self._transform(columns)
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

    def _transform(self, columns: dict[str, Any]) -> Any:
        import numpy as np
        from scipy import sparse

        blocks = []
        for _name, step, cols in self.ct.transformers_:
            if (isinstance(step, str) and step == "drop") or not len(cols):
                continue
            block = self._block(columns, cols)
            out = block if isinstance(step, str) else step.transform(block)
            blocks.append(out.toarray() if sparse.issparse(out) else np.asarray(out))
        Xt = np.hstack(blocks)
        for step in self.middle:
            Xt = step.transform(Xt)
        return Xt

    def _block(self, columns: dict[str, Any], cols: Any) -> Any:
        import numpy as np

        if isinstance(cols, str):
            return columns[cols]
        names = list(cols)
        numeric = all(self.kinds[n] == "numeric" for n in names)
        block = np.empty((len(columns[names[0]]), len(names)), dtype=float if numeric else object)
        for j, name in enumerate(names):
            block[:, j] = columns[name]
        return block


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


def probe_rows(pipe: Any, schema: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """:func:`_probes` of any pipeline (the categories of a first-step ColumnTransformer)."""
    steps = getattr(pipe, "steps", None) or [(None, None)]
    ct = steps[0][1] if hasattr(steps[0][1], "transformers_") else None
    return _probes(ct, schema)


def _probes(ct: Any, schema: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows that walk every known category, an unseen one, nulls, edge numbers and dates."""
    known = _known_values(ct) if ct is not None else {}
    pools: dict[str, list[Any]] = {}
    for col in schema:
        name, kind = col["name"], col["kind"]
        spellings = list((col.get("boolean_values") or {}).values())
        booleans = [True, False, *spellings] if spellings else []
        if kind == "numeric":
            pools[name] = [*PROBE_NUMBERS, *booleans]
        elif kind == "datetime":
            pools[name] = list(PROBE_DATES)
        elif booleans:
            pools[name] = [*booleans, None, *known.get(name, [])]
        else:
            pools[name] = [*known.get(name, []), "zz-unseen", None, 7]
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


def as_result(frame: Any, output: str = "label") -> dict[str, Any]:
    """The engine's predict output in the JSON response's shape, by the task's ``output``
    (``TaskDef.output``): labels (+ probabilities) or values; for any other output one object
    per row of the engine's columns (clustering ``{"cluster": 2}``, anomaly
    ``{"score": 0.71, "anomaly": true}``)."""
    if output not in FAST_OUTPUTS or "prediction" not in frame.columns:
        columns = {str(c): frame[c].tolist() for c in frame.columns}  # numpy → JSON types
        rows = [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]
        return {"predictions": rows, "probabilities": None}
    proba = [c for c in frame.columns if str(c).startswith("proba_")]
    result: dict[str, Any] = {"predictions": frame["prediction"].tolist(), "probabilities": None}
    if proba:
        labels = [str(c)[len("proba_") :] for c in proba]
        values = frame[proba].to_numpy().tolist()
        result["probabilities"] = [dict(zip(labels, row, strict=True)) for row in values]
    return result
