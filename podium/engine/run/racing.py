"""Racing: stop a model whose cross-validation scores cannot reach the leader's.

The rule is a one-sided paired test on the folds both models ran, with the variance correction
cross-validation needs (Nadeau & Bengio, 2003, "Inference for the generalization error"): the
``k`` fold differences ``d = leader − model`` (higher is better) are not independent — each pair
of training sets shares ``(K − 2) / (K − 1)`` of its rows — so the naive standard error
``sd(d) / √k`` is too small. The corrected one is ``sd(d) · √(1/k + n_valid/n_train)``, with
``n_valid/n_train = 1/(K − 1)`` for K-fold CV. The model is stopped when

    mean(d) − t(1 − α, k − 1) · sd(d) · √(1/k + 1/(K − 1)) > 0,     α = 0.025 (one-sided)

i.e. the leader is better at the 5% two-sided level with Student's t on ``k − 1`` degrees of
freedom — a wide margin at three folds (t = 4.30), the usual one at four (t = 3.18). A model
within noise of the leader is never stopped, so it and the leader run every fold and the winner
is the one a full comparison picks. At least :data:`MIN_FOLDS` common folds are needed: two
folds give one degree of freedom, and their two differences can agree by chance (accuracies on
small folds are multiples of 1/rows: two folds with the same difference make ``sd(d)`` zero) —
a compare on tests' data stopped a model that tied the winner over five folds that way. With
identical differences on every fold the test waits for :data:`MIN_FOLDS_EXACT` folds.

Before the third fold — the *first-fold screen*, for sort metrics that are a mean over
validation rows (:data:`SCREEN_METRICS`: Accuracy, MAE, MSE, RMSE, R2) on folds of at least
:data:`SCREEN_MIN_ROWS` validation rows — a model is judged at checkpoints k = 1, 2 by a paired
test on the *rows* of its first k folds: each validation row's loss under the leader minus under
the model (both predicted the same rows), a one-sided z-test at α = :data:`SCREEN_ALPHA`. That is
McNemar's setting (Dietterich, 1998, "Approximate statistical tests for comparing supervised
classification learning algorithms", recommends it when a learner is too costly to fit
repeatedly): it sees the validation rows' noise but not the training set's, so its level is
0.1 %, not the race's 2.5 %, and its standard error is Nadeau and Bengio's corrected one with
the variance of a fold's mean difference taken as ``sd²/n_valid`` (``sd`` of the row
differences): ``sd · √(1/n + 1/n_train)`` over the ``n`` rows of k folds. On large folds a
model far behind the leader (gradient boosting 5 points of accuracy behind on 7,000 rows)
stops after one fold instead of three. From the third fold on the corrected t-test across
folds decides, as above.

:class:`Race` applies it at checkpoints so that the same scores always stop the same models,
whatever order the fits finish in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

ALPHA = 0.025  # one-sided: 5% two-sided
MIN_FOLDS = 3
MIN_FOLDS_EXACT = 4
_EXACT = 1e-9  # an sd(d) below this is zero (float noise on identical differences)
SCREEN_ALPHA = 0.001  # one-sided, the first-fold screen's row test (module doc)
SCREEN_MIN_ROWS = 1000  # validation rows of a fold for the row test's normal approximation
SCREEN_METRICS = ("Accuracy", "MAE", "MSE", "RMSE", "R2")

FoldScores = Mapping[int, float | None]
Array = np.ndarray[Any, Any]


def row_gains(metric: str, y: Array, pred: Array) -> Array | None:
    """Per validation row, what ``metric`` averages, higher is better: 1 for a right label
    (Accuracy), minus the absolute (MAE) or squared error (MSE, RMSE, R2: on one fold, their
    order is the mean squared error's); None for other metrics.

    Examples
    --------
    >>> row_gains("Accuracy", np.array([0, 1, 1]), np.array([0, 0, 1])).tolist()
    [1.0, 0.0, 1.0]
    >>> row_gains("MAE", np.array([1.0, 2.0]), np.array([1.5, 2.0])).tolist()
    [-0.5, -0.0]
    """
    if metric == "Accuracy":
        right: Array = (np.asarray(pred) == np.asarray(y)).astype("float64")
        return right
    if metric in SCREEN_METRICS:
        err = np.asarray(pred, dtype="float64") - np.asarray(y, dtype="float64")
        loss: Array = np.abs(err) if metric == "MAE" else err**2
        return -loss
    return None


def row_margin(d: Array, train_rows: int) -> float | None:
    """``mean(d) − z·sd(d)·√(1/n + 1/train_rows)`` over ``n`` validation rows' differences
    (the screen's test, module doc); None when there are too few rows or any is missing."""
    n = len(d)
    if n < SCREEN_MIN_ROWS or not np.isfinite(d).all():
        return None
    from scipy.stats import norm

    z = float(norm.ppf(1 - SCREEN_ALPHA))
    return float(d.mean()) - z * float(d.std(ddof=1)) * math.sqrt(1 / n + 1 / max(1, train_rows))


def _t_quantile(df: int) -> float:
    from scipy.stats import t

    return float(t.ppf(1 - ALPHA, df))


def margin(d: np.ndarray, total_folds: int) -> float | None:
    """``mean(d) − t·SE`` (corrected); None when the test does not apply yet."""
    k = len(d)
    if k < MIN_FOLDS or not np.isfinite(d).all():
        return None
    sd = float(d.std(ddof=1))
    if sd < _EXACT and k < MIN_FOLDS_EXACT:
        return None
    correction = 1 / max(1, total_folds - 1)
    return float(d.mean()) - _t_quantile(k - 1) * sd * math.sqrt(1 / k + correction)


def beaten(leader: FoldScores, model: FoldScores, total_folds: int) -> bool:
    """Whether ``leader`` beats ``model`` on the folds both ran, beyond noise (see module doc).

    Scores are higher-is-better (a scorer's ``sort_key``); a fold without a score on either
    side is left out.

    Examples
    --------
    >>> beaten({0: 0.9, 1: 0.91, 2: 0.9}, {0: 0.6, 1: 0.62, 2: 0.61}, 5)
    True
    >>> beaten({0: 0.9, 1: 0.91, 2: 0.9}, {0: 0.89, 1: 0.91, 2: 0.9}, 5)
    False
    """
    d, _ = _differences(leader, model)
    m = margin(d, total_folds)
    return m is not None and m > 0


@dataclass(frozen=True)
class Verdict:
    """A model to stop, the model that beats it, and after how many folds."""

    model_id: str
    leader_id: str
    folds: int


def strongest(evidence: Mapping[str, FoldScores], mine: FoldScores, total_folds: int) -> str | None:
    """The model of ``evidence`` that beats ``mine`` by the widest margin, if any does."""
    best: tuple[float, str] | None = None
    for other in sorted(evidence):
        d, _ = _differences(evidence[other], mine)
        m = margin(d, total_folds)
        if m is not None and m > 0 and (best is None or m > best[0]):
            best = (m, other)
    return None if best is None else best[1]


class Race:
    """Which models to stop, decided from fold scores alone (never from timing).

    Each model is judged at checkpoints k = :data:`MIN_FOLDS` … K−1 on its folds 0…k−1,
    against every other model that has those folds and passed its own checkpoints below k
    (so its first k folds are final); a checkpoint waits until every model either can give
    that evidence or never will (failed, or stopped before k). So the same data and seed stop
    the same models after the same folds on any machine and any load, and a model whose later
    folds came in before its checkpoint was decided keeps only its first k (:meth:`settle`'s
    verdicts say k). A failed model gives no evidence (a time limit is the one timing-dependent
    outcome). ``exempt`` (the first-row model) is never judged.

    With ``train_rows`` (the screen applies: the sort metric is a row mean and the folds are
    large enough), the checkpoints start at k = 1 and the first two test the rows that
    :meth:`record` was given (module doc).
    """

    def __init__(
        self,
        models: list[str],
        folds: int,
        exempt: str | None = None,
        key: Callable[[float | None], float] | None = None,
        train_rows: int | None = None,
    ) -> None:
        self.folds = folds
        self.key = key
        self.train_rows = train_rows
        self.first = 1 if train_rows is not None else MIN_FOLDS  # the first checkpoint
        self.level = {m: (folds if m == exempt else min(folds, self.first)) for m in models}
        self.scores: dict[str, dict[int, float | None]] = {m: {} for m in models}
        self.rows: dict[str, dict[int, Array | None]] = {m: {} for m in models}
        self.out: set[str] = set()
        self.stopped: dict[str, int] = {}

    def record(
        self, model_id: str, fold: int, score: float | None, gains: Array | None = None
    ) -> None:
        """A fold's score on the sort metric (and, for the screen, its :func:`row_gains`)."""
        self.scores[model_id][fold] = self.key(score) if self.key is not None else score
        if self.train_rows is not None and fold < MIN_FOLDS and model_id in self.rows:
            self.rows[model_id][fold] = gains

    def drop(self, model_id: str) -> None:
        """The model failed: no evidence from it, nothing to wait for."""
        self.out.add(model_id)

    def complete(self, model_id: str) -> bool:
        """Passed every checkpoint (its row may show once its folds are in)."""
        return self.level[model_id] >= self.folds and model_id not in self.stopped

    def settle(self) -> list[Verdict]:
        """Decide every checkpoint that can be decided now; the models stopped."""
        verdicts: list[Verdict] = []
        changed = True
        while changed:
            changed = False
            for model_id in sorted(self.level):
                outcome = self._checkpoint(model_id)
                if outcome is None:
                    continue
                changed = True
                if isinstance(outcome, Verdict):
                    verdicts.append(outcome)
        if self.rows and all(
            lv >= MIN_FOLDS or m in self.out or m in self.stopped for m, lv in self.level.items()
        ):
            self.rows = {}  # past the screen: the row gains are no longer needed
        return verdicts

    def _checkpoint(self, model_id: str) -> Verdict | bool | None:
        k = self.level[model_id]
        mine = self.scores[model_id]
        if model_id in self.out or model_id in self.stopped or k >= self.folds:
            return None
        if any(f not in mine for f in range(k)):
            return None
        evidence = {}
        for other, level in self.level.items():
            if other == model_id or other in self.out:
                continue
            if other in self.stopped and self.stopped[other] < k:
                continue
            theirs = self.scores[other]
            if level < k or any(f not in theirs for f in range(k)):
                return None  # wait: its first k folds are not final yet
            evidence[other] = {f: theirs[f] for f in range(k)}
        if k < MIN_FOLDS:
            leader = self._screen(model_id, sorted(evidence), k)
        else:
            leader = strongest(evidence, {f: mine[f] for f in range(k)}, self.folds)
        if leader is None:
            self.level[model_id] = k + 1
            return True
        self.stopped[model_id] = k
        return Verdict(model_id, leader, k)

    def _screen(self, model_id: str, others: list[str], k: int) -> str | None:
        """The model of ``others`` that beats ``model_id`` by the widest margin on the rows of
        folds 0…k−1 (:func:`row_margin`), if any; a fold without row gains gives no evidence."""
        assert self.train_rows is not None
        mine = [self.rows.get(model_id, {}).get(f) for f in range(k)]
        if any(g is None for g in mine):
            return None
        best: tuple[float, str] | None = None
        for other in others:
            theirs = [self.rows.get(other, {}).get(f) for f in range(k)]
            pairs = [(t, m) for t, m in zip(theirs, mine, strict=True) if t is not None]
            if len(pairs) < k or any(m is None or len(t) != len(m) for t, m in pairs):
                continue
            d = np.concatenate([t - m for t, m in pairs])
            margin = row_margin(d, self.train_rows)
            if margin is not None and margin > 0 and (best is None or margin > best[0]):
                best = (margin, other)
        return None if best is None else best[1]


def _differences(leader: FoldScores, model: FoldScores) -> tuple[np.ndarray, int]:
    common = [
        f
        for f in sorted(set(leader) & set(model))
        if leader[f] is not None and model[f] is not None
    ]
    d = np.array([leader[f] - model[f] for f in common], dtype="float64")  # type: ignore[operator]
    return d, len(common)
