"""Each model's out-of-fold and holdout predictions: what every evaluation plot is drawn from
(nothing is refit to draw) and what ensemble selection combines.

One ``.npz`` file per model (NumPy arrays, no pickle): ``oof_*`` are the cross-validation
predictions of every training row, each made by the fold model that did not see it; ``holdout_*``
the predictions of the model fitted on the whole training part for the holdout rows. Rows are
positions in the table ``setup`` took, sorted, so the sets of two models of one run line up
row for row. Scores are the model's probabilities (``score_kind`` ``"probability"``) or decision
values (``"decision"``; a binary decision ``d`` is kept as the columns ``[-d, d]``), one column
per class; regression has none.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import IO, Any

import numpy as np

Array = np.ndarray[Any, Any]
FORMAT = 1
HOLDOUT = -1  # the "fold" that fits the training part and predicts the holdout rows


@dataclass(frozen=True)
class PredictionSet:
    """Predictions for a set of rows: true target, predicted label or value, scores."""

    rows: Array  # positions in the setup table, ascending (int64)
    y: Array  # true target: class index 0..k-1 (int32) or value (float64)
    pred: Array  # predicted class index (int32) or value (float64)
    scores: Array | None = None  # (rows, classes) float32: probabilities or decision values
    fold: Array | None = None  # the CV fold that predicted each row (out-of-fold only; int16)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class ModelPredictions:
    """One model's predictions and what a model page shows beside them."""

    model_id: str
    name: str
    task: str
    classes: list[str]
    score_kind: str
    oof: PredictionSet
    holdout: PredictionSet | None
    params: dict[str, Any] = field(default_factory=dict)
    fold_scores: dict[int, dict[str, float | None]] = field(default_factory=dict)
    holdout_scores: dict[str, float | None] | None = None

    def meta(self) -> dict[str, Any]:
        """Everything but the arrays, as JSON."""
        return {
            "format": FORMAT,
            "model_id": self.model_id,
            "name": self.name,
            "task": self.task,
            "classes": self.classes,
            "score_kind": self.score_kind,
            "params": self.params,
            "fold_scores": {str(k): v for k, v in sorted(self.fold_scores.items())},
            "holdout_scores": self.holdout_scores,
        }

    def to_bytes(self) -> bytes:
        """The ``.npz`` file (uncompressed: probabilities hardly compress, reads stay fast)."""
        arrays: dict[str, Array] = {"meta": np.array(json.dumps(self.meta()))}
        for prefix, part in (("oof", self.oof), ("holdout", self.holdout)):
            if part is None:
                continue
            for name in ("rows", "y", "pred", "scores", "fold"):
                value = getattr(part, name)
                if value is not None:
                    arrays[f"{prefix}_{name}"] = value
        buf = io.BytesIO()
        np.savez(buf, allow_pickle=False, **arrays)
        return buf.getvalue()

    @classmethod
    def load(cls, source: bytes | IO[bytes]) -> ModelPredictions:
        """Read what :meth:`to_bytes` wrote (never unpickles)."""
        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        with np.load(handle, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(str(arrays.pop("meta")))
        sets = {p: _set(arrays, p) for p in ("oof", "holdout")}
        oof = sets["oof"]
        if oof is None:
            raise ValueError("not a predictions file: it has no out-of-fold rows")
        return cls(
            model_id=meta["model_id"],
            name=meta["name"],
            task=meta["task"],
            classes=list(meta["classes"]),
            score_kind=meta["score_kind"],
            oof=oof,
            holdout=sets["holdout"],
            params=dict(meta.get("params") or {}),
            fold_scores={int(k): v for k, v in (meta.get("fold_scores") or {}).items()},
            holdout_scores=meta.get("holdout_scores"),
        )


def _set(arrays: dict[str, Array], prefix: str) -> PredictionSet | None:
    if f"{prefix}_rows" not in arrays:
        return None
    return PredictionSet(
        rows=arrays[f"{prefix}_rows"],
        y=arrays[f"{prefix}_y"],
        pred=arrays[f"{prefix}_pred"],
        scores=arrays.get(f"{prefix}_scores"),
        fold=arrays.get(f"{prefix}_fold"),
    )


@dataclass(frozen=True)
class FoldPrediction:
    """What one fit predicted for its validation rows (``FitResult`` carries it back)."""

    pred: Array
    scores: Array | None
    score_kind: str


def as_columns(scores: Array | None, n_classes: int) -> Array | None:
    """Scores as one float32 column per class (a binary decision ``d`` → ``[-d, d]``)."""
    if scores is None:
        return None
    s = np.asarray(scores, dtype="float64")
    if s.ndim == 1:
        s = np.column_stack([-s, s])
    if n_classes and s.shape[1] != n_classes:
        return None  # a model that saw fewer classes: scores that name no class reliably
    return s.astype("float32")


def combine(
    task: str,
    n_classes: int,
    parts: list[tuple[Array, Array, FoldPrediction, int | None]],
) -> PredictionSet:
    """One set from per-fold parts ``(rows, y, prediction, fold)``, sorted by row."""
    rows = np.concatenate([p[0] for p in parts]).astype("int64")
    order = np.argsort(rows, kind="stable")
    regression = task == "regression"
    cast = "float64" if regression else "int32"
    y = np.concatenate([np.asarray(p[1]) for p in parts]).astype(cast)[order]
    pred = np.concatenate([np.asarray(p[2].pred).ravel() for p in parts])
    pred = (pred if regression else np.rint(pred.astype("float64"))).astype(cast)[order]
    cols = [as_columns(p[2].scores, n_classes) for p in parts]
    scores = None
    if not regression and all(c is not None for c in cols):
        scores = np.concatenate([c for c in cols if c is not None])[order]
    folds = None
    if all(p[3] is not None for p in parts):
        folds = np.concatenate([np.full(len(p[0]), p[3], dtype="int16") for p in parts])[order]
    return PredictionSet(rows=rows[order], y=y, pred=pred, scores=scores, fold=folds)


def assemble(
    *,
    model_id: str,
    name: str,
    task: str,
    classes: list[str],
    predicted: dict[int, FoldPrediction],
    rows: dict[int, Array],
    truth: dict[int, Array],
    params: dict[str, Any],
    fold_scores: dict[int, dict[str, float | None]],
    holdout_scores: dict[str, float | None] | None,
) -> ModelPredictions:
    """A model's predictions from what each of its fits predicted (fold ``HOLDOUT``: the
    holdout rows); ``rows`` and ``truth`` are each fold's validation rows and their target."""
    k = len(classes)
    folds = sorted(f for f in predicted if f != HOLDOUT)
    oof = combine(task, k, [(rows[f], truth[f], predicted[f], f) for f in folds])
    holdout = None
    if HOLDOUT in predicted:
        holdout = combine(task, k, [(rows[HOLDOUT], truth[HOLDOUT], predicted[HOLDOUT], None)])
    kinds = {p.score_kind for p in predicted.values()}
    kind = kinds.pop() if len(kinds) == 1 else ""
    if oof.scores is None:
        kind = ""
    return ModelPredictions(
        model_id=model_id,
        name=name,
        task=task,
        classes=classes,
        score_kind=kind,
        oof=oof,
        holdout=holdout,
        params=params,
        fold_scores=fold_scores,
        holdout_scores=holdout_scores,
    )
