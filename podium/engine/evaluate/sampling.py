"""Keep plots small: a curve or a scatter of 100,000 rows is drawn from at most a few
thousand points (the browser draws it at once; the shape does not change), and the note says so."""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]
MAX_CURVE_POINTS = 1000  # points of one ROC / PR / threshold curve
MAX_SCATTER_POINTS = 2000  # dots of one scatter (residuals, prediction error)
SEED = 0


def thin_curve(*columns: Array, limit: int = MAX_CURVE_POINTS) -> tuple[list[Array], bool]:
    """Every ``k``-th point of a curve (first and last always kept) so at most ``limit``
    remain; returns the columns and whether any point was dropped."""
    n = len(columns[0])
    if n <= limit:
        return list(columns), False
    keep = np.unique(np.linspace(0, n - 1, limit).round().astype(int))
    return [c[keep] for c in columns], True


def sample_rows(n: int, limit: int = MAX_SCATTER_POINTS) -> tuple[Array, bool]:
    """Row positions of a seeded uniform sample of at most ``limit`` of ``n`` rows, ascending;
    and whether it is a sample."""
    if n <= limit:
        return np.arange(n), False
    rng = np.random.default_rng(SEED)
    return np.sort(rng.choice(n, size=limit, replace=False)), True


def floats(values: Array) -> list[float | None]:
    """JSON numbers (NaN and infinities → None)."""
    arr = np.asarray(values, dtype="float64")
    return [float(v) if np.isfinite(v) else None for v in arr.tolist()]
