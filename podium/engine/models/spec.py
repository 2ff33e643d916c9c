"""What a model is: the frozen :class:`ModelSpec` and the cost laws it is described with."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from podium.engine import tasks as _tasks
from podium.engine.errors import DataError
from podium.engine.models.factories import Factory
from podium.engine.models.spaces import space_of

KINDS = ("classification", "regression")  # the tabular kinds a ModelSpec describes


# How the work of one fit grows with its size: n rows fitted, w encoded columns, k classes
# (k = 1 for binary and regression). Asymptotic costs of the scikit-learn algorithms; the
# constant of each model (``unit_s``, seconds per unit of work on one core) was measured on
# this machine's kind with fits of 1,000-2,000 rows × 30-120 columns (docs/DESIGN.md,
# "The default model list follows the cost of the data").
GROWTH: dict[str, tuple[Callable[[float, float, float], float], str]] = {
    "table": (lambda n, w, k: n * w * k, "rows × columns"),
    "rows2": (lambda n, w, k: n * n * w, "rows² × columns (a rows × rows kernel or distances)"),
    "rows3": (lambda n, w, k: k * n**3, "rows³ (a rows × rows solve)"),
    "width3": (lambda n, w, k: w**3 + n * w, "columns³ (a columns × columns solve, repeated)"),
    "epochs": (lambda n, w, k: n * w * k, "rows × columns × hidden units × epochs"),
}
# A fit of a Podium worker costs ~10 ms beyond its arithmetic (loading the fold, scoring).
FIT_OVERHEAD_S = 0.01
# Models whose cost grows faster than the table (or, for MLPs, carries a large factor) join
# the default compare only while one fit is expected to take at most this long on one core:
# about a random forest's fit on 2,000 rows × 60 columns. Above it they would dominate the
# comparison (a 3,000-row Gaussian process: ~20 s per fit; Theil-Sen on 300 columns: minutes).
DEFAULT_FIT_S = 2.0


class SpecRules:
    """The rules every model spec shares (supervised :class:`ModelSpec`, clustering and anomaly
    ``UnsupSpec``): availability and its fix, the expected cost of a fit, whether the default
    compare includes it, and building an estimator with parameters.

    A frozen dataclass subclass declares the fields below and names its kinds in ``KINDS``.
    """

    KINDS: ClassVar[tuple[str, ...]]
    id: str
    kind: str
    growth: str
    unit_s: float
    factory: Factory
    requires: str | None
    extra: str | None

    def __post_init__(self) -> None:
        if self.kind not in self.KINDS:
            raise ValueError(f"model {self.id!r}: kind {self.kind!r} is not one of {self.KINDS}")
        if self.growth not in GROWTH:
            raise ValueError(f"model {self.id!r} ({self.kind}): unknown growth {self.growth!r}")

    @property
    def turbo(self) -> bool:
        """True when the model's cost grows like the table's: always in the default compare."""
        return self.growth == "table"

    def expected_s(self, rows: int, width: int, classes: int = 1) -> float:
        """Expected seconds of one fit (and its scoring) on one core.

        Examples
        --------
        >>> from podium.engine.models.registry import get
        >>> gpc = get("binary", "gpc")
        >>> gpc.expected_s(3000, 20) > DEFAULT_FIT_S > gpc.expected_s(300, 20)
        True
        """
        grow = GROWTH[self.growth][0]
        return FIT_OVERHEAD_S + self.unit_s * grow(max(rows, 1), max(width, 1), max(classes, 1))

    def in_default(self, rows: int, width: int, classes: int = 1) -> bool:
        """Whether the default compare (no models given) includes this model at this size."""
        return self.turbo or self.expected_s(rows, width, classes) <= DEFAULT_FIT_S

    @property
    def is_available(self) -> bool:
        """True when the optional library (if any) is importable."""
        return self.requires is None or importlib.util.find_spec(self.requires) is not None

    @property
    def reason(self) -> str | None:
        """Why the model is unavailable, with the fix; None when available."""
        if self.is_available:
            return None
        fix = (
            f"pip install 'podium[{self.extra}]'" if self.extra else f"pip install {self.requires}"
        )
        return f"{self.requires} is not installed: {fix}"

    def build(self, seed: int, **params: Any) -> Any:
        """A fresh unfitted estimator with ``params`` set on top of the defaults."""
        est = self.factory(seed)
        if params:
            try:
                est.set_params(**params)
            except ValueError as exc:
                raise DataError(f"bad parameter for model {self.id!r}: {exc}") from None
        return est


@dataclass(frozen=True)
class ModelSpec(SpecRules):
    """One model of the zoo (its shared rules: :class:`SpecRules`).

    Parameters
    ----------
    id : str
        PyCaret-compatible id (``"rf"``); unique per task kind.
    name : str
        Display name.
    family : str
        linear, tree, ensemble, boosting, neighbors, svm, kernel, bayes, ...
    kind : str
        ``"classification"`` or ``"regression"``.
    growth : str
        Key of :data:`GROWTH`: how a fit's work grows with rows, columns and classes.
    unit_s : float
        Seconds per unit of that work on one core (measured).
    factory : callable
        ``factory(seed)`` → a fresh unfitted estimator
        (:func:`podium.engine.models.factories.lazy`).
    requires : str or None
        Importable module needed; when missing the model is unavailable with ``extra`` as fix.
    """

    KINDS: ClassVar[tuple[str, ...]] = KINDS
    id: str
    name: str
    family: str
    kind: str
    growth: str
    unit_s: float
    factory: Factory = field(repr=False, compare=False)
    requires: str | None = None
    extra: str | None = None

    @property
    def tasks(self) -> tuple[str, ...]:
        """The tasks this model can be used for."""
        return tuple(t.id for t in _tasks.ALL if t.model_kind == self.kind)

    @property
    def space(self) -> dict[str, dict[str, Any]]:
        """The search space ``Experiment.tune`` samples (:mod:`podium.engine.models.spaces`);
        ``{}`` when the model has nothing worth tuning."""
        return space_of(self.kind, self.id)
