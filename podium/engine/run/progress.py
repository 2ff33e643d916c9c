"""Progress of a comparison: how many models are done, and an estimate of the time left.

The estimate is the expected seconds of the fits not yet done (``FitTask.cost``, from each
model's growth law in the registry), scaled by how far the fits done so far were from their
own estimates, spread over the executor's slots, and never past the time budget.
"""

from __future__ import annotations

import time
from typing import Any

from podium.engine.run.fits import FitTask


class Progress:
    """Counts models and fits; :meth:`payload` is the ``progress`` field of the events."""

    def __init__(self, tasks: list[FitTask], slots: int, budget_s: float | None) -> None:
        self.expected = {t.key: t.cost for t in tasks}
        self.models = {t.model_id for t in tasks}
        self.slots = max(1, slots)
        self.budget_s = budget_s
        self.started = time.monotonic()
        self.done: set[str] = set()
        self.models_done: set[str] = set()
        self.fit_s = 0.0  # actual seconds of the fits done
        self.fit_expected_s = 0.0  # their expected seconds

    def fit_done(self, task: FitTask, seconds: float) -> None:
        """A fit finished (scored or failed)."""
        if task.key in self.done or task.key not in self.expected:
            return
        self.done.add(task.key)
        self.fit_s += seconds
        self.fit_expected_s += self.expected[task.key]

    def model_done(self, model_id: str) -> None:
        """A model has its row (scores, an error, or stopped by a limit)."""
        self.models_done.add(model_id)

    def eta_s(self) -> float:
        """Estimated seconds until every model has its row."""
        left = sum(
            cost
            for key, cost in self.expected.items()
            if key not in self.done and key.split("/")[0] not in self.models_done
        )
        scale = self.fit_s / self.fit_expected_s if self.fit_expected_s > 0 else 1.0
        eta = left * scale / self.slots
        if self.budget_s is not None:
            eta = min(eta, max(0.0, self.budget_s - (time.monotonic() - self.started)))
        return round(eta, 1)

    def payload(self) -> dict[str, Any]:
        """``{models_done, models_total, elapsed_s, eta_s}``."""
        return {
            "models_done": len(self.models_done),
            "models_total": len(self.models),
            "elapsed_s": round(time.monotonic() - self.started, 1),
            "eta_s": 0.0 if len(self.models_done) == len(self.models) else self.eta_s(),
        }
