"""The ``analyses`` job kind: fit one model of a run once and store its analysis plots.

A ``POST .../analysis`` leaves an ``analyses`` row ``queued``. A worker claims it (a guarded
transition, like runs and builds), sets up the run's experiment from its snapshot (same data,
task, target, settings and seed: :func:`podium.worker.data.setup_experiment`), and calls the
engine's ``Experiment.analyse``: the model is fitted once on the training split with the run's
preprocessing, then its importance, permutation importance, learning curve and SHAP summary are
computed. Each plot is written to the artifact store as soon as it is ready
(``services.analysis.plot_key``); the row ends ``done`` with their ids, or ``failed`` with the
reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from podium.engine import DataError
from podium.server.db.models import Analysis
from podium.server.services import analysis, queue
from podium.server.services.queue import AnalysisEnd
from podium.worker.data import setup_experiment
from podium.worker.jobs import WorkerContext

log = logging.getLogger(__name__)


@dataclass
class AnalysisJob:
    """A claimed analysis (``queue.ANALYSES``)."""

    row: Analysis

    @property
    def label(self) -> str:
        """``analysis:<id>``, shown in worker heartbeats."""
        return f"{queue.ANALYSES.label}:{self.row.id}"

    def renew(self, ctx: WorkerContext) -> bool:
        """Extend the analysis's lease."""
        with ctx.db.sessions() as session:
            return queue.renew(
                session, queue.ANALYSES, self.row.id, ctx.worker_id, ctx.settings.lease_s
            )

    def execute(self, ctx: WorkerContext) -> None:
        """Analyse; record ``done`` with the stored plot ids, or ``failed`` with the reason."""
        end: AnalysisEnd
        try:
            end = {"status": "done", "error": None, "plots": compute(ctx, self.row)}
        except DataError as exc:
            end = {"status": "failed", "error": str(exc)}
        except Exception as exc:
            log.exception("analysis %s failed", self.row.id)
            end = {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
        with ctx.db.sessions() as session:
            if not queue.finish(session, queue.ANALYSES, self.row.id, ctx.worker_id, end):
                log.warning("analysis %s was no longer ours when it ended", self.row.id)


def compute(ctx: WorkerContext, row: Analysis) -> list[str]:
    """Fit, compute and store every plot; the ids stored, in the order they were made."""
    with ctx.db.sessions() as session:
        run, params, sort = analysis.job_inputs(session, row)
    experiment = setup_experiment(ctx, run)
    stored: list[str] = []

    def keep(plot: Any) -> None:
        analysis.store_plot(ctx.store, row.workspace_id, row.run_id, row.model_id, dict(plot))
        stored.append(str(plot["id"]))

    # a tuned, ensembled, blended or stacked model is rebuilt from the recipe its run kept
    recipe = ((run.result or {}).get("models") or {}).get(row.model_id)
    if recipe is not None:
        experiment.analyse(recipe, sort=sort, on_plot=keep)
    else:
        experiment.analyse(row.model_id, sort=sort, on_plot=keep, **params)
    return stored
