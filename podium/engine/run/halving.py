"""Successive halving for large tables: models clearly behind on subsamples never fit the
whole folds.

Before any full-size fit (the first-row model aside), every model fits the training rows of
the first :data:`LOW_FOLDS` folds at two low fidelities — ``n/ETA²`` and ``n/ETA`` rows of
the fold's ``n``, a stratified, seeded, nested subsample (:func:`subsample`) — and is scored
on the fold's whole validation rows. Then, once every model's low-fidelity scores are in, a
model is stopped when another model's score at ``n/ETA`` rows beats *the most this model could
still reach at n rows*, beyond noise (the racing test, :func:`podium.engine.run.racing.strongest`).

"The most it could reach" is the learning-curve bound of Mohr & van Rijn's learning-curve
cross-validation (LCCV; "Fast and Informative Model Selection Using Learning Curve
Cross-Validation", IEEE TPAMI 2023): a learning curve that is monotone and convex in the
training size (error falls, by less with every extra row — what power-law curves do) lies
above the straight line through its last two anchors, so the score at ``n`` rows is at most

    s₂ + max(0, s₂ − s₁) · (n − n₂) / (n₂ − n₁)        (= s₂ + ETA · (s₂ − s₁) for ETA = 4)

per fold, where ``s₁, s₂`` are the scores at ``n₁ = n/ETA², n₂ = n/ETA`` (higher is better).
Three folds, the fewest the test takes: every model that goes on pays these fits for nothing,
about (1/16 + 1/4) · 3 ≈ 0.9 of one full-size fit for a model whose cost grows with the rows.
The other side of the comparison is the other model's own score at ``n₂``: by the same
monotonicity its full-size score is at least that. So a stop needs the pessimistic view of
one model to beat the optimistic view of the other, fold by fold, at the 5 % level of the
corrected paired t-test — a model with a steep curve (still learning) is never stopped, and the
leader and every model within noise of it go on to the full folds (where the race judges them
again), so the winner is the full compare's. The bound is linear in rows, not in log rows:
convexity in rows is the weaker assumption (a curve convex in log rows is convex in rows too),
so the bound is the more generous one.

Small subsamples are where learning curves break these assumptions (a slow start before the
power law, peaking of LDA/QDA near as many rows as columns): halving runs only when the
smaller anchor has at least :data:`MIN_ANCHOR_ROWS` rows, and at least :data:`MIN_ROWS_PER_COLUMN`
per encoded column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from podium.engine.run import racing

ETA = 4  # each anchor has ETA × the rows of the one before
LOW_FOLDS = racing.MIN_FOLDS  # folds fitted at each low fidelity
MIN_ANCHOR_ROWS = 1000
MIN_ROWS_PER_COLUMN = 10

Array = np.ndarray[Any, Any]


def anchors(rows: int, width: int) -> tuple[int, int] | None:
    """The two low-fidelity training sizes for folds of ``rows`` training rows and ``width``
    encoded columns, or None when the table is too small to halve.

    Examples
    --------
    >>> anchors(56_000, 22)
    (3500, 14000)
    >>> anchors(5_600, 22) is None
    True
    """
    low, high = rows // ETA**2, rows // ETA
    if low < max(MIN_ANCHOR_ROWS, MIN_ROWS_PER_COLUMN * width):
        return None
    return low, high


def subsample(y: Array, rows: int, seed: int, fold: int, stratify: bool) -> Array:
    """The sorted positions of ``rows`` of the training rows ``y`` a low-fidelity fit takes.

    The same ``seed`` and ``fold`` give the same order for every model (their scores pair up)
    and on every executor; a smaller subsample is a prefix of a larger one (nested anchors).
    With ``stratify`` every prefix holds each class in its share (±1 row), and one row of each
    class comes first, so every class is present.

    Examples
    --------
    >>> y = np.array([0] * 90 + [1] * 10)
    >>> picked = subsample(y, 20, seed=1, fold=0, stratify=True)
    >>> len(picked), int(y[picked].sum())
    (20, 2)
    >>> set(subsample(y, 10, 1, 0, True)) <= set(picked)
    True
    """
    n = len(y)
    rows = min(rows, n)
    order = np.random.default_rng([seed, fold]).permutation(n)
    if stratify:
        labels = np.asarray(y)[order]
        key = np.empty(n, dtype="float64")
        for value in np.unique(labels):
            at = np.flatnonzero(labels == value)
            key[at] = np.arange(len(at)) / len(at)  # a class's k-th row: k / its count
        order = order[np.argsort(key, kind="stable")]
    return np.sort(order[:rows])


def optimistic(low: float, high: float, rows: int, anchors_: tuple[int, int]) -> float:
    """The highest score at ``rows`` rows a convex, monotone learning curve through ``low``
    (at ``anchors_[0]`` rows) and ``high`` (at ``anchors_[1]``) allows (module doc)."""
    n1, n2 = anchors_
    return high + max(0.0, high - low) * (rows - n2) / (n2 - n1)


@dataclass(frozen=True)
class Verdict:
    """A model halving stopped, the model whose score at ``fit_rows`` beat its bound."""

    model_id: str
    leader_id: str
    fit_rows: int


class Halving:
    """The low-fidelity round: which models to stop, from their scores alone.

    Decided once, when every model's low-fidelity fits are in (or it failed), so the same
    scores stop the same models whatever order the fits finish in. ``folds`` is the compare's
    (the test's correction uses it); the first :attr:`low_folds` of them run at low fidelity.
    """

    def __init__(
        self,
        models: list[str],
        folds: int,
        rows: int,
        anchors_: tuple[int, int],
        key: Callable[[float | None], float] | None = None,
    ) -> None:
        self.models, self.folds, self.rows, self.anchors = list(models), folds, rows, anchors_
        self.low_folds = min(folds, LOW_FOLDS)
        self.key = key
        self.scores: dict[str, dict[tuple[int, int], float | None]] = {m: {} for m in models}
        self.out: set[str] = set()
        self.decided = False

    def record(self, model_id: str, fit_rows: int, fold: int, score: float | None) -> None:
        """A low-fidelity fit's score on the sort metric."""
        value = self.key(score) if self.key is not None and score is not None else score
        self.scores[model_id][(fit_rows, fold)] = value

    def drop(self, model_id: str) -> None:
        """The model failed: no evidence from it, nothing to wait for."""
        self.out.add(model_id)

    def settle(self) -> list[Verdict]:
        """The models to stop, once every low-fidelity score is in (then never again)."""
        if self.decided:
            return []
        alive = [m for m in self.models if m not in self.out]
        folds = range(self.low_folds)
        want = {(r, f) for r in self.anchors for f in folds}
        if any(not want <= set(self.scores[m]) for m in alive):
            return []
        self.decided = True
        high = {m: {f: self.scores[m][(self.anchors[1], f)] for f in folds} for m in alive}
        verdicts = []
        for model_id in alive:
            bound = {f: self._bound(model_id, f) for f in folds}
            evidence = {m: high[m] for m in alive if m != model_id}
            leader = racing.strongest(evidence, bound, self.folds)
            if leader is not None:
                verdicts.append(Verdict(model_id, leader, self.anchors[1]))
        return verdicts

    def _bound(self, model_id: str, fold: int) -> float | None:
        low = self.scores[model_id][(self.anchors[0], fold)]
        high = self.scores[model_id][(self.anchors[1], fold)]
        if low is None or high is None or not np.isfinite([low, high]).all():
            return None
        return optimistic(low, high, self.rows, self.anchors)
